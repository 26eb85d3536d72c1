/* A stand-in bcryptprimitives.dll for running Windows builds under Wine 8, which lacks
 * ProcessPrng: Rust's standard library (and getrandom) call it for random bytes, so every
 * exe fails to load without it. It forwards to RtlGenRandom (SystemFunction036 in
 * advapi32), which Wine has. Built by .ci/windows-smoke into a temporary directory and put
 * beside the exe there; for CI under Wine only, never shipped.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    /* SystemFunction036 takes a 32-bit length. */
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}

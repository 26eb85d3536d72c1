//! `from="pattern-list"` of an authorized_keys line, read as OpenSSH reads it (`match.c`,
//! `addrmatch.c`): comma-separated patterns, each an address, a CIDR network or a wildcard
//! (`*`, `?`), `!` in front negates, and a negated match refuses whatever else matched.
//! As sshd with `UseDNS no` (its default), the client's host name is its address: names
//! are never looked up, so a pattern like `*.example.com` matches nobody.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Whether a client at `ip` may use the key (OpenSSH's `match_host_and_ip` with the
/// address as the host name). A list OpenSSH calls invalid admits nobody.
pub fn admits(patterns: &str, ip: IpAddr) -> bool {
    let ip = ip.to_canonical();
    let shown = ip.to_string();
    let mip = addr_match_list(Some(ip), &shown, patterns);
    if matches!(mip, AddrMatch::Invalid | AddrMatch::Negated) {
        return false;
    }
    match match_pattern_list(&shown.to_ascii_lowercase(), patterns, true) {
        ListMatch::Negated => false,
        ListMatch::None => mip == AddrMatch::Matched,
        ListMatch::Matched => true,
    }
}

/// Why a pattern list can never admit anyone (OpenSSH would refuse every sign-in with
/// it): checked when the file is read, so the line is reported instead of silently dead.
pub fn check(patterns: &str) -> Result<(), String> {
    if let AddrMatch::Invalid = addr_match_list(None, "", patterns) {
        return Err(format!(
            "from=\"{patterns}\" has an empty pattern or a network with host bits set \
             (write 192.0.2.0/24, not 192.0.2.1/24)"
        ));
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AddrMatch {
    Matched,
    None,
    Negated,
    Invalid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListMatch {
    Matched,
    None,
    Negated,
}

/// `addr_match_list`: CIDR first, else a wildcard match on the address as text. With no
/// address, only checks the list.
fn addr_match_list(addr: Option<IpAddr>, shown: &str, list: &str) -> AddrMatch {
    let mut ret = AddrMatch::None;
    for cp in list.split(',') {
        let (neg, cp) = match cp.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, cp),
        };
        if cp.is_empty() {
            return AddrMatch::Invalid;
        }
        let found = match parse_cidr(cp) {
            Cidr::Inconsistent => return AddrMatch::Invalid,
            Cidr::Net(net, len) => addr.is_some_and(|a| net_match(a, net, len)),
            Cidr::NotAnAddress => addr.is_some() && match_pattern(shown, cp),
        };
        if found {
            if neg {
                return AddrMatch::Negated;
            }
            ret = AddrMatch::Matched;
        }
    }
    ret
}

/// `match_pattern_list`: the first negated match wins; else any positive match.
fn match_pattern_list(s: &str, list: &str, lower: bool) -> ListMatch {
    let mut got = ListMatch::None;
    for sub in list.split(',') {
        let (neg, sub) = match sub.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, sub),
        };
        let sub = if lower {
            sub.to_ascii_lowercase()
        } else {
            sub.to_string()
        };
        if match_pattern(s, &sub) {
            if neg {
                return ListMatch::Negated;
            }
            got = ListMatch::Matched;
        }
    }
    got
}

/// `*` matches any run of characters, `?` any one; everything else itself.
fn match_pattern(s: &str, pattern: &str) -> bool {
    let (s, p) = (s.as_bytes(), pattern.as_bytes());
    let (mut si, mut pi) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == s[si]) {
            si += 1;
            pi += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, si));
            pi += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

enum Cidr {
    Net(IpAddr, u32),
    /// An address whose host bits are set past the mask, or a mask too long: an error.
    Inconsistent,
    /// Not an address at all: a wildcard pattern, then.
    NotAnAddress,
}

/// `addr_pton_cidr`: `address[/masklen]`, the address as getaddrinfo reads numeric hosts.
fn parse_cidr(p: &str) -> Cidr {
    let (addr, mask) = match p.split_once('/') {
        Some((a, m)) => match m.parse::<i64>() {
            Ok(n) if (0..=i64::from(i32::MAX)).contains(&n) => (a, Some(n as u32)),
            _ => return Cidr::NotAnAddress,
        },
        None => (p, None),
    };
    let Some(ip) = parse_numeric_host(addr) else {
        return Cidr::NotAnAddress;
    };
    let full = if ip.is_ipv4() { 32 } else { 128 };
    let len = mask.unwrap_or(full);
    if len > full || masked(ip, len) != ip {
        return Cidr::Inconsistent;
    }
    Cidr::Net(ip, len)
}

fn net_match(host: IpAddr, net: IpAddr, len: u32) -> bool {
    host.is_ipv4() == net.is_ipv4() && masked(host, len) == net
}

fn masked(ip: IpAddr, len: u32) -> IpAddr {
    match ip {
        IpAddr::V4(a) => {
            let m = u32::MAX.checked_shl(32 - len).unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(u32::from(a) & m))
        }
        IpAddr::V6(a) => {
            let m = u128::MAX.checked_shl(128 - len).unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(u128::from(a) & m))
        }
    }
}

/// A numeric host as glibc's getaddrinfo(AI_NUMERICHOST) reads it: IPv6, or IPv4 in any
/// `inet_aton` form (`127.1`, `0x7f.0.0.1`, `017.0.0.1`), so `!127.1` negates what
/// OpenSSH negates. A scope (`fe80::1%eth0`) is not read: such a pattern matches nobody.
fn parse_numeric_host(s: &str) -> Option<IpAddr> {
    if let Ok(v6) = s.parse::<Ipv6Addr>() {
        return Some(IpAddr::V6(v6));
    }
    inet_aton(s).map(IpAddr::V4)
}

fn inet_aton(s: &str) -> Option<Ipv4Addr> {
    let parts: Vec<u64> = s.split('.').map(aton_part).collect::<Option<_>>()?;
    let (last, head) = parts.split_last()?;
    if head.len() > 3 || head.iter().any(|&p| p > 0xff) {
        return None;
    }
    let room = 8 * (4 - head.len() as u32);
    if room < 64 && *last >= 1u64 << room {
        return None;
    }
    let mut v: u64 = 0;
    for (i, p) in head.iter().enumerate() {
        v |= p << (24 - 8 * i);
    }
    Some(Ipv4Addr::from((v | last) as u32))
}

fn aton_part(p: &str) -> Option<u64> {
    if p.is_empty() {
        return None;
    }
    let (digits, radix) = if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
        (h, 16)
    } else if p.len() > 1 && p.starts_with('0') {
        (&p[1..], 8)
    } else {
        (p, 10)
    };
    if digits.is_empty() {
        return (radix == 16).then_some(0);
    }
    if !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix)
        .ok()
        .filter(|&v| v <= u32::MAX as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn from_patterns_addresses_networks_wildcards_and_negation_as_openssh_reads_them() {
        let cases: &[(&str, &str, bool)] = &[
            ("192.0.2.1", "127.0.0.1", false),
            ("127.0.0.1", "127.0.0.1", true),
            ("127.0.0.0/8", "127.9.9.9", true),
            ("10.0.0.0/8", "127.0.0.1", false),
            ("127.0.0.*", "127.0.0.1", true),
            ("127.0.0.?", "127.0.0.1", true),
            ("127.0.0.?", "127.0.0.12", false),
            ("*", "203.0.113.7", true),
            ("*,!127.0.0.1", "127.0.0.1", false),
            ("!127.0.0.1,*", "127.0.0.1", false),
            ("*,!127.0.0.0/8", "127.0.0.5", false),
            ("*,!127.0.0.0/8", "192.0.2.5", true),
            ("!192.0.2.1", "127.0.0.1", false),
            ("192.0.2.0/24,127.0.0.1", "127.0.0.1", true),
            ("127.1", "127.0.0.1", true),
            ("*,!127.1", "127.0.0.1", false),
            ("0x7f.0.0.1", "127.0.0.1", true),
            ("::1", "::1", true),
            ("::/0", "::1", true),
            ("::/0", "127.0.0.1", false),
            ("127.0.0.1", "::ffff:127.0.0.1", true),
            ("*.example.com", "127.0.0.1", false),
            // Host bits set past the mask: OpenSSH calls the list invalid, admitting nobody.
            ("127.0.0.1/8", "127.0.0.1", false),
            ("*,127.0.0.1/8", "127.0.0.1", false),
            ("127.0.0.1,", "127.0.0.1", false),
            ("", "127.0.0.1", false),
            ("127.0.0.0/33", "127.0.0.1", false),
        ];
        for (patterns, addr, want) in cases {
            assert_eq!(
                admits(patterns, ip(addr)),
                *want,
                "from={patterns:?} for {addr}"
            );
        }
    }

    #[test]
    fn a_list_that_can_admit_nobody_is_reported_when_read() {
        assert!(check("192.0.2.0/24,!192.0.2.7").is_ok());
        assert!(check("*.example.com").is_ok());
        for bad in ["192.0.2.1/24", "a,,b", "!", ""] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn wildcards() {
        assert!(match_pattern("abc", "a*c"));
        assert!(match_pattern("abc", "*"));
        assert!(match_pattern("", "*"));
        assert!(!match_pattern("abc", "a*d"));
        assert!(match_pattern("aXbXc", "a*b*c"));
        assert!(!match_pattern("ab", "a?b"));
    }
}

//! Reading a catalog: the file is opened once and read at most `MAX_BYTES + 1` bytes deep,
//! whatever its metadata claims, so `/dev/zero` or an endless pipe is refused at the limit
//! instead of filling memory. A regular file is kept open (a start that finds its snapshot
//! only hashes it, through a small buffer); anything else (a pipe, `/dev/stdin`, a
//! character device) is read whole at once, since it can be read only once.

use super::diagnostics::{Pos, one};
use super::{CatalogErrors, CatalogSource, DEMO_NAME, DEMO_YAML, snapshot};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

/// Larger inputs are refused: a catalog is kilobytes to a few megabytes.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// A catalog source, opened once.
#[derive(Debug)]
pub struct Input {
    /// How the catalog is named in messages.
    pub name: String,
    body: Body,
}

#[derive(Debug)]
enum Body {
    /// A regular file, read again from its start whenever its bytes are needed.
    File(File),
    /// What a pipe or device gave, or the embedded demo.
    Bytes(Vec<u8>),
    Demo,
}

impl Input {
    /// Open `source`; a pipe or device is read here, to its end or to the limit.
    pub fn open(source: &CatalogSource) -> Result<Input, CatalogErrors> {
        match source {
            CatalogSource::Demo => Ok(Input {
                name: DEMO_NAME.into(),
                body: Body::Demo,
            }),
            CatalogSource::File(path) => Self::open_file(path),
        }
    }

    pub fn open_file(path: &Path) -> Result<Input, CatalogErrors> {
        let name = path.display().to_string();
        let file = File::open(path).map_err(|e| cannot_read(&name, e))?;
        let meta = file.metadata().map_err(|e| cannot_read(&name, e))?;
        if meta.is_file() {
            if meta.len() > MAX_BYTES as u64 {
                return Err(too_big(&name, Some(meta.len())));
            }
            return Ok(Input {
                name,
                body: Body::File(file),
            });
        }
        let bytes = bounded(&file, 0).map_err(|e| cannot_read(&name, e))?;
        check_size(&name, &bytes)?;
        Ok(Input {
            name,
            body: Body::Bytes(bytes),
        })
    }

    /// Bytes held in memory (read by `open`), named `name`.
    pub fn from_bytes(bytes: Vec<u8>, name: &str) -> Input {
        Input {
            name: name.into(),
            body: Body::Bytes(bytes),
        }
    }

    /// Whether this is the embedded demo (never snapshotted).
    pub fn is_demo(&self) -> bool {
        matches!(self.body, Body::Demo)
    }

    /// Whether the bytes are read from the file each time (so they need not be held to
    /// learn the identity).
    #[cfg(test)]
    pub(crate) fn is_file(&self) -> bool {
        matches!(self.body, Body::File(_))
    }

    /// The catalog's bytes, read from the start, refused past the limit.
    pub fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>, CatalogErrors> {
        match &self.body {
            Body::Demo => Ok(DEMO_YAML.as_bytes().into()),
            Body::Bytes(b) => {
                check_size(&self.name, b)?;
                Ok(b.as_slice().into())
            }
            Body::File(f) => {
                let hint = f.metadata().map_or(0, |m| m.len() as usize);
                let bytes = rewind(f)
                    .and_then(|()| bounded(f, hint))
                    .map_err(|e| cannot_read(&self.name, e))?;
                check_size(&self.name, &bytes)?;
                Ok(bytes.into())
            }
        }
    }

    /// The identity of the catalog's bytes under `build`: a regular file is hashed through
    /// a small buffer, never held whole.
    pub fn identity(&self, build: &str) -> Result<snapshot::Identity, CatalogErrors> {
        match &self.body {
            Body::File(f) => {
                let limited = rewind(f).map(|()| f.take(MAX_BYTES as u64 + 1));
                limited
                    .and_then(|r| snapshot::Identity::of_reader(r, build))
                    .map_err(|e| cannot_read(&self.name, e))
            }
            _ => Ok(snapshot::Identity::of(&self.bytes()?, build)),
        }
    }
}

fn rewind(mut f: &File) -> io::Result<()> {
    f.seek(SeekFrom::Start(0)).map(|_| ())
}

/// Everything `r` yields, but never more than one byte past the limit.
fn bounded(r: impl Read, hint: usize) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(hint.min(MAX_BYTES) + 1);
    r.take(MAX_BYTES as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn check_size(name: &str, bytes: &[u8]) -> Result<(), CatalogErrors> {
    if bytes.len() > MAX_BYTES {
        return Err(too_big(name, None));
    }
    Ok(())
}

pub(crate) fn cannot_read(name: &str, e: io::Error) -> CatalogErrors {
    one(
        name,
        Pos::START,
        "",
        format!("cannot read the file: {e}"),
        "check the path given to --config or BENEFITS_CONFIG, and its permissions",
    )
}

/// `len` when known (a file's size); without it, the input went on past the limit.
pub(crate) fn too_big(name: &str, len: Option<u64>) -> CatalogErrors {
    let what = match len {
        Some(len) => format!("the file is {len} bytes"),
        None => "the input goes on past the limit".into(),
    };
    one(
        name,
        Pos::START,
        "",
        format!("{what}; a catalog may be at most {MAX_BYTES} bytes"),
        "split the catalog or remove what it does not need (is this the right file?)",
    )
}

/// The text of `bytes`, or where the first byte that is not UTF-8 stands.
pub(crate) fn utf8<'a>(bytes: &'a [u8], name: &str) -> Result<&'a str, CatalogErrors> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        // Valid up to here, so the line so far decodes; count characters, not bytes.
        let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
        one(
            name,
            Pos { line, column },
            "",
            format!(
                "the file is not UTF-8: invalid byte 0x{:02X} at offset {}",
                bytes[good.len()],
                good.len()
            ),
            "save the file as UTF-8 (e.g. convert it from Latin-1 or Windows-1252)",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_utf8_position_counts_characters() {
        let mut bytes = "a: é\nname: Caf".as_bytes().to_vec();
        bytes.push(0xE9);
        let e = utf8(&bytes, "x.yaml").unwrap_err().0.remove(0);
        assert_eq!((e.line, e.column), (2, 10));
        assert!(e.message.contains("0xE9 at offset 15"), "{e}");
    }

    #[test]
    fn endless_input_is_refused_at_the_limit_without_reading_on() {
        // An endless reader: the limit applies while reading.
        let endless = std::io::repeat(b'a');
        let bytes = bounded(endless, 0).unwrap();
        assert_eq!(bytes.len(), MAX_BYTES + 1);
        let e = check_size("zero", &bytes).unwrap_err();
        assert!(e.0[0].message.contains("past the limit"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_is_read_once_and_its_bytes_kept_for_every_later_use() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("catalog.fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo(3) on a path this test owns.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::write(fifo, b"organization: x\n").unwrap())
        };
        let input = Input::open_file(&fifo).unwrap();
        writer.join().unwrap();
        assert!(!input.is_file());
        for _ in 0..3 {
            assert_eq!(&*input.bytes().unwrap(), b"organization: x\n");
        }
        let id = input.identity("b").unwrap();
        assert_eq!(id, snapshot::Identity::of(b"organization: x\n", "b"));
    }

    #[test]
    fn a_regular_file_is_read_from_its_start_each_time() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.yaml");
        std::fs::write(&p, b"abc").unwrap();
        let input = Input::open_file(&p).unwrap();
        assert!(input.is_file());
        assert_eq!(
            input.identity("b").unwrap(),
            snapshot::Identity::of(b"abc", "b")
        );
        assert_eq!(&*input.bytes().unwrap(), b"abc");
        assert_eq!(&*input.bytes().unwrap(), b"abc");
    }
}

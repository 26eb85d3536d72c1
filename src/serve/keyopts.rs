//! One authorized_keys line: its options and its key, read as sshd reads them
//! (`auth2-pubkeyfile.c`, `auth-options.c`). Options are restrictions, so each is honoured
//! or the line is refused: `from=` and `expiry-time=` are enforced; `restrict` and the
//! `no-*` flags (and the permissions that undo them) change nothing here, where no
//! forwarding, command or subsystem is ever served; every other option is refused.

use super::from;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use russh::keys::ssh_key::{Algorithm, PublicKey};

/// What a line's options ask of a sign-in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyOptions {
    /// `from="…"`: the client's address must match.
    pub from: Option<String>,
    /// `expiry-time="…"`: no sign-in after this (Unix seconds).
    pub expires: Option<i64>,
}

impl KeyOptions {
    /// Why a client at `ip` may not use this line now, if it may not.
    pub fn refuses(&self, ip: Option<std::net::IpAddr>, now: i64) -> Option<String> {
        if let Some(t) = self.expires
            && t < now
        {
            let when = chrono::DateTime::from_timestamp(t, 0).map_or(t.to_string(), |d| {
                d.format("%Y-%m-%dT%H:%M:%SZ").to_string()
            });
            return Some(format!("expiry-time passed ({when})"));
        }
        if let Some(patterns) = &self.from {
            let shown = ip.map_or("an unknown address".into(), |ip| ip.to_string());
            if !ip.is_some_and(|ip| from::admits(patterns, ip)) {
                return Some(format!("from=\"{patterns}\" does not admit {shown}"));
            }
        }
        None
    }
}

/// Why a line is not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineError {
    /// Not a public key.
    NotAKey(String),
    /// Options OpenSSH itself would not read.
    Invalid(String),
    /// An option this server cannot honour: taking the key without it would drop a
    /// restriction someone meant.
    Refused(String),
}

/// A line (not empty, not a comment): its options and key.
pub fn parse_line(line: &str) -> Result<(KeyOptions, PublicKey), LineError> {
    let line = line.trim();
    let (options, key) = match PublicKey::from_openssh(line) {
        Ok(key) => (KeyOptions::default(), key),
        Err(first) => {
            let end = past_options(line).map_err(|_| LineError::NotAKey(first.to_string()))?;
            let rest = line[end..].trim_start_matches([' ', '\t']);
            let key = PublicKey::from_openssh(rest).map_err(|e| {
                // Without options at all, say what was wrong with the key itself.
                let e = if rest.is_empty() { first } else { e };
                LineError::NotAKey(e.to_string())
            })?;
            (parse_options(&line[..end])?, key)
        }
    };
    // A security key proves the user touched it only when the server checks the signature's
    // flags, which russh does not: such a key is taken only with `no-touch-required`.
    if matches!(
        key.algorithm(),
        Algorithm::SkEd25519 | Algorithm::SkEcdsaSha2NistP256
    ) && !no_touch_required(line)
    {
        return Err(LineError::Refused(
            "a security key (sk-…) without no-touch-required: this server cannot check that it was touched".into(),
        ));
    }
    Ok((options, key))
}

fn no_touch_required(line: &str) -> bool {
    let end = past_options(line).unwrap_or(0);
    line[..end]
        .split(',')
        .any(|o| o.eq_ignore_ascii_case("no-touch-required"))
}

/// `sshkey_advance_past_options`: up to the first blank outside quotes.
fn past_options(line: &str) -> Result<usize, String> {
    let b = line.as_bytes();
    let (mut i, mut quoted) = (0, false);
    while i < b.len() && (quoted || (b[i] != b' ' && b[i] != b'\t')) {
        if b[i] == b'\\' && b.get(i + 1) == Some(&b'"') {
            i += 1;
        } else if b[i] == b'"' {
            quoted = !quoted;
        }
        i += 1;
    }
    if quoted {
        return Err("a quote is never closed".into());
    }
    Ok(i)
}

/// Flags that forbid what is never served, and the permissions that undo them: nothing
/// to do. Compared case-insensitively, as sshd does.
const HARMLESS: &[&str] = &[
    "restrict",
    "no-port-forwarding",
    "no-agent-forwarding",
    "no-x11-forwarding",
    "no-pty",
    "no-user-rc",
    "no-touch-required",
    "no-verify-required",
    "port-forwarding",
    "agent-forwarding",
    "x11-forwarding",
    "pty",
    "user-rc",
];

/// `sshauthopt_parse`, keeping what is honoured and refusing the rest.
fn parse_options(opts: &str) -> Result<KeyOptions, LineError> {
    let mut out = KeyOptions::default();
    let mut rest = opts;
    while !rest.is_empty() {
        let name_end = rest.find([',', '=']).unwrap_or(rest.len());
        let name = &rest[..name_end];
        let lower = name.to_ascii_lowercase();
        if rest[name_end..].starts_with('=') {
            let (value, after) = dequote(&rest[name_end + 1..])
                .map_err(|e| LineError::Invalid(format!("{name}=: {e}")))?;
            match lower.as_str() {
                "from" => {
                    if out.from.is_some() {
                        return Err(LineError::Invalid("multiple \"from\" clauses".into()));
                    }
                    from::check(&value).map_err(LineError::Invalid)?;
                    out.from = Some(value);
                }
                "expiry-time" => {
                    let t = absolute_time(&value).ok_or_else(|| {
                        LineError::Invalid(format!(
                            "expiry-time=\"{value}\" is not YYYYMMDD[HHMM[SS]][Z]"
                        ))
                    })?;
                    out.expires = Some(out.expires.map_or(t, |e: i64| e.min(t)));
                }
                "command" | "environment" | "permitopen" | "permitlisten" | "principals"
                | "tunnel" => return Err(LineError::Refused(format!("{lower}="))),
                _ => return Err(LineError::Invalid(format!("unknown key option {name}="))),
            }
            rest = after;
        } else {
            if lower == "cert-authority" || lower == "touch-required" || lower == "verify-required"
            {
                return Err(LineError::Refused(lower));
            }
            if !HARMLESS.contains(&lower.as_str()) {
                return Err(LineError::Invalid(format!("unknown key option {name}")));
            }
            rest = &rest[name_end..];
        }
        match rest.strip_prefix(',') {
            Some("") => return Err(LineError::Invalid("unexpected end of options".into())),
            Some(next) => rest = next,
            None if rest.is_empty() => {}
            None => return Err(LineError::Invalid("unknown key option".into())),
        }
    }
    Ok(out)
}

/// `opt_dequote`: `"…"` with `\"` for a quote inside; the value and what follows it.
fn dequote(s: &str) -> Result<(String, &str), &'static str> {
    let Some(body) = s.strip_prefix('"') else {
        return Err("missing start quote");
    };
    let mut value = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((value, &body[i + 1..])),
            '\\' if chars.peek().is_some_and(|(_, n)| *n == '"') => {
                value.push('"');
                chars.next();
            }
            c => value.push(c),
        }
    }
    Err("missing end quote")
}

/// `parse_absolute_time`: `YYYYMMDD`, `YYYYMMDDHHMM` or `YYYYMMDDHHMMSS`, in the server's
/// local time unless it ends in `Z` or `UTC`. Unix seconds.
pub fn absolute_time(s: &str) -> Option<i64> {
    let (digits, utc) = if let Some(d) = s.strip_suffix(['Z', 'z']).filter(|d| !d.is_empty()) {
        (d, true)
    } else if s.len() > 3 && s[s.len() - 3..].eq_ignore_ascii_case("UTC") {
        (&s[..s.len() - 3], true)
    } else {
        (s, false)
    };
    if !matches!(digits.len(), 8 | 12 | 14) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |a: usize, b: usize| digits.get(a..b).map_or(Some(0), |d| d.parse::<u32>().ok());
    let date = NaiveDate::from_ymd_opt(n(0, 4)? as i32, n(4, 6)?, n(6, 8)?)?;
    let time = NaiveTime::from_hms_opt(n(8, 10)?, n(10, 12)?, n(12, 14)?)?;
    let at = NaiveDateTime::new(date, time);
    let t = if utc {
        at.and_utc().timestamp()
    } else {
        chrono::Local
            .from_local_datetime(&at)
            .earliest()?
            .timestamp()
    };
    (t != 0).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use russh::keys::ssh_key::PrivateKey;
    use russh::keys::ssh_key::private::Ed25519Keypair;

    fn key() -> String {
        let mut k = PrivateKey::from(Ed25519Keypair::from_seed(&[9; 32]));
        k.set_comment("ada@contoso.com");
        k.public_key().to_openssh().unwrap()
    }

    fn opts(prefix: &str) -> Result<KeyOptions, LineError> {
        parse_line(&format!("{prefix} {}", key())).map(|(o, _)| o)
    }

    #[test]
    fn restrict_and_no_flags_are_taken_and_change_nothing() {
        for o in [
            "restrict",
            "restrict,pty",
            "no-pty,no-port-forwarding,no-agent-forwarding,no-X11-forwarding,no-user-rc",
            "NO-PTY",
        ] {
            assert_eq!(opts(o), Ok(KeyOptions::default()), "{o}");
        }
        assert_eq!(parse_line(&key()).unwrap().0, KeyOptions::default());
    }

    #[test]
    fn options_the_server_cannot_honour_refuse_the_line() {
        for (o, named) in [
            ("command=\"echo hi\"", "command="),
            ("restrict,command=\"/bin/true\"", "command="),
            ("permitopen=\"localhost:80\"", "permitopen="),
            ("permitlisten=\"8080\"", "permitlisten="),
            ("principals=\"ada\"", "principals="),
            ("environment=\"A=b\"", "environment="),
            ("tunnel=\"1\"", "tunnel="),
            ("cert-authority", "cert-authority"),
            ("verify-required", "verify-required"),
        ] {
            assert_eq!(opts(o), Err(LineError::Refused(named.into())), "{o}");
        }
    }

    #[test]
    fn malformed_options_are_invalid_lines() {
        for o in [
            "bogus",
            "from=192.0.2.1",
            "from=\"192.0.2.1",
            "from=\"a\",from=\"b\"",
            "restrict,",
            "from=\"192.0.2.1/24\"",
            "expiry-time=\"2027\"",
            "expiry-time=\"20271301\"",
        ] {
            let r = opts(o);
            assert!(
                matches!(r, Err(LineError::Invalid(_) | LineError::NotAKey(_))),
                "{o}: {r:?}"
            );
        }
    }

    #[test]
    fn from_and_expiry_are_read_and_enforced() {
        let o = opts("from=\"127.0.0.0/8,!127.0.0.2\",expiry-time=\"20991231Z\"").unwrap();
        assert_eq!(o.from.as_deref(), Some("127.0.0.0/8,!127.0.0.2"));
        let now = absolute_time("20260101Z").unwrap();
        assert_eq!(o.refuses(Some("127.0.0.1".parse().unwrap()), now), None);
        let r = o.refuses(Some("127.0.0.2".parse().unwrap()), now).unwrap();
        assert!(r.contains("does not admit 127.0.0.2"), "{r}");
        assert!(o.refuses(None, now).is_some(), "no address, no from= match");
        let late = absolute_time("21000101Z").unwrap();
        let r = o.refuses(Some("127.0.0.1".parse().unwrap()), late).unwrap();
        assert!(
            r.contains("expiry-time passed (2099-12-31T00:00:00Z)"),
            "{r}"
        );
        // The earliest of two expiry times holds; a quoted quote is read as one.
        let o = opts("expiry-time=\"20300101Z\",expiry-time=\"20200101Z\"").unwrap();
        assert_eq!(o.expires, absolute_time("20200101Z"));
        let o = opts("from=\"a\\\"b\"").unwrap();
        assert_eq!(o.from.as_deref(), Some("a\"b"));
    }

    #[test]
    fn absolute_times_as_sshd_reads_them() {
        assert_eq!(absolute_time("20200101Z"), Some(1_577_836_800));
        assert_eq!(absolute_time("202001010130UTC"), Some(1_577_842_200));
        assert_eq!(absolute_time("20200101013005z"), Some(1_577_842_205));
        for bad in [
            "",
            "Z",
            "2020010",
            "2020-01-01",
            "20201301",
            "20200230",
            "202001012460",
        ] {
            assert_eq!(absolute_time(bad), None, "{bad}");
        }
        assert!(absolute_time("20200101").is_some(), "local time");
    }

    #[test]
    fn a_security_key_needs_no_touch_required() {
        use russh::keys::ssh_key::public::{Ed25519PublicKey, KeyData, SkEd25519};
        let point = Ed25519PublicKey([7; 32]);
        let data = KeyData::SkEd25519(SkEd25519::new(point, "ssh:"));
        let sk = PublicKey::new(data, "ada@contoso.com")
            .to_openssh()
            .unwrap();
        let sk = sk.as_str();
        assert!(matches!(parse_line(sk), Err(LineError::Refused(_))));
        assert!(parse_line(&format!("no-touch-required {sk}")).is_ok());
    }
}

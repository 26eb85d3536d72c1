//! Generated inputs for the catalog reader: bytes that are not UTF-8, files past the size
//! limit, endless devices and pipes, runaway nesting, missing files, the config lookup.

mod common;

use benefits::catalog::{self, CatalogError, CatalogSource};
use std::path::Path;

// ---- generated inputs ----------------------------------------------------------------

#[test]
fn non_utf8_bytes_are_reported_with_offset_line_and_column() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("latin1.yaml");
    std::fs::write(&p, b"organization:\n  name: Caf\xe9 Contoso\n").unwrap();
    let e = catalog::load_file(&p).unwrap_err();
    assert_eq!(e.len(), 1);
    let CatalogError {
        line,
        column,
        message,
        fix,
        ..
    } = &e.0[0];
    assert_eq!((*line, *column), (2, 12));
    assert!(
        message.contains("not UTF-8") && message.contains("offset 25"),
        "{e}"
    );
    assert!(fix.contains("UTF-8"));
}

#[test]
fn huge_files_are_refused_without_reading_them() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("huge.yaml");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(catalog::MAX_BYTES as u64 + 1).unwrap();
    let e = catalog::load_file(&p).unwrap_err();
    assert!(e.0[0].message.contains("at most"), "{e}");
}

#[test]
fn deep_block_and_flow_nesting_is_refused_at_the_limit() {
    let text: String = (0..200)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    let e = catalog::load_str(&text, "deep.yaml").unwrap_err();
    let deep = e
        .iter()
        .find(|x| x.message.contains("nests deeper"))
        .expect("refused as too deep");
    assert_eq!(deep.line, catalog::MAX_DEPTH + 1, "{e}");
    let flow = format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = catalog::load_str(&flow, "flow.yaml").unwrap_err();
    assert!(e.iter().any(|x| x.message.contains("nests deeper")), "{e}");
}

#[cfg(unix)]
#[test]
fn an_endless_device_is_refused_at_the_size_limit() {
    let started = std::time::Instant::now();
    let e = catalog::load_file(Path::new("/dev/zero")).unwrap_err();
    assert!(e.0[0].message.contains("past the limit"), "{e}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn missing_file_is_reported_with_its_name() {
    let e = catalog::load_file(Path::new("/nonexistent/benefits.yaml")).unwrap_err();
    assert_eq!(e.0[0].file, "/nonexistent/benefits.yaml");
    assert!(e.0[0].message.contains("cannot read"), "{e}");
}

#[test]
fn config_lookup_is_flag_then_env_then_config_dir_then_demo() {
    use benefits::catalog::locate;
    let d = tempfile::tempdir().unwrap();
    assert_eq!(
        locate(
            Some(Path::new("a.yaml")),
            Some("b.yaml".as_ref()),
            Some(d.path())
        ),
        CatalogSource::File("a.yaml".into())
    );
    assert_eq!(
        locate(None, Some("b.yaml".as_ref()), Some(d.path())),
        CatalogSource::File("b.yaml".into())
    );
    assert_eq!(locate(None, None, Some(d.path())), CatalogSource::Demo);
    std::fs::write(d.path().join("config.yaml"), "x").unwrap();
    assert_eq!(
        locate(None, None, Some(d.path())),
        CatalogSource::File(d.path().join("config.yaml"))
    );
}

/// The binary's text output (diagnostics on stderr, `list`/`show` tables, `--json`) never
/// carries a control or bidi character from the catalog.
#[test]
fn escape_sequences_from_the_catalog_never_reach_the_terminal() {
    let unsafe_char = |c: char| benefits::domain::text::is_unsafe(c) && c != '\n';
    let d = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_benefits");
    let bad = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/bad/escape_sequences.yaml"
    );
    let out = std::process::Command::new(bin)
        .args(["--today", "2026-11-23", "check-config", bad])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("user.role") && !stderr.chars().any(unsafe_char),
        "{stderr:?}"
    );
    // A valid catalog whose names hold a title change, a clipboard write and a bidi override.
    let hostile = catalog::DEMO_YAML.replace(
        "product: Microsoft 365 E3\n",
        "product: \"Microsoft 365 E3\\e]0;pwned\\a\\e]52;c;SGk=\\a\\u202e\"\n",
    );
    assert_ne!(hostile, catalog::DEMO_YAML);
    let config = d.path().join("hostile.yaml");
    std::fs::write(&config, hostile).unwrap();
    for args in [
        &["list", "cloud"][..],
        &["show", "m365-e3"],
        &["--json", "list", "cloud"],
    ] {
        let out = std::process::Command::new(bin)
            .args(["--today", "2026-11-23", "--data-dir"])
            .arg(d.path().join("data"))
            .arg("--config")
            .arg(&config)
            .args(args)
            .output()
            .unwrap();
        common::assert_success_of(&out, args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("Microsoft 365 E3"), "{args:?}: {stdout}");
        assert!(!stdout.chars().any(unsafe_char), "{args:?}: {stdout:?}");
    }
}

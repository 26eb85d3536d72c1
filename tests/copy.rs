//! `y` / `Y` copy to the clipboard over OSC 52: the benefit id, the tenant domain in the
//! redemption dialog, the product key for a user who may view keys (masked in the notice);
//! the sequence reaches the local terminal and, through `benefits serve`, the SSH client's;
//! a terminal that cannot take it gets a message instead.

mod common;

use base64::Engine;
use benefits::i18n::Lang;
use common::dash::{Dash, demo_with};
use common::pty::Pty;
use common::ssh::{Server, setup};
use portable_pty::CommandBuilder;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const E3_KEY: &str = "M3E3A-7QXRT-4HDPC-2VWNB-K25LA";

fn osc52(text: &str) -> Vec<u8> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text);
    [b"\x1b]52;c;".as_slice(), b64.as_bytes(), b"\x07"].concat()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn y_copies_the_benefit_id_and_says_so() {
    let mut d = Dash::demo();
    d.press("y");
    assert_eq!(d.app.clipboard.as_deref(), Some("m365-e3"));
    assert!(
        d.screen().contains("Copied m365-e3 to the clipboard"),
        "{}",
        d.screen()
    );
    d.app.clipboard = None;
    d.press("2y");
    assert_eq!(d.app.clipboard.as_deref(), Some("windows-server-2022"));
}

#[test]
fn shift_y_copies_the_key_whole_and_the_notice_masks_it() {
    let mut d = Dash::demo();
    d.press("Y");
    assert_eq!(d.app.clipboard.as_deref(), Some(E3_KEY));
    let screen = d.screen();
    assert!(screen.contains("*****-*****-*****-*****-K25LA"), "{screen}");
    assert!(!screen.contains(E3_KEY), "{screen}");
}

#[test]
fn a_user_who_may_not_view_keys_cannot_copy_one() {
    let mut d = Dash::new(
        demo_with(|c| {
            c.user.can_view_keys = false;
        }),
        Lang::EnUs,
        (100, 30),
    );
    d.press("Y");
    assert_eq!(d.app.clipboard, None);
    assert!(
        d.screen().contains("Keys are masked for you"),
        "{}",
        d.screen()
    );
    // The id is no secret.
    d.press("y");
    assert_eq!(d.app.clipboard.as_deref(), Some("m365-e3"));
}

#[test]
fn y_in_the_target_list_copies_the_tenant_domain() {
    let mut d = Dash::demo();
    d.press(&format!("r{E3_KEY}<Enter>"));
    d.press("y");
    assert_eq!(d.app.clipboard.as_deref(), Some("contoso.onmicrosoft.com"));
    d.app.clipboard = None;
    d.press("Y");
    assert_eq!(
        d.app.clipboard.as_deref(),
        Some(E3_KEY),
        "the validated key"
    );
}

fn dashboard(term: &str, raw: Arc<Mutex<Vec<u8>>>) -> (Pty, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_benefits"));
    cmd.args(["--today", "2026-11-23", "--lang", "en-US", "--demo"]);
    cmd.arg("--data-dir");
    cmd.arg(data);
    cmd.env("TERM", term);
    cmd.env("BENEFITS_SETTINGS", data.join("none.yaml"));
    (Pty::spawn_tapped(cmd, 100, 30, (), Some(raw)), dir)
}

#[test]
fn the_osc52_sequence_reaches_the_local_terminal_and_never_a_dumb_one() {
    let raw = Arc::new(Mutex::new(Vec::new()));
    let (mut s, _dir) = dashboard("xterm-256color", raw.clone());
    s.wait_for("Microsoft 365 E3");
    s.keys("y");
    s.wait_for("Copied m365-e3");
    assert!(contains(&raw.lock().unwrap(), &osc52("m365-e3")));
    s.keys("q");
    assert!(s.wait_exit().success());

    let raw = Arc::new(Mutex::new(Vec::new()));
    let (mut s, _dir) = dashboard("linux", raw.clone());
    s.wait_for("Microsoft 365 E3");
    s.keys("y");
    s.wait_for("cannot take a copy");
    assert!(!contains(&raw.lock().unwrap(), b"\x1b]52;"));
    s.keys("q");
    assert!(s.wait_exit().success());
}

#[test]
fn the_osc52_sequence_reaches_the_ssh_clients_terminal_through_serve() {
    let (dir, key, ak) = setup();
    let server = Server::start(dir.path(), &["--authorized-keys", ak.to_str().unwrap()]);
    let mut c = server.connect(Some(&key), 120, 40);
    c.wait_for("Microsoft 365 E3");
    // The test catalog's first key, for an admin who may view keys.
    let key = "E3AAA-AAAAA-AAAAA-AAAAA-AAA25";
    c.keys("Y");
    c.wait_for("Copied *****-*****-*****-*****-AAA25");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !contains(&c.raw.lock().unwrap(), &osc52(key)) {
        assert!(Instant::now() < deadline, "no OSC 52 through serve");
        std::thread::sleep(Duration::from_millis(20));
    }
    // The key is in the log only masked, if at all.
    assert!(!server.log().contains(key));
}

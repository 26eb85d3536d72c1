//! Secrets: a whole product key (dashed or undashed, any case) never appears for a user
//! without the view-keys permission, on any command's output (with and without `--json`) or
//! the dashboard's screens; and for nobody in errors, in the ledger export or in the
//! ledger's files. A user without an admin role browses, and every write is refused with
//! `role-not-permitted`.

mod common;

use benefits::app::{self, App, Context, Effect};
use benefits::domain::Portfolio;
use benefits::i18n::{Lang, Messages};
use benefits::input::{Event, KeyCode};
use benefits::ui::{self, Theme};
use common::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::Path;

const KEYS: usize = 6;
/// A key of the right shape that is in no catalog: typed by a user, it is a secret too.
const STRANGER: &str = "ZZ9QX-PLRT4-ALPHA-OMEGA-77777";

fn all_keys() -> Vec<String> {
    let mut k: Vec<String> = (0..KEYS).map(cloud_key).collect();
    k.push(SOFTWARE_KEY.to_string());
    k.push(STRANGER.to_string());
    k
}

fn assert_no_whole_key(what: &str, hay: &str) {
    let found = leaked(hay, &all_keys());
    assert!(
        found.is_empty(),
        "{what} shows whole keys {found:?}:\n{hay}"
    );
}

/// A ledger with redemptions and activations in it, written by an admin.
fn populated(d: &Path) -> std::path::PathBuf {
    let admin = write_catalog(d, KEYS, true);
    let data = d.join("data");
    for i in 0..3 {
        let out = benefits(&admin, &data)
            .args(redeem_args(i))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    }
    for m in ["m1", "m2"] {
        let out = benefits(&admin, &data)
            .args(activate_args(m))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    }
    data
}

fn args(s: &[&str]) -> Vec<String> {
    s.iter().map(|a| a.to_string()).collect()
}

/// Every write path, for a user who may not write.
fn writes() -> Vec<Vec<String>> {
    vec![
        redeem_args(4),
        activate_args("m3"),
        args(&[
            "--json",
            "credit",
            "assign",
            "--benefit",
            "az-monthly",
            "--user",
            "bob@contoso.onmicrosoft.com",
        ]),
        args(&["--json", "credit", "remove", "--benefit", "az-monthly"]),
        args(&[
            "--json",
            "credit",
            "transfer",
            "--benefit",
            "az-monthly",
            "--to",
            "bob@contoso.onmicrosoft.com",
        ]),
    ]
}

#[test]
fn a_read_only_user_sees_no_whole_key_anywhere_and_every_write_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let data = populated(d.path());
    let ro = write_catalog(d.path(), KEYS, false);
    let reads: Vec<Vec<String>> = vec![
        args(&["list", "cloud"]),
        args(&["list", "software"]),
        args(&["show", "m365e3"]),
        args(&["show", "win"]),
        args(&["show", "az-monthly"]),
        args(&["history"]),
        args(&["preview", "--key", &cloud_key(5)]),
        args(&["preview", "--key", &cloud_key(0)]),
        args(&["check-config", &ro.display().to_string()]),
    ];
    for a in &reads {
        for json in [false, true] {
            let mut cmd = benefits(&ro, &data);
            if json {
                cmd.arg("--json");
            }
            let out = cmd.args(a).output().unwrap();
            assert_no_panic_or_lock(&out);
            assert!(
                matches!(out.status.code(), Some(0) | Some(3)),
                "{a:?}: {}",
                text(&out)
            );
            assert_no_whole_key(&format!("{a:?} json={json}"), &text(&out));
        }
    }
    for a in writes() {
        let out = benefits(&ro, &data).args(&a).output().unwrap();
        assert_no_panic_or_lock(&out);
        assert_eq!(out.status.code(), Some(3), "{a:?}: {}", text(&out));
        assert_eq!(json(&out)["error"]["code"], "role-not-permitted", "{a:?}");
        assert_no_whole_key(&format!("{a:?}"), &text(&out));
    }
    // The refused writes left the ledger as it was.
    assert_eq!(history(&ro, &data).len(), 5);
}

#[test]
fn errors_ledger_export_and_ledger_files_never_hold_a_whole_key() {
    let d = tempfile::tempdir().unwrap();
    let data = populated(d.path());
    let admin = d.path().join("catalog.yaml");
    let k0 = cloud_key(0);
    let near = &k0[..k0.len() - 1];
    let bad_inputs: Vec<Vec<String>> = vec![
        // Already redeemed, unknown, malformed in several ways, the wrong kind of key.
        redeem_args(0),
        args(&[
            "redeem", "--key", STRANGER, "--tenant", "lab", "--mode", "activate", "--yes",
        ]),
        args(&[
            "redeem", "--key", near, "--tenant", "lab", "--mode", "activate", "--yes",
        ]),
        args(&["preview", "--key", &format!("{k0}X")]),
        args(&["preview", "--key", &k0.replace('-', "").to_lowercase()]),
        args(&["preview", "--key", &k0.replace('-', "!")]),
        args(&["preview", "--key", &format!(" {} ", k0.to_lowercase())]),
        args(&[
            "activate",
            "--key",
            &k0,
            "--machine",
            "x",
            "--change",
            "new",
        ]),
        args(&[
            "redeem",
            "--key",
            SOFTWARE_KEY,
            "--tenant",
            "lab",
            "--mode",
            "activate",
            "--yes",
        ]),
        args(&[
            "redeem",
            "--key",
            &cloud_key(5),
            "--tenant",
            "nowhere",
            "--mode",
            "activate",
            "--yes",
        ]),
        args(&[
            "activate",
            "--key",
            SOFTWARE_KEY,
            "--machine",
            "x",
            "--change",
            "sideways",
        ]),
    ];
    for a in &bad_inputs {
        for json in [false, true] {
            let mut cmd = benefits(&admin, &data);
            if json {
                cmd.arg("--json");
            }
            let out = cmd.args(a).output().unwrap();
            assert_no_panic_or_lock(&out);
            assert_ne!(out.status.code(), Some(0), "{a:?}: {}", text(&out));
            assert_no_whole_key(&format!("{a:?} json={json}"), &text(&out));
        }
    }
    // Successful writes print their receipts masked, and the export is masked.
    let out = benefits(&admin, &data)
        .args(redeem_args(5))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_no_whole_key("a redemption receipt", &text(&out));
    for json in [false, true] {
        let mut cmd = benefits(&admin, &data);
        if json {
            cmd.arg("--json");
        }
        let out = cmd.arg("history").output().unwrap();
        assert_no_whole_key("history", &text(&out));
    }
    // Every byte of every file in the data directory, open or closed.
    for entry in std::fs::read_dir(&data).unwrap() {
        let p = entry.unwrap().path();
        let bytes = std::fs::read(&p).unwrap();
        assert_no_whole_key(&p.display().to_string(), &String::from_utf8_lossy(&bytes));
    }
}

fn key(code: KeyCode) -> Event {
    Event::key(code)
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut layout = None;
    t.draw(|f| layout = Some(ui::render(app, f, &Theme::new(true, true))))
        .unwrap();
    app.after_frame(layout.unwrap());
    let buf = t.backend().buffer();
    let mut s = String::new();
    for y in 0..h {
        for x in 0..w {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

/// The dashboard for users who may not view keys (a read-only user, and an admin without
/// the permission): every page with every row expanded, the wizard's Get keys, History,
/// the timeline; an admin's redemption dialog after the typed key is validated.
#[test]
fn the_dashboard_never_shows_a_whole_key_without_the_view_permission() {
    let yaml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.yaml"))
        .unwrap();
    let demo = benefits::catalog::demo();
    let mut keys: Vec<String> = demo.keys().map(|k| k.formatted()).collect();
    keys.sort();
    keys.dedup();
    assert!(keys.len() > 10);
    for role in ["read-only", "global-admin"] {
        let text = yaml
            .replace("role: global-admin", &format!("role: {role}"))
            .replace("can_view_keys: true", "can_view_keys: false");
        let catalog = benefits::catalog::load_str(&text, "no-view.yaml").unwrap();
        assert!(!catalog.user.may_view_keys());
        let mut app = App::new(
            Portfolio::new(catalog),
            "2026-11-23".parse().unwrap(),
            Messages::get(Lang::EnUs),
        );
        let mut seen = String::new();
        seen.push_str(&screen(&mut app, 160, 60));
        let press = |app: &mut App, e: Event| {
            if let Some(Effect::Commit(w)) = app.handle(&e) {
                for a in benefits::runtime::in_memory(app, &w) {
                    app::update(app, a);
                }
            }
        };
        for page in ['1', '2', '3'] {
            press(&mut app, key(KeyCode::Char(page)));
            let rows = app.table().rows.len();
            for _ in 0..rows {
                press(&mut app, key(KeyCode::Right));
                press(&mut app, key(KeyCode::Down));
            }
            seen.push_str(&screen(&mut app, 160, 60));
            press(&mut app, key(KeyCode::Home));
            for r in 0..rows {
                // The wizard of each row, to its last step, with Get keys pressed.
                press(&mut app, key(KeyCode::Char('w')));
                if app.wizard().is_some() {
                    for c in ['n', 'n', 'v', 'g'] {
                        press(&mut app, key(KeyCode::Char(c)));
                        seen.push_str(&screen(&mut app, 160, 60));
                    }
                    press(&mut app, key(KeyCode::Esc));
                }
                if r % 4 == 0 {
                    seen.push_str(&screen(&mut app, 80, 24));
                }
                press(&mut app, key(KeyCode::Down));
            }
            press(&mut app, key(KeyCode::Char('t')));
            seen.push_str(&screen(&mut app, 160, 60));
            press(&mut app, key(KeyCode::Esc));
        }
        if role == "global-admin" {
            // Typing shows what is typed; once validated, the key is shown masked.
            press(&mut app, key(KeyCode::Char('1')));
            press(&mut app, key(KeyCode::Char('r')));
            press(
                &mut app,
                Event::Paste("M3E3A-7QXRT-4HDPC-2VWNB-K25LA".into()),
            );
            press(&mut app, key(KeyCode::Enter));
            assert_ne!(
                app.context(),
                Context::EnterKey,
                "{}",
                screen(&mut app, 160, 60)
            );
            for e in [
                key(KeyCode::Enter),
                Event::Paste("contoso.onmicrosoft.com".into()),
                key(KeyCode::Enter),
                key(KeyCode::Enter),
                key(KeyCode::Enter),
            ] {
                seen.push_str(&screen(&mut app, 160, 60));
                press(&mut app, e);
            }
            seen.push_str(&screen(&mut app, 160, 60));
            assert!(
                app.history.len() == 1,
                "the redemption went through: {}",
                screen(&mut app, 160, 60)
            );
            press(&mut app, key(KeyCode::Esc));
            press(&mut app, key(KeyCode::Char('3')));
            seen.push_str(&screen(&mut app, 160, 60));
        }
        let found = leaked(&seen, &keys);
        assert!(found.is_empty(), "{role}: whole keys on screen {found:?}");
        assert!(
            seen.contains("*****-*****-*****-*****-"),
            "{role}: masked keys shown"
        );
    }
}

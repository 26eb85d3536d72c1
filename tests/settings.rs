//! The settings file as a user meets it: `benefits settings --defaults` to start from,
//! `benefits settings` to check an edit, and a dashboard that takes edits while it runs —
//! a good one applies at once, a broken one keeps the last good settings and says why.

mod common;

use benefits::app::{Command, Context, Page, SortKey};
use benefits::i18n::Lang;
use benefits::settings::{Live, watch};
use benefits::ui::theme::{Depth, Role};
use common::dash::Dash;
use ratatui::style::Color;
use std::path::Path;
use std::time::{Duration, Instant};

fn bin() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("benefits").unwrap();
    c.env_remove("BENEFITS_SETTINGS").env("LANG", "en_US.UTF-8");
    c
}

#[test]
fn the_printed_defaults_check_clean_and_a_broken_file_names_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin().args(["settings", "--defaults"]).output().unwrap();
    assert!(out.status.success());
    let file = dir.path().join("settings.yaml");
    std::fs::write(&file, &out.stdout).unwrap();
    let ok = bin().arg("settings").arg(&file).output().unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );

    std::fs::write(&file, "keys:\n  browse:\n    r: frobnicate\n").unwrap();
    let bad = bin().arg("settings").arg(&file).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("settings.yaml:3:8:"), "{err}");
    assert!(err.contains("frobnicate"), "{err}");

    // BENEFITS_SETTINGS names the file when no FILE is given.
    std::fs::write(&file, "mouse: [\n").unwrap();
    let broken = bin()
        .arg("settings")
        .env("BENEFITS_SETTINGS", &file)
        .output()
        .unwrap();
    assert_eq!(broken.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&broken.stderr).contains("settings.yaml:"));
}

fn live(path: &Path) -> Live {
    Live::start(path.to_path_buf(), None, Lang::EnUs)
}

/// A moment after the watch's next look.
fn later(n: u32) -> Instant {
    Instant::now() + watch::EVERY * (n + 1) + Duration::from_millis(1)
}

#[test]
fn an_edit_applies_without_a_restart_and_a_broken_one_keeps_the_last_good_settings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.yaml");
    std::fs::write(&path, "keys:\n  browse:\n    z: timeline\n").unwrap();
    let mut d = Dash::demo();
    let mut l = live(&path);
    l.begin(&mut d.app, &mut d.theme);
    d.press("z");
    assert_eq!(d.app.context(), Context::Timeline, "bound at the start");
    d.press("<Esc>");

    // A good edit: a new binding, the light scheme, a custom colour, Swedish.
    std::fs::write(
        &path,
        "keys:\n  browse:\n    x: help\ntheme:\n  name: light\n  colors:\n    title: \"#ff0000\"\nlanguage: sv-SE\n",
    )
    .unwrap();
    assert!(l.tick(&mut d.app, &mut d.theme, later(1)));
    d.frame();
    d.press("x");
    assert_eq!(d.app.context(), Context::Help);
    d.press("<Esc>");
    assert_eq!(
        d.app.keymap.lookup(Context::Browse, "z".parse().unwrap()),
        None
    );
    assert_eq!(d.app.t.lang(), Lang::SvSe);
    assert_eq!(d.theme.color_of(Role::Title), Color::LightRed, "16 colours");
    assert!(d.screen().contains("Förmånens namn"), "{}", d.screen());

    // A broken edit: everything stays, and the status line says why, with the position.
    std::fs::write(&path, "keys:\n  browse:\n    x: [\n").unwrap();
    assert!(l.tick(&mut d.app, &mut d.theme, later(2)));
    d.frame();
    let screen = d.screen();
    assert!(screen.contains("settings.yaml:"), "{screen}");
    assert_eq!(
        d.app.keymap.lookup(Context::Browse, "x".parse().unwrap()),
        Some(Command::Help),
        "the last good settings stay"
    );
    assert_eq!(d.app.t.lang(), Lang::SvSe);
}

#[test]
fn an_unknown_action_is_shown_with_its_position_and_the_rest_applies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.yaml");
    std::fs::write(&path, "keys:\n  browse:\n    r: frob\n    x: help\n").unwrap();
    let mut d = Dash::new(common::dash::demo_with(|_| {}), Lang::EnUs, (120, 30));
    let mut l = live(&path);
    l.begin(&mut d.app, &mut d.theme);
    d.frame();
    let screen = d.screen();
    assert!(screen.contains("settings.yaml:3:8:"), "{screen}");
    assert!(screen.contains("frob"), "{screen}");
    d.press("x");
    assert_eq!(d.app.context(), Context::Help);
}

#[test]
fn each_page_starts_with_its_default_sort() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.yaml");
    std::fs::write(&path, "sort:\n  cloud: name\n  software: activate-by\n").unwrap();
    let mut d = Dash::demo();
    let mut l = live(&path);
    l.begin(&mut d.app, &mut d.theme);
    assert_eq!(d.app.sort, SortKey::Name);
    d.press("2");
    l.tick(&mut d.app, &mut d.theme, Instant::now());
    assert_eq!(d.app.page, Page::Software);
    assert_eq!(d.app.sort, SortKey::ActivateBy);
    // A sort the user picked stays when the page changes.
    d.press("s");
    let picked = d.app.sort;
    d.press("1");
    l.tick(&mut d.app, &mut d.theme, Instant::now());
    assert_eq!(d.app.sort, picked);
}

#[test]
fn the_theme_follows_the_terminals_depth() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.yaml");
    std::fs::write(&path, "theme:\n  colors:\n    key: \"#0000ff\"\n").unwrap();
    let mut d = Dash::demo();
    d.theme = benefits::ui::Theme::with(Default::default(), &[], Depth::TrueColor, false);
    let mut l = live(&path);
    l.begin(&mut d.app, &mut d.theme);
    assert_eq!(d.theme.color_of(Role::Key), Color::Rgb(0, 0, 255));
    let mono = benefits::ui::Theme::with(Default::default(), &[], Depth::None, false);
    assert_eq!(
        l.theme(&mono).key().fg,
        None,
        "a monochrome terminal gets no colour"
    );
}

/// The real binary: an edit of the settings file while the dashboard runs takes effect
/// without a restart.
#[test]
fn the_running_dashboard_takes_an_edit_of_its_settings_file() {
    use portable_pty::CommandBuilder;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.yaml");
    std::fs::write(&path, "mouse: false\n").unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_benefits"));
    cmd.args([
        "--today",
        "2026-11-23",
        "--lang",
        "en-US",
        "--demo",
        "--settings",
    ]);
    cmd.arg(&path);
    cmd.env("TERM", "xterm-256color");
    let mut s = common::pty::Pty::spawn(cmd, 100, 30);
    s.wait_for("Microsoft 365 E3");
    std::fs::write(&path, "keys:\n  browse:\n    z: help\n").unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        s.keys("z");
        std::thread::sleep(Duration::from_millis(200));
        if s.text().contains("Browsing") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "z never opened the help:\n{}",
            s.text()
        );
    }
    s.keys("\x1b");
    s.keys("q");
    assert!(s.wait_exit().success());
}

fn schema_validator() -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&benefits::settings::schema::settings())
        .expect("the settings schema is a valid JSON Schema")
}

/// `benefits schema settings` and the loader agree: the defaults and a custom file pass
/// both; a file with an unknown action, context, scheme, role, sort or field fails both.
#[test]
fn the_settings_schema_and_the_loader_agree() {
    let out = bin().args(["schema", "settings"]).output().unwrap();
    assert!(out.status.success());
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed, benefits::settings::schema::settings());
    let v = schema_validator();
    let t = benefits::i18n::Messages::get(Lang::EnUs);
    let as_json = |yaml: &str| -> serde_json::Value { serde_saphyr::from_str(yaml).unwrap() };
    let good = [
        benefits::settings::defaults_yaml(),
        "keys:\n  palette:\n    C-j: down\n  browse:\n    j: none\ntheme:\n  name: light\n  colors:\n    title: \"#ff0000\"\n    dim: 8\nlanguage: nl-NL\nsort:\n  cloud: name\nmouse: false\n".into(),
    ];
    for yaml in &good {
        let errors: Vec<String> = v
            .iter_errors(&as_json(yaml))
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        let (_, problems) = benefits::settings::parse(yaml, t).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
    }
    let bad = [
        "keys:\n  browse:\n    r: frob\n",
        "keys:\n  nowhere:\n    r: redeem\n",
        "theme:\n  name: solarized\n",
        "theme:\n  colors:\n    border: red\n",
        "sort:\n  cloud: price\n",
        "sort:\n  history: name\n",
        "language: de-DE\n",
        "mouse: true\nvolume: 11\n",
    ];
    for yaml in bad {
        assert!(!v.is_valid(&as_json(yaml)), "the schema takes {yaml:?}");
        let loaded = benefits::settings::parse(yaml, t);
        assert!(
            loaded.is_err() || !loaded.unwrap().1.is_empty(),
            "the loader takes {yaml:?}"
        );
    }
}

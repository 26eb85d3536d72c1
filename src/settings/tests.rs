use super::*;
use crate::i18n::Lang;

fn t() -> &'static Messages {
    Messages::get(Lang::EnUs)
}

fn key(s: &str) -> Key {
    s.parse().unwrap()
}

#[test]
fn the_printed_defaults_parse_back_to_the_defaults() {
    let (s, problems) = parse(&defaults_yaml(), t()).unwrap();
    assert_eq!(problems, vec![]);
    assert_eq!(s, Settings::default());
    // And a file of nothing, or of comments only, is the defaults too.
    assert_eq!(parse("", t()).unwrap().0, Settings::default());
    assert_eq!(parse("# nothing\n", t()).unwrap().0, Settings::default());
}

#[test]
fn key_bindings_add_replace_and_unbind_per_context_over_the_defaults() {
    let text = "\
keys:
  browse:
    C-n: down
    r: sort
    j: none
  help:
    x: close
";
    let (s, problems) = parse(text, t()).unwrap();
    assert_eq!(problems, vec![]);
    let km = &s.keymap;
    assert_eq!(km.lookup(Context::Browse, key("C-n")), Some(Command::Down));
    assert_eq!(km.lookup(Context::Browse, key("Down")), Some(Command::Down));
    assert_eq!(km.lookup(Context::Browse, key("r")), Some(Command::Sort));
    assert_eq!(km.lookup(Context::Browse, key("j")), None);
    assert_eq!(km.lookup(Context::Help, key("j")), Some(Command::Down));
    assert_eq!(km.lookup(Context::Help, key("x")), Some(Command::Close));
}

#[test]
fn an_unknown_action_or_a_conflict_is_reported_at_its_position_and_left_at_its_default() {
    let text = "\
keys:
  browse:
    r: frobnicate
    C-c: sort
    k: down
    Ctrl-k: up
    C-k: down
  filter:
    x: quit
  nowhere:
    a: up
";
    let (s, problems) = parse(text, t()).unwrap();
    let at: Vec<(u64, u64)> = problems.iter().map(|p| (p.line, p.column)).collect();
    assert_eq!(
        at,
        vec![(3, 8), (4, 5), (7, 5), (9, 5), (10, 3)],
        "{problems:#?}"
    );
    assert!(
        problems[0].message.contains("frobnicate"),
        "{}",
        problems[0].message
    );
    assert!(problems[0].message.contains("redeem"), "names the actions");
    assert!(
        problems[2].message.contains("Ctrl-K"),
        "{}",
        problems[2].message
    );
    assert!(problems[4].message.contains("nowhere"));
    let km = &s.keymap;
    // Left at their defaults:
    assert_eq!(km.lookup(Context::Browse, key("r")), Some(Command::Redeem));
    assert_eq!(km.lookup(Context::Browse, key("C-c")), Some(Command::Quit));
    assert_eq!(km.lookup(Context::Browse, key("C-k")), Some(Command::Up));
    assert_eq!(km.lookup(Context::Filter, key("x")), None, "x still types");
    // The good line applied.
    assert_eq!(km.lookup(Context::Browse, key("k")), Some(Command::Down));
}

#[test]
fn theme_language_sort_mouse_and_copy() {
    let text = "\
theme:
  name: high-contrast
  colors:
    title: \"#005fd7\"
    due: magenta
    nothing: red
    ok: blurple
language: sv
sort:
  software: activate-by
mouse: false
copy: false
";
    let (s, problems) = parse(text, t()).unwrap();
    assert_eq!(s.scheme, Scheme::HighContrast);
    assert_eq!(
        s.colors,
        vec![
            (Role::Title, Color::Rgb(0, 0x5f, 0xd7)),
            (Role::Due, Color::Magenta)
        ]
    );
    assert_eq!(s.language, Some(Lang::SvSe));
    assert_eq!(s.sort, [SortKey::Catalog, SortKey::ActivateBy]);
    assert!(!s.mouse && !s.copy);
    let at: Vec<(u64, u64)> = problems.iter().map(|p| (p.line, p.column)).collect();
    assert_eq!(at, vec![(6, 5), (7, 9)], "{problems:#?}");
}

#[test]
fn a_file_of_the_wrong_shape_is_refused_whole_with_its_position() {
    for (text, line) in [
        ("mouse: maybe\n", 1),
        ("theme:\n  nmae: dark\n", 2),
        ("keys: [1, 2\n", 1),
        ("keys:\n  browse:\n    r: redeem\n\n\nsortt: {}\n", 6),
    ] {
        let e = parse(text, t()).unwrap_err();
        assert_eq!(e.line, line, "{text:?}: {e:?}");
        assert!(e.message.contains("not settings of this shape"), "{e:?}");
    }
}

#[test]
fn the_watch_reads_a_changed_file_and_keeps_the_last_good_on_a_broken_edit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.yaml");
    let (mut w, first) = Watch::start(path.clone(), t());
    assert_eq!(
        first.unwrap().0,
        Settings::default(),
        "no file: the defaults"
    );
    let later = |n: u64| Instant::now() + watch::EVERY * (n as u32 + 1);
    use std::time::Instant;
    assert!(w.poll(later(1), t()).is_none(), "nothing changed");
    std::fs::write(&path, "mouse: false\n").unwrap();
    let (s, _) = w.poll(later(2), t()).unwrap().unwrap();
    assert!(!s.mouse);
    std::fs::write(&path, "mouse: [\n").unwrap();
    assert!(
        w.poll(later(3), t()).unwrap().is_err(),
        "a broken edit is an error"
    );
    assert!(w.poll(later(4), t()).is_none(), "read once per change");
}

//! The `:` command palette as a user meets it: a layer titled "Command palette" whose field
//! takes every printable key (`q` too), ranking commands, pages and benefits as one types;
//! Enter runs the entry on top, Esc closes.

mod common;

use benefits::app::{Context, Layer, Page};
use benefits::i18n::Lang;
use common::dash::{Dash, demo_with};

fn selected_product(d: &Dash) -> String {
    let b = d.app.selected_item().unwrap();
    match d.app.page {
        Page::Cloud => d.app.portfolio.cloud(b).product.clone(),
        _ => d.app.portfolio.software(b).product.clone(),
    }
}

#[test]
fn colon_opens_the_palette_as_a_layer_titled_command_palette() {
    let mut d = Dash::demo();
    d.press(":");
    assert!(matches!(d.app.top(), Some(Layer::Palette(_))));
    assert_eq!(d.app.context(), Context::Palette);
    let screen = d.screen();
    assert!(screen.contains("Command palette"), "{screen}");
    // Each entry shows the key that does the same from the page; the pages come first.
    let cloud = screen
        .lines()
        .find(|l| l.contains("page-cloud"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(cloud.contains("Cloud services"), "{cloud}");
    assert!(
        cloud.trim_end().trim_end_matches('│').ends_with(" 1"),
        "{cloud}"
    );
    d.press("<Esc>");
    assert!(d.app.layers.is_empty(), "Esc closes the palette");
}

#[test]
fn typing_software_and_enter_shows_the_software_benefits_page() {
    let mut d = Dash::demo();
    d.press(":software");
    assert!(d.screen().contains("Software benefits"));
    d.press("<Enter>");
    assert!(d.app.layers.is_empty());
    assert_eq!(d.app.page, Page::Software);
}

#[test]
fn colon_e5_jumps_to_microsoft_365_e5_even_when_a_filter_hides_it() {
    let mut d = Dash::demo();
    // A filter that hides E5, on another page.
    d.press("/E3<Enter>2");
    d.press(":e5<Enter>");
    assert_eq!(d.app.page, Page::Cloud);
    assert_eq!(selected_product(&d), "Microsoft 365 E5");
    assert!(d.app.filter.is_empty(), "the filter that hid it is gone");
}

#[test]
fn q_types_a_q_and_ctrl_u_clears_the_field() {
    let mut d = Dash::demo();
    d.press(":q");
    assert!(!d.app.quit, "q is a letter in the palette");
    let Some(Layer::Palette(p)) = d.app.top() else {
        panic!("the palette stays open")
    };
    assert_eq!(p.query, "q");
    d.press("<C-u>");
    let Some(Layer::Palette(p)) = d.app.top() else {
        panic!()
    };
    assert!(p.query.is_empty());
}

#[test]
fn arrows_choose_among_the_matches_and_enter_runs_the_chosen_one() {
    // Unfiltered, the pages lead: Cloud services, Software benefits, History.
    let mut d = Dash::demo();
    d.press(":<Down><Down><Enter>");
    assert_eq!(d.app.page, Page::History);
    d.press(":<Down><Down><Up><Enter>");
    assert_eq!(d.app.page, Page::Software);
}

#[test]
fn a_command_from_the_palette_opens_its_layer_as_its_key_would() {
    let mut d = Dash::demo();
    d.press(":timeline<Enter>");
    assert_eq!(d.app.context(), Context::Timeline);
}

#[test]
fn the_palette_speaks_the_language_and_fits_80x24() {
    for lang in [Lang::EnUs, Lang::NlNl, Lang::SvSe] {
        let mut d = Dash::new(demo_with(|_| {}), lang, (80, 24));
        d.press(":");
        let title = d.app.t.text("palette.title").to_string();
        assert!(d.screen().contains(&title), "{lang:?}:\n{}", d.screen());
        d.press("zzzzqqqq");
        let none = d.app.t.text("palette.no-match").to_string();
        assert!(d.screen().contains(&none[..20]), "{}", d.screen());
    }
}

/// The real binary in a pseudo-terminal: `:` opens the palette, "software" and Enter show
/// the Software benefits page, `:e5` Enter selects Microsoft 365 E5 on the Cloud page.
#[test]
fn the_palette_in_a_real_terminal() {
    use portable_pty::CommandBuilder;
    let data = tempfile::tempdir().unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_benefits"));
    cmd.args(["--today", "2026-11-23", "--lang", "en-US", "--demo"]);
    cmd.arg("--data-dir");
    cmd.arg(data.path());
    cmd.env("TERM", "xterm-256color");
    let mut s = common::pty::Pty::spawn(cmd, 100, 30);
    s.wait_for("Microsoft 365 E3");
    s.keys(":");
    s.wait_for("Command palette");
    s.type_text("software");
    s.keys("\r");
    s.wait_gone("Command palette");
    s.wait_for("Activations");
    s.keys(":");
    s.wait_for("Command palette");
    s.type_text("e5");
    s.keys("\r");
    s.wait_gone("Command palette");
    s.wait_for("Microsoft 365 E5");
    // The selected row is drawn reversed.
    let screen = s.parser.lock().unwrap().screen().clone();
    let row = (0..30u16)
        .find(|r| s.row(*r).contains("Microsoft 365 E5"))
        .expect("E5 on screen");
    let line = s.row(row);
    let col = line[..line.find("Microsoft 365 E5").unwrap()]
        .chars()
        .count() as u16;
    assert!(screen.cell(row, col).unwrap().inverse(), "E5 is selected");
    s.keys("q");
    assert!(s.wait_exit().success());
}

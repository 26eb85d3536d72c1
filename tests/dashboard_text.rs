//! Text that should wrap wraps, and the words are the language's own (issue 13, bug 7,
//! "Polish" and "Language"). Each case is what a user read cut or wrong on the demo.

mod common;

use benefits::i18n::Lang;
use common::dash::{Dash, demo_with};

fn dash(lang: Lang, size: (u16, u16)) -> Dash {
    Dash::new(demo_with(|_| {}), lang, size)
}

/// The screen with its lines joined: wrapped text reads as one.
fn joined(d: &Dash) -> String {
    let lines: Vec<String> = d.screen().lines().map(|l| l.trim().to_string()).collect();
    lines.join(" ")
}

/// Bug 7: "…managed on the server prod" was cut at the right edge.
#[test]
fn the_cal_explanation_wraps_instead_of_being_cut() {
    let mut d = dash(Lang::EnUs, (80, 24));
    d.press("2j<Enter>");
    let text = joined(&d);
    assert!(
        text.contains("The activation of CALs is managed on the server product itself."),
        "{}",
        d.screen()
    );
}

/// Bug 7: the Office Professional Plus 2019 macOS note showed twice, the second copy cut.
#[test]
fn the_macos_note_shows_once_and_whole() {
    let mut d = dash(Lang::EnUs, (80, 24));
    d.press("2");
    while d
        .app
        .selected_item()
        .is_some_and(|b| d.app.portfolio.software(b).product != "Office Professional Plus 2019")
    {
        d.press("j");
    }
    d.press("<Enter>");
    let text = joined(&d);
    assert_eq!(text.matches("macOS").count(), 1, "{}", d.screen());
    assert!(
        text.contains("internal-use rights do not work on macOS."),
        "{}",
        d.screen()
    );
}

/// Bug 7: "Ingen aktiv prenumerati…" (sv-SE) and "Incremente…" (nl-NL) were cut.
#[test]
fn statuses_and_benefit_types_are_not_cut() {
    let d = dash(Lang::SvSe, (80, 24));
    assert!(
        d.screen().contains("Ingen aktiv prenumeration"),
        "{}",
        d.screen()
    );
    assert!(!d.screen().contains("prenumerati…"), "{}", d.screen());
    let d = dash(Lang::NlNl, (120, 40));
    assert!(!d.screen().contains("Incremente…"), "{}", d.screen());
}

/// Bug 7: the mode columns of "Review order details" lost their last lines at 80x24.
#[test]
fn the_mode_columns_show_their_whole_text_at_80x24() {
    let mut d = dash(Lang::EnUs, (80, 24));
    d.press("rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter><Enter>contoso.onmicrosoft.com<Enter>");
    let screen = d.screen();
    assert!(screen.contains("wait and renew."), "{screen}");
    assert!(screen.contains("add licenses."), "{screen}");
}

/// Polish: "0/100 of a month" spelled out a fraction that is zero.
#[test]
fn the_explanation_leaves_out_a_zero_fraction() {
    let mut d = dash(Lang::EnUs, (120, 40));
    d.press("rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter><Enter>contoso.onmicrosoft.com<Enter><Enter>x");
    let text = joined(&d);
    assert!(!text.contains("0/100"), "{}", d.screen());
    assert!(text.contains("12 × 25 / 100 = 3 months;"), "{}", d.screen());
}

/// Polish: the walkthrough numbered "1. Step 1: Get keys"; the title was cut at 80.
#[test]
fn the_wizard_numbers_its_steps_once_and_its_title_fits() {
    let mut d = dash(Lang::EnUs, (80, 24));
    d.press("2w");
    let screen = d.screen();
    let title = screen.lines().nth(2).unwrap();
    assert!(
        title.contains(" Windows Server 2022 Datacenter "),
        "{screen}"
    );
    assert!(!title.contains('…'), "{screen}");
    assert!(screen.contains("Solutions Partner for Modern Work — Teamwork Deployment"));
    let mut d = dash(Lang::EnUs, (80, 24));
    d.press("wl");
    assert!(!d.screen().contains("Step 1:"), "{}", d.screen());
    assert!(d.screen().contains("1. Get keys."), "{}", d.screen());
}

/// Polish: expanded rows scroll under a section heading that stays in view.
#[test]
fn the_section_heading_stays_visible_while_scrolling() {
    let mut d = dash(Lang::EnUs, (80, 24));
    d.press("+<End>");
    let screen = d.screen();
    let first_row = screen.lines().nth(3).unwrap();
    assert_eq!(first_row.trim(), "Usage-based (Azure credit)", "{screen}");
    d.press("<Home>jjjj");
    let screen = d.screen();
    assert_eq!(
        screen.lines().nth(3).unwrap().trim(),
        "License-based",
        "{screen}"
    );
}

/// Language: nl-NL "400 licenties is", the attention text that read like the status
/// "Verlopen", sv-SE "din nuvarande prenumerations slutdatum" and "förlänga".
#[test]
fn the_words_are_the_languages_own() {
    use benefits::i18n::Messages;
    let nl = Messages::get(Lang::NlNl);
    let sv = Messages::get(Lang::SvSe);
    let over = nl.text("refusal.extension-exceeds-three-years");
    assert!(
        over.contains("{key_licenses} licenties zijn meer"),
        "{over}"
    );
    assert!(!nl.text("label.attention").contains("verlopen"));
    let over = sv.text("refusal.extension-exceeds-three-years");
    assert!(over.contains("prenumerationens slutdatum"), "{over}");
    for id in [
        "wizard.extend-or-add",
        "refusal.subscription-active",
        "mode.extend",
    ] {
        assert!(!sv.text(id).to_lowercase().contains("förläng"), "{id}");
    }
}

/// Language: the quit question asked "(y/N)" in Dutch and Swedish; `j` answers it there.
#[test]
fn the_quit_prompt_uses_the_languages_yes_letter() {
    for (lang, prompt) in [
        (Lang::NlNl, "(j/N)"),
        (Lang::SvSe, "(j/N)"),
        (Lang::EnUs, "(y/N)"),
    ] {
        let mut d = dash(lang, (80, 24));
        d.press("rm3e3<C-c>");
        let screen = d.screen();
        assert!(joined(&d).contains(prompt), "{screen}");
        let letter = &prompt[1..2];
        assert!(
            screen.contains(&format!("{letter} ")),
            "the footer offers {letter}: {screen}"
        );
        d.press(letter);
        assert!(d.app.quit, "{lang:?}: {letter} quits");
    }
}

/// The header date was cut at 80 columns ("2026-12-0").
#[test]
fn the_header_date_is_never_cut() {
    for lang in [Lang::EnUs, Lang::NlNl, Lang::SvSe] {
        for width in [60, 80, 100] {
            let d = dash(lang, (width, 24));
            let t = d.app.t;
            let head = d.screen().lines().next().unwrap().to_string();
            assert!(
                head.ends_with(&t.date(d.app.today)),
                "{lang:?} {width}: {head}"
            );
        }
    }
}

/// Found in the tmux trial: at 80 columns the Dutch footer spent its room on "↑/↓
/// verplaatsen" and "Enter details, daarna instructies" and had none left for the page's
/// own action; what acts now gets the room before what moves.
#[test]
fn a_narrow_footer_keeps_the_pages_action_before_the_arrows() {
    for (lang, page, action) in [
        (Lang::NlNl, "1", "r inwisselen"),
        (Lang::NlNl, "2", "a activeren"),
        (Lang::SvSe, "1", "r lös in"),
        (Lang::EnUs, "1", "r redeem"),
    ] {
        let mut d = dash(lang, (80, 24));
        d.press(page);
        let footer = d.screen().lines().last().unwrap_or_default().to_string();
        assert!(footer.contains(action), "{lang:?} page {page}: {footer}");
        assert!(footer.contains("? "), "help stays: {footer}");
    }
}

/// Found in the tmux trial: at 80x24 in Swedish and Dutch the walkthrough's footer had no
/// room for `Tab`, and the "Redeem without a key" button did not name its key.
#[test]
fn the_keyless_button_names_its_key_where_the_footer_has_no_room() {
    for (lang, label) in [
        (Lang::SvSe, "[ Tab Lös in utan nyckel ]"),
        (Lang::NlNl, "[ Tab "),
        (Lang::EnUs, "[ Tab Redeem without a key ]"),
    ] {
        let mut d = dash(lang, (80, 24));
        d.press("jjjws ");
        assert!(d.screen().contains(label), "{lang:?}:\n{}", d.screen());
    }
}

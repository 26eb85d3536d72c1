//! Every page, layer and dialog step at 80x24 in each language: no date, amount, count or
//! refusal is cut. (The snapshots once held "End date Mar", "→ Jun…", "Your role is
//! read-", "2026-11-2" and "1 rows".)

mod common;

use benefits::app::Notice;
use benefits::domain::Role;
use benefits::i18n::Lang;
use common::dash::{Dash, demo_with};

const KEY: &str = "M3E3A-7QXRT-4HDPC-2VWNB-K25LA";
const KEYLESS: &str = "jjjw s <Tab><Enter>contoso.onmicrosoft.com<Enter>";

fn scenes() -> Vec<(&'static str, String, bool)> {
    let dialog = format!("r{KEY}<Enter>");
    let modes = format!("{dialog}<Enter>contoso.onmicrosoft.com<Enter>");
    vec![
        ("cloud", String::new(), false),
        ("cloud expanded", "<Enter>".into(), false),
        ("cloud all expanded", "+".into(), false),
        ("credit expanded", "<End><Enter>".into(), false),
        ("software expanded", "2+".into(), false),
        (
            "history",
            format!("{modes}<Enter><Enter><Enter>3<Enter>"),
            true,
        ),
        ("empty history", "3".into(), false),
        ("filter", "/dyn".into(), false),
        ("help", "?".into(), false),
        ("timeline", "t".into(), false),
        ("software timeline", "2t".into(), false),
        ("wizard", "w".into(), false),
        ("wizard walkthrough", "2wl".into(), false),
        ("wizard activate", "wll g".into(), false),
        ("enter key", "rm3e3a 7qxrt".into(), false),
        (
            "used key",
            "rM3E3E-4ZXCV-9BNMA-3SDFG-K100E<Enter>".into(),
            false,
        ),
        ("choose target", dialog.clone(), false),
        (
            "confirm tenant",
            format!("{dialog}<Enter>contoso.onmicro"),
            false,
        ),
        ("choose mode", modes.clone(), false),
        (
            "over 3x",
            "rM3E3D-8HGFD-1QWER-7TYUI-K400D<Enter><Enter>contoso.onmicrosoft.com<Enter>h<Enter>"
                .into(),
            false,
        ),
        ("review", format!("{modes}<Enter>x"), false),
        ("receipt", format!("{modes}<Enter><Enter>"), true),
        // Redeem without a key: Dynamics 365 Sales Enterprise, a keyless offer's benefit.
        ("keyless offer", "jjjr".into(), false),
        (
            "keyless target",
            "jjjr<Tab><Down><Down><Enter>".into(),
            false,
        ),
        ("keyless review", format!("{KEYLESS}x"), false),
        ("keyless receipt", format!("{KEYLESS}<Enter>"), true),
        ("activation", "2jjja<Tab>pc01".into(), false),
        ("activation review", "2jjja<Tab>pc01<Enter>".into(), false),
        ("credit", "<End>kc".into(), false),
        ("credit review", "<End>kc<Down><Down><Enter>".into(), false),
        ("confirm quit", "rm3e3<C-c>".into(), false),
        ("empty reconcile", "4".into(), false),
        ("consumption", "5".into(), false),
    ]
}

/// What is wrong with `d`'s screen: a number cut before "…", a refusal not shown whole.
fn cuts(d: &Dash) -> Vec<String> {
    let screen = d.screen();
    let mut out = Vec::new();
    for line in screen.lines() {
        let chars: Vec<char> = line.chars().collect();
        for w in chars.windows(2) {
            if w[1] == '…' && (w[0].is_ascii_digit() || w[0] == '$') {
                out.push(format!("a number cut: {line}"));
            }
        }
        if line.contains(" 1 rows") || line.starts_with("1 rows") {
            out.push(format!("a count in the wrong number: {line}"));
        }
    }
    let joined: String = (screen.lines())
        .map(|l| l.trim_matches(|c: char| c == '│' || c.is_whitespace()))
        .collect::<Vec<_>>()
        .join(" ");
    let t = d.app.t;
    let mut refusals = Vec::new();
    if let Some(Notice::Refused(r)) = &d.app.notice {
        refusals.push(t.refusal(r));
    }
    if let Some(r) = d.app.redemption().and_then(|x| x.error.as_ref()) {
        refusals.push(t.refusal(r));
    }
    // Every word of a refusal on screen (a column may wrap it between other columns).
    for r in refusals {
        if let Some(word) = r.split_whitespace().find(|w| !joined.contains(w)) {
            out.push(format!("a refusal cut ({word:?} missing): {r}"));
        }
    }
    let today = t.date(d.app.today);
    if !screen.lines().next().unwrap_or("").contains(&today) {
        out.push(format!(
            "today's date cut: {}",
            screen.lines().next().unwrap_or("")
        ));
    }
    out
}

#[test]
fn nothing_that_counts_is_cut_at_80x24_in_any_language() {
    let mut failures = Vec::new();
    for lang in [Lang::EnUs, Lang::NlNl, Lang::SvSe] {
        for read_only in [false, true] {
            for (name, keys, write) in scenes() {
                let portfolio = demo_with(|c| {
                    if read_only {
                        c.user.role = Role::ReadOnly;
                    }
                });
                let mut d = Dash::new(portfolio, lang, (80, 24));
                if write && !read_only {
                    d.press_and_write(&keys);
                } else {
                    d.press(&keys);
                }
                for cut in cuts(&d) {
                    failures.push(format!(
                        "{lang:?} {name} read-only={read_only}: {cut}\n{}",
                        d.screen()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The Reconcile and Consumption pages with a match, a mismatch and a redemption not
/// observed yet, every row opened: both numbers of each whole, in every language, for an
/// admin and a read-only user.
#[test]
fn the_views_cut_no_number_at_80x24_in_any_language() {
    let mut failures = Vec::new();
    for lang in [Lang::EnUs, Lang::NlNl, Lang::SvSe] {
        for read_only in [false, true] {
            for (name, keys) in [
                ("reconcile", "4"),
                ("reconcile opened", "4+"),
                ("reconcile by benefit", "4ss"),
                ("consumption", "5"),
            ] {
                let mut d = Dash::new(demo_with(|_| {}), lang, (80, 24));
                common::views::reconciled(&mut d);
                if read_only {
                    d.app.user.role = Role::ReadOnly;
                }
                d.press(keys);
                for cut in cuts(&d) {
                    failures.push(format!(
                        "{lang:?} {name} read-only={read_only}: {cut}\n{}",
                        d.screen()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

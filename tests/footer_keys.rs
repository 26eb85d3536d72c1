//! What the footer offers works: in every context, each key the footer shows changes the
//! state or the screen (or writes, or quits); a read-only user's footers offer no writes.

mod common;

use benefits::app::{Command, Context};
use benefits::domain::Role;
use benefits::i18n::Lang;
use benefits::input::Event;
use common::dash::{Dash, demo_with};

const KEY: &str = "M3E3A-7QXRT-4HDPC-2VWNB-K25LA";

/// Key presses that reach each context, from a fresh dashboard.
fn scenes() -> Vec<(&'static str, String, bool)> {
    let dialog = format!("r{KEY}<Enter>");
    let modes = format!("{dialog}<Enter>contoso.onmicrosoft.com<Enter>");
    vec![
        ("cloud", "j".into(), false),
        ("credit row", "<End>".into(), false),
        ("software", "2j".into(), false),
        ("history", format!("{modes}<Enter><Enter><Enter>3"), true),
        ("filter", "/e".into(), false),
        ("help", "?".into(), false),
        ("timeline", "t".into(), false),
        ("wizard", "w".into(), false),
        ("wizard walkthrough", "wl".into(), false),
        ("wizard activate", "wll".into(), false),
        ("enter key", "rm3e3".into(), false),
        ("choose target", dialog.clone(), false),
        ("confirm tenant", format!("{dialog}<Enter>contoso"), false),
        ("choose mode", modes.clone(), false),
        ("review", format!("{modes}<Enter>"), false),
        ("receipt", format!("{modes}<Enter><Enter>"), true),
        ("activation", "2jjja<Tab>pc01".into(), false),
        ("credit", "<End>kc".into(), false),
        ("confirm quit", "rm3e3<C-c>".into(), false),
        ("empty reconcile", "4".into(), false),
        ("consumption", "5".into(), false),
    ]
}

fn reach(keys: &str, write: bool, read_only: bool) -> Dash {
    let portfolio = demo_with(|c| {
        if read_only {
            c.user.role = Role::ReadOnly;
            c.user.can_view_keys = false;
        }
    });
    let mut d = Dash::new(portfolio, Lang::EnUs, (80, 24));
    if write {
        d.press_and_write(keys);
    } else {
        d.press(keys);
    }
    d
}

/// The commands the footer of `d`'s context offers, each with the keys bound to it.
fn offered(d: &Dash) -> Vec<(Command, Vec<benefits::input::Key>)> {
    let ctx = d.app.context();
    (d.app.keymap.bindings(ctx).iter())
        .filter(|b| b.footer && d.app.offers(ctx, b.command))
        .map(|b| (b.command, b.keys.clone()))
        .collect()
}

/// Each key `reach()`'s footer offers, pressed on a fresh `reach()`, changes something.
fn footer_keys_act(name: &str, reach: &dyn Fn() -> Dash) {
    let d = reach();
    let ctx = d.app.context();
    let commands = offered(&d);
    assert!(!commands.is_empty(), "{name}: the footer offers nothing");
    // Neighbours sharing a text ("↑/↓ move") count as one: one of them must act.
    let mut groups: Vec<(&str, Vec<Command>)> = Vec::new();
    for (c, _) in &commands {
        let help = (d.app.keymap.bindings(ctx).iter())
            .find(|b| b.command == *c)
            .map(|b| b.help)
            .unwrap();
        match groups.last_mut() {
            Some((h, cs)) if *h == help => cs.push(*c),
            _ => groups.push((help, vec![*c])),
        }
    }
    for (help, group) in groups {
        let acted = group.iter().any(|c| {
            let mut d = reach();
            // Cells with their styles: a selection moves by style alone.
            let (before, context) = (d.buffer().clone(), d.app.context());
            let key = offered(&d).into_iter().find(|(x, _)| x == c).unwrap().1[0];
            let effect = d.send(Event::Key(key));
            effect.is_some() || d.app.quit || d.app.context() != context || *d.buffer() != before
        });
        assert!(
            acted,
            "{name} ({ctx:?}): the footer's {help} ({group:?}) does nothing"
        );
    }
}

#[test]
fn every_key_the_footer_offers_does_something() {
    for (name, keys, write) in scenes() {
        footer_keys_act(name, &|| reach(&keys, write, false));
    }
}

/// The Reconcile and Consumption pages with rows to move through, open and sort
/// (`common::views::reconciled`), and the Reconcile page with its mismatches shown.
#[test]
fn every_key_the_views_footers_offer_does_something() {
    for (name, keys) in [
        ("reconcile", "4"),
        ("reconcile details", "4<Enter>"),
        ("reconcile mismatches", "4f"),
        ("consumption", "5"),
        ("consumption sorted", "5s"),
    ] {
        footer_keys_act(name, &|| {
            let mut d = reach("", false, false);
            common::views::reconciled(&mut d);
            d.press(keys);
            d
        });
    }
}

#[test]
fn a_read_only_users_footers_offer_no_writes() {
    let writes = [
        Command::Redeem,
        Command::Activate,
        Command::Credit,
        Command::RedeemAnother,
    ];
    for (name, keys, _) in scenes() {
        let d = reach(&keys, false, true);
        let ctx = d.app.context();
        for (c, _) in offered(&d) {
            assert!(!writes.contains(&c), "{name} ({ctx:?}) offers {c:?}");
            assert!(
                !(ctx == Context::Review && c == Command::Confirm),
                "{name}: the review offers the write"
            );
        }
        let footer = d.screen().lines().last().unwrap().to_string();
        for word in [" redeem ", " activate ", " credit "] {
            assert!(!footer.contains(word), "{name}: {footer}");
        }
    }
}

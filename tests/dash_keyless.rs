//! "Redeem without a key" on the dashboard (issue 15 §3): the walkthrough and the
//! redemption dialog offer it beside the keys for a keyless offer's benefit, on tenants
//! under the Microsoft Customer Agreement billing account; the same preview as a key's
//! (Total licenses, End date, "How is the end date calculated?"), the refusals in words,
//! the same `Operation` as `benefits redeem --keyless`, through a real ledger.

mod common;

use benefits::app::{Context, Effect};
use benefits::domain::{Entry, LicenseCap, Role, SubscriptionStatus};
use benefits::i18n::Lang;
use benefits::redeem::{Operation, Step, Target};
use common::dash::{Dash, demo_with, select};

/// The layer on top says `words` (wrapped lines read as one).
fn says(d: &Dash, words: &str) {
    assert!(prose(d).contains(words), "{words:?} not in\n{}", d.screen());
}

fn footer(d: &Dash) -> String {
    d.screen().lines().last().unwrap_or_default().to_string()
}

/// Whether the footer offers `words`, as `offered` says it should.
fn offers(d: &Dash, words: &str, offered: bool) {
    let footer = footer(d);
    assert_eq!(
        footer.contains(words),
        offered,
        "{words:?}:\n{}",
        d.screen()
    );
}

/// The box of the layer on top as text (the dialog's, else the walkthrough's pane): what a
/// snapshot holds of the way without a key, without the page under it.
fn top_box(d: &Dash) -> String {
    let buf = d.buffer();
    let a = match d.app.redemption() {
        Some(_) => benefits::ui::dialog::area(buf.area),
        None => benefits::ui::wizard::area(buf.area),
    };
    let rows = (a.y..a.y + a.height).map(|y| {
        let line: String = (a.x..a.x + a.width).map(|x| buf[(x, y)].symbol()).collect();
        line.trim_end().to_string()
    });
    rows.collect::<Vec<_>>().join("\n")
}

/// The text in the box on top, its lines joined and runs of spaces folded: text that
/// wraps reads as one sentence.
fn prose(d: &Dash) -> String {
    let text = top_box(d).replace(['│', '╭', '╮', '╰', '╯'], " ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Dynamics 365 Sales Enterprise (Solutions Partner for Modern Work, keyless): its
/// walkthrough at Activate benefits, the tenant verified.
fn at_activate(d: &mut Dash) {
    select(d, "Dynamics 365 Sales Enterprise");
    d.press("ws ");
    assert_eq!(d.app.context(), Context::WizardActivate, "{}", d.screen());
}

#[test]
fn the_walkthrough_redeems_without_a_key_through_the_ledger() {
    let mut d = Dash::new(demo_with(|_| {}), Lang::EnUs, (120, 40)).with_ledger();
    at_activate(&mut d);
    says(
        &d,
        "[ Tab Redeem without a key ] a $0 purchase, until Sep 30, 2027 (the offer's end date)",
    );
    // Keys stay the default: Enter still redeems with one; Tab is the other way.
    offers(&d, "Enter redeem", true);
    offers(&d, "Tab redeem without a key", true);
    d.press("<Tab>");
    assert_eq!(d.app.context(), Context::ChooseTarget, "{}", d.screen());
    let screen = d.screen();
    assert!(
        screen.contains("Redeem without a key: Dynamics 365 Sales Enterprise · 10 licenses"),
        "{screen}"
    );
    assert!(
        screen.contains(
            "Fabrikam Lab — fabrikam-lab.onmicrosoft.com · not under the billing account"
        ),
        "{screen}"
    );
    // Contoso's Disabled subscription, its domain typed back: the review.
    d.press("<Enter>contoso.onmicrosoft.com<Enter>");
    assert_eq!(d.app.context(), Context::Review, "{}", d.screen());
    let screen = d.screen();
    assert!(screen.contains("Total licenses: 10 → 10"), "{screen}");
    assert!(
        screen.contains("End date: Sep 1, 2026 → Sep 30, 2027"),
        "{screen}"
    );
    d.press("x");
    says(
        &d,
        "Without a key the end date is the end date of Solutions Partner for Modern Work \
             — Teamwork Deployment, Sep 30, 2027, not 12 months from Nov 23, 2026; the \
             subscription starts with the 10 licenses of the benefit not yet redeemed.",
    );
    // What `benefits redeem --keyless --benefit dynamics-sales --tenant contoso` asks for.
    let effects = d.press_and_write("<Enter>");
    assert_eq!(
        effects,
        [Effect::Commit(Operation::RedeemKeyless {
            benefit: "dynamics-sales".into(),
            tenant: "contoso".into(),
            target: Target::Existing("contoso-d365-sales".into()),
            location: None,
        })]
    );
    assert_eq!(d.app.context(), Context::Receipt, "{}", d.screen());
    let screen = d.screen();
    assert!(screen.contains("✓ Redeemed without a key."), "{screen}");
    assert!(
        screen.contains("Subscription: contoso-d365-sales"),
        "{screen}"
    );
    // The ledger has it: the subscription is Active until the offer's end date, and
    // nothing is left to redeem without a key.
    let (_, sub) = d.app.portfolio.subscription("contoso-d365-sales").unwrap();
    assert_eq!(sub.status(d.app.today), SubscriptionStatus::Active);
    assert_eq!(sub.end_date.to_string(), "2027-09-30");
    d.press("<Enter>");
    assert_eq!(d.app.context(), Context::WizardActivate, "{}", d.screen());
    offers(&d, "without a key", false);
    assert!(
        !prose(&d).contains("Redeem without a key ]"),
        "{}",
        d.screen()
    );
    d.press("<Esc>");
    assert!(d.screen().contains("Active"), "{}", d.screen());
}

#[test]
fn the_dialog_offers_it_beside_the_key_field_only_for_a_keyless_offer() {
    let mut d = Dash::new(demo_with(|_| {}), Lang::EnUs, (120, 40));
    select(&mut d, "Dynamics 365 Sales Enterprise");
    d.press("r");
    assert_eq!(d.app.context(), Context::EnterKey);
    says(
        &d,
        "Or without a key: Solutions Partner for Modern Work — Teamwork Deployment redeems this benefit as a $0 purchase",
    );
    offers(&d, "Tab redeem without a key", true);
    d.press("<Tab>");
    assert_eq!(d.app.context(), Context::ChooseTarget, "{}", d.screen());
    assert!(d.app.redemption().unwrap().keyless);
    // Back: the key field again, keys the default.
    d.press("<Esc>");
    assert_eq!(d.app.context(), Context::EnterKey);
    assert!(!d.app.redemption().unwrap().keyless);
    d.press("<Esc>");
    // Keys remain the rule elsewhere: Microsoft 365 E5 (a legacy gold competency) offers
    // no way without a key, and Tab says why.
    select(&mut d, "Microsoft 365 E5");
    d.press("r");
    assert!(!prose(&d).contains("without a key"), "{}", d.screen());
    offers(&d, "without a key", false);
    d.press("<Tab>");
    assert_eq!(d.app.context(), Context::EnterKey);
    says(
        &d,
        "Microsoft 365 E5 is not offered without a key: redeem it with its product key.",
    );
    d.press("<Esc>ws ");
    assert!(!prose(&d).contains("without a key"), "{}", d.screen());
    offers(&d, "without a key", false);
}

#[test]
fn a_tenant_not_under_the_billing_account_is_refused_in_words() {
    let mut d = Dash::new(demo_with(|_| {}), Lang::EnUs, (120, 40));
    at_activate(&mut d);
    d.press("<Tab><Down><Down><Enter>");
    assert_eq!(d.app.context(), Context::ChooseTarget, "{}", d.screen());
    says(
        &d,
        "fabrikam-lab.onmicrosoft.com is not under the organization's Microsoft Customer \
             Agreement billing account: only such a tenant can redeem without a key.",
    );
}

#[test]
fn past_its_activate_by_date_the_benefit_is_not_offered_without_a_key() {
    let portfolio = demo_with(|c| {
        let b = c
            .cloud_benefits
            .iter_mut()
            .find(|b| b.id == "dynamics-sales");
        b.unwrap().activate_by = "2026-10-31".parse().unwrap();
    });
    let mut d = Dash::new(portfolio, Lang::EnUs, (120, 40));
    at_activate(&mut d);
    offers(&d, "without a key", false);
    d.press("<Tab>");
    assert_eq!(d.app.context(), Context::EnterKey, "{}", d.screen());
    says(&d, "This benefit could be activated until Oct 31, 2026.");
}

#[test]
fn a_read_only_user_previews_without_a_key_and_only_redeem_is_refused() {
    let portfolio = demo_with(|c| c.user.role = Role::ReadOnly);
    let mut d = Dash::new(portfolio, Lang::EnUs, (120, 40));
    select(&mut d, "Dynamics 365 Sales Enterprise");
    d.press("r<Tab><Enter>contoso.onmicrosoft.com<Enter>");
    assert_eq!(d.app.context(), Context::Review, "{}", d.screen());
    assert!(
        d.screen().contains("Total licenses: 10 → 10"),
        "{}",
        d.screen()
    );
    offers(&d, "Redeem", false);
    assert_eq!(d.press("<Enter>"), []);
    says(
        &d,
        "You must be a Global admin or MPN Partner Admin to do this.",
    );
}

#[test]
fn a_license_cap_refuses_a_redemption_without_a_key_at_preview_time() {
    let portfolio = demo_with(|c| {
        c.license_caps.push(LicenseCap {
            product: "Dynamics 365 Sales Enterprise".into(),
            per_country: Some(5),
            worldwide: None,
        })
    });
    let mut d = Dash::new(portfolio, Lang::EnUs, (120, 40));
    at_activate(&mut d);
    d.press("<Tab><Enter>contoso.onmicrosoft.com<Enter>");
    let Some(Step::KeylessReview(k)) = d.app.redemption().map(|r| &r.step) else {
        panic!("{}", d.screen())
    };
    assert!(k.preview.is_err());
    says(
        &d,
        "5 is the most Dynamics 365 Sales Enterprise licenses for one country: 0 used in NL",
    );
    assert!(!d.screen().contains("[ Redeem ]"), "{}", d.screen());
    offers(&d, "Redeem", false);
    assert_eq!(d.press("<Enter>"), []);
}

/// The entry the dashboard writes is the one the CLI's plan makes for the same operation.
#[test]
fn the_dashboard_writes_the_same_ledger_entry_as_the_cli() {
    let mut d = Dash::new(demo_with(|_| {}), Lang::EnUs, (120, 40)).with_ledger();
    at_activate(&mut d);
    let before = d.app.portfolio.clone();
    d.press("<Tab><Enter>contoso.onmicrosoft.com<Enter>");
    d.press_and_write("<Enter>");
    let Step::Receipt { entry } = &d.app.redemption().unwrap().step else {
        panic!("{}", d.screen())
    };
    let ctx = benefits::redeem::Ctx {
        portfolio: &before,
        user: &before.catalog.user,
        today: d.app.today,
    };
    let cli = benefits::redeem::keyless::plan_keyless(ctx, "dynamics-sales", "contoso", None, None);
    assert_eq!(Ok(entry.clone()), cli);
    assert!(matches!(
        entry,
        Entry::KeylessRedemption { licenses: 10, .. }
    ));
}

/// Found in the 80x24 nl-NL trial: the dialog fitted its border's key hints to the screen's
/// width, not its box's, so with Tab added the last hint ran into the corner
/// ("Ctrl-U veld wis╯"). Each hint now shows whole or not at all (the footer below has them
/// all).
#[test]
fn the_dialog_border_shows_whole_key_hints_at_80_columns() {
    for lang in [Lang::EnUs, Lang::NlNl, Lang::SvSe] {
        let mut d = Dash::new(demo_with(|_| {}), lang, (80, 24));
        select(&mut d, "Dynamics 365 Sales Enterprise");
        d.press("r");
        let buf = d.buffer();
        let a = benefits::ui::dialog::area(buf.area);
        let bottom: String = (a.x + 1..a.x + a.width - 1)
            .map(|x| buf[(x, a.y + a.height - 1)].symbol().to_string())
            .collect();
        let footer = footer(&d);
        let all: Vec<&str> = footer.split("  ").map(str::trim).collect();
        let shown = bottom.trim_end_matches(['─', ' ']);
        for hint in shown.split("  ") {
            assert!(
                all.contains(&hint.trim()),
                "{lang:?}: {hint:?} cut\n{}",
                d.screen()
            );
        }
    }
}

/// Each screen of the way without a key, at 80x24 and 120x40, in every language.
#[test]
fn snapshots_of_each_step_without_a_key() {
    let steps = [
        ("walkthrough", "jjjws "),
        ("offer", "jjjr"),
        ("target_refused", "jjjr<Tab><Down><Down><Enter>"),
        ("review", "jjjr<Tab><Enter>contoso.onmicrosoft.com<Enter>x"),
    ];
    for (lang, tag) in [(Lang::EnUs, "en"), (Lang::NlNl, "nl"), (Lang::SvSe, "sv")] {
        for (w, h) in [(80, 24), (120, 40)] {
            for (step, keys) in steps {
                let mut d = Dash::new(demo_with(|_| {}), lang, (w, h));
                assert_eq!(d.press(keys), [], "{step}: nothing written");
                insta::assert_snapshot!(format!("keyless_{step}_{tag}_{w}x{h}"), top_box(&d));
            }
        }
    }
    // The receipt, written through the ledger.
    let mut d = Dash::new(demo_with(|_| {}), Lang::EnUs, (80, 24)).with_ledger();
    d.press_and_write("jjjr<Tab><Enter>contoso.onmicrosoft.com<Enter><Enter>");
    insta::assert_snapshot!("keyless_receipt_en_80x24", top_box(&d));
}

/// Found in the sv-SE snapshot at 80x24: the walkthrough's offer took four lines and its
/// button, with Get keys, fell below the pane. Both ways stay in view in every language.
#[test]
fn the_walkthrough_shows_both_ways_at_80x24() {
    for lang in [Lang::EnUs, Lang::NlNl, Lang::SvSe] {
        let mut d = Dash::new(demo_with(|_| {}), lang, (80, 24));
        d.press("jjjws ");
        let pane = top_box(&d);
        for button in ["label.keyless", "button.get-keys"] {
            let text = format!("{} ]", d.app.t.text(button));
            assert!(pane.contains(&text), "{lang:?}: {text} not in view\n{pane}");
        }
    }
}

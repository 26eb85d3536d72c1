//! Read-only users can preview (issue 13): the activation and credit dialogs open for them
//! as the redemption dialog does, go as far as the review (before → after), and only the
//! write is refused, in words, with the `[read-only]` badge; their footers offer no write.
//! An admin walks the same keys and writes, through a real ledger.

mod common;

use benefits::app::{Command, Context, Effect};
use benefits::domain::{RefusalCode, Role};
use benefits::i18n::Lang;
use benefits::redeem::Operation;
use common::dash::{Dash, demo_with, select, selected_credit_holder};

fn read_only(lang: Lang) -> Dash {
    let portfolio = demo_with(|c| {
        c.user.role = Role::ReadOnly;
        c.user.can_view_keys = false;
    });
    Dash::new(portfolio, lang, (80, 24))
}

fn admin() -> Dash {
    Dash::new(demo_with(|_| {}), Lang::EnUs, (80, 24)).with_ledger()
}

fn footer(d: &Dash) -> String {
    d.screen().lines().last().unwrap_or_default().to_string()
}

/// Enter on a read-only user's review: nothing written, the review stays (as `state`
/// reads the dialog) and says why in words.
fn enter_is_refused(d: &mut Dash, state: impl Fn(&Dash) -> (bool, Option<RefusalCode>)) {
    let effects = d.press("<Enter>");
    assert!(effects.is_empty(), "nothing is written: {effects:?}");
    assert_eq!(state(d), (true, Some(RefusalCode::RoleNotPermitted)));
    assert!(
        d.screen().contains("You must be a Global admin"),
        "{}",
        d.screen()
    );
}

/// Software benefits → Windows 11 Enterprise (3 of 10 used) → `a`, a machine name, Enter.
fn activation_review(d: &mut Dash) {
    d.press("2");
    select(d, "Windows 11 Enterprise");
    d.press("a<Tab>pc-0042<Enter>");
}

/// Cloud services → the $6,000 yearly credit (unassigned in the demo) → `c`, Enter.
fn credit_review(d: &mut Dash) {
    select(d, "Azure credit — $6,000 yearly");
    d.press("c<Enter>");
}

#[test]
fn read_only_users_preview_an_activation_and_only_the_write_is_refused() {
    let mut d = read_only(Lang::EnUs);
    activation_review(&mut d);
    let dialog = d
        .app
        .activation()
        .expect("the dialog opens for a read-only user");
    assert!(dialog.is_reviewing(), "{}", d.screen());
    let screen = d.screen();
    assert!(screen.contains("Activations used: 3 → 4 of 10"), "{screen}");
    assert!(screen.contains("[read-only] Preview only"), "{screen}");
    assert!(!screen.contains("Press Enter to activate"), "{screen}");
    assert!(!d.app.offers(Context::Activation, Command::Confirm));
    assert!(!footer(&d).contains("Enter"), "{}", footer(&d));

    enter_is_refused(&mut d, |d| {
        let dialog = d.app.activation().expect("the review stays");
        (dialog.is_reviewing(), dialog.error.as_ref().map(|r| r.code))
    });
    // Esc goes back to the form, where Enter previews again.
    d.press("<Esc>");
    assert!(!d.app.activation().unwrap().is_reviewing());
    assert!(footer(&d).contains("Enter preview"), "{}", footer(&d));
}

#[test]
fn read_only_users_preview_a_credit_change_and_only_the_write_is_refused() {
    let mut d = read_only(Lang::EnUs);
    credit_review(&mut d);
    let dialog = d
        .app
        .credit()
        .expect("the dialog opens for a read-only user");
    assert!(dialog.is_reviewing(), "{}", d.screen());
    let screen = d.screen();
    assert!(screen.contains("nobody →"), "before → after: {screen}");
    assert!(screen.contains("[read-only] Preview only"), "{screen}");
    assert!(!d.app.offers(Context::Credit, Command::Confirm));
    assert!(!footer(&d).contains("confirm"), "{}", footer(&d));

    enter_is_refused(&mut d, |d| {
        let dialog = d.app.credit().expect("the review stays");
        (dialog.is_reviewing(), dialog.error.as_ref().map(|r| r.code))
    });
    assert_eq!(selected_credit_holder(&d), None);
}

/// The refusal and the badge are in the user's language.
#[test]
fn the_read_only_preview_speaks_dutch_and_swedish() {
    for (lang, badge, preview) in [
        (Lang::NlNl, "[alleen-lezen]", "Enter voorbeeld"),
        (Lang::SvSe, "[skrivskyddad]", "Enter förhandsgranska"),
    ] {
        let mut d = read_only(lang);
        d.press("2");
        select(&mut d, "Windows 11 Enterprise");
        d.press("a<Tab>pc-0042");
        assert!(footer(&d).contains(preview), "{}", footer(&d));
        d.press("<Enter>");
        assert!(d.screen().contains(badge), "{}", d.screen());
    }
}

#[test]
fn an_admin_walks_the_same_keys_and_the_activation_is_written() {
    let mut d = admin();
    activation_review(&mut d);
    let screen = d.screen();
    assert!(screen.contains("Press Enter to activate"), "{screen}");
    assert!(!screen.contains("[read-only]"), "{screen}");
    assert!(d.app.offers(Context::Activation, Command::Confirm));
    let footer = footer(&d);
    assert!(
        footer.starts_with("Enter activate") && !footer.contains("Tab"),
        "{footer}"
    );
    let effects = d.press_and_write("<Enter>");
    assert!(
        matches!(&effects[..], [Effect::Commit(Operation::Activate { machine, .. })] if machine == "pc-0042"),
        "{effects:?}"
    );
    assert!(d.app.activation().is_none(), "{}", d.screen());
    d.press("<Enter>");
    assert!(d.screen().contains("4 of 10 activations"), "{}", d.screen());
}

#[test]
fn an_admin_walks_the_same_keys_and_the_credit_is_assigned() {
    let mut d = admin();
    credit_review(&mut d);
    assert!(d.app.offers(Context::Credit, Command::Confirm));
    assert!(!d.screen().contains("[read-only]"), "{}", d.screen());
    let effects = d.press_and_write("<Enter>");
    assert!(
        matches!(
            &effects[..],
            [Effect::Commit(Operation::CreditAssign { .. })]
        ),
        "{effects:?}"
    );
    assert!(d.app.credit().is_none(), "{}", d.screen());
    assert!(selected_credit_holder(&d).is_some());
}

/// The walkthrough's last step for software and Azure credit: a read-only user's footer
/// offers no write there either (Enter still opens the preview).
#[test]
fn the_walkthroughs_last_step_offers_a_read_only_user_no_write() {
    let mut d = read_only(Lang::EnUs);
    d.press("2");
    select(&mut d, "Windows 11 Enterprise");
    d.press("ws");
    assert_eq!(d.app.context(), Context::WizardSoftware, "{}", d.screen());
    assert!(!d.app.offers(Context::WizardSoftware, Command::Activate));
    assert!(!footer(&d).contains("activate"), "{}", footer(&d));
    d.press("<Enter>");
    assert!(
        d.app.activation().is_some(),
        "Enter previews: {}",
        d.screen()
    );

    let mut d = read_only(Lang::EnUs);
    select(&mut d, "Azure credit — $6,000 yearly");
    d.press("ws");
    assert_eq!(d.app.context(), Context::WizardCredit, "{}", d.screen());
    assert!(!d.app.offers(Context::WizardCredit, Command::Credit));
    assert!(!footer(&d).contains("credit"), "{}", footer(&d));
}

/// Found in the trial (nl-NL): the refusal named the role by its id, in English ("Uw rol
/// is read-only"); it names it as the header does, in the user's language.
#[test]
fn the_refusal_names_the_role_in_the_users_language() {
    for (lang, role) in [
        (Lang::EnUs, "Your role is Read-only"),
        (Lang::NlNl, "Uw rol is Alleen-lezen"),
        (Lang::SvSe, "Din roll är Skrivskyddad"),
    ] {
        let mut d = read_only(lang);
        activation_review(&mut d);
        d.press("<Enter>");
        let error = d.app.activation().and_then(|a| a.error.clone()).unwrap();
        let said = d.app.t.refusal(&error);
        assert!(said.contains(role), "{lang:?}: {said}");
        // As the dialog shows it, wrapped in its box.
        let words: Vec<&str> = said.split_whitespace().collect();
        let shown: String = d.screen().split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(shown.contains(words[words.len() - 1]), "{shown}");
    }
}

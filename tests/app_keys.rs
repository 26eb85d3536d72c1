//! Key sequences in, app state out: no terminal involved (a frame is drawn on a
//! TestBackend after each key, as the real loop does, so the app reads its layout).

mod common;

use benefits::app::{self, Context, Effect, Page, QuickFilter};
use benefits::domain::{Mode, ProductKey, Role};
use benefits::i18n::Lang;
use benefits::input::{Button, Event, Mouse, MouseKind};
use benefits::redeem::{Operation, Step, Target};
use chrono::NaiveDate;
use common::dash::{Dash, demo_with, select, selected_credit_holder, selected_name};

fn read_only() -> Dash {
    let portfolio = demo_with(|c| c.user.role = Role::ReadOnly);
    Dash::new(portfolio, Lang::EnUs, (100, 30))
}

#[test]
fn arrows_and_vim_keys_move_the_selection_within_bounds() {
    let mut d = Dash::demo();
    assert_eq!(d.app.table().selected, 0);
    d.press("jj<Down>");
    assert_eq!(d.app.table().selected, 3);
    d.press("k<Up>");
    assert_eq!(d.app.table().selected, 1);
    d.press("<Up><Up><Up>");
    assert_eq!(d.app.table().selected, 0);
    d.press("<End>");
    assert_eq!(d.app.table().selected, d.app.table().rows.len() - 1);
    d.press("<Home>");
    assert_eq!(d.app.table().selected, 0);
}

#[test]
fn pages_switch_with_tab_and_digits_and_keep_their_own_selection() {
    let mut d = Dash::demo();
    d.press("jj");
    d.press("<Tab>");
    assert_eq!(d.app.page, Page::Software);
    assert_eq!(d.app.table().selected, 0);
    d.press("3");
    assert_eq!(d.app.page, Page::History);
    d.press("<BackTab><BackTab>");
    assert_eq!(d.app.page, Page::Cloud);
    assert_eq!(d.app.table().selected, 2);
    d.press("2");
    assert_eq!(d.app.page, Page::Software);
}

#[test]
fn enter_space_and_arrows_expand_and_collapse() {
    let mut d = Dash::demo();
    let first = d.app.selected_item().unwrap();
    d.press("<Enter>");
    assert!(d.app.cloud.expanded.contains(&first));
    d.press(" ");
    assert!(!d.app.cloud.expanded.contains(&first));
    d.press("<Right>");
    assert!(d.app.cloud.expanded.contains(&first));
    d.press("h");
    assert!(!d.app.cloud.expanded.contains(&first));
}

#[test]
fn the_window_follows_the_selection_on_a_short_terminal() {
    let mut d = Dash::demo();
    d.resize(80, 15);
    // The lines the table had room for, as the renderer reported them.
    let viewport = d.app.layout.table.unwrap().window.visible;
    assert_eq!(viewport, 10);
    d.press("<End>");
    let t = d.app.table();
    assert!(t.offset > 0, "scrolled");
    assert!(t.selected - t.offset < viewport);
    d.press("<Home>");
    assert_eq!(d.app.table().offset, 0);
    // An expanded row's details count against the window too.
    d.press("<Enter>j");
    let t = d.app.table();
    assert!(t.selected >= t.offset);
}

#[test]
fn slash_filters_live_and_q_types_into_the_field() {
    let mut d = Dash::demo();
    let all = d.app.table().rows.len();
    d.press("/dynamics");
    assert_eq!(d.app.context(), Context::Filter);
    assert_eq!(d.app.filter, "dynamics");
    assert_eq!(d.app.table().rows.len(), 2);
    d.press("<C-u>q");
    assert_eq!(d.app.filter, "q");
    assert!(!d.app.quit, "q typed into the filter, not quit");
    d.press("<Esc>");
    assert_eq!(d.app.context(), Context::Browse);
    assert!(d.app.filter.is_empty());
    assert_eq!(d.app.table().rows.len(), all);
    d.press("/e5<Enter>");
    assert_eq!(d.app.context(), Context::Browse);
    assert_eq!(selected_name(&d), "Microsoft 365 E5");
    d.press("<Esc>");
    assert_eq!(d.app.table().rows.len(), all);
}

#[test]
fn quick_filters_cycle_through_partner_center_filters() {
    let mut d = Dash::demo();
    let all = d.app.table().rows.len();
    d.press("f");
    assert_eq!(d.app.quick, QuickFilter::NotRedeemed);
    let not_redeemed = d.app.table().rows.len();
    assert!(not_redeemed < all);
    d.press("f");
    assert_eq!(d.app.quick, QuickFilter::NotRedeemedExpiring);
    assert!(d.app.table().rows.len() <= not_redeemed);
    d.press("f");
    assert_eq!(d.app.quick, QuickFilter::All);
    assert_eq!(d.app.table().rows.len(), all);
}

#[test]
fn s_cycles_the_sort_column() {
    let mut d = Dash::demo();
    d.press("s");
    assert_eq!(d.app.sort, app::SortKey::Name);
    // Sorted inside each section: license-based first, then usage-based (Azure credit).
    let rows: Vec<_> = d
        .app
        .cloud
        .rows
        .iter()
        .map(|i| d.app.portfolio.cloud(*i))
        .collect();
    let split = rows.iter().position(|b| b.credit.is_some()).unwrap();
    assert!(rows[split..].iter().all(|b| b.credit.is_some()));
    for section in [&rows[..split], &rows[split..]] {
        let names: Vec<_> = section.iter().map(|b| b.product.clone()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
    }
}

#[test]
fn help_overlay_opens_and_closes() {
    let mut d = Dash::demo();
    d.press("?");
    assert_eq!(d.app.context(), Context::Help);
    d.press("j");
    assert_eq!(
        d.app.context(),
        Context::Help,
        "other keys do nothing under the overlay"
    );
    d.press("<Esc>");
    assert_eq!(d.app.context(), Context::Browse);
}

#[test]
fn q_quits_when_nothing_is_typed() {
    let mut d = Dash::demo();
    d.press("q");
    assert!(d.app.quit);
    let mut d = Dash::demo();
    d.press("<C-c>");
    assert!(d.app.quit);
}

#[test]
fn quitting_with_a_typed_key_asks_first() {
    let mut d = Dash::demo();
    d.press("rabc");
    assert_eq!(d.app.context(), Context::EnterKey);
    d.press("q");
    assert_eq!(d.app.redemption().unwrap().key_input, "abcq");
    d.press("<C-c>");
    assert!(d.app.context() == Context::ConfirmQuit && !d.app.quit);
    d.press("n");
    assert!(d.app.context() != Context::ConfirmQuit && !d.app.quit);
    d.press("<C-c>y");
    assert!(d.app.quit);
}

/// Read-only users can preview: the dialog goes as far as Review order details, with the
/// arithmetic; only Redeem is refused, with the reason, and nothing is written.
#[test]
fn read_only_roles_preview_the_redemption_and_only_redeem_is_refused() {
    let mut d = read_only();
    let mut effects = d.press("rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter>");
    assert_eq!(d.app.context(), Context::ChooseTarget, "{}", d.screen());
    effects.extend(d.press("<Enter>contoso.onmicrosoft.com<Enter><Enter>"));
    assert_eq!(d.app.context(), Context::Review, "{}", d.screen());
    assert!(d.screen().contains("Jun 30, 2027"), "{}", d.screen());
    effects.extend(d.press("<Enter>"));
    assert!(effects.is_empty(), "nothing is written: {effects:?}");
    assert_eq!(d.app.context(), Context::Review);
    let error = d.app.redemption().unwrap().error.clone();
    assert_eq!(
        error.map(|r| r.code),
        Some(benefits::domain::RefusalCode::RoleNotPermitted)
    );
    assert!(
        d.screen().contains("Your role is Read-only"),
        "{}",
        d.screen()
    );
}

/// The whole dialog by keyboard: key, Validate, target, typed domain, mode, review, Redeem.
#[test]
fn redeeming_through_the_dialog_emits_exactly_one_commit() {
    let mut d = Dash::demo();
    assert_eq!(selected_name(&d), "Microsoft 365 E3");
    let mut effects = d.press("r");
    // Paste-like typing: lower case, no dashes.
    effects.extend(d.press("m3e3a7qxrt4hdpc2vwnbk25la"));
    let dialog = d.app.redemption().unwrap();
    assert!(matches!(dialog.key_feedback(), Some(Ok(_))));
    effects.extend(d.press("<Enter>"));
    assert_eq!(d.app.context(), Context::ChooseTarget);
    // First target: the existing Contoso subscription.
    effects.extend(d.press("<Enter>"));
    assert_eq!(d.app.context(), Context::ConfirmTenant);
    effects.extend(d.press("wrong.example.com<Enter>"));
    assert_eq!(
        d.app.context(),
        Context::ConfirmTenant,
        "a wrong domain is refused"
    );
    assert!(d.app.redemption().unwrap().error.is_some());
    effects.extend(d.press("<C-u>contoso.onmicrosoft.com<Enter>"));
    assert_eq!(d.app.context(), Context::ChooseMode);
    // Active subscription: Activate is refused, so the first allowed mode is Extend.
    match &d.app.redemption().unwrap().step {
        Step::ChooseMode(m) => assert_eq!(m.mode, Mode::Extend),
        s => panic!("{s:?}"),
    }
    effects.extend(d.press("x<Enter>"));
    assert_eq!(d.app.context(), Context::Review);
    assert!(effects.is_empty(), "nothing is written before Redeem");
    effects.extend(d.press("<Enter>"));
    assert_eq!(
        effects,
        vec![Effect::Commit(Operation::Redeem {
            key: ProductKey::parse("M3E3A-7QXRT-4HDPC-2VWNB-K25LA").unwrap(),
            tenant: "contoso".into(),
            target: Target::Existing("contoso-m365-e3".into()),
            mode: Mode::Extend,
            location: None,
        })]
    );
    assert_eq!(d.app.context(), Context::Committing);
    // Pressing Enter again while the write is under way does not write twice.
    assert!(d.press("<Enter><Enter>").is_empty());
}

#[test]
fn esc_steps_back_through_the_dialog() {
    let mut d = Dash::demo();
    d.press("rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter><Enter>");
    assert_eq!(d.app.context(), Context::ConfirmTenant);
    d.press("<Esc>");
    assert_eq!(d.app.context(), Context::ChooseTarget);
    d.press("<Esc>");
    assert_eq!(d.app.context(), Context::EnterKey);
    assert_eq!(
        d.app.redemption().unwrap().key_input,
        "M3E3A-7QXRT-4HDPC-2VWNB-K25LA"
    );
    d.press("<Esc>");
    assert!(d.app.redemption().is_none());
    assert_eq!(d.app.context(), Context::Browse);
}

#[test]
fn the_ledger_takes_the_redemption_and_the_dialog_shows_a_receipt() {
    let mut d = Dash::demo().with_ledger();
    let effects = d.press_and_write(
        "rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter><Enter>contoso.onmicrosoft.com<Enter><Enter><Enter>",
    );
    assert!(matches!(
        effects.as_slice(),
        [Effect::Commit(Operation::Redeem { .. })]
    ));
    assert_eq!(d.app.context(), Context::Receipt);
    assert_eq!(d.app.history.len(), 1);
    let m365 = d.app.portfolio.cloud_by_id("m365-e3").unwrap();
    let sub = &m365.license.as_ref().unwrap().subscriptions[0];
    assert_eq!(sub.end_date, NaiveDate::from_ymd_opt(2027, 6, 30).unwrap());
    d.press("<Enter>");
    assert!(d.app.redemption().is_none());
    d.press("3");
    assert_eq!(d.app.table().rows.len(), 1);
}

#[test]
fn the_wizard_walks_to_activate_and_opens_the_dialog_for_its_benefit() {
    let mut d = Dash::demo();
    d.press("w");
    assert_eq!(d.app.context(), Context::Wizard);
    let w = d.app.wizard().unwrap();
    assert_eq!(w.step, app::WizardStep::Introduction);
    d.press("<Right>");
    assert_eq!(d.app.wizard().unwrap().step, app::WizardStep::Walkthrough);
    d.press("<Left>s");
    assert_eq!(d.app.wizard().unwrap().step, app::WizardStep::Activate);
    // Redeem before ticking "verified" is refused with a reason.
    d.press("<Enter>");
    assert!(d.app.redemption().is_none());
    assert_eq!(d.app.notice, Some(app::Notice::Info("wizard.verify-first")));
    // Ticked, without Get keys: the dialog opens on an empty key field.
    d.press(" <Enter>");
    let w = d.app.wizard().unwrap();
    assert!(w.verified && !w.keys_shown);
    let dialog = d.app.redemption().expect("dialog open");
    assert_eq!(dialog.expected_product.as_deref(), Some("Microsoft 365 E3"));
    assert_eq!(d.app.context(), Context::EnterKey);
    // Esc leaves the dialog, back to the wizard; Esc again closes the wizard.
    d.press("<Esc>");
    assert_eq!(d.app.context(), Context::WizardActivate);
    d.press("<Esc>");
    assert_eq!(d.app.context(), Context::Browse);
}

#[test]
fn mouse_clicks_select_rows_and_the_marker_expands() {
    let mut d = Dash::demo();
    let click = |column, row| {
        Event::Mouse(Mouse {
            kind: MouseKind::Press(Button::Left),
            column,
            row,
        })
    };
    // Under the header, the tabs and the column titles: the section heading, then rows.
    d.send(click(10, 3));
    assert_eq!(
        d.app.table().selected,
        0,
        "the heading itself selects nothing"
    );
    d.send(click(10, 6));
    assert_eq!(d.app.table().selected, 2);
    d.send(click(0, 6));
    assert!(
        d.app
            .cloud
            .expanded
            .contains(&d.app.selected_item().unwrap())
    );
    let wheel = Event::Mouse(Mouse {
        kind: MouseKind::WheelDown,
        column: 0,
        row: 0,
    });
    d.send(wheel);
    assert_eq!(d.app.table().selected, 3);
    // A click on a tab shows its page (wherever the tab bar's room put it).
    let tabs = d.screen().lines().nth(1).unwrap().to_string();
    let x = tabs[..tabs.find("Software").unwrap()].chars().count() as u16;
    d.send(click(x, 1));
    assert_eq!(d.app.page, Page::Software);
}

#[test]
fn a_opens_the_activation_dialog_and_enter_emits_the_activation() {
    let mut d = Dash::demo().with_ledger();
    d.press("2");
    select(&mut d, "Windows 11 Enterprise");
    d.press("a");
    assert_eq!(d.app.context(), Context::Activation);
    // Tab to the machine name; typing `q` goes into the field. Enter reviews the
    // activation, Enter again confirms it.
    assert!(d.press("<Tab>pc-q1<Enter>").is_empty());
    let effects = d.press("<Enter>");
    let [
        Effect::Commit(Operation::Activate {
            machine,
            change,
            os,
            ..
        }),
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(machine, "pc-q1");
    assert_eq!(*change, benefits::domain::MachineChange::New);
    assert_eq!(*os, benefits::domain::Os::Windows);
    d.write(effects[0].clone());
    assert!(d.app.activation().is_none());
    let b = d.app.selected_item().unwrap();
    assert_eq!(d.app.portfolio.software(b).keys[0].activations_used, 4);
}

#[test]
fn activation_on_macos_is_refused_and_the_dialog_stays_open() {
    let mut d = Dash::demo();
    d.press("2");
    select(&mut d, "Office Professional Plus 2019");
    let effects = d.press("a<Tab>mac1<Tab><Tab><Right><Enter>");
    assert!(effects.is_empty());
    let dialog = d.app.activation().expect("dialog stays open");
    match &dialog.error {
        Some(r) => assert_eq!(r.code, benefits::domain::RefusalCode::NotSupportedOnMacos),
        other => panic!("expected a refusal, got {other:?}"),
    }
    d.press("<Esc>");
    assert!(d.app.activation().is_none());
}

#[test]
fn c_opens_the_credit_dialog_and_assigns_a_directory_user() {
    let mut d = Dash::demo().with_ledger();
    select(&mut d, "Azure credit — $6,000 yearly");
    d.press("c");
    assert_eq!(d.app.context(), Context::Credit);
    assert!(d.press("<Down><Down><Enter>").is_empty());
    let effects = d.press("<Enter>");
    assert_eq!(
        effects,
        [Effect::Commit(Operation::CreditAssign {
            benefit: "azure-bulk".into(),
            to: "chen@contoso.onmicrosoft.com".into()
        })]
    );
    d.write(effects[0].clone());
    assert!(d.app.credit().is_none());
    assert_eq!(
        selected_credit_holder(&d).as_deref(),
        Some("chen@contoso.onmicrosoft.com")
    );
}

#[test]
fn enter_expands_then_opens_the_walkthrough() {
    let mut d = Dash::demo();
    d.press("<Enter>");
    assert!(
        d.app
            .cloud
            .expanded
            .contains(&d.app.selected_item().unwrap())
    );
    assert!(d.app.wizard().is_none());
    d.press("<Enter>");
    assert!(
        d.app.wizard().is_some(),
        "Enter on an expanded row opens its walkthrough"
    );
}

#[test]
fn t_opens_the_timeline_which_scrolls_with_the_table_keys_and_closes() {
    let mut d = Dash::demo();
    d.resize(80, 15);
    let selected = d.app.cloud.selected;
    d.press("t");
    assert_eq!(d.app.context(), Context::Timeline);
    let lanes = d.app.timeline().unwrap().lanes.len();
    assert_eq!(
        lanes,
        d.app.cloud.rows.len(),
        "one lane per row of the page"
    );
    // The lanes the last frame had room for.
    let rows = d.app.layout.timeline.unwrap().visible;
    assert!(lanes > rows, "the demo needs more lanes than the window");
    d.press("jj");
    assert_eq!(d.app.timeline().unwrap().offset, 2);
    d.press("<End>");
    assert_eq!(d.app.timeline().unwrap().offset, lanes - rows);
    d.press("<Down><Home>");
    assert_eq!(d.app.timeline().unwrap().offset, 0);
    assert_eq!(d.app.cloud.selected, selected, "the table does not move");
    d.press("?");
    assert_eq!(d.app.context(), Context::Help);
    d.press("<Esc>");
    assert_eq!(d.app.context(), Context::Timeline);
    d.press("t");
    assert!(d.app.timeline().is_none());
    assert_eq!(d.app.context(), Context::Browse);
    d.press("t<Esc>");
    assert!(d.app.timeline().is_none());
}

/// The filter keeps exactly the rows whose name, id, source, benefit type or status (each
/// on its own, as the table shows it) holds the text, ignoring case: checked against the
/// plain definition for pieces of every field, text spanning two fields, and text that is
/// nowhere.
#[test]
fn filter_matches_name_id_or_source_and_never_across_fields() {
    use benefits::domain::summary::{product_status, source_label};
    let mut d = Dash::demo();
    let p = d.app.portfolio.clone();
    let (t, today) = (d.app.t, d.app.today);
    let fields = |i: usize| {
        let b = p.cloud(i);
        let kind = match b.benefit_type {
            benefits::domain::BenefitType::Core => "benefit-type.core",
            benefits::domain::BenefitType::Incremental => "benefit-type.incremental",
        };
        let status = match &b.credit {
            None => t.status(product_status(&p, b, today)).to_string(),
            Some(c) => (c.assigned_to.clone()).unwrap_or(t.text("label.unassigned").into()),
        };
        [
            b.product.clone(),
            b.id.clone(),
            source_label(&p, &b.offer),
            t.text(kind).to_string(),
            status,
        ]
    };
    let mut needles: Vec<String> = vec!["zzz".into(), "E3".into(), "  pack ".into()];
    for i in 0..p.catalog.cloud_benefits.len() {
        let [name, id, source, ..] = fields(i);
        for f in [&name, &id, &source] {
            needles.push(f.chars().take(4).collect());
            needles.push(
                f.chars()
                    .rev()
                    .take(3)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect(),
            );
        }
        // The end of the name and the start of the id: in neither field alone.
        let tail: String = name
            .chars()
            .rev()
            .take(2)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        needles.push(format!("{tail}{}", id.chars().take(2).collect::<String>()));
    }
    for needle in needles {
        d.app.filter = needle.clone();
        d.app.refilter();
        let want = needle.trim().to_lowercase();
        let mut expected: Vec<usize> = (0..p.catalog.cloud_benefits.len())
            .filter(|&i| fields(i).iter().any(|f| f.to_lowercase().contains(&want)))
            .collect();
        expected.sort_by_key(|&i| p.cloud(i).credit.is_some());
        assert_eq!(d.app.cloud.rows, expected, "filter {needle:?}");
    }
}

#[test]
fn quick_filter_follows_the_ledger() {
    let mut d = Dash::demo().with_ledger();
    d.press("f");
    assert_eq!(d.app.quick, QuickFilter::NotRedeemed);
    select(&mut d, "Microsoft 365 E5");
    let b = d.app.selected_item().unwrap();
    // Its only key, redeemed through the dialog into the ledger.
    d.press_and_write(
        "rM3E5A-5RTYU-2GHJK-9LZXC-K25E5<Enter><Enter>contoso.onmicrosoft.com<Enter><Enter><Enter>",
    );
    assert_eq!(d.app.context(), Context::Receipt, "{}", d.screen());
    assert!(!d.app.cloud.rows.contains(&b), "fully redeemed: not shown");
}

/// A start from a checkpoint: the History page says it is still reading older entries
/// until they come, and an entry it already shows (a write read it) is not shown twice.
#[test]
fn older_history_joins_behind_and_the_page_says_it_is_loading_meanwhile() {
    let mut d = Dash::demo().with_ledger();
    d.press_and_write(
        "rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter><Enter>contoso.onmicrosoft.com<Enter><Enter><Enter><Enter>",
    );
    let newest = d.app.history.clone();
    assert_eq!(newest.len(), 1);
    let benefits::store::Logged { seq, at, entry } = newest[0].clone();
    d.app.history_loading = true;
    d.press("3");
    assert!(
        d.screen().contains("reading older entries"),
        "{}",
        d.screen()
    );
    let older = benefits::domain::Entry::clone(&entry);
    d.update(app::Action::OlderHistory(Some(vec![
        benefits::store::Logged {
            seq: seq - 1,
            at,
            entry: older,
        },
        benefits::store::Logged { seq, at, entry },
    ])));
    assert_eq!(
        d.app.history.len(),
        2,
        "the shown entry once, the older one behind it"
    );
    assert_eq!(d.app.history[1].seq, seq - 1);
    assert!(!d.screen().contains("reading older entries"));
}

/// Found in the trial: on the activation and credit reviews the footer said "Esc close",
/// but Esc there steps back to the form (nothing is closed, nothing is lost).
#[test]
fn esc_on_an_activation_or_credit_review_reads_back_and_goes_back_to_the_form() {
    let mut d = Dash::demo();
    d.press("2");
    select(&mut d, "Windows 11 Enterprise");
    d.press("a<Tab>pc-7<Enter>");
    assert!(d.app.activation().unwrap().is_reviewing(), "{}", d.screen());
    let footer = d.screen().lines().last().unwrap().to_string();
    assert!(footer.contains("Esc back"), "{footer}");
    d.press("<Esc>");
    let dialog = d.app.activation().expect("still open, on the form");
    assert!(!dialog.is_reviewing());
    assert_eq!(dialog.machine, "pc-7");
    assert!(d.screen().lines().last().unwrap().contains("Esc close"));

    d.press("<Esc>1");
    select(&mut d, "Azure credit — $6,000 yearly");
    d.press("cjj<Enter>");
    assert!(d.app.credit().unwrap().is_reviewing(), "{}", d.screen());
    let footer = d.screen().lines().last().unwrap().to_string();
    assert!(footer.contains("Esc back"), "{footer}");
    d.press("<Esc>");
    assert!(!d.app.credit().expect("still open").is_reviewing());
}

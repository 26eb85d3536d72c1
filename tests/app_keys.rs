//! Key sequences in, app state out: no terminal involved.

use benefits::app::{self, Action, App, Context, Effect, Page, QuickFilter};
use benefits::domain::{Mode, Portfolio, ProductKey, Role};
use benefits::i18n::{Lang, Messages};
use benefits::redeem::{Operation, Step, Target};
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn demo_app() -> App {
    let mut app = App::new(
        Portfolio::new(benefits::catalog::demo()),
        today(),
        Messages::get(Lang::EnUs),
    );
    app::update(
        &mut app,
        Action::Resize {
            width: 100,
            height: 30,
        },
    );
    app
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Press keys: `<Down>`-style names for special keys, anything else typed as characters.
fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut rest = keys;
    while !rest.is_empty() {
        let (ev, len) = if let Some(end) = rest.strip_prefix('<').and_then(|r| r.find('>')) {
            let name = &rest[1..=end];
            let ev = match name {
                "Down" => key(KeyCode::Down),
                "Up" => key(KeyCode::Up),
                "Left" => key(KeyCode::Left),
                "Right" => key(KeyCode::Right),
                "Enter" => key(KeyCode::Enter),
                "Esc" => key(KeyCode::Esc),
                "Tab" => key(KeyCode::Tab),
                "BackTab" => key(KeyCode::BackTab),
                "End" => key(KeyCode::End),
                "Home" => key(KeyCode::Home),
                "PageDown" => key(KeyCode::PageDown),
                "Backspace" => key(KeyCode::Backspace),
                "C-c" => KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
                "C-u" => KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
                other => panic!("unknown key <{other}>"),
            };
            (ev, end + 2)
        } else {
            let ch = rest.chars().next().unwrap();
            (key(KeyCode::Char(ch)), ch.len_utf8())
        };
        rest = &rest[len..];
        effects.extend(app.handle_key(ev));
    }
    effects
}

fn selected_name(app: &App) -> String {
    let b = app.selected_item().unwrap();
    match app.page {
        Page::Cloud => app.portfolio.cloud(b).product.clone(),
        Page::Software => app.portfolio.software(b).product.clone(),
        Page::History => String::new(),
    }
}

#[test]
fn arrows_and_vim_keys_move_the_selection_within_bounds() {
    let mut app = demo_app();
    assert_eq!(app.table().selected, 0);
    press(&mut app, "jj<Down>");
    assert_eq!(app.table().selected, 3);
    press(&mut app, "k<Up>");
    assert_eq!(app.table().selected, 1);
    press(&mut app, "<Up><Up><Up>");
    assert_eq!(app.table().selected, 0);
    press(&mut app, "<End>");
    assert_eq!(app.table().selected, app.table().rows.len() - 1);
    press(&mut app, "<Home>");
    assert_eq!(app.table().selected, 0);
}

#[test]
fn pages_switch_with_tab_and_digits_and_keep_their_own_selection() {
    let mut app = demo_app();
    press(&mut app, "jj");
    press(&mut app, "<Tab>");
    assert_eq!(app.page, Page::Software);
    assert_eq!(app.table().selected, 0);
    press(&mut app, "3");
    assert_eq!(app.page, Page::History);
    press(&mut app, "<BackTab><BackTab>");
    assert_eq!(app.page, Page::Cloud);
    assert_eq!(app.table().selected, 2);
    press(&mut app, "2");
    assert_eq!(app.page, Page::Software);
}

#[test]
fn enter_space_and_arrows_expand_and_collapse() {
    let mut app = demo_app();
    let first = app.selected_item().unwrap();
    press(&mut app, "<Enter>");
    assert!(app.cloud.expanded.contains(&first));
    press(&mut app, " ");
    assert!(!app.cloud.expanded.contains(&first));
    press(&mut app, "<Right>");
    assert!(app.cloud.expanded.contains(&first));
    press(&mut app, "h");
    assert!(!app.cloud.expanded.contains(&first));
}

#[test]
fn the_window_follows_the_selection_on_a_short_terminal() {
    let mut app = demo_app();
    app::update(
        &mut app,
        Action::Resize {
            width: 80,
            height: 10,
        },
    );
    let viewport = app.viewport();
    press(&mut app, "<End>");
    let t = app.table();
    assert!(t.offset > 0, "scrolled");
    assert!(t.selected - t.offset < viewport);
    press(&mut app, "<Home>");
    assert_eq!(app.table().offset, 0);
    // An expanded row's details count against the window too.
    press(&mut app, "<Enter>j");
    let t = app.table();
    assert!(t.selected >= t.offset);
}

#[test]
fn slash_filters_live_and_q_types_into_the_field() {
    let mut app = demo_app();
    let all = app.table().rows.len();
    press(&mut app, "/dynamics");
    assert_eq!(app.context(), Context::Filter);
    assert_eq!(app.filter, "dynamics");
    assert_eq!(app.table().rows.len(), 2);
    press(&mut app, "<C-u>q");
    assert_eq!(app.filter, "q");
    assert!(!app.quit, "q typed into the filter, not quit");
    press(&mut app, "<Esc>");
    assert_eq!(app.context(), Context::Browse);
    assert!(app.filter.is_empty());
    assert_eq!(app.table().rows.len(), all);
    press(&mut app, "/e5<Enter>");
    assert_eq!(app.context(), Context::Browse);
    assert_eq!(selected_name(&app), "Microsoft 365 E5");
    press(&mut app, "<Esc>");
    assert_eq!(app.table().rows.len(), all);
}

#[test]
fn quick_filters_cycle_through_partner_center_filters() {
    let mut app = demo_app();
    let all = app.table().rows.len();
    press(&mut app, "f");
    assert_eq!(app.quick, QuickFilter::NotRedeemed);
    let not_redeemed = app.table().rows.len();
    assert!(not_redeemed < all);
    press(&mut app, "f");
    assert_eq!(app.quick, QuickFilter::NotRedeemedExpiring);
    assert!(app.table().rows.len() <= not_redeemed);
    press(&mut app, "f");
    assert_eq!(app.quick, QuickFilter::All);
    assert_eq!(app.table().rows.len(), all);
}

#[test]
fn s_cycles_the_sort_column() {
    let mut app = demo_app();
    press(&mut app, "s");
    assert_eq!(app.sort, app::SortKey::Name);
    // Sorted inside each section: license-based first, then usage-based (Azure credit).
    let rows: Vec<_> = app
        .cloud
        .rows
        .iter()
        .map(|i| app.portfolio.cloud(*i))
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
    let mut app = demo_app();
    press(&mut app, "?");
    assert!(app.help);
    press(&mut app, "j");
    assert!(app.help, "other keys do nothing under the overlay");
    press(&mut app, "<Esc>");
    assert!(!app.help);
}

#[test]
fn q_quits_when_nothing_is_typed() {
    let mut app = demo_app();
    press(&mut app, "q");
    assert!(app.quit);
    let mut app = demo_app();
    press(&mut app, "<C-c>");
    assert!(app.quit);
}

#[test]
fn quitting_with_a_typed_key_asks_first() {
    let mut app = demo_app();
    press(&mut app, "rabc");
    assert_eq!(app.context(), Context::EnterKey);
    press(&mut app, "q");
    assert_eq!(app.dialog.as_ref().unwrap().key_input, "abcq");
    press(&mut app, "<C-c>");
    assert!(app.confirm_quit && !app.quit);
    press(&mut app, "n");
    assert!(!app.confirm_quit && !app.quit);
    press(&mut app, "<C-c>y");
    assert!(app.quit);
}

#[test]
fn read_only_roles_are_refused_the_redeem_dialog_with_a_reason() {
    let mut catalog = benefits::catalog::demo();
    catalog.user.role = Role::ReadOnly;
    let mut app = App::new(Portfolio::new(catalog), today(), Messages::get(Lang::EnUs));
    press(&mut app, "r");
    assert!(app.dialog.is_none());
    match &app.notice {
        Some(app::Notice::Refused(r)) => {
            assert_eq!(r.code, benefits::domain::RefusalCode::RoleNotPermitted)
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The whole dialog by keyboard: key, Validate, target, typed domain, mode, review, Redeem.
#[test]
fn redeeming_through_the_dialog_emits_exactly_one_commit() {
    let mut app = demo_app();
    assert_eq!(selected_name(&app), "Microsoft 365 E3");
    let mut effects = press(&mut app, "r");
    // Paste-like typing: lower case, no dashes.
    effects.extend(press(&mut app, "m3e3a7qxrt4hdpc2vwnbk25la"));
    let d = app.dialog.as_ref().unwrap();
    assert!(matches!(d.key_feedback(), Some(Ok(_))));
    effects.extend(press(&mut app, "<Enter>"));
    assert_eq!(app.context(), Context::ChooseTarget);
    // First target: the existing Contoso subscription.
    effects.extend(press(&mut app, "<Enter>"));
    assert_eq!(app.context(), Context::ConfirmTenant);
    effects.extend(press(&mut app, "wrong.example.com<Enter>"));
    assert_eq!(
        app.context(),
        Context::ConfirmTenant,
        "a wrong domain is refused"
    );
    assert!(app.dialog.as_ref().unwrap().error.is_some());
    effects.extend(press(&mut app, "<C-u>contoso.onmicrosoft.com<Enter>"));
    assert_eq!(app.context(), Context::ChooseMode);
    // Active subscription: Activate is refused, so the first allowed mode is Extend.
    match &app.dialog.as_ref().unwrap().step {
        Step::ChooseMode(m) => assert_eq!(m.mode, Mode::Extend),
        s => panic!("{s:?}"),
    }
    effects.extend(press(&mut app, "x<Enter>"));
    assert_eq!(app.context(), Context::Review);
    assert!(effects.is_empty(), "nothing is written before Redeem");
    effects.extend(press(&mut app, "<Enter>"));
    assert_eq!(
        effects,
        vec![Effect::Commit(Operation::Redeem {
            key: ProductKey::parse("M3E3A-7QXRT-4HDPC-2VWNB-K25LA").unwrap(),
            tenant: "contoso".into(),
            target: Target::Existing("contoso-m365-e3".into()),
            mode: Mode::Extend,
        })]
    );
    assert_eq!(app.context(), Context::Committing);
    // Pressing Enter again while the write is under way does not write twice.
    assert!(press(&mut app, "<Enter><Enter>").is_empty());
}

#[test]
fn esc_steps_back_through_the_dialog() {
    let mut app = demo_app();
    press(&mut app, "rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter><Enter>");
    assert_eq!(app.context(), Context::ConfirmTenant);
    press(&mut app, "<Esc>");
    assert_eq!(app.context(), Context::ChooseTarget);
    press(&mut app, "<Esc>");
    assert_eq!(app.context(), Context::EnterKey);
    assert_eq!(
        app.dialog.as_ref().unwrap().key_input,
        "M3E3A-7QXRT-4HDPC-2VWNB-K25LA"
    );
    press(&mut app, "<Esc>");
    assert!(app.dialog.is_none());
    assert_eq!(app.context(), Context::Browse);
}

#[test]
fn the_edge_reports_the_commit_and_the_dialog_shows_a_receipt() {
    let mut app = demo_app();
    let effects = press(
        &mut app,
        "rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter><Enter>contoso.onmicrosoft.com<Enter><Enter><Enter>",
    );
    let [Effect::Commit(req)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    for action in benefits::tui::execute_commit(&mut app, None, req.clone()) {
        app::update(&mut app, action);
    }
    assert_eq!(app.context(), Context::Receipt);
    assert_eq!(app.history.len(), 1);
    let m365 = app.portfolio.cloud_by_id("m365-e3").unwrap();
    let sub = &m365.license.as_ref().unwrap().subscriptions[0];
    assert_eq!(sub.end_date, NaiveDate::from_ymd_opt(2027, 6, 30).unwrap());
    press(&mut app, "<Enter>");
    assert!(app.dialog.is_none());
    press(&mut app, "3");
    assert_eq!(app.table().rows.len(), 1);
}

#[test]
fn the_wizard_walks_to_activate_and_opens_the_dialog_for_its_benefit() {
    let mut app = demo_app();
    press(&mut app, "w");
    assert_eq!(app.context(), Context::Wizard);
    let w = app.wizard.as_ref().unwrap();
    assert_eq!(w.step, app::WizardStep::Introduction);
    press(&mut app, "<Right>");
    assert_eq!(
        app.wizard.as_ref().unwrap().step,
        app::WizardStep::Walkthrough
    );
    press(&mut app, "<Left>s");
    assert_eq!(app.wizard.as_ref().unwrap().step, app::WizardStep::Activate);
    // Redeem before ticking "verified" is refused with a reason.
    press(&mut app, "<Enter>");
    assert!(app.dialog.is_none());
    assert_eq!(app.notice, Some(app::Notice::Info("wizard.verify-first")));
    press(&mut app, " g<Enter>");
    let w = app.wizard.as_ref().unwrap();
    assert!(w.verified && w.keys_shown);
    let d = app.dialog.as_ref().expect("dialog open");
    assert_eq!(d.expected_product.as_deref(), Some("Microsoft 365 E3"));
    assert_eq!(app.context(), Context::EnterKey);
    // Esc leaves the dialog, back to the wizard; Esc again closes the wizard.
    press(&mut app, "<Esc>");
    assert_eq!(app.context(), Context::WizardActivate);
    press(&mut app, "<Esc>");
    assert_eq!(app.context(), Context::Browse);
}

#[test]
fn mouse_clicks_select_rows_and_the_marker_expands() {
    use crossterm::event::{Event, MouseButton, MouseEvent, MouseEventKind};
    let mut app = demo_app();
    let click = |column, row| {
        Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    // Rows start under the header, the tabs, the column titles and the section heading.
    app.handle(&click(10, app::LINES_ABOVE_ROWS));
    assert_eq!(
        app.table().selected,
        0,
        "the heading itself selects nothing"
    );
    app.handle(&click(10, app::LINES_ABOVE_ROWS + 3));
    assert_eq!(app.table().selected, 2);
    app.handle(&click(0, app::LINES_ABOVE_ROWS + 3));
    assert!(app.cloud.expanded.contains(&app.selected_item().unwrap()));
    let scroll = Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 0,
        row: 0,
        modifiers: KeyModifiers::NONE,
    });
    app.handle(&scroll);
    assert_eq!(app.table().selected, 3);
}

fn select(app: &mut App, name: &str) {
    press(app, "<Home>");
    for _ in 0..40 {
        if selected_name(app) == name {
            return;
        }
        press(app, "<Down>");
    }
    panic!("{name} not found");
}

#[test]
fn a_opens_the_activation_dialog_and_enter_emits_the_activation() {
    let mut app = demo_app();
    press(&mut app, "2");
    select(&mut app, "Windows 11 Enterprise");
    press(&mut app, "a");
    assert_eq!(app.context(), Context::Activation);
    // Tab to the machine name; typing `q` goes into the field. Enter reviews the
    // activation, Enter again confirms it.
    assert!(press(&mut app, "<Tab>pc-q1<Enter>").is_empty());
    let effects = press(&mut app, "<Enter>");
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
    for action in benefits::tui::execute_effect(&mut app, None, effects[0].clone()) {
        app::update(&mut app, action);
    }
    assert!(app.activation.is_none());
    let b = app.selected_item().unwrap();
    assert_eq!(app.portfolio.software(b).keys[0].activations_used, 4);
}

#[test]
fn activation_on_macos_is_refused_and_the_dialog_stays_open() {
    let mut app = demo_app();
    press(&mut app, "2");
    select(&mut app, "Office Professional Plus 2019");
    let effects = press(&mut app, "a<Tab>mac1<Tab><Tab><Right><Enter>");
    assert!(effects.is_empty());
    let d = app.activation.as_ref().expect("dialog stays open");
    match &d.error {
        Some(r) => assert_eq!(r.code, benefits::domain::RefusalCode::NotSupportedOnMacos),
        other => panic!("expected a refusal, got {other:?}"),
    }
    press(&mut app, "<Esc>");
    assert!(app.activation.is_none());
}

#[test]
fn c_opens_the_credit_dialog_and_assigns_a_directory_user() {
    let mut app = demo_app();
    select(&mut app, "Azure credit — $6,000 yearly");
    press(&mut app, "c");
    assert_eq!(app.context(), Context::Credit);
    assert!(press(&mut app, "<Down><Down><Enter>").is_empty());
    let effects = press(&mut app, "<Enter>");
    assert_eq!(
        effects,
        [Effect::Commit(Operation::CreditAssign {
            benefit: "azure-bulk".into(),
            to: "chen@contoso.onmicrosoft.com".into()
        })]
    );
    for action in benefits::tui::execute_effect(&mut app, None, effects[0].clone()) {
        app::update(&mut app, action);
    }
    assert!(app.credit.is_none());
    let b = app.selected_item().unwrap();
    assert_eq!(
        app.portfolio
            .cloud(b)
            .credit
            .as_ref()
            .unwrap()
            .assigned_to
            .as_deref(),
        Some("chen@contoso.onmicrosoft.com")
    );
}

#[test]
fn remove_is_refused_for_bulk_credit() {
    let mut app = demo_app();
    select(&mut app, "Azure credit — $6,000 yearly");
    let effects = press(&mut app, "c<Right><Enter>");
    assert!(effects.is_empty());
    let d = app.credit.as_ref().expect("dialog stays open");
    assert_eq!(d.op, app::CreditOp::Remove);
    match &d.error {
        Some(r) => assert_eq!(
            r.code,
            benefits::domain::RefusalCode::RemoveNotAvailableForBulk
        ),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn read_only_roles_are_refused_the_activation_and_credit_dialogs() {
    let mut catalog = benefits::catalog::demo();
    catalog.user.role = Role::ReadOnly;
    let mut app = App::new(Portfolio::new(catalog), today(), Messages::get(Lang::EnUs));
    for keys in ["c", "2a"] {
        press(&mut app, keys);
        assert!(app.activation.is_none() && app.credit.is_none());
        match &app.notice {
            Some(app::Notice::Refused(r)) => {
                assert_eq!(r.code, benefits::domain::RefusalCode::RoleNotPermitted)
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
}

#[test]
fn enter_expands_then_opens_the_walkthrough() {
    let mut app = demo_app();
    press(&mut app, "<Enter>");
    assert!(app.cloud.expanded.contains(&app.selected_item().unwrap()));
    assert!(app.wizard.is_none());
    press(&mut app, "<Enter>");
    assert!(
        app.wizard.is_some(),
        "Enter on an expanded row opens its walkthrough"
    );
}

#[test]
fn t_opens_the_timeline_which_scrolls_with_the_table_keys_and_closes() {
    let mut app = demo_app();
    app::update(
        &mut app,
        Action::Resize {
            width: 80,
            height: 12,
        },
    );
    let selected = app.cloud.selected;
    press(&mut app, "t");
    assert_eq!(app.context(), Context::Timeline);
    let lanes = app.timeline.as_ref().unwrap().lanes.len();
    assert_eq!(lanes, app.cloud.rows.len(), "one lane per row of the page");
    let rows = app.timeline_rows();
    assert!(lanes > rows, "the demo needs more lanes than the window");
    press(&mut app, "jj");
    assert_eq!(app.timeline.as_ref().unwrap().offset, 2);
    press(&mut app, "<End>");
    assert_eq!(app.timeline.as_ref().unwrap().offset, lanes - rows);
    press(&mut app, "<Down><Home>");
    assert_eq!(app.timeline.as_ref().unwrap().offset, 0);
    assert_eq!(app.cloud.selected, selected, "the table does not move");
    press(&mut app, "?");
    assert_eq!(app.context(), Context::Help);
    press(&mut app, "<Esc>");
    assert_eq!(app.context(), Context::Timeline);
    press(&mut app, "t");
    assert!(app.timeline.is_none());
    assert_eq!(app.context(), Context::Browse);
    press(&mut app, "t<Esc>");
    assert!(app.timeline.is_none());
}

/// The filter keeps exactly the rows whose name, id or source (each on its own) holds the
/// text, ignoring case: checked against the plain definition for pieces of every field,
/// text spanning two fields, and text that is nowhere.
#[test]
fn filter_matches_name_id_or_source_and_never_across_fields() {
    use benefits::domain::summary::source_label;
    let mut app = demo_app();
    let p = app.portfolio.clone();
    let fields = |i: usize| {
        let b = p.cloud(i);
        [b.product.clone(), b.id.clone(), source_label(&p, &b.offer)]
    };
    let mut needles: Vec<String> = vec!["zzz".into(), "E3".into(), "  pack ".into()];
    for i in 0..p.catalog.cloud_benefits.len() {
        let [name, id, source] = fields(i);
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
        app.filter = needle.clone();
        app.refilter();
        let want = needle.trim().to_lowercase();
        let mut expected: Vec<usize> = (0..p.catalog.cloud_benefits.len())
            .filter(|&i| fields(i).iter().any(|f| f.to_lowercase().contains(&want)))
            .collect();
        expected.sort_by_key(|&i| p.cloud(i).credit.is_some());
        assert_eq!(app.cloud.rows, expected, "filter {needle:?}");
    }
}

#[test]
fn quick_filter_follows_the_ledger() {
    let mut app = demo_app();
    press(&mut app, "f");
    assert_eq!(app.quick, QuickFilter::NotRedeemed);
    let b = app.cloud.rows[0];
    // What folding a redemption of each of its keys does to the portfolio.
    let lic = app.portfolio.catalog.cloud_benefits[b]
        .license
        .as_mut()
        .unwrap();
    lic.keys.iter_mut().for_each(|k| k.redeemed = true);
    app.portfolio.last_seq += 1;
    app.refilter();
    assert!(!app.cloud.rows.contains(&b), "fully redeemed: not shown");
}

//! The benefit tables' columns: every cell of a row as the page shows it, and widths that
//! come from the content. When the room runs out, the source column shrinks first, then
//! the benefit type and the source columns go, then titles may be cut to their content,
//! then who holds a credit is cut down to the longest status; the name shrinks last.

use super::text::fit;
use crate::app::{App, Page, SortKey};
use crate::domain::{BenefitType, summary};
use unicode_width::UnicodeWidthStr;

/// What each cell of a row is; the order of `cells`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Name,
    Source,
    Type,
    Quantity,
    ActivateBy,
    /// Cloud: the product subscription status (or who holds the credit); Software: the
    /// activations used of allowed.
    Status,
}

const CLOUD: [Kind; 6] = [
    Kind::Name,
    Kind::Source,
    Kind::Type,
    Kind::Quantity,
    Kind::ActivateBy,
    Kind::Status,
];
const SOFTWARE: [Kind; 5] = [
    Kind::Name,
    Kind::Source,
    Kind::Quantity,
    Kind::ActivateBy,
    Kind::Status,
];

/// Above this many rows, widths come from the rows in the window only: a frame's cost
/// stays the window's.
const MEASURE_ALL: usize = 1000;
/// The fewest cells a shrinking source or name column keeps.
const MIN_TEXT: usize = 12;

pub struct Column {
    /// Which cell of `cells` it shows.
    pub cell: usize,
    pub title: String,
    pub width: usize,
    /// The sort key this column's values follow.
    pub sort: SortKey,
}

/// A software benefit's name, source, quantity, activate-by and activations used of
/// allowed ("-" for CALs and products without keys), as the dashboard and `list` show them.
pub fn software_cells(
    p: &crate::domain::Portfolio,
    t: &crate::i18n::Messages,
    b: &crate::domain::SoftwareBenefit,
) -> Vec<String> {
    let (used, allowed) = summary::software_activations(b);
    vec![
        b.product.clone(),
        summary::source_label(p, &b.offer),
        t.activations(b.quantity),
        t.date(b.activate_by),
        if !b.needs_activation() || b.keys.is_empty() {
            "-".into()
        } else {
            format!("{used}/{allowed}")
        },
    ]
}

/// Every cell of benefit `item` on `page`, in the order of the page's kinds.
pub fn cells(app: &App, page: Page, item: usize) -> Vec<String> {
    let t = app.t;
    let p = &app.portfolio;
    if page == Page::Software {
        return software_cells(p, t, p.software(item));
    }
    let b = p.cloud(item);
    let status = match (&b.license, &b.credit) {
        _ if summary::cloud_benefit_expired(b, app.today) => {
            t.text("label.benefit-expired").to_string()
        }
        (Some(_), _) => t
            .status(summary::product_status(p, b, app.today))
            .to_string(),
        (_, Some(c)) => {
            (c.assigned_to.clone()).unwrap_or_else(|| t.text("label.unassigned").into())
        }
        _ => String::new(),
    };
    let mut name = b.product.clone();
    if b.is_discontinued() {
        name.push_str(&format!(" ({})", t.text("label.discontinued")));
    }
    let kind = match b.benefit_type {
        BenefitType::Core => "benefit-type.core",
        BenefitType::Incremental => "benefit-type.incremental",
    };
    vec![
        name,
        summary::source_label(p, &b.offer),
        t.text(kind).into(),
        match (&b.license, &b.credit) {
            (Some(l), _) => t.licenses(l.quantity),
            (_, Some(c)) => t.credit_quantity(c.amount_usd, c.period),
            _ => String::new(),
        },
        t.date(b.activate_by),
        status,
    ]
}

fn title(page: Page, kind: Kind) -> (&'static str, SortKey) {
    match kind {
        Kind::Name => ("col.benefit-name", SortKey::Name),
        Kind::Source => ("col.source", SortKey::Source),
        Kind::Type => ("col.benefit-type", SortKey::BenefitType),
        Kind::Quantity => ("col.quantity", SortKey::Quantity),
        Kind::ActivateBy => ("col.activate-by", SortKey::ActivateBy),
        Kind::Status if page == Page::Software => ("col.activations", SortKey::Status),
        Kind::Status => ("col.status", SortKey::Status),
    }
}

/// One column being laid out: its widest title (with room for the sort arrow) and cell.
struct Plan {
    kind: Kind,
    cell: usize,
    title: String,
    sort: SortKey,
    head: usize,
    content: usize,
    /// Cloud status: the longest status in words (who holds a credit may be cut to it).
    words: usize,
    width: usize,
}

/// The columns of `page` for a table `width` cells wide; `window` holds the rows drawn.
pub fn layout(app: &App, page: Page, width: usize, window: &[usize]) -> Vec<Column> {
    let t = app.t;
    let rows = &app.table_of(page).rows;
    let measure = if rows.len() <= MEASURE_ALL {
        rows
    } else {
        window
    };
    let kinds: &[Kind] = if page == Page::Cloud {
        &CLOUD
    } else {
        &SOFTWARE
    };
    let mut plans: Vec<Plan> = kinds
        .iter()
        .enumerate()
        .map(|(cell, &kind)| {
            let (id, sort) = title(page, kind);
            let title = t.text(id).to_string();
            Plan {
                kind,
                cell,
                head: title.width() + 2,
                title,
                sort,
                content: 1,
                words: 1,
                width: 0,
            }
        })
        .collect();
    for &item in measure {
        for (plan, cell) in plans.iter_mut().zip(cells(app, page, item)) {
            plan.content = plan.content.max(cell.width());
        }
    }
    if page == Page::Cloud {
        let status = &mut plans[5];
        status.words = crate::domain::SubscriptionStatus::ALL
            .iter()
            .map(|s| t.status(*s).width())
            .chain([t.text("label.unassigned").width()])
            .max()
            .unwrap_or(1)
            .min(status.content);
    }
    for p in &mut plans {
        p.width = p.head.max(p.content);
    }
    // The marker and flag, then one space after each column.
    let room = |plans: &[Plan]| width.saturating_sub(2 + plans.len());
    let used = |plans: &[Plan]| plans.iter().map(|p| p.width).sum::<usize>();
    let shrink = |plans: &mut Vec<Plan>, kind: Kind, to: usize| {
        let over = used(plans).saturating_sub(room(plans));
        if let Some(p) = plans.iter_mut().find(|p| p.kind == kind) {
            p.width = p.width.saturating_sub(over).max(to.min(p.width));
        }
    };
    let fits = |plans: &[Plan]| used(plans) <= room(plans);
    if !fits(&plans) {
        shrink(&mut plans, Kind::Source, MIN_TEXT);
    }
    if !fits(&plans) {
        // Who holds a credit gives way to the longest status, not below the title.
        let to = (plans.iter().find(|p| p.kind == Kind::Status)).map(|p| p.words.max(p.head));
        shrink(&mut plans, Kind::Status, to.unwrap_or(MIN_TEXT));
    }
    for gone in [Kind::Type, Kind::Source] {
        if !fits(&plans) {
            plans.retain(|p| p.kind != gone);
        }
    }
    if !fits(&plans) {
        for p in plans.iter_mut().filter(|p| p.kind != Kind::Name) {
            p.width = p.width.min(p.content);
        }
        let words = plans
            .iter()
            .find(|p| p.kind == Kind::Status)
            .map(|p| p.words);
        shrink(&mut plans, Kind::Status, words.unwrap_or(MIN_TEXT));
    }
    if !fits(&plans) {
        shrink(&mut plans, Kind::Name, MIN_TEXT);
    }
    // Room left over gives cut titles back first, then goes to the name and the source,
    // up to what they hold, and what is still left to the name.
    let mut spare = room(&plans).saturating_sub(used(&plans));
    let mut give = |p: &mut Plan, upto: usize| {
        let more = spare.min(upto.saturating_sub(p.width));
        p.width += more;
        spare -= more;
    };
    for p in plans.iter_mut().filter(|p| p.kind != Kind::Name) {
        let head = p.head;
        give(p, head);
    }
    for kind in [Kind::Name, Kind::Source] {
        if let Some(p) = plans.iter_mut().find(|p| p.kind == kind) {
            let all = p.head.max(p.content);
            give(p, all);
        }
    }
    if let Some(p) = plans.iter_mut().find(|p| p.kind == Kind::Name) {
        give(p, usize::MAX);
    }
    plans
        .into_iter()
        .map(|p| Column {
            cell: p.cell,
            title: p.title,
            width: p.width,
            sort: p.sort,
        })
        .collect()
}

/// A row's cells in `cols`, each cut or padded to its column, one space after each.
pub fn row_text(cells: &[String], cols: &[Column]) -> String {
    let mut s = String::new();
    for c in cols {
        s.push_str(&fit(cells.get(c.cell).map_or("", String::as_str), c.width));
        s.push(' ');
    }
    s
}

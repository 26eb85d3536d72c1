//! The Consumption page: per license product a line with what the organization is entitled
//! to, what it uses worldwide, what Graph last reported assigned, the worldwide cap and the
//! room it leaves; under it a line per country with what is used there against the
//! per-country cap. The record the licensing FAQ says the program administrator keeps.

use super::grid::{self, Col};
use super::text::wrap_line;
use super::theme::Theme;
use crate::app::App;
use crate::app::consumption::Product;
use crate::domain::caps::locations;
use ratatui::style::Style;
use ratatui::text::Line;

/// Marker and flag before the cells.
const LEAD: usize = 2;

/// What the columns mean, and where the assigned numbers come from until Graph said.
pub fn banner(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let t = app.t;
    let v = &app.consumption;
    let mut lines = Vec::new();
    if v.products.is_empty() {
        let empty = format!("  {}", t.text("consumption.empty"));
        return vec![Line::styled(empty, theme.dim())];
    }
    let legend = Line::styled(format!("  {}", t.text("consumption.legend")), theme.dim());
    lines.extend(wrap_line(&legend, width, 2));
    if !v.observed {
        let hint = Line::styled(
            format!("  {}", t.text("consumption.not-observed")),
            theme.warning(),
        );
        lines.extend(wrap_line(&hint, width, 2));
    }
    lines
}

fn or_dash(app: &App, n: Option<u32>) -> String {
    n.map_or_else(|| "-".into(), |n| app.t.number(n.into()))
}

/// The product's line, then one per country (its code and the locations there).
fn cells(app: &App, p: &Product) -> Vec<Vec<String>> {
    let u = &p.usage;
    let n = |n: u32| app.t.number(n.into());
    let mut out = vec![vec![
        u.product.clone(),
        n(u.entitled),
        n(u.used_worldwide),
        or_dash(app, u.consumed),
        or_dash(app, u.worldwide),
        or_dash(app, u.room_worldwide()),
    ]];
    let all = locations(&app.portfolio);
    for c in &p.countries {
        let names: Vec<&str> = (all.iter())
            .filter(|l| l.country == *c)
            .map(|l| l.name.as_str())
            .collect();
        let place = if names.is_empty() {
            format!("  {c}")
        } else {
            format!("  {c} ({})", names.join(", "))
        };
        out.push(vec![
            place,
            String::new(),
            n(u.used.get(c).copied().unwrap_or(0)),
            String::new(),
            or_dash(app, u.per_country),
            or_dash(app, u.room_in(c)),
        ]);
    }
    out
}

fn columns(app: &App, width: usize) -> Vec<Col> {
    let t = app.t;
    let v = &app.consumption;
    let rows: Vec<Vec<String>> = (v.table.rows.iter())
        .flat_map(|&i| cells(app, &v.products[i]))
        .collect();
    let cols = vec![
        Col::new(t.text("graph.col-product")).flex(),
        Col::new(t.text("usage.entitled")).number(),
        Col::new(t.text("consumption.col-used")).number(),
        Col::new(t.text("usage.consumed")).number().drop(1),
        Col::new(t.text("consumption.col-cap")).number(),
        Col::new(t.text("consumption.col-room")).number(),
    ];
    grid::layout(cols, &rows, width, LEAD)
}

/// Screen lines of the product at `pos`: its line and one per country.
pub fn row_height(app: &App, pos: usize) -> usize {
    let v = &app.consumption;
    (v.table.rows.get(pos)).map_or(1, |&i| 1 + v.products[i].countries.len())
}

/// Header line plus at most `height - 1` lines of products from row `start`, with the line
/// each product is on.
pub fn lines(
    app: &App,
    width: usize,
    height: usize,
    start: usize,
    theme: &Theme,
) -> (Vec<Line<'static>>, Vec<(usize, usize)>) {
    let v = &app.consumption;
    let cols = columns(app, width);
    let mut out = vec![Line::styled(grid::header(&cols, LEAD), theme.header())];
    let mut at = Vec::new();
    if v.table.rows.is_empty() {
        if !v.products.is_empty() {
            let none = format!("  {}", app.t.text("label.no-rows"));
            out.push(Line::styled(none, theme.dim()));
        }
        return (out, at);
    }
    for pos in start..v.table.rows.len() {
        if out.len() >= height {
            break;
        }
        at.push((out.len(), pos));
        let p = &v.products[v.table.rows[pos]];
        for (k, row) in cells(app, p).into_iter().enumerate() {
            if out.len() >= height {
                break;
            }
            // At a cap: nothing more may be redeemed there.
            let room = if k == 0 {
                p.usage.room_worldwide()
            } else {
                p.usage.room_in(&p.countries[k - 1])
            };
            let (flag, mut style) = match room {
                Some(0) => (theme.due_symbol(), theme.warning()),
                _ => (" ", Style::default()),
            };
            if k == 0 && pos == v.table.selected {
                style = style.patch(theme.selected());
            }
            out.push(Line::styled(
                format!(" {flag}{}", grid::row(&row, &cols)),
                style,
            ));
        }
    }
    (out, at)
}

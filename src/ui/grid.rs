//! The columns of the computed pages (Reconcile, Consumption), as `columns` lays out the
//! benefit tables: widths from the titles and the cells; when the room runs out a long
//! name gives up its tail (down to `SOFT_NAME`), then titles are cut to their content,
//! then the columns marked to go do so in their order, then the name shrinks to
//! `MIN_NAME`; room left over gives cut titles back, then the name's tail. Numbers are
//! right-aligned and never cut.

use super::text::fit;
use unicode_width::UnicodeWidthStr;

/// The fewest cells the name column shrinks to, and what it keeps before anything else
/// gives way (enough to tell "Microsoft 365 E3" from "Microsoft 365 E5").
const MIN_NAME: usize = 12;
const SOFT_NAME: usize = 24;

pub struct Col {
    pub title: String,
    /// The widest cell.
    pub content: usize,
    /// A number: right-aligned.
    pub right: bool,
    /// The name column: it shrinks last and takes what room is left.
    pub flex: bool,
    /// Goes when the room runs out, lowest first; None: stays.
    pub drop: Option<u8>,
    /// Which cell of a row it shows (its place among the columns made).
    pub cell: usize,
    pub width: usize,
}

impl Col {
    pub fn new(title: &str) -> Col {
        Col {
            title: title.to_string(),
            content: 0,
            right: false,
            flex: false,
            drop: None,
            cell: 0,
            width: 0,
        }
    }
    pub fn number(mut self) -> Col {
        self.right = true;
        self
    }
    pub fn flex(mut self) -> Col {
        self.flex = true;
        self
    }
    pub fn drop(mut self, order: u8) -> Col {
        self.drop = Some(order);
        self
    }
    fn head(&self) -> usize {
        self.title.width()
    }
}

/// Measure `rows` into `cols` (a row holds one cell per column), then fit them to `width`
/// cells after `lead` cells of markers: the columns that stay, in their order.
pub fn layout(mut cols: Vec<Col>, rows: &[Vec<String>], width: usize, lead: usize) -> Vec<Col> {
    for row in rows {
        for (c, cell) in cols.iter_mut().zip(row) {
            c.content = c.content.max(cell.width());
        }
    }
    for (i, c) in cols.iter_mut().enumerate() {
        c.cell = i;
        c.width = c.head().max(c.content).max(1);
    }
    let room = |cols: &[Col]| width.saturating_sub(lead + cols.len());
    let used = |cols: &[Col]| cols.iter().map(|c| c.width).sum::<usize>();
    let shrink_name = |cols: &mut Vec<Col>, to: usize| {
        let over = used(cols).saturating_sub(room(cols));
        if let Some(c) = cols.iter_mut().find(|c| c.flex) {
            c.width = c.width.saturating_sub(over).max(to.min(c.width));
        }
    };
    shrink_name(&mut cols, SOFT_NAME);
    if used(&cols) > room(&cols) {
        for c in cols.iter_mut().filter(|c| !c.flex) {
            c.width = c.content.max(1);
        }
    }
    let mut order: Vec<u8> = cols.iter().filter_map(|c| c.drop).collect();
    order.sort_unstable();
    for gone in order {
        if used(&cols) <= room(&cols) {
            break;
        }
        cols.retain(|c| c.drop != Some(gone));
    }
    shrink_name(&mut cols, MIN_NAME);
    let mut spare = room(&cols).saturating_sub(used(&cols));
    for c in cols.iter_mut().filter(|c| !c.flex) {
        let more = spare.min(c.head().saturating_sub(c.width));
        c.width += more;
        spare -= more;
    }
    // The name up to its longest; the rest stays at the right, so numbers stay near the
    // names they belong to.
    if let Some(c) = cols.iter_mut().find(|c| c.flex) {
        c.width += spare.min(c.content.max(c.head()).saturating_sub(c.width));
    }
    cols
}

/// Column titles, each cut or padded to its column.
pub fn header(cols: &[Col], lead: usize) -> String {
    let mut s = " ".repeat(lead);
    for c in cols {
        s.push_str(&fit(&c.title, c.width));
        s.push(' ');
    }
    s
}

/// One row's cells (one per column made, in that order) in the columns that stayed.
pub fn row(cells: &[String], cols: &[Col]) -> String {
    let mut s = String::new();
    for c in cols {
        let cell = cells.get(c.cell).map_or("", String::as_str);
        if c.right && cell.width() <= c.width {
            s.push_str(&" ".repeat(c.width - cell.width()));
            s.push_str(cell);
        } else {
            s.push_str(&fit(cell, c.width));
        }
        s.push(' ');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn made() -> Vec<Col> {
        vec![
            Col::new("Name").flex(),
            Col::new("Subscription").drop(1),
            Col::new("Date").drop(2),
            Col::new("Licenses").number(),
        ]
    }

    fn rows() -> Vec<Vec<String>> {
        vec![vec![
            "Microsoft 365 Business Premium".into(),
            "contoso-m365-bp".into(),
            "Nov 23, 2026".into(),
            "1,000".into(),
        ]]
    }

    #[test]
    fn columns_take_their_content_and_leave_the_rest_of_the_row() {
        let cols = layout(made(), &rows(), 100, 2);
        let widths: Vec<usize> = cols.iter().map(|c| c.width).collect();
        // Everything fits: each column as wide as its widest, the rest of the row empty.
        assert_eq!(widths, vec![30, 15, 12, 8]);
    }

    #[test]
    fn columns_go_in_their_order_before_the_name_shrinks_and_numbers_are_never_cut() {
        let cols = layout(made(), &rows(), 50, 2);
        let titles: Vec<&str> = cols.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, vec!["Name", "Date", "Licenses"]);
        let cols = layout(made(), &rows(), 30, 2);
        let titles: Vec<&str> = cols.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, vec!["Name", "Licenses"]);
        let line = row(&rows()[0], &cols);
        assert!(line.contains("1,000") && line.contains('…'), "{line}");
        // The name gave up its tail, the number none of its digits: 21 + 1 + 5 + 1.
        assert_eq!(line.width(), 28, "{line}");
        assert_eq!(cols[0].width, 21);
    }
}

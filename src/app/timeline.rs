//! The timeline view (`t`): one lane per benefit of the current page's rows, built when
//! the view opens (the filter cannot change while it has the keyboard), so drawing a
//! frame only looks at the lanes in its window.

use super::{App, Command, Page};
use crate::domain::BenefitRef;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeline {
    /// The benefits, in the order of the page's (filtered, sorted) rows.
    pub lanes: Vec<BenefitRef>,
    /// The first lane in the window.
    pub offset: usize,
}

impl Timeline {
    /// The lanes for `page`: its rows; History shows both benefit pages.
    pub fn build(app: &App, page: Page) -> Self {
        let cloud = || app.cloud.rows.iter().map(|&b| BenefitRef::Cloud(b));
        let software = || app.software.rows.iter().map(|&b| BenefitRef::Software(b));
        let lanes = match page {
            Page::Cloud | Page::Reconcile | Page::Consumption => cloud().collect(),
            Page::Software => software().collect(),
            Page::History => cloud().chain(software()).collect(),
        };
        Timeline { lanes, offset: 0 }
    }

    /// Scroll by a table movement; `rows` is how many lanes the last frame's window held
    /// (None before the timeline was drawn: the next frame bounds the offset).
    pub fn scroll(&mut self, c: Command, rows: Option<usize>) {
        let max = match rows {
            Some(rows) => self.lanes.len().saturating_sub(rows),
            None => self.lanes.len().saturating_sub(1),
        };
        let page = rows.unwrap_or(1).max(2) - 1;
        self.offset = match c {
            Command::Up => self.offset.saturating_sub(1),
            Command::Down => self.offset + 1,
            Command::PageUp => self.offset.saturating_sub(page),
            Command::PageDown => self.offset + page,
            Command::Home => 0,
            Command::End => max,
            _ => self.offset,
        }
        .min(max);
    }
}

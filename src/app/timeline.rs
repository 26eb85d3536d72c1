//! The timeline view (`t`): one lane per benefit of the current page's rows, built when
//! the view opens (the filter cannot change while it has the keyboard), so drawing a
//! frame only looks at the lanes in its window.

use super::{Action, App, Page};
use crate::domain::BenefitRef;

/// Lines the timeline takes besides its lanes: header, tabs, status, footer, its border,
/// the month labels and the axis.
pub const TIMELINE_CHROME: u16 = 8;

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
            Page::Cloud => cloud().collect(),
            Page::Software => software().collect(),
            Page::History => cloud().chain(software()).collect(),
        };
        Timeline { lanes, offset: 0 }
    }

    /// Scroll by a table movement; `rows` is how many lanes the window holds.
    pub fn scroll(&mut self, action: &Action, rows: usize) {
        let max = self.lanes.len().saturating_sub(rows);
        let page = rows.max(2) - 1;
        self.offset = match action {
            Action::Up => self.offset.saturating_sub(1),
            Action::Down => self.offset + 1,
            Action::PageUp => self.offset.saturating_sub(page),
            Action::PageDown => self.offset + page,
            Action::Home => 0,
            Action::End => max,
            _ => self.offset,
        }
        .min(max);
    }
}

impl App {
    /// Lanes the timeline's window holds at the last terminal size.
    pub fn timeline_rows(&self) -> usize {
        usize::from(self.height.saturating_sub(TIMELINE_CHROME).max(1))
    }
}

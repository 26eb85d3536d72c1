//! What the last frame drew, as the renderer reports it: where the table's rows, the tabs
//! and the buttons are, how many lines the table and the overlays had room for. The app
//! reads it on the next event (paging, scrolling bounds, mouse hits), so nothing here is a
//! constant of the screen's make-up and nothing is found again by its translated text.

use super::{Command, Page};

/// A rectangle of screen cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Area {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub height: u16,
}

impl Area {
    pub fn contains(&self, column: u16, row: u16) -> bool {
        column >= self.x
            && row >= self.y
            && u32::from(column) < u32::from(self.x) + u32::from(self.width)
            && u32::from(row) < u32::from(self.y) + u32::from(self.height)
    }
}

/// What a click on a part of the screen means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spot {
    /// A table row (its position in the page's rows).
    Row(usize),
    /// The ▸/▾ marker of a table row.
    Marker(usize),
    /// A key line in an expanded row's details: the row's position, the key's index in
    /// the benefit's keys.
    Key {
        pos: usize,
        key: usize,
    },
    Tab(Page),
    /// A button: the command it stands for, given to the layer that drew it.
    Command(Command),
}

/// A clickable part, with the depth of the layer that drew it (0 the page, 1 the first
/// layer above it, …): only the layer on top answers clicks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub area: Area,
    pub depth: usize,
    pub spot: Spot,
}

/// A window over a list: where it starts, how long the list is, how much of it showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Window {
    pub offset: usize,
    pub len: usize,
    pub visible: usize,
}

impl Window {
    /// The furthest the window can start and still be full.
    pub fn max_offset(&self) -> usize {
        self.len.saturating_sub(self.visible)
    }
}

/// The page's table as drawn: its window (`visible` counts screen lines for rows and
/// details, `offset` is the first row drawn).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableView {
    pub page: Page,
    pub window: Window,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    pub hits: Vec<Hit>,
    pub table: Option<TableView>,
    /// The help overlay's lines, when it scrolls.
    pub help: Option<Window>,
    /// The timeline's lanes.
    pub timeline: Option<Window>,
}

impl Layout {
    /// What a click at (`column`, `row`) means to the layer at `depth`: the last part it
    /// drew there (later parts lie on top of earlier ones).
    pub fn hit(&self, column: u16, row: u16, depth: usize) -> Option<Spot> {
        self.hits
            .iter()
            .rev()
            .find(|h| h.depth == depth && h.area.contains(column, row))
            .map(|h| h.spot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_given_layer_answers_and_later_parts_win() {
        let area = Area {
            x: 0,
            y: 3,
            width: 80,
            height: 1,
        };
        let marker = Area { width: 2, ..area };
        let layout = Layout {
            hits: vec![
                Hit {
                    area,
                    depth: 0,
                    spot: Spot::Row(4),
                },
                Hit {
                    area: marker,
                    depth: 0,
                    spot: Spot::Marker(4),
                },
            ],
            ..Layout::default()
        };
        assert_eq!(layout.hit(1, 3, 0), Some(Spot::Marker(4)));
        assert_eq!(layout.hit(2, 3, 0), Some(Spot::Row(4)));
        assert_eq!(layout.hit(79, 3, 0), Some(Spot::Row(4)));
        assert_eq!(layout.hit(80, 3, 0), None);
        assert_eq!(layout.hit(2, 4, 0), None);
        assert_eq!(
            layout.hit(2, 3, 1),
            None,
            "a dialog on top: the row is covered"
        );
    }
}

//! The `:` command palette: one text field over a fuzzy-ranked list of everything the page
//! can do (each command by its translated label and its settings name, with the key bound
//! to it) and every benefit (by product name or id). Enter runs the entry on top of the
//! ranking from the page, as its key would; Esc closes. Ranking is nucleo's (the matcher
//! helix and television use): contiguous and word-start matches first, so `e5` finds
//! "Microsoft 365 E5" before "Office 365 E3".

use super::{App, Command, Effect, Page, QuickFilter};
use crate::redeem::TextEdit;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// What a palette entry does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A command of the page, run as its key would run it.
    Command(Command),
    /// Show this benefit (an index into the page's catalog list) on its page.
    Benefit(Page, usize),
}

/// The palette layer: what is typed, the entries that match it best first, the selection.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Palette {
    pub query: String,
    pub matches: Vec<Target>,
    pub selected: usize,
}

/// The page's commands the palette offers: those the default page bindings name, the
/// pages first and moving the cursor last (among equal scores this order stands).
fn page_commands() -> Vec<Command> {
    let mut out: Vec<Command> = Vec::new();
    for c in super::keymap::page_commands() {
        if c != Command::Palette && !out.contains(&c) {
            out.push(c);
        }
    }
    out.sort_by_key(|c| match c {
        Command::CloudPage
        | Command::SoftwarePage
        | Command::HistoryPage
        | Command::ReconcilePage
        | Command::ConsumptionPage => 0,
        Command::Up
        | Command::Down
        | Command::PageUp
        | Command::PageDown
        | Command::Home
        | Command::End => 2,
        _ => 1,
    });
    out
}

impl Palette {
    pub fn open(app: &App) -> Palette {
        let mut p = Palette::default();
        p.refresh(app);
        p
    }

    /// Every entry, unranked: commands, then cloud, then software benefits.
    fn candidates(app: &App) -> impl Iterator<Item = Target> {
        let cloud = app.portfolio.catalog.cloud_benefits.len();
        let software = app.portfolio.catalog.software_benefits.len();
        page_commands()
            .into_iter()
            .map(Target::Command)
            .chain((0..cloud).map(|i| Target::Benefit(Page::Cloud, i)))
            .chain((0..software).map(|i| Target::Benefit(Page::Software, i)))
    }

    /// Rank the candidates against the query (all of them, in order, when it is empty).
    fn refresh(&mut self, app: &App) {
        self.selected = 0;
        if self.query.trim().is_empty() {
            self.matches = Self::candidates(app).collect();
            return;
        }
        let pattern = Pattern::parse(&self.query, CaseMatching::Ignore, Normalization::Smart);
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        let mut text = String::new();
        let mut scored: Vec<(u32, Target)> = Self::candidates(app)
            .filter_map(|target| {
                text.clear();
                haystack(app, target, &mut text);
                let score = pattern.score(Utf32Str::new(&text, &mut buf), &mut matcher)?;
                Some((score, target))
            })
            .collect();
        // Stable: among equal scores the candidates' own order stands.
        scored.sort_by_key(|s| std::cmp::Reverse(s.0));
        self.matches = scored.into_iter().map(|(_, t)| t).collect();
    }

    /// The entry Enter would run.
    pub fn chosen(&self) -> Option<Target> {
        self.matches.get(self.selected).copied()
    }
}

/// What an entry is matched on: the label the palette shows and the name or id beside it.
fn haystack(app: &App, target: Target, out: &mut String) {
    match target {
        Target::Command(c) => {
            out.push_str(app.t.text(c.help_id()));
            out.push(' ');
            out.push_str(c.name());
        }
        Target::Benefit(Page::Cloud, i) => {
            let b = app.portfolio.cloud(i);
            out.push_str(&b.product);
            out.push(' ');
            out.push_str(&b.id);
        }
        Target::Benefit(_, i) => {
            let b = app.portfolio.software(i);
            out.push_str(&b.product);
            out.push(' ');
            out.push_str(&b.id);
        }
    }
}

impl App {
    /// A command while the palette is on top.
    pub(super) fn palette_command(&mut self, c: Command) -> Option<Effect> {
        let Some(super::Layer::Palette(p)) = self.layers.last_mut() else {
            return None;
        };
        let last = p.matches.len().saturating_sub(1);
        match c {
            Command::Up => p.selected = p.selected.saturating_sub(1),
            Command::Down => p.selected = (p.selected + 1).min(last),
            Command::Home => p.selected = 0,
            Command::End => p.selected = last,
            Command::DeleteBack => return self.palette_edit(TextEdit::Backspace),
            Command::ClearField => return self.palette_edit(TextEdit::Clear),
            Command::Back | Command::Close => {
                self.layers.pop();
            }
            Command::Confirm => {
                let chosen = p.chosen();
                self.layers.pop();
                match chosen {
                    Some(Target::Command(c)) => return self.command(c),
                    Some(Target::Benefit(page, b)) => self.show_benefit(page, b),
                    None => self.notice = Some(super::Notice::Info("palette.no-match")),
                }
            }
            _ => {}
        }
        None
    }

    /// Typed or pasted text for the palette's field: the ranking follows it.
    pub(super) fn palette_edit(&mut self, edit: TextEdit) -> Option<Effect> {
        let Some(super::Layer::Palette(mut p)) = self.layers.pop() else {
            return None;
        };
        edit.apply(&mut p.query);
        p.refresh(self);
        self.layers.push(super::Layer::Palette(p));
        None
    }

    /// Bring benefit `b` of `page` into view and select it; a filter that hides it goes.
    fn show_benefit(&mut self, page: Page, b: usize) {
        self.page = page;
        if !self.table().rows.contains(&b) {
            self.filter.clear();
            self.quick = QuickFilter::All;
            self.refilter();
        }
        if let Some(pos) = self.table().rows.iter().position(|&r| r == b) {
            self.move_to(pos);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, Messages};

    fn app() -> App {
        let p = crate::domain::Portfolio::new(crate::catalog::demo());
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        App::new(p, today, Messages::get(Lang::EnUs))
    }

    fn ranked(app: &App, query: &str) -> Vec<Target> {
        let mut p = Palette {
            query: query.into(),
            ..Palette::default()
        };
        p.refresh(app);
        p.matches
    }

    #[test]
    fn an_id_or_a_name_finds_the_benefit_first() {
        let app = app();
        let e5 = (app.portfolio.catalog.cloud_benefits.iter())
            .position(|b| b.id == "m365-e5")
            .unwrap();
        assert_eq!(ranked(&app, "e5")[0], Target::Benefit(Page::Cloud, e5));
        assert_eq!(ranked(&app, "365 E5")[0], Target::Benefit(Page::Cloud, e5));
    }

    #[test]
    fn a_page_is_found_by_its_translated_title_and_a_command_by_its_name() {
        let app = app();
        assert_eq!(
            ranked(&app, "software")[0],
            Target::Command(Command::SoftwarePage)
        );
        assert_eq!(
            ranked(&app, "timeline")[0],
            Target::Command(Command::Timeline)
        );
        let mut nl = app;
        nl.t = Messages::get(Lang::NlNl);
        let title = nl.t.text("page.software").to_lowercase();
        assert_eq!(
            ranked(&nl, &title)[0],
            Target::Command(Command::SoftwarePage)
        );
    }

    #[test]
    fn an_empty_query_lists_every_command_then_every_benefit() {
        let app = app();
        let all = ranked(&app, "");
        let c = &app.portfolio.catalog;
        assert_eq!(
            all.len(),
            page_commands().len() + c.cloud_benefits.len() + c.software_benefits.len()
        );
        assert!(!all.contains(&Target::Command(Command::Palette)));
        assert!(ranked(&app, "zzzzqqq").is_empty());
    }
}

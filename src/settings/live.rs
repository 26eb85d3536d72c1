//! Settings in a running dashboard: applied at the start and again whenever the file
//! changes (the loop's tick asks), each time to the keymap, the theme, the language, the
//! pages' sort and the mouse. A file that cannot be used leaves everything as it was and
//! the notice says why; entries left at their defaults are named too.

use super::{Loaded, Settings, Watch};
use crate::app::{App, Notice, Page};
use crate::i18n::{Lang, Messages};
use crate::ui::Theme;
use std::sync::Arc;
use std::time::Instant;

pub struct Live {
    pub watch: Watch,
    pub current: Settings,
    /// `--lang`, which the settings' language does not override.
    pub lang_flag: Option<Lang>,
    /// The language without `--lang` or settings (the catalog's, then the environment's).
    pub fallback: Lang,
    /// Turns mouse reporting on or off in the terminal.
    pub set_mouse: Option<Box<dyn FnMut(bool)>>,
    /// What the first read of the file gave, until the dashboard is up.
    first: Option<Loaded>,
    /// The page the sort was last set for.
    page: Page,
}

impl Live {
    /// Read the file at `path` and watch it; the settings the dashboard starts with.
    pub fn start(path: std::path::PathBuf, lang_flag: Option<Lang>, fallback: Lang) -> Live {
        let t = Messages::get(lang_flag.unwrap_or(fallback));
        let (watch, loaded) = Watch::start(path, t);
        let current = match &loaded {
            Ok((s, _)) => s.clone(),
            Err(_) => Settings::default(),
        };
        Live {
            watch,
            current,
            lang_flag,
            fallback,
            set_mouse: None,
            first: Some(loaded),
            page: Page::Cloud,
        }
    }

    /// The language the dashboard speaks under these settings.
    pub fn lang(&self) -> Lang {
        self.lang_flag
            .or(self.current.language)
            .unwrap_or(self.fallback)
    }

    /// `base` (the terminal's depth and `--ascii`) in the settings' colours.
    pub fn theme(&self, base: &Theme) -> Theme {
        let s = &self.current;
        Theme::with(s.scheme, &s.colors, base.depth, base.ascii)
    }

    /// Apply the first read to a new app (and its theme).
    pub fn begin(&mut self, app: &mut App, theme: &mut Theme) {
        if let Some(first) = self.first.take() {
            self.take(first, app, theme, false);
        }
        app.sort = self.current.sort_of(app.page).unwrap_or(app.sort);
        app.refilter();
    }

    /// On the loop's tick: the file read again if it changed, and applied. True when the
    /// screen must be drawn again.
    pub fn tick(&mut self, app: &mut App, theme: &mut Theme, now: Instant) -> bool {
        let mut changed = false;
        if let Some(loaded) = self.watch.poll(now, app.t) {
            self.take(loaded, app, theme, true);
            changed = true;
        }
        changed | self.follow_page(app)
    }

    /// A page left at the sort its settings gave starts the next one at its own.
    fn follow_page(&mut self, app: &mut App) -> bool {
        if app.page == self.page {
            return false;
        }
        let before = self.current.sort_of(self.page);
        self.page = app.page;
        match self.current.sort_of(app.page) {
            Some(next) if before == Some(app.sort) && next != app.sort => {
                app.sort = next;
                app.refilter();
                true
            }
            _ => false,
        }
    }

    fn take(&mut self, loaded: Loaded, app: &mut App, theme: &mut Theme, reload: bool) {
        match loaded {
            Ok((settings, problems)) => {
                let old_sort = self.current.sort_of(app.page);
                let mouse_was = self.current.mouse;
                self.current = settings;
                app.keymap = Arc::new(self.current.keymap.clone());
                app.t = Messages::get(self.lang());
                *theme = self.theme(theme);
                let new_sort = self.current.sort_of(app.page);
                if reload && old_sort == Some(app.sort) && new_sort != old_sort {
                    app.sort = new_sort.unwrap_or(app.sort);
                    app.refilter();
                }
                if let Some(set) = &mut self.set_mouse
                    && (mouse_was != self.current.mouse || !reload)
                {
                    set(self.current.mouse);
                }
                app.notice = match problems.first() {
                    Some(p) => {
                        let more = match problems.len() - 1 {
                            0 => String::new(),
                            n => app.t.fmt("settings.more", &[("n", &n.to_string())]),
                        };
                        let problem = p.at(self.watch.path());
                        Some(Notice::Problem(app.t.fmt(
                            "settings.left-default",
                            &[("problem", &problem), ("more", &more)],
                        )))
                    }
                    None if reload => Some(Notice::Info("settings.applied")),
                    None => app.notice.take(),
                };
            }
            Err(p) => {
                let problem = p.at(self.watch.path());
                app.notice = Some(Notice::Problem(
                    app.t.fmt("settings.kept", &[("problem", &problem)]),
                ));
            }
        }
    }
}

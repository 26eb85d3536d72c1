//! The dashboard driven as the real loop drives it, without a terminal: each event goes
//! through `App::handle`, and a frame is drawn on ratatui's TestBackend after it, whose
//! layout the app reads on the next event. Writes go through the runtime worker to a real
//! ledger in a temporary directory (`with_ledger`), or are planned and applied in memory.

use benefits::app::{self, Action, App, Effect};
use benefits::domain::{Catalog, Portfolio};
use benefits::i18n::{Lang, Messages};
use benefits::input::{Event, Key};
use benefits::runtime::{self, Runtime};
use benefits::store::Store;
use benefits::ui::{self, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use std::time::Duration;

pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// The demo catalog, changed by `edit`.
pub fn demo_with(edit: impl FnOnce(&mut Catalog)) -> Portfolio {
    let mut catalog = benefits::catalog::demo();
    edit(&mut catalog);
    Portfolio::new(catalog)
}

pub struct Dash {
    pub app: App,
    pub theme: Theme,
    terminal: Terminal<TestBackend>,
    runtime: Option<Runtime>,
    _ledger: Option<tempfile::TempDir>,
}

/// `<Name>` is the key of that name (as a settings file writes it: `<Down>`, `<C-c>`,
/// `<S-Tab>`); any other character is typed.
pub fn keys(text: &str) -> Vec<Event> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(ch) = rest.chars().next() {
        let close = rest.strip_prefix('<').and_then(|r| r.find('>'));
        match close {
            Some(end) if end > 0 => {
                let key: Key = rest[1..=end].parse().unwrap_or_else(|e| panic!("{e}"));
                out.push(Event::Key(key));
                rest = &rest[end + 2..];
            }
            _ => {
                out.push(Event::Key(Key::char(ch)));
                rest = &rest[ch.len_utf8()..];
            }
        }
    }
    out
}

impl Dash {
    /// The demo at 100x30 in English.
    pub fn demo() -> Dash {
        Dash::new(demo_with(|_| {}), Lang::EnUs, (100, 30))
    }

    pub fn new(portfolio: Portfolio, lang: Lang, (w, h): (u16, u16)) -> Dash {
        let app = App::new(portfolio, today(), Messages::get(lang));
        let mut d = Dash {
            app,
            theme: Theme::default(),
            terminal: Terminal::new(TestBackend::new(w, h)).unwrap(),
            runtime: None,
            _ledger: None,
        };
        d.frame();
        d
    }

    /// Writes go to a fresh ledger through the runtime worker, as in the dashboard.
    pub fn with_ledger(mut self) -> Dash {
        let dir = tempfile::tempdir().unwrap();
        // Written at 09:30 UTC on the pinned day, so History's times are the same every run.
        let at = today().and_hms_opt(9, 30, 0).unwrap().and_utc();
        let store = Store::open(dir.path())
            .unwrap()
            .with_clock(benefits::store::Clock::Fixed(at));
        let app = &self.app;
        self.runtime = Some(
            Runtime::spawn(store, app.portfolio.last_seq, app.user.clone(), app.today).unwrap(),
        );
        self._ledger = Some(dir);
        self
    }

    pub fn resize(&mut self, w: u16, h: u16) {
        self.terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        self.send(Event::Resize(w, h));
    }

    /// One event, then a frame; the effect it asked for, not run.
    pub fn send(&mut self, event: Event) -> Option<Effect> {
        let effect = self.app.handle(&event);
        self.frame();
        effect
    }

    /// `keys(text)`, one frame after each; the effects they asked for, not run.
    pub fn press(&mut self, text: &str) -> Vec<Effect> {
        keys(text)
            .into_iter()
            .filter_map(|e| self.send(e))
            .collect()
    }

    /// `press`, running each write as it is asked for and taking its answer before the
    /// next key (a user who waits for the receipt).
    pub fn press_and_write(&mut self, text: &str) -> Vec<Effect> {
        let mut effects = Vec::new();
        for event in keys(text) {
            if let Some(e) = self.send(event) {
                self.write(e.clone());
                effects.push(e);
            }
        }
        effects
    }

    /// Run a write (through the ledger, or in memory) and apply its answers.
    pub fn write(&mut self, effect: Effect) {
        let Effect::Commit(write) = effect;
        match &mut self.runtime {
            Some(rt) => {
                rt.submit(write, std::sync::Arc::clone(&self.app.portfolio));
                rt.settle(&mut self.app, Duration::from_secs(30));
            }
            None => {
                for action in runtime::in_memory(&self.app, &write) {
                    app::update(&mut self.app, action);
                }
            }
        }
        self.frame();
    }

    pub fn update(&mut self, action: Action) -> Option<Effect> {
        let effect = app::update(&mut self.app, action);
        self.frame();
        effect
    }

    /// Draw a frame; the app takes its layout.
    pub fn frame(&mut self) -> &Buffer {
        let (app, theme) = (&self.app, &self.theme);
        let mut layout = None;
        self.terminal
            .draw(|f| layout = Some(ui::render(app, f, theme)))
            .unwrap();
        self.app.after_frame(layout.unwrap());
        self.terminal.backend().buffer()
    }

    /// The last frame's cells.
    pub fn buffer(&self) -> &Buffer {
        self.terminal.backend().buffer()
    }

    /// The last frame as text, lines trimmed at the end.
    pub fn screen(&self) -> String {
        text(self.buffer())
    }
}

/// The name of the benefit under the cursor (empty on the pages that list no benefits).
pub fn selected_name(d: &Dash) -> String {
    let Some(b) = d.app.selected_item() else {
        return String::new();
    };
    match d.app.page {
        app::Page::Cloud => d.app.portfolio.cloud(b).product.clone(),
        app::Page::Software => d.app.portfolio.software(b).product.clone(),
        app::Page::History | app::Page::Reconcile | app::Page::Consumption => String::new(),
    }
}

/// Who holds the Azure credit under the cursor, as the ledger has it now.
pub fn selected_credit_holder(d: &Dash) -> Option<String> {
    let b = d.app.selected_item()?;
    let credit = d.app.portfolio.cloud(b).credit.as_ref()?;
    credit.assigned_to.clone()
}

/// Move the cursor to the row of the benefit `name` on the current page.
pub fn select(d: &mut Dash, name: &str) {
    d.press("<Home>");
    for _ in 0..40 {
        if selected_name(d) == name {
            return;
        }
        d.press("<Down>");
    }
    panic!("{name} not found");
}

pub fn text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The screen line showing `needle`.
pub fn line_of(d: &Dash, needle: &str) -> String {
    let screen = d.screen();
    let line = screen.lines().find(|l| l.contains(needle));
    line.unwrap_or_else(|| panic!("{needle} not on screen:\n{screen}"))
        .to_string()
}

/// The row of the screen showing `needle`.
pub fn row_of(buf: &Buffer, needle: &str) -> u16 {
    (0..buf.area.height)
        .find(|y| {
            let line: String = (0..buf.area.width)
                .map(|x| buf[(x, *y)].symbol().to_string())
                .collect();
            line.contains(needle)
        })
        .unwrap_or_else(|| panic!("{needle} not on screen"))
}

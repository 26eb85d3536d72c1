//! The dashboard in-process at 120x40 (ratatui TestBackend), at 1k / 10k / 100k benefits:
//! a full draw of each page, and key press to finished frame for a row move, an expand,
//! a page switch and a filter keystroke. Each of those is done and undone per iteration
//! (two actions, two frames), so the state stays put: halve the time for one.

mod common;

use benefits::app::{self, Action, App, Command, Page};
use benefits::redeem::machine::TextEdit;
use benefits::ui::{self, Theme};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::Duration;

/// A frame, whose layout the app takes (as the loop does).
fn frame(terminal: &mut Terminal<TestBackend>, app: &mut App, theme: &Theme) {
    let mut layout = None;
    terminal
        .draw(|f| layout = Some(ui::render(app, f, theme)))
        .unwrap();
    app.after_frame(layout.unwrap_or_default());
}

/// One action, then its frame.
fn act(terminal: &mut Terminal<TestBackend>, app: &mut App, theme: &Theme, action: Action) {
    app::update(app, action);
    frame(terminal, app, theme);
}

fn cmd(c: Command) -> Action {
    Action::Command(c)
}

fn render(c: &mut Criterion) {
    let theme = Theme::default();
    let mut g = c.benchmark_group("dashboard_120x40");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for rows in [1_000, 10_000, 100_000] {
        let mut app = common::app(rows);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        for page in Page::ALL {
            app.page = page;
            g.bench_function(format!("draw_{page:?}/{rows}").to_lowercase(), |b| {
                b.iter(|| frame(&mut terminal, &mut app, &theme))
            });
        }
        app.page = Page::Cloud;
        let t = &mut terminal;
        g.bench_function(format!("row_move_x2/{rows}"), |b| {
            b.iter(|| {
                act(t, &mut app, &theme, cmd(Command::Down));
                act(t, &mut app, &theme, cmd(Command::Up));
            })
        });
        g.bench_function(format!("expand_collapse/{rows}"), |b| {
            b.iter(|| {
                act(t, &mut app, &theme, cmd(Command::Expand));
                act(t, &mut app, &theme, cmd(Command::Collapse));
            })
        });
        g.bench_function(format!("page_switch_x2/{rows}"), |b| {
            b.iter(|| {
                act(t, &mut app, &theme, cmd(Command::NextPage));
                act(t, &mut app, &theme, cmd(Command::PrevPage));
            })
        });
        // A live filter: type a letter, then take it back.
        app::update(&mut app, cmd(Command::Filter));
        app::update(&mut app, Action::Edit(TextEdit::Insert("Microsoft".into())));
        g.bench_function(format!("filter_keystroke_x2/{rows}"), |b| {
            b.iter(|| {
                act(
                    t,
                    &mut app,
                    &theme,
                    Action::Edit(TextEdit::Insert("3".into())),
                );
                act(t, &mut app, &theme, Action::Edit(TextEdit::Backspace));
            })
        });
    }
    g.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);

//! The Cloud services page at 120x40 (TestBackend): a full draw, one row move, an expand,
//! a filter keystroke, at 1k / 10k / 100k rows.

mod common;

use benefits::app::{self, Action};
use benefits::redeem::machine::TextEdit;
use benefits::ui::{self, Theme};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;

fn render(c: &mut Criterion) {
    let theme = Theme::default();
    let mut g = c.benchmark_group("cloud_page_120x40");
    g.sample_size(10);
    for rows in [1_000, 10_000, 100_000] {
        let catalog = common::catalog(rows);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();

        let mut app = common::app(catalog.clone());
        g.bench_function(format!("draw/{rows}"), |b| {
            b.iter(|| {
                terminal.draw(|f| ui::render(&app, f, &theme)).unwrap();
            })
        });
        // Move down and back up, so the selection stays put: two moves per iteration.
        g.bench_function(format!("row_move_x2/{rows}"), |b| {
            b.iter(|| {
                black_box(app::update(&mut app, Action::Down));
                black_box(app::update(&mut app, Action::Up));
            })
        });
        g.bench_function(format!("expand_collapse/{rows}"), |b| {
            b.iter(|| {
                black_box(app::update(&mut app, Action::Expand));
                black_box(app::update(&mut app, Action::Collapse));
            })
        });
        g.bench_function(format!("row_move_and_draw/{rows}"), |b| {
            b.iter(|| {
                app::update(&mut app, Action::Down);
                terminal.draw(|f| ui::render(&app, f, &theme)).unwrap();
                app::update(&mut app, Action::Up);
            })
        });
        // One filter keystroke (type a letter, then take it back), on a live filter.
        app::update(&mut app, Action::Filter);
        app::update(
            &mut app,
            Action::FilterEdit(TextEdit::Insert("Microsoft".into())),
        );
        g.bench_function(format!("filter_keystroke_x2/{rows}"), |b| {
            b.iter(|| {
                app::update(&mut app, Action::FilterEdit(TextEdit::Insert("3".into())));
                app::update(&mut app, Action::FilterEdit(TextEdit::Backspace));
            })
        });
    }
    g.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);

//! What Microsoft Graph said about a History redemption (the Reconcile page's result,
//! the rule `benefits reconcile` prints): on the row ✓ when the first observation of its
//! subscription after it bore the preview out, ✗ when it did not, no mark while it is not
//! observed yet; in the entry's details what the mark means, with both numbers on a
//! mismatch.

use super::{INDENT, field};
use crate::app::App;
use crate::domain::observation::{Reconciled, Verdict};
use crate::ui::theme::Theme;
use ratatui::text::{Line, Span};

/// The row's mark: one cell, blank unless Graph has answered for this redemption.
pub fn mark(app: &App, seq: i64, theme: &Theme) -> Span<'static> {
    match app.reconcile.verdict_of(seq) {
        Some(Verdict::Match { .. }) => Span::styled(ok(theme), theme.ok()),
        Some(Verdict::Mismatch { .. }) => Span::styled(differs(theme), theme.error()),
        Some(Verdict::NotObservedYet) | None => Span::raw(" "),
    }
}

fn ok(theme: &Theme) -> &'static str {
    theme.glyph("✓", "+")
}

fn differs(theme: &Theme) -> &'static str {
    theme.refused_symbol()
}

/// The details' lines on Graph's answer: none for an entry that is not a redemption, nor
/// while nothing was ever imported from Graph (then every redemption is unobserved, and
/// saying so on each would only be noise).
pub fn details(app: &App, seq: i64, theme: &Theme) -> Vec<Line<'static>> {
    let Some(r) = app.reconcile.result_of(seq) else {
        return Vec::new();
    };
    if r.verdict == Verdict::NotObservedYet && !app.history_facts.imports {
        return Vec::new();
    }
    let t = app.t;
    let label = t.text("reconcile.observed");
    let mut out = match &r.verdict {
        Verdict::Match { observed_seq } => vec![field(
            label,
            format!(
                "{} {}",
                ok(theme),
                t.fmt(
                    "history.graph-match",
                    &[
                        ("entry", &format!("#{observed_seq}")),
                        ("licenses", &t.number(r.previewed_licenses.into())),
                        ("date", &t.date(r.previewed_end_date)),
                    ],
                )
            ),
            theme,
        )],
        Verdict::Mismatch {
            observed_seq,
            observed_licenses,
            observed_end_date,
            observed_status,
        } => mismatch(
            app,
            r,
            *observed_seq,
            *observed_licenses,
            *observed_end_date,
            *observed_status,
            theme,
        ),
        Verdict::NotObservedYet => vec![field(
            label,
            t.text("history.graph-not-observed").to_string(),
            theme,
        )],
    };
    let legend = t.fmt(
        "history.graph-legend",
        &[("ok", ok(theme)), ("differs", differs(theme))],
    );
    out.push(Line::from(vec![
        Span::raw(INDENT),
        Span::styled(legend, theme.dim()),
    ]));
    out
}

/// Both numbers of what differs: licenses and end date as previewed and as reported, and
/// the status Graph reported.
fn mismatch(
    app: &App,
    r: &Reconciled,
    observed_seq: i64,
    licenses: u32,
    end: Option<chrono::NaiveDate>,
    status: crate::domain::observation::GraphStatus,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let t = app.t;
    let both = |what: &str, previewed: String, reported: String| {
        let text = t.fmt(
            "history.graph-both",
            &[("previewed", &previewed), ("reported", &reported)],
        );
        field(what, text, theme)
    };
    vec![
        field(
            t.text("reconcile.observed"),
            format!(
                "{} {}",
                differs(theme),
                t.fmt(
                    "history.graph-mismatch",
                    &[("entry", &format!("#{observed_seq}"))]
                )
            ),
            theme,
        ),
        both(
            t.text("label.total-licenses"),
            t.number(r.previewed_licenses.into()),
            t.number(licenses.into()),
        ),
        both(
            t.text("label.end-date"),
            t.date(r.previewed_end_date),
            end.map_or_else(|| "-".to_string(), |d| t.date(d)),
        ),
        field(
            t.text("history.graph-status"),
            format!("{} ({})", status.as_str(), t.status(status.lifecycle())),
            theme,
        ),
    ]
}

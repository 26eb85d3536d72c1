//! `benefits calendar [--out FILE]`: every activate-by date and every subscription end
//! date as an all-day iCalendar event with reminders 30 and 7 days before, for Outlook and
//! Google Calendar. A UID is made of the kind of date, the benefit's or subscription's id
//! and the partner id, so importing a newer file updates the events instead of adding
//! copies; DTSTAMP is the day it was made (`--today`), so the same state gives the same file.

use super::ical::{Ics, uid_part};
use super::{Env, Failure, open_session};
use crate::domain::Portfolio;
use crate::domain::summary::source_label;
use chrono::{Days, NaiveDate};
use serde_json::json;
use std::path::Path;

/// Reminders, in days before the date.
pub const ALARM_DAYS: [u32; 2] = [30, 7];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    ActivateBy,
    SubscriptionEnd,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::ActivateBy => "activate-by",
            Kind::SubscriptionEnd => "subscription-end",
        }
    }
}

struct Event {
    uid: String,
    kind: Kind,
    date: NaiveDate,
    benefit: String,
    subscription: Option<String>,
    summary: String,
    description: Vec<String>,
}

pub fn run(env: &Env, out: Option<&Path>) -> Result<(), Failure> {
    let s = open_session(env)?;
    let events = events(&s.portfolio, env);
    let ics = render(&s.portfolio, env, &events);
    if let Some(path) = out {
        write_atomically(path, ics.as_bytes())?;
    }
    if env.json {
        let events: Vec<_> = (events.iter())
            .map(|e| {
                json!({"uid": e.uid, "kind": e.kind.as_str(), "date": e.date.to_string(),
                       "benefit": e.benefit, "subscription": e.subscription,
                       "summary": e.summary, "alarms_days_before": ALARM_DAYS})
            })
            .collect();
        outln!(
            "{}",
            json!({"events": events, "out": out.map(|p| p.display().to_string())})
        );
    } else if out.is_none() {
        out!("{ics}");
    }
    Ok(())
}

fn events(p: &Portfolio, env: &Env) -> Vec<Event> {
    let t = env.t();
    let partner = uid_part(&p.catalog.organization.partner_id);
    let uid =
        |kind: Kind, id: &str| format!("{}-{}@{partner}.benefits", kind.as_str(), uid_part(id));
    let line = |label: &str, value: &str| format!("{}: {value}", t.text(label));
    let mut events = Vec::new();
    let benefits = (p.catalog.cloud_benefits.iter())
        .map(|b| {
            let quantity = match (&b.license, &b.credit) {
                (Some(l), _) => t.fmt("quantity.licenses", &[("n", &l.quantity.to_string())]),
                (_, Some(c)) => format!("${}", c.amount_usd),
                _ => String::new(),
            };
            (&b.id, &b.product, &b.offer, b.activate_by, quantity)
        })
        .chain(p.catalog.software_benefits.iter().map(|b| {
            let quantity = t.fmt("quantity.activations", &[("n", &b.quantity.to_string())]);
            (&b.id, &b.product, &b.offer, b.activate_by, quantity)
        }));
    for (id, product, offer, date, quantity) in benefits {
        events.push(Event {
            uid: uid(Kind::ActivateBy, id),
            kind: Kind::ActivateBy,
            date,
            benefit: id.clone(),
            subscription: None,
            summary: t.fmt("calendar.activate-by", &[("product", product)]),
            description: vec![
                line("col.source", &source_label(p, offer)),
                line("col.quantity", &quantity),
            ],
        });
    }
    for b in &p.catalog.cloud_benefits {
        for sub in b.license.iter().flat_map(|l| &l.subscriptions) {
            let tenant = (p.tenant(&sub.tenant)).map_or(sub.tenant.as_str(), |t| &t.domain);
            let licenses = t.fmt("quantity.licenses", &[("n", &sub.licenses.to_string())]);
            events.push(Event {
                uid: uid(Kind::SubscriptionEnd, &sub.id),
                kind: Kind::SubscriptionEnd,
                date: sub.end_date,
                benefit: b.id.clone(),
                subscription: Some(sub.id.clone()),
                summary: t.fmt(
                    "calendar.subscription-end",
                    &[("product", &b.product), ("subscription", &sub.id)],
                ),
                description: vec![
                    line("label.tenant", tenant),
                    line("col.quantity", &licenses),
                    line("col.status", t.status(sub.status(env.today))),
                ],
            });
        }
    }
    events.sort_by(|a, b| (a.date, &a.uid).cmp(&(b.date, &b.uid)));
    events
}

fn render(p: &Portfolio, env: &Env, events: &[Event]) -> String {
    let t = env.t();
    let day = |d: NaiveDate| d.format("%Y%m%d").to_string();
    let mut ics = Ics::default();
    ics.raw("BEGIN", "VCALENDAR");
    ics.raw("VERSION", "2.0");
    ics.text(
        "PRODID",
        &format!("-//benefits//benefits {}//EN", env!("CARGO_PKG_VERSION")),
    );
    ics.raw("CALSCALE", "GREGORIAN");
    ics.raw("METHOD", "PUBLISH");
    let name = &p.catalog.organization.name;
    ics.text(
        "X-WR-CALNAME",
        &t.fmt("calendar.name", &[("organization", name)]),
    );
    let stamp = format!("{}T000000Z", day(env.today));
    for e in events {
        ics.raw("BEGIN", "VEVENT");
        ics.text("UID", &e.uid);
        ics.raw("DTSTAMP", &stamp);
        ics.raw("DTSTART;VALUE=DATE", &day(e.date));
        // DTEND of an all-day event is the next day (exclusive); the calendar's last day
        // has none, which RFC 5545 reads as one day too.
        if let Some(next) = e.date.checked_add_days(Days::new(1)) {
            ics.raw("DTEND;VALUE=DATE", &day(next));
        }
        ics.text("SUMMARY", &e.summary);
        ics.text_lines("DESCRIPTION", &e.description);
        ics.raw("TRANSP", "TRANSPARENT");
        let reminder = t.fmt(
            "calendar.reminder",
            &[("summary", &e.summary), ("date", &t.date(e.date))],
        );
        for days in ALARM_DAYS {
            ics.raw("BEGIN", "VALARM");
            ics.raw("ACTION", "DISPLAY");
            ics.text("DESCRIPTION", &reminder);
            ics.raw("TRIGGER", &format!("-P{days}D"));
            ics.raw("END", "VALARM");
        }
        ics.raw("END", "VEVENT");
    }
    ics.raw("END", "VCALENDAR");
    ics.finish()
}

/// Write to a temporary file beside `path`, flush it to disk, then rename it over `path`:
/// a reader (or a calendar subscribed to the file) sees the old file or the new, never half.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    use std::io::Write;
    let shown = crate::ui::text::clean(&path.display().to_string());
    let fail = |e: std::io::Error| {
        Failure::error(
            "io",
            format!("cannot write {shown}: {e}; fix: choose a file in a directory you can write"),
        )
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

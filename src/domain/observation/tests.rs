use super::*;
use crate::domain::ledger::{Entry, Mode, Target, Totals};
use crate::domain::{Portfolio, SubscriptionStatus};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[test]
fn graph_end_date_is_the_utc_date_of_next_lifecycle_one_day_earlier_at_midnight() {
    assert_eq!(end_date(at("2027-04-01T00:00:00Z")), d("2027-03-31"));
    assert_eq!(end_date(at("2027-04-01T00:00:01Z")), d("2027-04-01"));
    assert_eq!(end_date(at("2027-04-01T23:59:59Z")), d("2027-04-01"));
    // The UTC date: 01:00 in Amsterdam on April 1 is still March 31 in UTC.
    assert_eq!(end_date(at("2027-04-01T01:00:00+02:00")), d("2027-03-31"));
    assert_eq!(end_date(at("2027-04-01T02:00:00+02:00")), d("2027-03-31"));
    assert_eq!(end_date(at("2027-03-01T00:00:00.000Z")), d("2027-02-28"));
}

#[test]
fn graph_status_maps_to_the_lifecycle() {
    use SubscriptionStatus::*;
    let pairs = [
        (GraphStatus::Enabled, Active),
        (GraphStatus::Warning, Expired),
        (GraphStatus::Suspended, Disabled),
        (GraphStatus::LockedOut, NoActiveSubscription),
        (GraphStatus::Deleted, NoActiveSubscription),
    ];
    for (g, s) in pairs {
        assert_eq!(g.lifecycle(), s, "{g:?}");
        assert_eq!(GraphStatus::parse(g.as_str()), Some(g));
        assert_eq!(serde_json::to_value(g).unwrap().as_str(), Some(g.as_str()));
    }
    assert_eq!(GraphStatus::LockedOut.as_str(), "LockedOut");
}

fn observation(sub: &str, status: GraphStatus, licenses: u32, end: Option<&str>) -> Observation {
    Observation {
        graph_id: format!("g-{sub}"),
        sku: "SPE_E3".into(),
        product: "Microsoft 365 E3".into(),
        tenant: "contoso".into(),
        subscription: sub.into(),
        graph_only: false,
        status,
        licenses,
        end_date: end.map(d),
        next_lifecycle: None,
        is_trial: false,
        consumed: None,
    }
}

fn import(date: &str, observations: Vec<Observation>) -> Entry {
    Entry::GraphImport {
        date: d(date),
        imported_at: format!("{date}T08:00:00Z"),
        sources: vec![Source {
            name: "subs.json".into(),
            sha256: "00".repeat(32),
        }],
        observations,
        unmatched: vec![],
        user: "ada@contoso.onmicrosoft.com".into(),
    }
}

fn redemption(sub: &str, licenses: u32, end: &str) -> Entry {
    Entry::Redemption {
        key_fingerprint: "fp".into(),
        key_masked: "M3E3A-*****-*****-*****-K25LA".into(),
        benefit: "m365-e3".into(),
        target: Target::Existing {
            subscription: sub.into(),
        },
        tenant: "contoso".into(),
        mode: Mode::AddLicenses,
        key_licenses: 25,
        before: None,
        after: Totals {
            total_licenses: licenses,
            end_date: d(end),
        },
        date: d("2026-11-23"),
        user: "ada@contoso.onmicrosoft.com".into(),
        location: None,
    }
}

#[test]
fn the_latest_observation_wins_over_the_catalog_and_its_status_over_the_dates() {
    let mut p = Portfolio::new(crate::catalog::demo());
    let today = d("2026-11-23");
    p.apply(
        1,
        &import(
            "2026-11-20",
            vec![observation(
                "contoso-m365-e3",
                GraphStatus::Enabled,
                120,
                Some("2027-05-31"),
            )],
        ),
    );
    p.apply(
        2,
        &import(
            "2026-11-22",
            vec![observation(
                "contoso-m365-e3",
                GraphStatus::Suspended,
                110,
                None,
            )],
        ),
    );
    assert!(p.mismatches.is_empty(), "{:?}", p.mismatches);
    let (_, s) = p.subscription("contoso-m365-e3").unwrap();
    assert_eq!(
        (s.licenses, s.end_date),
        (110, d("2027-05-31")),
        "no end date reported: the last one stays"
    );
    // Active by its dates, Disabled as Graph reports it.
    assert_eq!(s.status(today), SubscriptionStatus::Disabled);
    assert_eq!(s.observed.as_ref().unwrap().date, d("2026-11-22"));
}

#[test]
fn an_observation_of_a_subscription_known_only_from_graph_adds_it() {
    let mut p = Portfolio::new(crate::catalog::demo());
    let mut o = observation("g-new", GraphStatus::Enabled, 7, Some("2027-08-15"));
    o.graph_only = true;
    p.apply(1, &import("2026-11-20", vec![o.clone()]));
    let (b, s) = p.subscription("g-new").unwrap();
    assert_eq!(
        (b.id.as_str(), s.tenant.as_str(), s.licenses),
        ("m365-e3", "contoso", 7)
    );
    assert_eq!(s.graph_id.as_deref(), Some("g-g-new"));
    // A later import of it updates it instead of adding another.
    o.licenses = 9;
    p.apply(2, &import("2026-11-21", vec![o]));
    assert_eq!(
        p.subscriptions_of_product("Microsoft 365 E3")
            .filter(|s| s.id == "g-new")
            .count(),
        1
    );
    assert_eq!(p.subscription("g-new").unwrap().1.licenses, 9);
}

#[test]
fn reconcile_is_match_mismatch_or_not_observed_yet() {
    let entries = vec![
        (1, redemption("contoso-m365-e3", 125, "2027-05-17")),
        (2, redemption("lab-m365-bp", 15, "2029-01-15")),
        (
            3,
            import(
                "2026-11-24",
                vec![observation(
                    "contoso-m365-e3",
                    GraphStatus::Enabled,
                    125,
                    Some("2027-05-17"),
                )],
            ),
        ),
        (4, redemption("contoso-m365-e5", 50, "2027-11-23")),
        (
            5,
            import(
                "2026-11-25",
                vec![
                    observation(
                        "contoso-m365-e5",
                        GraphStatus::Enabled,
                        50,
                        Some("2027-11-24"),
                    ),
                    observation(
                        "contoso-m365-e3",
                        GraphStatus::Enabled,
                        1,
                        Some("2027-01-01"),
                    ),
                ],
            ),
        ),
    ];
    let r = reconcile(&entries);
    assert_eq!(r.len(), 3);
    // The first observation after a redemption decides it, not a later one.
    assert_eq!(r[0].verdict, Verdict::Match { observed_seq: 3 });
    assert_eq!(r[1].verdict, Verdict::NotObservedYet);
    assert_eq!(
        r[2].verdict,
        Verdict::Mismatch {
            observed_seq: 5,
            observed_licenses: 50,
            observed_end_date: Some(d("2027-11-24")),
            observed_status: GraphStatus::Enabled,
        }
    );
    assert!(r[2].is_mismatch() && !r[0].is_mismatch());
    // An observation before the redemption does not count for it.
    let before = vec![
        entries[2].clone(),
        (9, redemption("contoso-m365-e3", 125, "2027-05-17")),
    ];
    assert_eq!(reconcile(&before)[0].verdict, Verdict::NotObservedYet);
}

#[test]
fn reconcile_counts_the_first_observation_of_a_subscription_within_one_import() {
    let entries = vec![
        (1, redemption("contoso-m365-e3", 125, "2027-05-17")),
        (
            2,
            import(
                "2026-11-24",
                vec![
                    observation(
                        "contoso-m365-e3",
                        GraphStatus::Enabled,
                        125,
                        Some("2027-05-17"),
                    ),
                    observation(
                        "contoso-m365-e3",
                        GraphStatus::Enabled,
                        9,
                        Some("2027-05-17"),
                    ),
                ],
            ),
        ),
    ];
    assert_eq!(
        reconcile(&entries)[0].verdict,
        Verdict::Match { observed_seq: 2 }
    );
}

/// The rule as it reads: for each redemption, scan forward for the first later import
/// that observed its subscription (quadratic; the oracle for the one-pass version).
fn reconcile_by_scanning(entries: &[(i64, Entry)]) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, (_, e)) in entries.iter().enumerate() {
        let Entry::Redemption { target, after, .. } = e else {
            continue;
        };
        let first = entries[i + 1..].iter().find_map(|(s, later)| match later {
            Entry::GraphImport { observations, .. } => (observations.iter())
                .find(|o| o.subscription == target.subscription_id())
                .map(|o| (*s, o)),
            _ => None,
        });
        out.push(match first {
            None => Verdict::NotObservedYet,
            Some((s, o)) if bears_out(o, after.total_licenses, after.end_date) => {
                Verdict::Match { observed_seq: s }
            }
            Some((s, o)) => Verdict::Mismatch {
                observed_seq: s,
                observed_licenses: o.licenses,
                observed_end_date: o.end_date,
                observed_status: o.status,
            },
        });
    }
    out
}

proptest::proptest! {
    #[test]
    fn reconcile_in_one_pass_agrees_with_scanning_forward_from_each_redemption(
        ops in proptest::collection::vec((0u8..2, 0usize..3, 1u32..4, 0usize..2), 0..40)
    ) {
        let subs = ["contoso-m365-e3", "contoso-m365-e5", "lab-m365-bp"];
        let ends = ["2027-05-17", "2027-11-24"];
        let entries: Vec<(i64, Entry)> = (ops.iter().enumerate())
            .map(|(i, &(kind, sub, licenses, end))| {
                let e = if kind == 0 {
                    redemption(subs[sub], licenses, ends[end])
                } else {
                    let o = observation(subs[sub], GraphStatus::Enabled, licenses, Some(ends[end]));
                    import("2026-11-24", vec![o])
                };
                (i as i64 + 1, e)
            })
            .collect();
        let fast: Vec<Verdict> = reconcile(&entries).into_iter().map(|r| r.verdict).collect();
        proptest::prop_assert_eq!(fast, reconcile_by_scanning(&entries));
    }
}

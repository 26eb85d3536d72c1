use super::*;
use crate::domain::SubscriptionStatus;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn active(a: u32, end: &str) -> Totals {
    Totals {
        total_licenses: a,
        end_date: d(end),
    }
}

// --- Seed scenarios (Cloud services, "Licensing scenarios") ---

#[test]
fn seed_scenario_1_extend_100_licenses_with_25_adds_3_months() {
    let o = extend(active(100, "2027-03-31"), 25).unwrap();
    assert_eq!(o.after, active(100, "2027-06-30"));
}

#[test]
fn seed_scenario_2_extend_100_licenses_with_100_adds_12_months() {
    let o = extend(active(100, "2027-03-31"), 100).unwrap();
    assert_eq!(o.after, active(100, "2028-03-31"));
}

#[test]
fn seed_scenario_3_extend_5_licenses_with_10_adds_24_months() {
    let o = extend(active(5, "2027-03-31"), 10).unwrap();
    assert_eq!(o.after, active(5, "2029-03-31"));
}

#[test]
fn seed_scenario_4_extend_with_more_than_3x_is_refused() {
    let r = extend(active(100, "2027-03-31"), 301).unwrap_err();
    assert_eq!(r.code, RefusalCode::ExtensionExceedsThreeYears);
}

#[test]
fn extend_at_exactly_3x_is_allowed_and_adds_36_months() {
    let o = extend(active(100, "2027-03-31"), 300).unwrap();
    assert_eq!(o.after.end_date, d("2030-03-31"));
}

// --- Mode 1: Activate ---

#[test]
fn activate_gives_key_licenses_and_twelve_months_from_today() {
    let o = activate(25, d("2026-11-23"));
    assert_eq!(o.after, active(25, "2027-11-23"));
}

#[test]
fn activate_refused_on_active_subscription() {
    let r = compute(
        Mode::Activate,
        TargetState::Active(active(5, "2027-01-01")),
        5,
        d("2026-11-23"),
    )
    .unwrap_err();
    assert_eq!(r.code, RefusalCode::SubscriptionActive);
}

#[test]
fn activate_allowed_on_expired_disabled_and_no_active_subscription() {
    for status in [
        SubscriptionStatus::Expired,
        SubscriptionStatus::Disabled,
        SubscriptionStatus::NoActiveSubscription,
    ] {
        let o = compute(
            Mode::Activate,
            TargetState::Inactive {
                status,
                current: Some(active(7, "2026-10-01")),
            },
            25,
            d("2026-11-23"),
        )
        .unwrap();
        assert_eq!(o.after, active(25, "2027-11-23"));
    }
}

#[test]
fn extend_and_add_refused_unless_active() {
    for mode in [Mode::Extend, Mode::AddLicenses] {
        let r = compute(
            mode,
            TargetState::Inactive {
                status: SubscriptionStatus::Expired,
                current: None,
            },
            25,
            d("2026-11-23"),
        )
        .unwrap_err();
        assert_eq!(r.code, RefusalCode::SubscriptionNotActive);
    }
}

// --- Mode 2: Extend, the fraction ---

#[test]
fn extend_fraction_adds_floor_of_fraction_times_days_of_following_month() {
    // A=7, C=2: 24/7 = 3 months + 3/7; E=2027-01-15 → 2027-04-15; L = days to 2027-05-15 = 30;
    // floor(3/7 × 30) = floor(12.857) = 12 days → 2027-04-27.
    let o = extend(active(7, "2027-01-15"), 2).unwrap();
    assert_eq!(o.after.end_date, d("2027-04-27"));
    match o.explanation {
        Explanation::Extend {
            months,
            fraction_numerator,
            next_month_days,
            extra_days,
            ..
        } => {
            assert_eq!(
                (months, fraction_numerator, next_month_days, extra_days),
                (3, 3, 30, 12)
            );
        }
        _ => panic!("wrong explanation"),
    }
}

#[test]
fn extend_keeps_total_licenses() {
    let o = extend(active(40, "2027-01-15"), 10).unwrap();
    assert_eq!(o.after.total_licenses, 40);
}

// --- Month arithmetic convention ---

#[test]
fn month_arithmetic_clamps_to_last_day_of_month() {
    assert_eq!(add_months(d("2027-01-31"), 1), d("2027-02-28"));
    assert_eq!(add_months(d("2028-01-31"), 1), d("2028-02-29"));
    assert_eq!(add_months(d("2027-08-31"), 1), d("2027-09-30"));
}

#[test]
fn month_arithmetic_is_one_step_from_the_original_date() {
    // Month by month would give Jan 31 → Feb 28 → Mar 28; one step gives Mar 31.
    assert_eq!(add_months(d("2027-01-31"), 2), d("2027-03-31"));
    let o = extend(active(12, "2027-01-31"), 2).unwrap();
    assert_eq!(o.after.end_date, d("2027-03-31"));
}

#[test]
fn leap_day_plus_twelve_months_is_feb_28() {
    assert_eq!(activate(1, d("2028-02-29")).after.end_date, d("2029-02-28"));
}

// --- Mode 3: Add licenses ---

#[test]
fn add_licenses_averages_end_dates_weighted_by_licenses() {
    // today 2026-11-23, E = 2027-03-31: B = 128; T = 365. A=100, C=25:
    // R = floor((100×128 + 25×365)/125) = floor(21925/125) = 175 → 2027-05-17.
    let o = add_licenses(active(100, "2027-03-31"), 25, d("2026-11-23")).unwrap();
    assert_eq!(o.after, active(125, "2027-05-17"));
    assert_eq!(
        o.warnings,
        vec![Warning::LessThanTwelveMonths { days: 175 }]
    );
}

#[test]
fn add_licenses_warns_when_less_than_twelve_months_left() {
    let o = add_licenses(active(10, "2027-01-01"), 10, d("2026-11-23")).unwrap();
    assert!(matches!(
        o.warnings[..],
        [Warning::LessThanTwelveMonths { .. }]
    ));
}

#[test]
fn add_licenses_no_warning_when_a_full_year_remains() {
    let o = add_licenses(active(10, "2028-01-01"), 10, d("2026-11-23")).unwrap();
    assert!(o.warnings.is_empty());
}

#[test]
fn extend_refused_on_subscription_without_licenses() {
    let r = extend(active(0, "2027-01-01"), 1).unwrap_err();
    assert_eq!(r.code, RefusalCode::NoLicensesOnSubscription);
}

// --- Properties ---

fn date() -> impl Strategy<Value = NaiveDate> {
    (2000i32..2100, 1u32..=12, 1u32..=31).prop_map(|(y, m, day)| {
        (0..4)
            .find_map(|back| NaiveDate::from_ymd_opt(y, m, day - back.min(day - 1)))
            .unwrap()
    })
}

proptest! {
    #[test]
    fn prop_add_licenses_conserves_license_days_within_rounding(
        a in 1u32..10_000, c in 1u32..10_000, today in date(), ahead in 0i64..1200,
    ) {
        let end = today + chrono::Duration::days(ahead);
        let o = add_licenses(Totals { total_licenses: a, end_date: end }, c, today).unwrap();
        let (a, c) = (i64::from(a), i64::from(c));
        let t = (add_months(today, 12) - today).num_days();
        let r = (o.after.end_date - today).num_days();
        let before = a * ahead + c * t;
        let after = (a + c) * r;
        // No time added; lost only to the floor, i.e. less than one day per license.
        prop_assert!(after <= before && before - after < a + c);
        prop_assert_eq!(o.after.total_licenses as i64, a + c);
    }

    #[test]
    fn prop_extend_boundary_is_exactly_three_times(a in 1u32..5_000, c in 1u32..20_000, end in date()) {
        let r = extend(Totals { total_licenses: a, end_date: end }, c);
        prop_assert_eq!(r.is_ok(), u64::from(c) <= 3 * u64::from(a));
        if let Ok(o) = r {
            prop_assert!(o.after.end_date <= add_months(end, 36));
            prop_assert!(o.after.end_date >= end);
        }
    }

    #[test]
    fn prop_extend_whole_multiples_are_whole_months(a in 1u32..1000, k in 1u32..=36, end in date()) {
        // C = k·A/12 exactly when 12 | k·A: then the result is E + k months, clamped.
        prop_assume!((k * a) % 12 == 0);
        let o = extend(Totals { total_licenses: a, end_date: end }, k * a / 12).unwrap();
        prop_assert_eq!(o.after.end_date, add_months(end, k));
    }

    #[test]
    fn prop_month_end_clamping_never_overflows_the_month(start in date(), m in 0u32..60) {
        let r = add_months(start, m);
        use chrono::Datelike;
        let months_between = (r.year() - start.year()) * 12 + r.month() as i32 - start.month() as i32;
        prop_assert_eq!(months_between, m as i32);
        // The same day of the month, or the month's last day when it is shorter: computed
        // here without chrono's month arithmetic, as the first of the next month less a day.
        let (ny, nm) = if r.month() == 12 { (r.year() + 1, 1) } else { (r.year(), r.month() + 1) };
        let last = NaiveDate::from_ymd_opt(ny, nm, 1).unwrap().pred_opt().unwrap().day();
        prop_assert_eq!(r.day(), start.day().min(last), "{} + {} months = {}", start, m, r);
    }

    #[test]
    fn prop_results_never_before_today_for_an_active_subscription(
        a in 1u32..1000, c in 1u32..3000, today in date(), ahead in 0i64..1000,
    ) {
        let t = Totals { total_licenses: a, end_date: today + chrono::Duration::days(ahead) };
        for (_, r) in preview_all(TargetState::Active(t), c, today) {
            if let Ok(o) = r {
                prop_assert!(o.after.end_date >= today);
                prop_assert!(o.after.total_licenses >= a);
            }
        }
    }
}

#[test]
fn add_licenses_past_the_largest_total_is_refused_never_capped() {
    let today = d("2026-11-23");
    let active = Totals {
        total_licenses: u32::MAX,
        end_date: d("2027-03-31"),
    };
    let r = add_licenses(active, 1, today).unwrap_err();
    assert_eq!(r.code, RefusalCode::LicenseTotalTooLarge);
    let near = Totals {
        total_licenses: u32::MAX - 25,
        ..active
    };
    assert_eq!(
        add_licenses(near, 25, today).unwrap().after.total_licenses,
        u32::MAX
    );
    assert!(add_licenses(near, 26, today).is_err());
}

proptest! {
    /// Over the whole u32 range: add licenses gives exactly A + C or refuses; it never
    /// writes a capped or wrapped total.
    #[test]
    fn prop_add_licenses_total_is_exact_or_refused(a in any::<u32>(), c in any::<u32>()) {
        let active = Totals { total_licenses: a, end_date: d("2027-03-31") };
        match add_licenses(active, c, d("2026-11-23")) {
            Ok(o) => prop_assert_eq!(u64::from(o.after.total_licenses), u64::from(a) + u64::from(c)),
            Err(r) => {
                prop_assert_eq!(r.code, RefusalCode::LicenseTotalTooLarge);
                prop_assert!(u64::from(a) + u64::from(c) > u64::from(u32::MAX));
            }
        }
    }
}

//! `benefits generate-catalog`: a deterministic, valid catalog of any size, for benchmarks
//! and load tests. Same rows, seed and date → byte-identical output. Streams through a
//! `BufWriter`; time is linear in the number of rows and nothing is held per row.
//! `benefits generate-ledger`: a past of many operations on such a catalog, in the store.

use crate::domain::{Entry, MachineChange, Os, Portfolio, ProductKey};
use crate::redeem::Operation;
use crate::redeem::rules::{self, Ctx};
use chrono::{Datelike, Duration, NaiveDate};
use std::io::{self, Write};

/// SplitMix64: tiny, deterministic, good enough to spread test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
}

const ALPHABET: &[u8; 32] = b"BCDFGHJKMNPQRTVWXY2346789ACEILSZ";
const OFFER_KINDS: [(&str, &str); 6] = [
    ("action-pack", "Microsoft Action Pack"),
    ("solutions-partner", "Solutions Partner for Modern Work"),
    ("gold-competency", "Gold Cloud Productivity (legacy)"),
    ("solutions-partner", "Solutions Partner for Data & AI"),
    ("action-pack", "Microsoft Action Pack (renewal)"),
    ("solutions-partner", "Solutions Partner for Security"),
];
const CLOUD_PRODUCTS: [&str; 8] = [
    "Microsoft 365 E3",
    "Microsoft 365 E5",
    "Microsoft 365 Business Premium",
    "Dynamics 365 Sales Enterprise",
    "Dynamics 365 Customer Service Enterprise",
    "Power BI Pro",
    "Project Plan 3",
    "Office 365 E3",
];
const SOFTWARE: [(&str, &str); 6] = [
    ("Windows Server 2022 Datacenter", "windows-server"),
    ("Windows 11 Enterprise", "windows"),
    ("Office LTSC Professional Plus 2021", "office"),
    ("SQL Server 2022 Enterprise", "server"),
    ("Visual Studio Enterprise 2022", "tools"),
    ("Windows Server 2022 CAL", "cal"),
];

/// A distinct, valid 25-character key: four random groups, then the counter in base 32.
fn key(rng: &mut Rng, counter: u64) -> String {
    let mut s = String::with_capacity(29);
    for g in 0..5 {
        if g > 0 {
            s.push('-');
        }
        for c in 0..5 {
            let v = if g == 4 {
                (counter >> (5 * (4 - c))) & 31
            } else {
                rng.next() & 31
            };
            s.push(ALPHABET[v as usize] as char);
        }
    }
    s
}

/// Write a catalog with `rows` benefits (about 60% cloud, 40% software) to `out`.
/// Statuses, activate-by dates and the enrollment year are relative to `today`.
pub fn write_catalog(
    out: &mut impl Write,
    rows: usize,
    seed: u64,
    today: NaiveDate,
) -> io::Result<()> {
    let mut rng = Rng(seed);
    let n_offers = rng.range(3, 6) as usize;
    let n_tenants = rng.range(2, 4) as usize;
    let year_end = {
        let june = NaiveDate::from_ymd_opt(today.year(), 6, 30).expect("June 30");
        if june >= today {
            june
        } else {
            NaiveDate::from_ymd_opt(today.year() + 1, 6, 30).expect("June 30")
        }
    };
    let year_start = NaiveDate::from_ymd_opt(year_end.year() - 1, 7, 1).expect("July 1");
    writeln!(
        out,
        "# generated: benefits generate-catalog --rows {rows} --seed {seed} --today {today}"
    )?;
    writeln!(
        out,
        "organization:\n  name: Generated Partner Ltd\n  partner_id: \"{}\"\n  country: NL\n  enrollment_year_end: {year_end}",
        1_000_000 + seed % 9_000_000
    )?;
    writeln!(
        out,
        "user:\n  name: Ada Jansen\n  email: ada@tenant-1.onmicrosoft.com\n  role: global-admin\n  can_view_keys: true"
    )?;
    writeln!(out, "offers:")?;
    for (o, (kind, name)) in OFFER_KINDS.iter().enumerate().take(n_offers) {
        writeln!(
            out,
            "  - {{id: offer-{}, name: {name}, kind: {kind}}}",
            o + 1
        )?;
    }
    writeln!(out, "tenants:")?;
    for t in 1..=n_tenants {
        writeln!(
            out,
            "  - id: tenant-{t}\n    name: Tenant {t}\n    domain: tenant-{t}.onmicrosoft.com\n    users:"
        )?;
        for u in ["ada", "bram", "chen"] {
            writeln!(
                out,
                "      - {{name: {u} {t}, email: {u}@tenant-{t}.onmicrosoft.com}}"
            )?;
        }
    }
    let cloud = rows - rows * 2 / 5;
    let mut counter = 0u64;
    let mut assigned = vec![false; n_tenants];
    let day = |d: i64| today + Duration::days(d);
    writeln!(out, "cloud_benefits:")?;
    for i in 0..cloud {
        let offer = rng.range(1, n_offers as i64);
        let tenant = rng.range(1, n_tenants as i64);
        let kind = if rng.next() & 1 == 0 {
            "core"
        } else {
            "incremental"
        };
        let activate_by = day(rng.range(-30, 400));
        if i % 20 == 19 {
            let (period, amount) = if i % 40 == 19 {
                ("monthly", 100)
            } else {
                ("bulk", 6000)
            };
            writeln!(
                out,
                "  - id: credit-{i}\n    product: Azure credit {i}\n    offer: offer-{offer}\n    type: {kind}\n    activate_by: {activate_by}\n    credit:\n      period: {period}\n      amount_usd: {amount}\n      tenant: tenant-{tenant}"
            )?;
            if period == "bulk" {
                writeln!(out, "      start: {year_start}\n      end: {year_end}")?;
            }
            // A user holds at most one credit: the first credit of each tenant is assigned.
            if !assigned[tenant as usize - 1] {
                assigned[tenant as usize - 1] = true;
                writeln!(
                    out,
                    "      assigned_to: bram@tenant-{tenant}.onmicrosoft.com"
                )?;
            }
            continue;
        }
        let product = CLOUD_PRODUCTS[(rng.next() % CLOUD_PRODUCTS.len() as u64) as usize];
        let n_keys = rng.range(1, 4);
        let per_key = [5, 10, 25, 100][(rng.next() % 4) as usize];
        writeln!(
            out,
            "  - id: cloud-{i}\n    product: {product} {i}\n    offer: offer-{offer}\n    type: {kind}\n    activate_by: {activate_by}\n    license:\n      quantity: {}\n      keys:",
            per_key * n_keys
        )?;
        for k in 0..n_keys {
            counter += 1;
            let redeemed = if k == 0 && i % 7 == 3 {
                ", redeemed: true"
            } else {
                ""
            };
            writeln!(
                out,
                "        - {{key: {}, licenses: {per_key}{redeemed}}}",
                key(&mut rng, counter)
            )?;
        }
        // Active, Expired, Disabled (by date or by an administrator), or no subscription.
        let sub = match i % 5 {
            0 | 1 => Some((day(rng.range(1, 365)), "")),
            2 => Some((day(-rng.range(1, 29)), "")),
            3 if i % 2 == 0 => Some((day(-rng.range(31, 119)), "")),
            3 => Some((day(rng.range(1, 365)), ", status: disabled")),
            _ => None,
        };
        if let Some((end, status)) = sub {
            writeln!(
                out,
                "      subscriptions:\n        - {{id: sub-{i}, tenant: tenant-{tenant}, licenses: {per_key}, end_date: {end}{status}}}"
            )?;
        }
    }
    writeln!(out, "software_benefits:")?;
    for i in 0..rows - cloud {
        let offer = rng.range(1, n_offers as i64);
        let (product, family) = SOFTWARE[(rng.next() % SOFTWARE.len() as u64) as usize];
        let allowed = [2, 4, 5, 10][(rng.next() % 4) as usize];
        let activate_by = day(rng.range(-30, 400));
        writeln!(
            out,
            "  - id: software-{i}\n    product: {product} {i}\n    offer: offer-{offer}\n    family: {family}\n    quantity: {allowed}\n    activate_by: {activate_by}"
        )?;
        if family != "cal" {
            counter += 1;
            let used = rng.range(0, allowed);
            writeln!(
                out,
                "    keys: [{{key: {}, activations_used: {used}, activations_allowed: {allowed}}}]",
                key(&mut rng, counter)
            )?;
        }
    }
    out.flush()
}

/// The command: the catalog on standard output.
pub fn run(rows: usize, seed: u64, today: NaiveDate) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    write_catalog(&mut out, rows, seed, today)
}

/// The past operations of a generated organization: each unredeemed cloud key redeemed
/// in the first mode its subscription allows, and software keys activated on new
/// machines until they are used up, alternating, dated evenly over the year before
/// `today`. Every entry is planned by the same rules the dashboard uses, against the
/// state the entries before it left, so the ledger folds without a mismatch.
pub struct LedgerPlan {
    cloud: Vec<ProductKey>,
    software: Vec<ProductKey>,
    wanted: usize,
    made: usize,
    today: NaiveDate,
}

impl LedgerPlan {
    pub fn new(portfolio: &Portfolio, wanted: usize, today: NaiveDate) -> Self {
        let c = &portfolio.catalog;
        // Popped from the back: reversed, so the catalog's first keys come first.
        let cloud = c
            .cloud_benefits
            .iter()
            .filter_map(|b| b.license.as_ref())
            .flat_map(|l| l.keys.iter().filter(|k| !k.redeemed))
            .map(|k| k.key.clone())
            .rev()
            .collect();
        let software = c
            .software_benefits
            .iter()
            .flat_map(|b| b.keys.iter())
            .map(|k| k.key.clone())
            .rev()
            .collect();
        LedgerPlan {
            cloud,
            software,
            wanted,
            made: 0,
            today,
        }
    }

    /// The next entry, or `None` when enough are made or no key has anything left.
    pub fn next(&mut self, portfolio: &Portfolio) -> Option<Entry> {
        if self.made >= self.wanted {
            return None;
        }
        let back = i64::try_from(365 * (self.wanted - self.made) / self.wanted).unwrap_or(0);
        let ctx = Ctx {
            portfolio,
            user: &portfolio.catalog.user,
            today: self.today - Duration::days(back),
        };
        let cloud_turn = self.made.is_multiple_of(2);
        let entry = if cloud_turn {
            self.redemption(ctx).or_else(|| self.activation(ctx))
        } else {
            self.activation(ctx).or_else(|| self.redemption(ctx))
        }?;
        self.made += 1;
        Some(entry)
    }

    /// Redeem the next cloud key that some mode accepts; keys no mode accepts are skipped.
    fn redemption(&mut self, ctx: Ctx<'_>) -> Option<Entry> {
        while let Some(key) = self.cloud.pop() {
            let Ok(valid) = rules::validate_cloud_key(ctx, &key.formatted(), None) else {
                continue;
            };
            for target in rules::targets(ctx, &valid.product) {
                for (mode, outcome) in rules::preview(&valid, &target, ctx.today) {
                    if outcome.is_err() {
                        continue;
                    }
                    let op = Operation::Redeem {
                        key: key.clone(),
                        tenant: target.tenant.clone(),
                        target: target.target(),
                        mode,
                        location: None,
                    };
                    if let Ok(entry) = op.plan(ctx) {
                        return Some(entry);
                    }
                }
            }
        }
        None
    }

    /// Activate the current software key on a new machine; a key that refuses (used up,
    /// past its date) gives way to the next.
    fn activation(&mut self, ctx: Ctx<'_>) -> Option<Entry> {
        while let Some(key) = self.software.last() {
            let op = Operation::Activate {
                key: key.clone(),
                machine: format!("host-{:06}", self.made),
                change: MachineChange::New,
                os: Os::Windows,
            };
            match op.plan(ctx) {
                Ok(entry) => return Some(entry),
                Err(_) => {
                    self.software.pop();
                }
            }
        }
        None
    }
}

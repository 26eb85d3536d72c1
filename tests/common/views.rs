//! A ledger the Reconcile and Consumption pages have something to show for: redemptions
//! made through the dashboard's dialog, then what Microsoft Graph reported after them,
//! imported as `benefits import graph` imports it (`Operation::ImportGraph`).

use super::dash::{Dash, select};
use benefits::app::{Action, Effect};
use benefits::domain::observation::Source;
use benefits::graph::matching::Import;
use benefits::redeem::Operation;
use benefits::store::{LedgerRow, Logged};
use std::sync::OnceLock;

/// The demo's E3 subscription and tenant as Graph knows them.
const E3_GRAPH_ID: &str = "1b8e5c2a-7d4f-4a9e-b3c1-6e2d8f0a4b75";
const CONTOSO_TENANT_ID: &str = "5f1e6a3c-9b2d-4c8e-a1f0-3d7b9e2c4a61";

/// The demo's E3 keys: 25 licenses (extends Mar 31 → Jun 30, 2027) and 100 (→ Jun 30, 2028).
pub const E3_K25: &str = "M3E3A-7QXRT-4HDPC-2VWNB-K25LA";
pub const E3_K100: &str = "M3E3B-9FJKD-3MWQP-8TRZX-K100B";
pub const E5_K25: &str = "M3E5A-5RTYU-2GHJK-9LZXC-K25E5";

/// Redeem `key` for `benefit` on contoso through the dialog, in its first mode, and close
/// the receipt.
pub fn redeem(d: &mut Dash, benefit: &str, key: &str) {
    d.press("1");
    select(d, benefit);
    let effects = d.press_and_write(&format!(
        "r{key}<Enter><Enter>contoso.onmicrosoft.com<Enter><Enter><Enter>"
    ));
    assert_eq!(effects.len(), 1, "{key} was redeemed:\n{}", d.screen());
    d.press("<Enter>");
}

/// Import one page of Graph JSON named `name`.
pub fn import(d: &mut Dash, name: &str, json: &str) {
    let records = benefits::graph::parse(json.as_bytes(), name).unwrap();
    d.write(Effect::Commit(Operation::ImportGraph(Import {
        records,
        tenant: None,
        sources: vec![Source {
            name: name.into(),
            sha256: "0".repeat(64),
        }],
        imported_at: "2026-11-23T09:00:00Z".into(),
    })));
}

/// contoso's E3 as `/directory/subscriptions` reports it, with its subscribedSku.
pub fn e3(licenses: u32, next_lifecycle: &str, consumed: u32) -> String {
    format!(
        r#"{{"value":[
  {{"id":"{E3_GRAPH_ID}","skuPartNumber":"SPE_E3","status":"Enabled","totalLicenses":{licenses},
   "nextLifecycleDateTime":"{next_lifecycle}","ownerTenantId":"{CONTOSO_TENANT_ID}"}},
  {{"skuPartNumber":"SPE_E3","capabilityStatus":"Enabled","consumedUnits":{consumed},
   "prepaidUnits":{{"enabled":{licenses},"warning":0,"suspended":0,"lockedOut":0}},
   "subscriptionIds":["{E3_GRAPH_ID}"]}}]}}"#
    )
}

/// Three redemptions: one Graph bears out, one it reports a day short (a mismatch), one
/// it has not reported yet; each through the dialog, each import as the CLI writes it.
pub fn reconciled_through_the_dashboard(d: &mut Dash) {
    redeem(d, "Microsoft 365 E3", E3_K25);
    import(d, "monday.json", &e3(100, "2027-07-01T00:00:00Z", 87));
    redeem(d, "Microsoft 365 E3", E3_K100);
    import(d, "tuesday.json", &e3(100, "2028-06-30T00:00:00Z", 91));
    redeem(d, "Microsoft 365 E5", E5_K25);
}

/// The ledger `reconciled_through_the_dashboard` writes (on the demo, today pinned), made
/// once per test binary and handed to `d` as the runtime hands over appended entries:
/// screens that only need the ledger do not drive the dialog again.
pub fn reconciled(d: &mut Dash) {
    static LEDGER: OnceLock<Vec<Logged>> = OnceLock::new();
    let ledger = LEDGER.get_or_init(|| {
        let mut d = Dash::demo();
        reconciled_through_the_dashboard(&mut d);
        let mut h = d.app.history.clone();
        h.reverse();
        h
    });
    let rows = ledger.iter().cloned().map(LedgerRow::Entry);
    d.update(Action::Appended(rows.collect()));
}

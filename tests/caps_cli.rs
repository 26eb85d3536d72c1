//! License caps, locations and `usage` through the real binary, on the demo catalog (E3:
//! 500 per country, 800 worldwide; Amsterdam headquarters in NL, Stockholm in SE; the
//! Action Pack subscribed in NL).

mod common;

use common::{assert_success, json, text};
use std::path::Path;
use std::process::Command;

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.yaml");
const K400: &str = "M3E3D-8HGFD-1QWER-7TYUI-K400D";
const K300: &str = "M3E3C-2LPQW-6NBVC-5XKJH-K300C";

fn benefits(data: &Path) -> Command {
    common::benefits(Path::new(DEMO), data)
}

fn redeem_e3(data: &Path, key: &str, more: &[&str]) -> std::process::Output {
    benefits(data)
        .args([
            "redeem", "--key", key, "--tenant", "contoso", "--mode", "add", "--yes",
        ])
        .args(more)
        .output()
        .unwrap()
}

#[test]
fn a_redemption_past_a_cap_is_refused_with_the_numbers_in_words() {
    let data = tempfile::tempdir().unwrap();
    // 100 used in NL (a key the catalog marks redeemed) + 400 = 500: the most for NL.
    assert_success(&redeem_e3(data.path(), K400, &[]));
    let preview = benefits(data.path())
        .args(["preview", "--key", K300, "--mode", "add"])
        .output()
        .unwrap();
    assert_eq!(preview.status.code(), Some(3));
    assert!(
        text(&preview).contains("500 is the most Microsoft 365 E3 licenses for one country: 500 used in NL, this key adds 300."),
        "{}",
        text(&preview)
    );
    let out = redeem_e3(data.path(), K300, &["--json"]);
    assert_eq!(json(&out)["error"]["code"], "country-cap-exceeded");
    // Shared across countries: the same key serving Stockholm is within 800 worldwide.
    assert_success(&redeem_e3(data.path(), K300, &["--location", "stockholm"]));
    let h = common::history(Path::new(DEMO), data.path());
    assert_eq!(
        (h[0]["location"].as_str(), h[1]["location"].as_str()),
        (Some("amsterdam"), Some("stockholm"))
    );
    // 800 of 800 worldwide now.
    let out = benefits(data.path())
        .args([
            "--json",
            "preview",
            "--key",
            "M3E3A-7QXRT-4HDPC-2VWNB-K25LA",
            "--location",
            "stockholm",
        ])
        .output()
        .unwrap();
    assert_eq!(
        json(&out)["error"]["code"],
        "worldwide-cap-exceeded",
        "{}",
        text(&out)
    );
}

#[test]
fn action_pack_stays_in_its_country_and_no_location_outside_the_organization() {
    let data = tempfile::tempdir().unwrap();
    for (location, code) in [
        ("stockholm", "action-pack-other-country"),
        ("oslo", "location-not-in-organization"),
    ] {
        let out = benefits(data.path())
            .args([
                "--json",
                "preview",
                "--key",
                "MBPRB-1QAZW-7SXED-4CRFV-K05BP",
                "--location",
                location,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3));
        assert_eq!(json(&out)["error"]["code"], code, "{location}");
    }
}

#[test]
fn usage_lists_entitled_used_per_country_and_worldwide_against_the_caps() {
    let data = tempfile::tempdir().unwrap();
    assert_success(&redeem_e3(data.path(), K300, &["--location", "stockholm"]));
    let v = json(
        &benefits(data.path())
            .args(["--json", "usage"])
            .output()
            .unwrap(),
    );
    let e3 = &v["products"][0];
    assert_eq!(e3["product"], "Microsoft 365 E3");
    assert_eq!(
        (e3["used"]["NL"].as_u64(), e3["used"]["SE"].as_u64()),
        (Some(100), Some(300))
    );
    assert_eq!(
        (
            e3["used_worldwide"].as_u64(),
            e3["per_country"].as_u64(),
            e3["worldwide"].as_u64()
        ),
        (Some(400), Some(500), Some(800))
    );
    let table = text(&benefits(data.path()).arg("usage").output().unwrap());
    assert!(
        table.contains("NL 100, SE 300") && table.contains("500 / 800"),
        "{table}"
    );
}

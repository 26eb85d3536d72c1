//! Live across machines on one PostgreSQL ledger (a throwaway cluster, `common/pg.rs`):
//! the server announces every append (LISTEN/NOTIFY) and an open dashboard's runtime shows
//! another machine's redemption within a second; two `benefits serve` instances with data
//! directories of their own share the ledger (a redemption in one shows in the other, a
//! race between them ends with one redemption); and each machine's checkpoint is used only
//! while it matches the shared ledger, other machines' appends read after it.

mod common;

use benefits::app::Action;
use benefits::domain::{Mode, Portfolio, ProductKey};
use benefits::redeem::Target;
use benefits::redeem::rules::{Ctx, plan_redemption};
use benefits::runtime::Runtime;
use benefits::store::{Location, Store};
use common::pg::{Cluster, PASSWORD};
use common::ssh::*;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn with_password(url: &str) -> String {
    url.replacen('@', &format!(":{PASSWORD}@"), 1)
}

fn store(url: &str, cache: &Path) -> Store {
    Store::connect(&Location::resolve(Some(&with_password(url)), cache).unwrap()).unwrap()
}

fn fixture() -> Portfolio {
    let yaml = std::fs::read_to_string(CONFIG).unwrap();
    Portfolio::new(benefits::catalog::load_str(&yaml, CONFIG).unwrap())
}

#[test]
fn another_machines_redemption_reaches_an_open_runtime_within_a_second() {
    let Some(c) = Cluster::shared() else { return };
    let url = c.database();
    let (here, there) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let watching = store(&url, here.path());
    let p = fixture();
    let mut runtime = Runtime::spawn(
        watching,
        0,
        p.catalog.user.clone(),
        "2026-11-23".parse().unwrap(),
    )
    .unwrap();
    // The listener's first wake (after it connects) finds nothing new.
    assert!(runtime.wait(Duration::from_millis(300)).is_none());
    let other = store(&url, there.path());
    let mut op = fixture();
    let key = ProductKey::parse(KEY).unwrap();
    let started = Instant::now();
    other
        .commit(&mut op, |p| {
            plan_redemption(
                Ctx {
                    portfolio: p,
                    user: &p.catalog.user,
                    today: "2026-11-23".parse().unwrap(),
                },
                &key,
                "contoso",
                None::<&Target>,
                Mode::Extend,
            )
        })
        .unwrap();
    let action = runtime.wait(Duration::from_secs(5));
    let took = started.elapsed();
    eprintln!("another machine's redemption reached the runtime after {took:?}");
    assert!(
        matches!(action, Some(Action::Appended(ref rows)) if rows.len() == 1),
        "{action:?}"
    );
    assert!(took < Duration::from_secs(1), "{took:?}");
}

/// `benefits serve` on the shared ledger, with a data directory (host key, log) of its own.
fn serve_on(url: &str, data: &Path, ak: &Path) -> Server {
    std::fs::create_dir_all(data).unwrap();
    Server::start(
        data,
        &[
            "--authorized-keys",
            ak.to_str().unwrap(),
            "--store",
            &with_password(url),
        ],
    )
}

#[test]
fn two_serve_instances_share_the_ledger_live_and_a_race_between_them_ends_with_one_redemption() {
    let Some(c) = Cluster::shared() else { return };
    let url = c.database();
    let (dir, key, ak) = setup();
    let one = serve_on(&url, &dir.path().join("host-one"), &ak);
    let two = serve_on(&url, &dir.path().join("host-two"), &ak);
    assert_ne!(one.port, two.port);

    // A redemption in a session of one shows in a session of the other.
    let mut watcher = two.connect(Some(&key), 120, 40);
    watcher.wait_for("Microsoft 365 E3");
    watcher.keys("3");
    watcher.wait_for("History");
    assert!(!watcher.text().contains("Product key redeemed"));
    let mut actor = one.connect(Some(&key), 120, 40);
    actor.redeem_up_to_review(KEY);
    actor.keys("\r");
    actor.wait_for("Redeemed");
    let seen = watcher.wait_for("Product key redeemed");
    eprintln!("the other server's session showed the redemption after {seen:?}");
    assert!(seen < Duration::from_secs(1), "{seen:?}");
    drop((watcher, actor));

    // Two sessions, one on each server, press Redeem on one key at once.
    const RACED: &str = "E3AAA-AAAAA-AAAAA-AAAAA-AA100";
    let mut a = one.connect(Some(&key), 120, 40);
    let mut b = two.connect(Some(&key), 120, 40);
    a.redeem_up_to_review(RACED);
    b.redeem_up_to_review(RACED);
    race_to_redeem(&mut a, &mut b);
    let v = history_through(cli(Path::new(CONFIG), &url, &dir.path().join("laptop")));
    assert_eq!(v["entries"].as_array().unwrap().len(), 2, "{v}");
    for log in [one.log(), two.log()] {
        assert!(!log.contains(PASSWORD), "{log}");
    }
    assert!(!a.text().contains(PASSWORD) && !b.text().contains(PASSWORD));
}

/// The binary for `data` on `url`'s ledger, the password in the environment.
fn cli(config: &Path, url: &str, data: &Path) -> Command {
    let mut c = cli_on(config, data);
    c.args(["--store", url])
        .env("PGPASSWORD", PASSWORD)
        .env_remove("BENEFITS_STORE");
    c
}

#[test]
fn a_machines_checkpoint_holds_only_while_it_matches_the_shared_ledger() {
    let Some(c) = Cluster::shared() else { return };
    let (url, other_url) = (c.database(), c.database());
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("big.yaml");
    let out = Command::new(bin())
        .args([
            "--today",
            "2026-11-23",
            "generate-catalog",
            "--rows",
            "1500",
            "--seed",
            "7",
        ])
        .output()
        .unwrap();
    std::fs::write(&config, &out.stdout).unwrap();
    let (laptop, desktop) = (dir.path().join("laptop"), dir.path().join("desktop"));
    let append = |url: &str, n: &str| {
        let out = cli(&config, url, &desktop)
            .args(["--json", "generate-ledger", "--entries", n])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    append(&url, "2100");
    // The laptop's start folds everything and leaves a checkpoint of its own.
    let first = history_through(cli(&config, &url, &laptop));
    assert!(
        laptop.join("state.snapshot").is_file(),
        "a checkpoint per machine"
    );
    // The desktop appends; the laptop's next start reads those entries after its
    // checkpoint, and sees what the desktop sees.
    append(&url, "5");
    let after = history_through(cli(&config, &url, &laptop));
    assert_eq!(after, history_through(cli(&config, &url, &desktop)));
    assert_eq!(
        after["entries"].as_array().unwrap().len(),
        first["entries"].as_array().unwrap().len() + 5
    );
    // Another shared ledger (the laptop's --store now names it): the checkpoint does not
    // match it, and its whole ledger is folded.
    append(&other_url, "5");
    let other = history_through(cli(&config, &other_url, &laptop));
    assert_eq!(other["entries"].as_array().unwrap().len(), 5);
    assert_eq!(other, history_through(cli(&config, &other_url, &desktop)));
}

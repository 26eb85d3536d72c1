//! The command line: global options every command accepts, and the subcommands.

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "benefits",
    version,
    about = "Microsoft AI Cloud Partner Program benefits in the terminal: browse, preview and redeem.",
    long_about = "Without a subcommand, opens the dashboard on the configured catalog \
                  (or the embedded demo). Subcommands work headless, with --json for scripts.\n\n\
                  Exit codes: 0 ok, 1 failure, 2 bad usage or config, 3 a rule refused the operation."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(flatten)]
    pub dashboard: Dashboard,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options of the dashboard (no subcommand).
#[derive(Debug, Args, Clone)]
pub struct Dashboard {
    /// Start on the embedded demo catalog with a throwaway data directory: every demo starts clean.
    #[arg(long)]
    pub demo: bool,
    /// No colours (also when NO_COLOR is set); state still shows through symbols and bold/reverse.
    #[arg(long)]
    pub no_color: bool,
    /// Plain ASCII borders and symbols: every byte written to the terminal is ASCII.
    #[arg(long)]
    pub ascii: bool,
    /// Settings file (YAML: keys, theme, language, sort, mouse). Default: settings.yaml in the user config directory.
    #[arg(long, env = "BENEFITS_SETTINGS", value_name = "FILE")]
    pub settings: Option<std::path::PathBuf>,
}

#[derive(Debug, Args, Clone)]
pub struct Global {
    /// Pin the date (YYYY-MM-DD) instead of the clock: redemptions, statuses and previews use it.
    #[arg(long, global = true, env = "BENEFITS_TODAY", value_name = "YYYY-MM-DD", value_parser = iso_date)]
    pub today: Option<NaiveDate>,
    /// Pin the time the ledger stamps on what it writes (RFC 3339, e.g. 2026-12-01T14:05:00Z);
    /// without --today, its UTC date is also today's.
    #[arg(long, global = true, env = "BENEFITS_NOW", value_name = "RFC 3339", value_parser = rfc3339)]
    pub now: Option<chrono::DateTime<chrono::Utc>>,
    /// Catalog file (YAML). Default: BENEFITS_CONFIG, then config.yaml in the user config directory, then the embedded demo.
    #[arg(long, global = true, env = "BENEFITS_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Where the ledger lives. Default: BENEFITS_DATA_DIR, then the user data directory.
    #[arg(long, global = true, env = "BENEFITS_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The ledger on a PostgreSQL server, shared by every machine that names it:
    /// postgres://USER@HOST:PORT/DATABASE?sslmode=MODE (password: PGPASSWORD or ~/.pgpass).
    /// Default: the SQLite ledger in the data directory.
    #[arg(
        long,
        global = true,
        env = "BENEFITS_STORE",
        value_name = "URL",
        hide_env_values = true
    )]
    pub store: Option<String>,
    /// Language: en-US, nl-NL or sv-SE. Default: LANG, then en-US.
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
    /// Machine-readable JSON on standard output.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the benefits of one page.
    List(ListArgs),
    /// Show one benefit with its details (keys masked unless you may view keys).
    Show { id: String },
    /// The redemption arithmetic alone: no catalog, no ledger.
    Calc(CalcArgs),
    /// What redeeming a key would do, for every applicable mode; changes nothing.
    Preview(PreviewArgs),
    /// Redeem a cloud product key on a tenant (asks on a terminal; --yes otherwise).
    Redeem(RedeemArgs),
    /// Record a software activation on a machine.
    Activate(ActivateArgs),
    /// Assign, remove or transfer Azure credit.
    Credit {
        #[command(subcommand)]
        action: CreditAction,
    },
    /// The ledger, newest first.
    History(HistoryArgs),
    /// Void a ledger entry recorded by mistake (an activation or credit change: its effect
    /// is undone), or record what was done about a redemption, which stands.
    Correct(CorrectArgs),
    /// Write an iCalendar file (RFC 5545): every activate-by and subscription end date as
    /// an all-day event with reminders 30 and 7 days before.
    Calendar {
        /// Write to FILE (atomically) instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Work on the ledger itself: copy it to a PostgreSQL server.
    Store {
        #[command(subcommand)]
        action: StoreAction,
    },
    /// Print the shell completion script for bash, zsh, fish, powershell or elvish.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to standard output.
    Man,
    /// Check the dashboard's settings file (FILE, else --settings, BENEFITS_SETTINGS, settings.yaml in the user config directory), or print the commented defaults.
    Settings {
        /// Print every setting at its default, commented, to start a settings.yaml from.
        #[arg(long)]
        defaults: bool,
        file: Option<PathBuf>,
    },
    /// Validate a catalog file and report every problem.
    CheckConfig { file: PathBuf },
    /// Print a JSON Schema for an editor: `benefits schema catalog > catalog.schema.json`,
    /// `benefits schema settings` (config.example.yaml's first line points yaml-language-server
    /// at the copy in assets/).
    Schema {
        #[arg(value_enum)]
        kind: SchemaKind,
    },
    /// Serve the dashboard over SSH: every session is the full dashboard, nothing else.
    Serve(ServeArgs),
    /// Write a deterministic, valid catalog of any size to standard output (for benchmarks).
    GenerateCatalog {
        /// Benefits in total (about 60% cloud, 40% software).
        #[arg(long, default_value_t = 1000)]
        rows: usize,
        /// Same seed (and --today) → byte-identical output.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Import what Microsoft Graph reports about the tenants' subscriptions.
    Import {
        #[command(subcommand)]
        source: ImportSource,
    },
    /// Every redemption's previewed Total licenses and End date against the first Graph
    /// observation after it; exit 1 when anything mismatches.
    Reconcile,
    /// Per license product: entitled, used per country and worldwide, assigned as Graph
    /// reported, against the per-country and worldwide caps.
    Usage,
    /// Append a past of valid operations (redemptions, activations) to the ledger of
    /// --data-dir for the catalog of --config, in one transaction (for benchmarks).
    GenerateLedger {
        /// Operations to write; fewer when the catalog runs out of keys and activations.
        #[arg(long, default_value_t = 1000)]
        entries: usize,
    },
}

#[derive(Debug, Subcommand)]
pub enum StoreAction {
    /// Copy the SQLite ledger of --data-dir into an empty PostgreSQL ledger, verified entry
    /// by entry; a target that holds anything is refused.
    Copy {
        /// postgres://USER@HOST:PORT/DATABASE?sslmode=MODE
        #[arg(long, value_name = "URL")]
        to: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// JSON of GET /v1.0/directory/subscriptions and GET /v1.0/subscribedSkus (as az rest,
    /// Graph Explorer or Get-MgDirectorySubscription | ConvertTo-Json save it).
    Graph(ImportGraphArgs),
}

#[derive(Debug, Args)]
pub struct ImportGraphArgs {
    /// Every record is of this tenant (id or domain); default: the tenant whose tenant_id
    /// is the record's ownerTenantId.
    #[arg(long)]
    pub tenant: Option<String>,
    /// The files (pages) to read; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(value_enum)]
    pub page: Page,
    /// CSV (RFC 4180) with a header row on standard output instead of the table.
    #[arg(long)]
    pub csv: bool,
    /// Only what needs attention (work left, activate-by within 30 days or past); exit 1
    /// when anything does, 0 when nothing does.
    #[arg(long)]
    pub attention: bool,
}

#[derive(Debug, Args)]
pub struct CorrectArgs {
    /// The entry's number, as `benefits history` shows it (#).
    #[arg(value_name = "ENTRY")]
    pub entry: i64,
    /// Why it is corrected (shown in History beside both entries).
    #[arg(long)]
    pub reason: String,
    /// What was done about it; required for a redemption, which cannot be undone at
    /// Microsoft (e.g. "support case 123 moved the licenses to the right tenant").
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// CSV (RFC 4180) with a header row on standard output instead of the table.
    #[arg(long)]
    pub csv: bool,
    /// Only entries on or after this date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub since: Option<String>,
    /// Only entries on or before this date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub until: Option<String>,
    /// Only entries of this benefit (its id).
    #[arg(long, value_name = "ID")]
    pub benefit: Option<String>,
    /// Only this operation: redemption, activation, credit-assign, credit-remove, credit-transfer, graph-import.
    #[arg(long, value_name = "OP")]
    pub op: Option<String>,
}

/// What `benefits schema` describes.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaKind {
    /// The catalog file (config.yaml).
    Catalog,
    /// The dashboard's settings file (settings.yaml).
    Settings,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Page {
    Cloud,
    Software,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CalcMode {
    Activate,
    Extend,
    Add,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CalcStatus {
    Active,
    Expired,
    Disabled,
    None,
}

#[derive(Debug, Args)]
pub struct CalcArgs {
    #[arg(value_enum)]
    pub mode: CalcMode,
    /// A: licenses active on the subscription.
    #[arg(long, value_name = "A", default_value_t = 0)]
    pub licenses: u32,
    /// C: licenses on the key.
    #[arg(long, value_name = "C")]
    pub key_licenses: u32,
    /// E: the subscription's end date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = iso_date)]
    pub end_date: Option<NaiveDate>,
    /// The subscription's status (default: derived from the end date, or none without one).
    #[arg(long, value_enum)]
    pub status: Option<CalcStatus>,
}

#[derive(Debug, Args)]
pub struct Target {
    /// Tenant id or domain (default: the tenant of the product's latest-ending subscription, else the first).
    #[arg(long)]
    pub tenant: Option<String>,
    /// Subscription id, or `new` for a new subscription (default: the tenant's latest-ending one).
    #[arg(long)]
    pub subscription: Option<String>,
    /// The organization's location the licenses serve, for the license caps (default: the
    /// tenant's `location`, else the headquarters).
    #[arg(long)]
    pub location: Option<String>,
}

#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// The 25-character product key (lower case, spaces and missing dashes are fine).
    #[arg(long)]
    pub key: String,
    #[command(flatten)]
    pub target: Target,
    /// activate, extend or add (default: all, side by side).
    #[arg(long)]
    pub mode: Option<String>,
    /// Refuse a key of another product than this benefit's.
    #[arg(long)]
    pub benefit: Option<String>,
}

#[derive(Debug, Args)]
pub struct RedeemArgs {
    #[arg(long, required_unless_present = "keyless", conflicts_with = "keyless")]
    pub key: Option<String>,
    #[command(flatten)]
    pub target: Target,
    /// activate, extend or add.
    #[arg(long, required_unless_present = "keyless", conflicts_with = "keyless")]
    pub mode: Option<String>,
    /// The benefit (with --keyless: the one to redeem; with a key: refuse a key of another product).
    #[arg(long, required_if_eq("keyless", "true"))]
    pub benefit: Option<String>,
    /// Redeem without a key: a keyless offer's benefit, on a tenant under the organization's
    /// Microsoft Customer Agreement billing account; the end date aligns to the offer's end.
    #[arg(long)]
    pub keyless: bool,
    /// Do not ask for confirmation (required when not on a terminal).
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Change {
    New,
    None,
    Hardware,
    Reimage,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OsArg {
    Windows,
    Macos,
}

#[derive(Debug, Args)]
pub struct ActivateArgs {
    #[arg(long)]
    pub key: String,
    /// A name for the machine (host name, asset tag).
    #[arg(long)]
    pub machine: String,
    /// new machine, none (same machine, no significant hardware change), hardware, reimage.
    #[arg(long, value_enum)]
    pub change: Change,
    #[arg(long, value_enum, default_value = "windows")]
    pub os: OsArg,
}

#[derive(Debug, Subcommand)]
pub enum CreditAction {
    /// Assign the credit to a user of the tenant's directory.
    Assign {
        #[arg(long)]
        benefit: String,
        #[arg(long)]
        user: String,
    },
    /// Remove the assigned user (monthly credit only).
    Remove {
        #[arg(long)]
        benefit: String,
    },
    /// Transfer the credit to another user.
    Transfer {
        #[arg(long)]
        benefit: String,
        #[arg(long)]
        to: String,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0: any free port; the address is printed).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:2222")]
    pub listen: String,
    /// The server's private host key (ed25519; generated there, 0600, when missing).
    /// Default: ssh_host_ed25519_key in the data directory.
    #[arg(long, value_name = "PATH")]
    pub host_key: Option<PathBuf>,
    /// OpenSSH authorized_keys; each key's comment is the email of the catalog user it signs
    /// in as. Default: authorized_keys in the data directory.
    #[arg(long, value_name = "PATH")]
    pub authorized_keys: Option<PathBuf>,
    /// Also admit visitors without a key, as read-only guests (keys masked, writes refused).
    #[arg(long)]
    pub guest: bool,
    /// Dashboards open at once; one more is told the server is full.
    #[arg(long, value_name = "N", default_value_t = 16)]
    pub max_sessions: usize,
    /// Connections that have not signed in yet, at most (as OpenSSH's MaxStartups); when
    /// all are taken, the one that has come least far makes room for the next.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub max_startups: usize,
    /// End a session that gets no input for this long: 90s, 30m, 2h, or 0 for never.
    #[arg(long, value_name = "DUR", default_value = "30m")]
    pub idle_timeout: String,
}

/// A date on the command line as the catalog reads one: YYYY-MM-DD with a four-digit year
/// (chrono's own parser reads `27-01-15` as the year 27).
fn rfc3339(v: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(v.trim())
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| {
            format!("not an RFC 3339 time ({e}); fix: write it as YYYY-MM-DDTHH:MM:SSZ, e.g. 2026-12-01T14:05:00Z")
        })
}

fn iso_date(v: &str) -> Result<NaiveDate, String> {
    crate::domain::date_field::parse_iso(v)
        .map_err(|why| format!("not a date{why}; fix: write it as YYYY-MM-DD, e.g. 2026-11-23"))
}

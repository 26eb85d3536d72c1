//! Connecting to the PostgreSQL server (TLS as `sslmode` says) and telling its errors
//! apart: worth another try, refused, unreachable, or the server's own; each names the
//! server and never the password.

use super::error::StoreError;
use super::location::{PgTarget, TlsMode};
use postgres::Client;
use postgres::error::SqlState;

/// A connection to the target, TLS as `sslmode` says, with the lock timeout set.
pub(super) fn connect(target: &PgTarget) -> Result<Client, StoreError> {
    let server = || target.shown().to_string();
    let mut client = match target.tls {
        TlsMode::Disable => target.config.connect(postgres::NoTls),
        mode => {
            let mut b = native_tls::TlsConnector::builder();
            if matches!(mode, TlsMode::Prefer | TlsMode::Require) {
                // libpq's prefer and require encrypt without checking who answers.
                b.danger_accept_invalid_certs(true);
                b.danger_accept_invalid_hostnames(true);
            }
            if mode == TlsMode::VerifyCa {
                b.danger_accept_invalid_hostnames(true);
            }
            if let Some(path) = &target.root_cert {
                let pem = std::fs::read(path).map_err(|e| StoreError::Server {
                    server: server(),
                    detail: format!("cannot read sslrootcert {}: {e}", path.display()),
                })?;
                let cert =
                    native_tls::Certificate::from_pem(&pem).map_err(|e| StoreError::Server {
                        server: server(),
                        detail: format!(
                            "sslrootcert {} is not a PEM certificate: {e}",
                            path.display()
                        ),
                    })?;
                b.add_root_certificate(cert);
            }
            let tls = b.build().map_err(|e| StoreError::Server {
                server: server(),
                detail: format!("cannot set up TLS: {e}"),
            })?;
            target
                .config
                .connect(postgres_native_tls::MakeTlsConnector::new(tls))
        }
    }
    .map_err(|e| classify(target, &e))?;
    client
        .batch_execute("SET lock_timeout = '5s'")
        .map_err(|e| classify(target, &e))?;
    Ok(client)
}

/// Worth another try: a lock not granted in time, a serialization failure, a deadlock,
/// a server out of connection slots.
pub(super) fn transient(e: &postgres::Error) -> bool {
    e.code().is_some_and(|c| {
        [
            SqlState::LOCK_NOT_AVAILABLE,
            SqlState::T_R_SERIALIZATION_FAILURE,
            SqlState::T_R_DEADLOCK_DETECTED,
            SqlState::TOO_MANY_CONNECTIONS,
        ]
        .contains(c)
    })
}

pub(super) fn classify(target: &PgTarget, e: &postgres::Error) -> StoreError {
    let server = target.shown().to_string();
    let detail = target.scrub(&match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => e.to_string(),
    });
    let Some(code) = e.code() else {
        return if detail.contains("password") || detail.contains("authentication") {
            StoreError::ServerRefused { server, detail }
        } else {
            StoreError::Unreachable { server, detail }
        };
    };
    if transient(e) {
        StoreError::ServerBusy { server }
    } else if [
        SqlState::INVALID_PASSWORD,
        SqlState::INVALID_AUTHORIZATION_SPECIFICATION,
        SqlState::INVALID_CATALOG_NAME,
        SqlState::INSUFFICIENT_PRIVILEGE,
    ]
    .contains(code)
    {
        StoreError::ServerRefused { server, detail }
    } else if [
        SqlState::ADMIN_SHUTDOWN,
        SqlState::CRASH_SHUTDOWN,
        SqlState::CANNOT_CONNECT_NOW,
    ]
    .contains(code)
    {
        StoreError::Unreachable { server, detail }
    } else {
        StoreError::Server { server, detail }
    }
}

//! Periodic background work: the email outbox worker, view-count and visit batches and the session sweeper. Safe on every
//! instance at once: outbox rows are leased, and sweeping is idempotent.

use std::time::Duration;

use crate::db;
use crate::mail::outbox;
use crate::models::session;
use crate::state::AppState;

/// How often the outbox is polled.
pub const OUTBOX_EVERY: Duration = Duration::from_secs(2);
/// How often counted question views are written.
pub const VIEWS_EVERY: Duration = Duration::from_secs(10);
/// How often the weekly digest checks whether it is due.
pub const DIGEST_EVERY: Duration = Duration::from_secs(600);
/// How often expired sessions are removed.
pub const SWEEP_EVERY: Duration = Duration::from_secs(600);

/// Starts the loops on the current actix runtime.
pub fn spawn(state: AppState) {
    let s = state.clone();
    actix_web::rt::spawn(async move {
        let mut tick = tokio::time::interval(OUTBOX_EVERY);
        loop {
            tick.tick().await;
            let st = s.clone();
            let result = actix_web::web::block(move || {
                let from = st.config.mail_from.clone();
                outbox::deliver_due(&st.db, &st.mailer, &from, &st.mail_host(), db::now())
            })
            .await;
            match result {
                Ok(Ok(pass)) if pass != outbox::Pass::default() => tracing::info!(?pass, "outbox pass"),
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "outbox pass failed"),
                Err(e) => tracing::warn!(error = %e, "outbox task failed"),
            }
        }
    });
    let d = state.clone();
    actix_web::rt::spawn(async move {
        let mut tick = tokio::time::interval(DIGEST_EVERY);
        loop {
            tick.tick().await;
            let (ctx, support) = (d.mail_context(), d.site().support.clone());
            match d
                .db
                .run(move |c| crate::domain::kpi::digest::send_if_due(c, &ctx, &support, db::now()))
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::info!(queued = n, "weekly digest queued"),
                Err(e) => tracing::warn!(error = %e, "weekly digest failed"),
            }
        }
    });
    let v = state.clone();
    actix_web::rt::spawn(async move {
        let mut tick = tokio::time::interval(VIEWS_EVERY);
        loop {
            tick.tick().await;
            let counts = v.views.clone();
            if let Err(e) = v.db.run(move |c| counts.flush(c)).await {
                tracing::warn!(error = %e, "writing view counts failed");
            }
            let visits = v.visits.clone();
            if let Err(e) = v.db.run(move |c| visits.flush(c)).await {
                tracing::warn!(error = %e, "writing visits failed");
            }
        }
    });
    actix_web::rt::spawn(async move {
        let mut tick = tokio::time::interval(SWEEP_EVERY);
        loop {
            tick.tick().await;
            let idle = state.sessions.idle();
            let swept = state
                .db
                .run(move |c| {
                    let now = db::now();
                    Ok(session::purge(c, now, now - idle)?)
                })
                .await;
            if let Err(e) = swept {
                tracing::warn!(error = %e, "session sweep failed");
            }
        }
    });
}

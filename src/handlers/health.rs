//! Liveness and readiness probes for load balancers and orchestrators.

use actix_web::{web, HttpResponse};
use serde_json::json;

use crate::error::AppError;
use crate::state::AppState;

/// `GET /healthz`: the process is up and serving.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .content_type("text/plain")
        .body("ok")
}

/// `GET /readyz`: the database answers (Redis joins this check when it is used).
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let db = state
        .db
        .run(|c| crate::db::backend::ping(c).map_err(|e| AppError::Unavailable(e.to_string())))
        .await;
    let (status, database) = match db {
        Ok(()) => (actix_web::http::StatusCode::OK, "ok".to_string()),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (
                actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
                "unreachable".to_string(),
            )
        }
    };
    HttpResponse::build(status)
        .insert_header(("Cache-Control", "no-store"))
        .json(json!({ "status": if status.is_success() { "ready" } else { "not ready" }, "database": database, "backend": state.db.target().backend_name() }))
}

//! `AppError`: the one error type of the web layer, mapped to status codes in one exhaustive match.
//! The page or JSON body is rendered later by `middleware::error_pages`, which can see the request
//! (to choose HTML or JSON and to brand the page).

use actix_web::http::header::{HeaderValue, RETRY_AFTER, WWW_AUTHENTICATE};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

mod field_errors;
pub use field_errors::{FieldErrors, Rejected};

/// A failure setting something up or talking to a transport (the database at start-up, the mail
/// transport, password hashing, migrations), as one line saying what is wrong. Start-up reports
/// it and stops; at request time it becomes `AppError::Internal` with its context.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SetupError(pub String);

impl From<String> for SetupError {
    fn from(message: String) -> Self {
        SetupError(message)
    }
}

impl From<&str> for SetupError {
    fn from(message: &str) -> Self {
        SetupError(message.to_owned())
    }
}

impl From<SetupError> for String {
    fn from(e: SetupError) -> String {
        e.0
    }
}

/// Result alias used across the crate.
pub type AppResult<T> = Result<T, AppError>;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request is malformed or a value is invalid; the message is safe to show.
    #[error("{0}")]
    BadRequest(String),
    /// The page needs a signed-in user.
    #[error("you need to log in to do that")]
    LoginRequired,
    /// An `Authorization: Bearer` token that is unknown, revoked, or whose account is suspended.
    #[error("the access token is unknown, revoked, or its account is suspended")]
    InvalidToken,
    /// A read-only token on a request that changes something.
    #[error("this access token has the read scope; writing needs a token with the write scope")]
    InsufficientScope,
    /// Signed in, but not allowed.
    #[error("you are not allowed to do that")]
    Forbidden,
    /// Allowed once the user has more reputation; says what for (see the privileges page).
    #[error("you need more reputation to {0}; the privileges page says how much")]
    NeedsReputation(&'static str),
    /// A state-changing request without a valid CSRF token or from another site.
    #[error("the form has expired or came from another site; reload the page and try again")]
    CsrfRejected,
    /// No such thing, or a private thing this user may not see.
    #[error("not found")]
    NotFound,
    /// A body in a format the endpoint does not take (the API takes `application/json`).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Well-formed, but some fields are invalid; the messages are safe to show.
    #[error("{0}")]
    Invalid(FieldErrors),
    /// Request body over the limit.
    #[error("the request is too large")]
    PayloadTooLarge,
    /// Throttled; try again after this many seconds.
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    TooManyRequests { retry_after_secs: u64 },
    /// A dependency (database, mail server) is unreachable; the cause is logged, not shown.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// A bug or an unexpected failure: what was being done, and the error underneath. Logged once,
    /// with its whole chain of causes, where the response is made; never shown.
    #[error("internal error: {context}")]
    Internal {
        context: String,
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

impl AppError {
    /// An unexpected failure with no underlying error.
    pub fn internal(context: impl Into<String>) -> Self {
        AppError::Internal {
            context: context.into(),
            source: None,
        }
    }

    /// An unexpected failure while doing `context`, caused by `source`.
    pub fn caused(context: &str, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        AppError::Internal {
            context: context.to_owned(),
            source: Some(Box::new(source)),
        }
    }

    /// The message and every cause under it, for the log.
    pub fn chain(&self) -> String {
        let mut text = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(e) = cause {
            text.push_str(": ");
            text.push_str(&e.to_string());
            cause = e.source();
        }
        text
    }
}

impl AppError {
    /// A short title for the error page.
    pub fn title(&self) -> &'static str {
        match self {
            AppError::BadRequest(_) => "Bad request",
            AppError::LoginRequired => "Please log in",
            AppError::InvalidToken => "Invalid access token",
            AppError::InsufficientScope => "Not allowed",
            AppError::Forbidden => "Not allowed",
            AppError::NeedsReputation(_) => "Not yet",
            AppError::CsrfRejected => "Form expired",
            AppError::NotFound => "Page not found",
            AppError::UnsupportedMediaType(_) => "Unsupported format",
            AppError::Invalid(_) => "Please check the form",
            AppError::PayloadTooLarge => "Too large",
            AppError::TooManyRequests { .. } => "Slow down",
            AppError::Unavailable(_) => "Temporarily unavailable",
            AppError::Internal { .. } => "Something went wrong",
        }
    }

    /// A stable machine-readable code for JSON clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest(_) => "bad_request",
            AppError::LoginRequired => "unauthorized",
            AppError::InvalidToken => "invalid_token",
            AppError::InsufficientScope => "insufficient_scope",
            AppError::Forbidden => "forbidden",
            AppError::NeedsReputation(_) => "needs_reputation",
            AppError::CsrfRejected => "csrf_rejected",
            AppError::NotFound => "not_found",
            AppError::UnsupportedMediaType(_) => "unsupported_media_type",
            AppError::Invalid(_) => "invalid",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::TooManyRequests { .. } => "too_many_requests",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal { .. } => "internal",
        }
    }

    /// What the user is told: never the internal cause.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Unavailable(_) => {
                "PeerDesk cannot reach one of its services right now. Please try again shortly.".into()
            }
            AppError::Internal { .. } => "An unexpected error happened. It has been logged; please try again.".into(),
            other => other.to_string(),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::LoginRequired | AppError::InvalidToken => StatusCode::UNAUTHORIZED,
            AppError::Forbidden
            | AppError::CsrfRejected
            | AppError::InsufficientScope
            | AppError::NeedsReputation(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Unavailable(cause) => tracing::warn!(%cause, "service unavailable"),
            AppError::Internal { .. } => tracing::error!(cause = %self.chain(), "internal error"),
            _ => {}
        }
        let mut res = HttpResponse::build(self.status_code());
        match self {
            AppError::TooManyRequests { retry_after_secs } => {
                if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                    res.insert_header((RETRY_AFTER, v));
                }
            }
            AppError::InvalidToken => {
                res.insert_header((WWW_AUTHENTICATE, "Bearer realm=\"peerdesk\", error=\"invalid_token\""));
            }
            AppError::InsufficientScope => {
                res.insert_header((
                    WWW_AUTHENTICATE,
                    "Bearer realm=\"peerdesk\", error=\"insufficient_scope\"",
                ));
            }
            _ => {}
        }
        res.content_type("text/plain; charset=utf-8")
            .body(self.public_message())
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => AppError::NotFound,
            other => AppError::caused("database", other),
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(e: FieldErrors) -> Self {
        AppError::Invalid(e)
    }
}

/// A form's write at the handler: the refused input (`Invalid`) comes out as `Ok(Err(fields))`,
/// so that the handler shows the form again with its messages; every other error stays one.
pub trait FormOutcome<T> {
    fn or_form_errors(self) -> AppResult<Result<T, FieldErrors>>;
}

impl<T> FormOutcome<T> for AppResult<T> {
    fn or_form_errors(self) -> AppResult<Result<T, FieldErrors>> {
        match self {
            Ok(v) => Ok(Ok(v)),
            Err(AppError::Invalid(fields)) => Ok(Err(fields)),
            Err(e) => Err(e),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::caused("template", e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_error_keeps_its_cause_for_the_log_and_shows_none() {
        let io = std::io::Error::other("disk on fire");
        let e = AppError::caused("writing the outbox", io);
        assert_eq!(e.chain(), "internal error: writing the outbox: disk on fire");
        assert!(std::error::Error::source(&e).is_some());
        assert!(!e.public_message().contains("disk"), "{}", e.public_message());
        assert_eq!(e.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
        let from_db = AppError::from(diesel::result::Error::RollbackTransaction);
        assert!(
            from_db.chain().starts_with("internal error: database: "),
            "{}",
            from_db.chain()
        );
        assert!(matches!(
            AppError::from(diesel::result::Error::NotFound),
            AppError::NotFound
        ));
    }

    #[test]
    fn a_form_outcome_splits_refused_input_from_failures() {
        let refused: AppResult<()> = Err(FieldErrors::one("title", "Too short.").into());
        let fields = refused.or_form_errors().expect("not a failure").expect_err("refused");
        assert_eq!(fields.get("title"), Some("Too short."));
        assert_eq!(fields.to_string(), "Too short.");
        let failed: AppResult<()> = Err(AppError::Forbidden);
        assert!(matches!(failed.or_form_errors(), Err(AppError::Forbidden)));
        assert_eq!(Ok::<i32, AppError>(7).or_form_errors().ok(), Some(Ok(7)));
        let mut errors = FieldErrors::new();
        errors.add("tags", Rejected::because("Give 1 to 5 tags."));
        assert_eq!(
            AppError::Invalid(errors).status_code(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
}

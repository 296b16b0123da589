//! The signed-in user, as handlers receive it. The session middleware resolves the session once
//! per request and leaves an `Authenticated` in the request extensions; these extractors read it.

use std::future::{ready, Ready};
use std::rc::Rc;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use super::session::SessionRecord;
use crate::db::ids::ApiTokenId;
use crate::domain::access::permissions::{Permission, PermissionSet};
use crate::domain::members::api_tokens::Scope;
use crate::error::AppError;
use crate::models::user::User;

/// How the request proved who it is.
#[derive(Debug)]
pub enum Credential {
    /// The session cookie (pages, and scripts on our pages with the CSRF token).
    Session(SessionRecord),
    /// A personal access token in `Authorization: Bearer` (the JSON API only).
    Token { id: ApiTokenId, scope: Scope },
}

/// A signed-in user with their effective permissions and the credential they came with.
#[derive(Debug)]
pub struct Authenticated {
    pub user: User,
    /// Role, overrides and what reputation has earned.
    pub permissions: PermissionSet,
    /// May comment on others' posts (DESIGN §4: a reputation privilege that is no permission).
    pub comment_anywhere: bool,
    /// Unread notifications, for the header (pages only; 0 for token requests).
    pub unread: i64,
    pub via: Credential,
}

impl Authenticated {
    /// The session, when the request came with the cookie.
    pub fn session(&self) -> Option<&SessionRecord> {
        match &self.via {
            Credential::Session(s) => Some(s),
            Credential::Token { .. } => None,
        }
    }

    /// The CSRF token pages embed (empty for token requests, which need none).
    pub fn csrf_token(&self) -> &str {
        self.session().map(|s| s.csrf_token.as_str()).unwrap_or_default()
    }
}

/// A handler argument that requires a signed-in user (else "log in" for pages, 401 for the API).
#[derive(Debug, Clone)]
pub struct CurrentUser(pub Rc<Authenticated>);

impl CurrentUser {
    /// The account.
    pub fn user(&self) -> &User {
        &self.0.user
    }

    /// Whether the user holds `p`.
    pub fn can(&self, p: Permission) -> bool {
        self.0.permissions.contains(p)
    }

    /// The session, for account pages (a token never reaches them): `Forbidden` otherwise.
    pub fn session(&self) -> Result<&SessionRecord, AppError> {
        self.0.session().ok_or(AppError::Forbidden)
    }

    /// `Forbidden` unless the user holds `p`.
    pub fn require(&self, p: Permission) -> Result<(), AppError> {
        if self.can(p) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// A handler argument for pages anyone may see.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<Rc<Authenticated>>);

/// The session's `Authenticated`, if the middleware found one.
pub fn authenticated(req: &HttpRequest) -> Option<Rc<Authenticated>> {
    req.extensions().get::<Rc<Authenticated>>().cloned()
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticated(req).map(CurrentUser).ok_or(AppError::LoginRequired))
    }
}

impl FromRequest for MaybeUser {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(MaybeUser(authenticated(req))))
    }
}

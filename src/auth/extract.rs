//! The signed-in user, as handlers receive it. The session middleware resolves the session once
//! per request and leaves an `Authenticated` in the request extensions; these extractors read it.

use std::future::{ready, Ready};
use std::rc::Rc;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use super::permissions::{Permission, PermissionSet};
use super::session::SessionRecord;
use crate::error::AppError;
use crate::models::user::User;

/// A live session with its user and effective permissions.
#[derive(Debug)]
pub struct Authenticated {
    pub user: User,
    pub permissions: PermissionSet,
    pub session: SessionRecord,
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

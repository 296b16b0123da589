//! Password policy and Argon2id hashing.

use crate::error::Rejected;
use crate::error::SetupError;
use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;

/// Shortest password accepted.
pub const MIN_LEN: usize = 10;
/// Longest accepted: hashing is deliberately slow, so unbounded input would be a denial of service.
pub const MAX_LEN: usize = 1000;

/// Why a new password is refused; the message is shown beside the field.
pub fn check_policy(password: &str, username: &str, email: &str) -> Result<(), Rejected> {
    let len = password.chars().count();
    if len < MIN_LEN {
        return Err(format!("Use at least {MIN_LEN} characters.").into());
    }
    if len > MAX_LEN {
        return Err(format!("Use at most {MAX_LEN} characters.").into());
    }
    let lower = password.to_lowercase();
    if passwords::analyzer::is_common_password(&lower) || passwords::analyzer::is_common_password(password) {
        return Err("This password is on a list of commonly used passwords; choose another.".into());
    }
    if lower == username.to_lowercase() || lower == email.to_lowercase() {
        return Err("The password must not be your username or email.".into());
    }
    Ok(())
}

/// Argon2id hash in PHC string form.
pub fn hash(password: &str) -> Result<String, SetupError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| SetupError(format!("hashing a password: {e}")))
}

/// Checks `password` against a stored hash. With no stored hash (unknown user, or an imported user
/// who never set one) a dummy hash is verified instead, so that the answer takes the same time.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let (stored, real) = match stored {
        Some(s) => (s, true),
        None => (
            DUMMY
                .get_or_init(|| hash("dummy password for timing").unwrap_or_default())
                .as_str(),
            false,
        ),
    };
    let ok = PasswordHash::new(stored)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false);
    ok && real
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert!(check_policy("short", "bob", "b@x.io").is_err());
        assert!(
            check_policy("password123", "bob", "b@x.io").is_err(),
            "common password accepted"
        );
        assert!(check_policy("bobbybobby1", "bobbybobby1", "b@x.io").is_err());
        assert!(check_policy("correct horse battery", "bob", "b@x.io").is_ok());
        assert!(check_policy(&"x".repeat(1001), "bob", "b@x.io").is_err());
    }

    #[test]
    fn hash_and_verify() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", Some(&h)));
        assert!(!verify("wrong horse battery", Some(&h)));
        assert!(!verify("correct horse battery", None));
        assert!(!verify("x", Some("not a hash")));
    }
}

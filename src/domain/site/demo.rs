//! A demo forum: the accounts a visitor may sign in as, as the settings record them (their
//! usernames, never the password), so that the home page can say how to sign in.

/// One account a visitor of the demo may sign in as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignIn {
    /// `member`, `contributor`, `moderator` or `admin`.
    pub kind: &'static str,
    pub username: String,
}

/// The settings key that marks a forum as a demo and names its sign-ins (never the password).
pub const SIGN_INS_KEY: &str = "site.demo_sign_ins";

/// The sign-ins a demo's settings name (empty for a forum that is not a demo).
pub fn sign_ins_of(stored: Option<&str>) -> Vec<SignIn> {
    let kinds = ["member", "contributor", "moderator", "admin"];
    stored
        .unwrap_or_default()
        .split(';')
        .filter_map(|pair| {
            let (kind, username) = pair.split_once('=')?;
            let kind = kinds.into_iter().find(|k| *k == kind)?;
            Some(SignIn {
                kind,
                username: username.to_owned(),
            })
        })
        .collect()
}

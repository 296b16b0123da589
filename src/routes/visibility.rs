//! What each route of the table shows, and where the one visibility rule
//! (`domain::access::visibility`, in SQL `db::visibility`) is applied to it. A route that shows
//! or acts on members' content names the function that decides; the rest say why they show none.
//! The test below reads the route table and fails on any path missing here (or listed here and
//! gone from the table), so a new page cannot ship without its visibility decided.

/// A route's relation to members' content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shows {
    /// Shows or acts on questions, answers, comments, tags or categories; decided by the named
    /// function.
    Content(&'static str),
    /// Shows no member's content (accounts, settings, assets, admin forms); the reason.
    NoContent(&'static str),
}

use Shows::{Content, NoContent};

const LIST: &str = "qa::listing (db::visibility::public_category)";
const THREAD: &str = "qa::thread::load (visibility::question_open)";
const ACT: &str = "qa::posting::visible_question, then ThreadAbilities";
const SEARCH: &str = "qa::search (db::visibility::PUBLIC_CATEGORY_SQL)";
const HISTORY: &str = "qa::editing::history (visible_question)";
const PEOPLE: &str = "members::people (db::visibility::public_category)";
const BADGES: &str = "models::badge (db::visibility::public_category)";
const CATEGORIES: &str = "qa::categories::open_to / find_open (visibility::category_open)";
const STAFF: &str = "staff only (view_kpis): every category, by DESIGN §7";
const ACCOUNT: &str = "the signed-in member's own account";
const ADMIN: &str = "an admin form; no member's posts";

/// Every path of `routes::configure` (API paths with their `/api/v1` prefix).
pub const ROUTE_VISIBILITY: &[(&str, Shows)] = &[
    ("/", Content(LIST)),
    ("/questions/{id}/edit", Content(ACT)),
    ("/questions/{id}/revisions", Content(HISTORY)),
    ("/questions/{id}/{slug}", Content(THREAD)),
    ("/healthz", NoContent("health check")),
    ("/readyz", NoContent("readiness check")),
    ("/assets/{hash}/{path:.*}", NoContent("compiled-in files")),
    ("/brand.css", NoContent("the site's colours")),
    ("/signup", NoContent(ACCOUNT)),
    ("/login", NoContent(ACCOUNT)),
    ("/logout", NoContent(ACCOUNT)),
    ("/verify-email", NoContent(ACCOUNT)),
    ("/forgot-password", NoContent(ACCOUNT)),
    ("/reset-password", NoContent(ACCOUNT)),
    ("/settings", NoContent(ACCOUNT)),
    ("/settings/password", NoContent(ACCOUNT)),
    ("/settings/email", NoContent(ACCOUNT)),
    ("/settings/email/confirm", NoContent(ACCOUNT)),
    ("/settings/email/resend-verification", NoContent(ACCOUNT)),
    ("/settings/logout-everywhere", NoContent(ACCOUNT)),
    ("/session/keepalive", NoContent(ACCOUNT)),
    ("/admin/users", NoContent("accounts for manage_users / suspend_users")),
    (
        "/admin/users/{id}",
        NoContent("an account for manage_users / suspend_users"),
    ),
    ("/admin/users/{id}/role", NoContent(ADMIN)),
    ("/admin/users/{id}/permissions", NoContent(ADMIN)),
    ("/admin/users/{id}/suspend", NoContent(ADMIN)),
    ("/admin/users/{id}/unsuspend", NoContent(ADMIN)),
    ("/questions", Content(LIST)),
    ("/questions/ask", Content(CATEGORIES)),
    ("/questions/similar", Content(SEARCH)),
    ("/search", Content(SEARCH)),
    ("/questions/{id}", Content(THREAD)),
    ("/questions/{id}/answers", Content(ACT)),
    ("/questions/{id}/comments", Content(ACT)),
    (
        "/questions/{id}/survey",
        Content("qa::surveys::submit (visible_question)"),
    ),
    ("/questions/{id}/state", Content("qa::thread_state (visible_question)")),
    (
        "/answers/{id}/edit",
        Content("qa::editing::answer_to_edit (visible_question)"),
    ),
    ("/answers/{id}/revisions", Content(HISTORY)),
    ("/answers/{id}/delete", Content("qa::thread_state (visible_question)")),
    ("/answers/{id}/undelete", Content("qa::thread_state (visible_question)")),
    (
        "/answers/{id}/remove-spam",
        Content("qa::thread_state (visible_question)"),
    ),
    ("/questions/{id}/vote", Content(ACT)),
    ("/questions/{id}/unaccept", Content(ACT)),
    ("/questions/{id}/follow", Content("qa::following (visible_question)")),
    ("/questions/{id}/unfollow", Content("qa::following (visible_question)")),
    ("/answers/{id}/vote", Content(ACT)),
    ("/answers/{id}/accept", Content(ACT)),
    ("/markdown/preview", NoContent("renders the sender's own text")),
    ("/tags", Content("models::tag counts (db::visibility::public_category)")),
    ("/tags/{name}", Content(LIST)),
    (
        "/tags/{name}/edit",
        Content("models::tag counts (db::visibility::public_category)"),
    ),
    ("/categories/{slug}", Content(CATEGORIES)),
    ("/admin/categories", NoContent("every category, for manage_settings")),
    ("/admin/categories/{id}", NoContent(ADMIN)),
    ("/privileges", NoContent("the reputation thresholds")),
    ("/users", Content(PEOPLE)),
    ("/users/{username}", Content(PEOPLE)),
    ("/users/{username}/avatar", NoContent("an image")),
    ("/users/{username}/contributor", NoContent(ADMIN)),
    ("/leaderboard", Content(PEOPLE)),
    ("/settings/profile", NoContent(ACCOUNT)),
    ("/settings/profile/avatar", NoContent(ACCOUNT)),
    ("/settings/profile/avatar/remove", NoContent(ACCOUNT)),
    ("/badges", Content(BADGES)),
    ("/badges/{slug}", Content(BADGES)),
    ("/badges/{slug}/awards", NoContent(ADMIN)),
    ("/badges/{slug}/awards/{id}/revoke", NoContent(ADMIN)),
    (
        "/notifications",
        Content(
            "written only about content the reader could see; hiding what they no longer may is the notifications work",
        ),
    ),
    ("/notifications/read", NoContent(ACCOUNT)),
    ("/admin/reputation", NoContent(ADMIN)),
    ("/admin/support", NoContent(ADMIN)),
    ("/admin/digest", NoContent(ADMIN)),
    ("/admin/brand", NoContent(ADMIN)),
    ("/staff/kpis", Content(STAFF)),
    ("/staff/kpis.csv", Content(STAFF)),
    ("/admin/audit", Content("view_audit_log: every target, by DESIGN §6")),
    (
        "/admin/audit.csv",
        Content("view_audit_log and export_data: every target, by DESIGN §6"),
    ),
    ("/settings/tokens", NoContent(ACCOUNT)),
    ("/settings/tokens/{id}/revoke", NoContent(ACCOUNT)),
    ("/api/v1/openapi.json", NoContent("the API's description")),
    ("/api/v1/me", NoContent(ACCOUNT)),
    ("/api/v1/users/{username}", Content(PEOPLE)),
    ("/api/v1/leaderboard", Content(PEOPLE)),
    ("/api/v1/kpis", Content(STAFF)),
    ("/api/v1/categories", Content(CATEGORIES)),
    ("/api/v1/search", Content(SEARCH)),
    ("/api/v1/questions", Content(LIST)),
    ("/api/v1/questions/{id}", Content(THREAD)),
    ("/api/v1/questions/{id}/answers", Content(ACT)),
    ("/api/v1/questions/{id}/comments", Content(ACT)),
    ("/api/v1/questions/{id}/vote", Content(ACT)),
    ("/api/v1/questions/{id}/unaccept", Content(ACT)),
    ("/api/v1/answers/{id}/vote", Content(ACT)),
    ("/api/v1/answers/{id}/accept", Content(ACT)),
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The paths registered in the route table, read from its source: `route("…")` and
    /// `resource("…")`, with `/api/v1` before those of `api_routes`.
    fn table_paths() -> BTreeSet<String> {
        let source = include_str!("../routes.rs");
        let (site, api) = source.split_once("fn api_routes").expect("the API routes");
        let mut paths = BTreeSet::new();
        for (part, prefix) in [(site, ""), (api, "/api/v1")] {
            for call in ["route(\"", "resource(\""] {
                for piece in part.split(call).skip(1) {
                    let path = piece.split('"').next().expect("a closing quote");
                    paths.insert(format!("{prefix}{path}"));
                }
            }
        }
        paths
    }

    #[test]
    fn every_route_has_its_visibility_decided() {
        let table = table_paths();
        assert!(table.len() > 80, "the route table was read: {} paths", table.len());
        let recorded: BTreeSet<String> = ROUTE_VISIBILITY.iter().map(|(p, _)| p.to_string()).collect();
        let missing: Vec<_> = table.difference(&recorded).collect();
        assert!(
            missing.is_empty(),
            "routes with no visibility decision recorded: {missing:?}"
        );
        let stale: Vec<_> = recorded.difference(&table).collect();
        assert!(stale.is_empty(), "recorded routes that are not in the table: {stale:?}");
        assert_eq!(recorded.len(), ROUTE_VISIBILITY.len(), "a route recorded twice");
    }
}

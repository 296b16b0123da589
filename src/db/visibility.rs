//! The visibility rule in SQL, for the queries that filter many rows at once (lists, search, tag
//! counts, profile tabs, leaderboards, badge pages, KPI views for non-staff). It is the same rule
//! as `domain::access::visibility` decides for one row in memory; a test keeps the two equal.
//!
//! Content in a category restricted to a beta group is, for now, shown on no public page: these
//! fragments select what every viewer may see. Beta groups (DESIGN §8) widen them to what one
//! viewer may see, here and in the domain function together.

use crate::db::schema::categories;

/// Categories whose content every viewer may see (diesel, for queries joined to `categories`).
pub fn public_category() -> diesel::dsl::IsNull<categories::group_id> {
    use diesel::ExpressionMethods;
    categories::group_id.is_null()
}

/// `public_category` for hand-written SQL where the categories table is aliased `c`.
pub const PUBLIC_CATEGORY_SQL: &str = "c.group_id IS NULL";

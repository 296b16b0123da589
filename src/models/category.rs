//! `categories`: product areas questions are filed under (admin-managed; may later belong to a group).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::ids::CategoryId;
use crate::db::schema::categories;
use crate::db::DbConn;

/// A category row, in table column order.
#[derive(Debug, Clone, Queryable)]
pub struct Category {
    pub id: CategoryId,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub description_html: String,
    pub position: i32,
    pub group_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// A new category.
#[derive(Debug, Insertable)]
#[diesel(table_name = categories)]
pub struct NewCategory<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub description: &'a str,
    pub description_html: &'a str,
    pub position: i32,
    pub created_at: NaiveDateTime,
}

/// Changes to a category.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = categories)]
pub struct CategoryChanges<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub description: &'a str,
    pub description_html: &'a str,
    pub position: i32,
}

/// Inserts a category.
pub fn insert(conn: &mut DbConn, new: &NewCategory<'_>) -> QueryResult<CategoryId> {
    diesel::insert_into(categories::table)
        .values(new)
        .returning(categories::id)
        .get_result(conn)
}

/// Updates a category.
pub fn update(conn: &mut DbConn, id: CategoryId, changes: &CategoryChanges<'_>) -> QueryResult<usize> {
    diesel::update(categories::table.find(id)).set(changes).execute(conn)
}

/// All categories in display order.
pub fn list(conn: &mut DbConn) -> QueryResult<Vec<Category>> {
    categories::table
        .order((categories::position, categories::name))
        .load(conn)
}

/// By id.
pub fn find(conn: &mut DbConn, id: CategoryId) -> QueryResult<Category> {
    categories::table.find(id).first(conn)
}

/// By slug.
pub fn find_by_slug(conn: &mut DbConn, slug: &str) -> QueryResult<Option<Category>> {
    categories::table
        .filter(categories::slug.eq(slug))
        .first(conn)
        .optional()
}

/// Every beta group as (slug, name), by name.
pub fn groups(conn: &mut DbConn) -> QueryResult<Vec<(String, String)>> {
    crate::db::schema::beta_groups::table
        .order(crate::db::schema::beta_groups::name)
        .select((
            crate::db::schema::beta_groups::slug,
            crate::db::schema::beta_groups::name,
        ))
        .load(conn)
}

/// Every beta group as (id, name), by name.
pub fn groups_by_id(conn: &mut DbConn) -> QueryResult<Vec<(i64, String)>> {
    crate::db::schema::beta_groups::table
        .order(crate::db::schema::beta_groups::name)
        .select((crate::db::schema::beta_groups::id, crate::db::schema::beta_groups::name))
        .load(conn)
}

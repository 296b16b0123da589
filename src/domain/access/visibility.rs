//! What a viewer may see: the one visibility rule of the product, for one question or category
//! in memory. Every page, list, search, API endpoint, notification and email decides through
//! here or through its SQL form, `db::visibility` (the same rule, for queries over many rows).
//!
//! - Content in a category restricted to a beta group is shown to nobody yet (DESIGN §8 will
//!   open it to the group's members, moderators and staff: change it here and in
//!   `db::visibility` together).
//! - A question is seen once published; a deleted one only by its author and moderators.

use crate::db::ids::UserId;
use crate::domain::access::abilities::Poster;
use crate::domain::access::permissions::Permission;
use crate::models::category::Category;
use crate::models::question::Question;

/// Who is looking (`None` where a function takes `Option<&Viewer>`: a visitor).
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub id: UserId,
    /// Moderators also see deleted posts.
    pub moderator: bool,
}

impl Viewer {
    /// The viewer a poster is.
    pub fn of(poster: &Poster) -> Self {
        Viewer {
            id: poster.id,
            moderator: poster.permissions.contains(Permission::Moderate),
        }
    }
}

/// Whether content filed under `category` is open to `viewer`.
pub fn category_open(_viewer: Option<&Viewer>, category: &Category) -> bool {
    category.group_id.is_none()
}

/// The categories of `all` open to `viewer`, in their order.
pub fn open_categories(viewer: Option<&Viewer>, all: Vec<Category>) -> Vec<Category> {
    all.into_iter().filter(|c| category_open(viewer, c)).collect()
}

/// Whether `viewer` sees a deleted post by `author`.
pub fn sees_deleted(viewer: Option<&Viewer>, author: UserId) -> bool {
    viewer.is_some_and(|v| v.moderator || v.id == author)
}

/// Whether `viewer` sees question `q`, filed under `category`.
pub fn question_open(viewer: Option<&Viewer>, q: &Question, category: &Category) -> bool {
    q.published_at.is_some()
        && category_open(viewer, category)
        && (q.deleted_at.is_none() || sees_deleted(viewer, q.author_id))
}

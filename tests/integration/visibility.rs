//! The one visibility rule in its two forms agree: the in-memory decision
//! (`domain::access::visibility`) and the SQL fragments every list query uses (`db::visibility`),
//! on a real database with a public category and one restricted to a beta group.

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde_json::json;

use crate::common::TestApp;
use peerdesk::db::schema::categories;
use peerdesk::db::visibility::{public_category, PUBLIC_CATEGORY_SQL};
use peerdesk::domain::access::visibility::{category_open, open_categories};
use peerdesk::models::category;

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[actix_web::test]
async fn the_sql_fragments_and_the_domain_rule_select_the_same_categories() {
    let app = TestApp::spawn().await;
    app.import(&json!({
        "users": [{"ref": "u1", "username": "tester", "email": "tester@example.com", "role": "member",
                   "created_at": "2026-11-02T10:00:00Z"}],
        "groups": [{"ref": "g1", "name": "Beta 7", "slug": "beta-7", "members": ["u1"]}],
        "categories": [
            {"ref": "c1", "name": "Sync", "slug": "sync", "group": null},
            {"ref": "c2", "name": "Beta 7 feedback", "slug": "beta-7-feedback", "group": "g1"},
            {"ref": "c3", "name": "Billing", "slug": "billing", "group": null}
        ],
        "questions": [], "surveys": []
    }))
    .await;
    let (all, by_diesel, by_sql) = app
        .db(|c| {
            let all = category::list(c).unwrap();
            let mut by_diesel: Vec<i64> = categories::table
                .filter(public_category())
                .select(categories::id)
                .load(c)
                .unwrap();
            by_diesel.sort();
            let sql = format!("SELECT c.id AS id FROM categories c WHERE {PUBLIC_CATEGORY_SQL} ORDER BY c.id");
            let by_sql: Vec<i64> = diesel::sql_query(sql)
                .load::<Id>(c)
                .unwrap()
                .into_iter()
                .map(|r| r.id)
                .collect();
            (all, by_diesel, by_sql)
        })
        .await;
    let slugs = |ids: &[i64]| -> Vec<String> {
        let mut s: Vec<String> = all
            .iter()
            .filter(|c| ids.contains(&c.id.0))
            .map(|c| c.slug.clone())
            .collect();
        s.sort();
        s
    };
    let mut by_domain: Vec<i64> = open_categories(None, all.clone()).iter().map(|c| c.id.0).collect();
    by_domain.sort();
    let public = slugs(&by_domain);
    assert!(
        public.contains(&"sync".to_string()) && public.contains(&"billing".to_string()),
        "{public:?}"
    );
    assert!(
        !public.contains(&"beta-7-feedback".to_string()),
        "the group's category is not public"
    );
    assert_eq!(by_diesel, by_domain, "diesel fragment and domain rule");
    assert_eq!(by_sql, by_domain, "SQL text and domain rule");
    for c in &all {
        assert_eq!(category_open(None, c), by_domain.contains(&c.id.0), "{}", c.slug);
    }
}

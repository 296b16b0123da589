//! The admin users page: roles, single permissions, suspensions, and who may do what.

use diesel::prelude::*;

use crate::common::{TestApp, PASSWORD};
use peerdesk::db::schema::{audit_log, users};

async fn audit_count(app: &TestApp) -> i64 {
    app.db(|c| audit_log::table.count().get_result(c).unwrap()).await
}

async fn role_of(app: &TestApp, name: &'static str) -> String {
    app.db(move |c| {
        users::table
            .filter(users::username.eq(name))
            .select(users::role)
            .first(c)
            .unwrap()
    })
    .await
}

#[actix_web::test]
async fn members_and_visitors_are_kept_out() {
    let app = TestApp::spawn().await;
    let target = app.make_user("victim", "member").await;
    let anon = app.client();
    let res = anon.get("/admin/users").await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), "/login?next=%2Fadmin%2Fusers");
    let (_, member) = app.login_as("mallory", "member").await;
    assert_eq!(member.get("/admin/users").await.status, 403);
    assert_eq!(member.get("/admin/audit").await.status, 403);
    assert_eq!(member.get(&format!("/admin/users/{target}")).await.status, 403);
    let res = member
        .post(&format!("/admin/users/{target}/role"), &[("role", "admin")])
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(role_of(&app, "mallory").await, "member");
    assert_eq!(role_of(&app, "victim").await, "member");
    assert!(
        !member.get("/").await.body.contains("/admin/users"),
        "no admin link for members"
    );
}

#[actix_web::test]
async fn an_admin_searches_changes_roles_and_the_audit_log_shows_it() {
    let app = TestApp::spawn().await;
    let target = app.make_user("rita", "member").await;
    app.make_user("sam", "member").await;
    let (_, admin) = app.login_as("boss", "admin").await;
    let list = admin.get("/admin/users?q=RIT").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("rita") && !list.body.contains(">sam<"));
    let page = admin.get(&format!("/admin/users/{target}")).await;
    assert!(page.body.contains("view_kpis") && page.body.contains("Change role"));

    let res = admin
        .post(&format!("/admin/users/{target}/role"), &[("role", "staff")])
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(role_of(&app, "rita").await, "staff");
    let audit = admin.get("/admin/audit?action=user.role_change").await;
    assert!(audit.body.contains("user.role_change") && audit.body.contains("boss"));
    let unescaped = audit.body.replace("&#34;", "\"").replace("&quot;", "\"");
    assert!(unescaped.contains(r#"{"role":"member"}"#) && unescaped.contains(r#"{"role":"staff"}"#));
    assert!(audit.body.contains("127.0.0.1"));
    // The target is named and linked, not just numbered.
    assert!(
        audit
            .body
            .contains(&format!(r#"<a href="/admin/users/{target}">user rita</a>"#)),
        "{}",
        audit.body
    );

    // Bad input: a clear 400, nothing changes, nothing is logged.
    let before = audit_count(&app).await;
    assert_eq!(
        admin
            .post(&format!("/admin/users/{target}/role"), &[("role", "overlord")])
            .await
            .status,
        400
    );
    assert_eq!(
        admin.post(&format!("/admin/users/{target}/role"), &[]).await.status,
        400
    );
    assert_eq!(
        admin
            .post(
                &format!("/admin/users/{target}/permissions"),
                &[("permission", "fly"), ("state", "grant")]
            )
            .await
            .status,
        400
    );
    assert_eq!(
        admin
            .post(
                &format!("/admin/users/{target}/permissions"),
                &[("permission", "view_kpis"), ("state", "maybe")]
            )
            .await
            .status,
        400
    );
    assert_eq!(
        admin
            .post("/admin/users/999999/role", &[("role", "staff")])
            .await
            .status,
        404
    );
    assert_eq!(audit_count(&app).await, before);
    assert_eq!(role_of(&app, "rita").await, "staff");
}

#[actix_web::test]
async fn single_permissions_can_be_granted_and_withheld() {
    let app = TestApp::spawn().await;
    let (analyst_id, analyst) = app.login_as("ana", "member").await;
    let (_, admin) = app.login_as("boss", "admin").await;
    assert_eq!(analyst.get("/admin/audit").await.status, 403);
    admin.get(&format!("/admin/users/{analyst_id}")).await;
    let res = admin
        .post(
            &format!("/admin/users/{analyst_id}/permissions"),
            &[("permission", "view_audit_log"), ("state", "grant")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(
        analyst.get("/admin/audit").await.status,
        200,
        "takes effect on the next request"
    );
    admin
        .post(
            &format!("/admin/users/{analyst_id}/permissions"),
            &[("permission", "ask"), ("state", "withhold")],
        )
        .await;
    let page = admin.get(&format!("/admin/users/{analyst_id}")).await;
    assert!(page.body.contains("value=\"withhold\" selected"));
    admin
        .post(
            &format!("/admin/users/{analyst_id}/permissions"),
            &[("permission", "view_audit_log"), ("state", "default")],
        )
        .await;
    assert_eq!(analyst.get("/admin/audit").await.status, 403);
    let audit = admin.get("/admin/audit?action=user.permission_change").await;
    assert_eq!(audit.body.matches("<code>user.permission_change</code>").count(), 3);
}

#[actix_web::test]
async fn nobody_manages_someone_more_powerful_or_themselves() {
    let app = TestApp::spawn().await;
    let admin_id = app.make_user("boss", "admin").await;
    let staff_id = app.make_user("stella", "staff").await;
    let member_id = app.make_user("tom", "member").await;
    let (mod_id, moderator) = app.login_as("mod", "moderator").await;
    moderator.get("/admin/users").await;
    // A moderator may suspend members but not staff, and may not change roles.
    assert_eq!(
        moderator
            .post(&format!("/admin/users/{member_id}/role"), &[("role", "moderator")])
            .await
            .status,
        403
    );
    assert_eq!(
        moderator
            .post(
                &format!("/admin/users/{staff_id}/suspend"),
                &[("reason", "x"), ("until", "2099-01-01")]
            )
            .await
            .status,
        403
    );
    assert_eq!(
        moderator
            .post(
                &format!("/admin/users/{mod_id}/suspend"),
                &[("reason", "x"), ("until", "2099-01-01")]
            )
            .await
            .status,
        400
    );
    // The only admin cannot change their own role, so the site always keeps one.
    let (_, boss) = (admin_id, app.client());
    assert_eq!(boss.login("boss", PASSWORD).await.status, 303);
    assert_eq!(
        boss.post(&format!("/admin/users/{admin_id}/role"), &[("role", "member")])
            .await
            .status,
        400
    );
    assert_eq!(role_of(&app, "boss").await, "admin");
    // A staff member with manage_users granted still cannot make an admin.
    let (_, staffer) = (staff_id, app.client());
    boss.post(
        &format!("/admin/users/{staff_id}/permissions"),
        &[("permission", "manage_users"), ("state", "grant")],
    )
    .await;
    assert_eq!(staffer.login("stella", PASSWORD).await.status, 303);
    assert_eq!(
        staffer
            .post(&format!("/admin/users/{member_id}/role"), &[("role", "admin")])
            .await
            .status,
        403
    );
    assert_eq!(
        staffer
            .post(&format!("/admin/users/{member_id}/role"), &[("role", "moderator")])
            .await
            .status,
        303
    );
    assert_eq!(
        staffer
            .post(&format!("/admin/users/{admin_id}/role"), &[("role", "member")])
            .await
            .status,
        403
    );
}

#[actix_web::test]
async fn a_suspended_user_is_logged_out_and_cannot_log_in_until_lifted() {
    let app = TestApp::spawn().await;
    let (uid, user) = app.login_as("uma", "member").await;
    let (_, moderator) = app.login_as("mod", "moderator").await;
    moderator.get(&format!("/admin/users/{uid}")).await;
    // Bad input first.
    let before = audit_count(&app).await;
    for fields in [
        vec![("reason", ""), ("until", "2099-01-01")],
        vec![("reason", "spam"), ("until", "tomorrow")],
        vec![("reason", "spam"), ("until", "2001-01-01")],
        vec![("reason", "spam")],
    ] {
        let res = moderator.post(&format!("/admin/users/{uid}/suspend"), &fields).await;
        assert_eq!(res.status, 400, "{fields:?}");
    }
    assert_eq!(audit_count(&app).await, before);
    assert_eq!(user.get("/settings").await.status, 200);

    let until = (chrono::Utc::now() + chrono::Duration::days(3))
        .format("%Y-%m-%d")
        .to_string();
    let res = moderator
        .post(
            &format!("/admin/users/{uid}/suspend"),
            &[("reason", "Posting spam links"), ("until", &until)],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(user.get("/settings").await.status, 303, "live session ended");
    let attempt = app.client().login("uma", PASSWORD).await;
    assert_eq!(attempt.status, 401);
    assert!(attempt.body.contains("suspended") && attempt.body.contains("Posting spam links"));
    // A wrong password does not reveal the suspension.
    let attempt = app.client().login("uma", "wrong password 123").await;
    assert!(!attempt.body.contains("suspended"));
    let listing = moderator.get("/admin/users?q=uma").await;
    assert!(listing.body.contains("suspended until"));

    assert_eq!(
        moderator
            .post(&format!("/admin/users/{uid}/unsuspend"), &[])
            .await
            .status,
        303
    );
    assert_eq!(app.client().login("uma", PASSWORD).await.status, 303);
    assert_eq!(
        moderator
            .post(&format!("/admin/users/{uid}/unsuspend"), &[])
            .await
            .status,
        400,
        "not suspended any more"
    );
    let audit: Vec<String> = app
        .db(|c| {
            audit_log::table
                .select(audit_log::action)
                .order(audit_log::id)
                .load(c)
                .unwrap()
        })
        .await;
    assert!(audit.ends_with(&["user.suspend".to_string(), "user.unsuspend".to_string()]));
}

#[actix_web::test]
async fn moderators_do_not_see_emails_and_the_page_says_where_each_permission_comes_from() {
    let app = TestApp::spawn().await;
    let (member_id, _) = app.login_as("rita", "member").await;
    app.db(move |c| {
        diesel::update(users::table.find(member_id))
            .set(users::reputation.eq(200))
            .execute(c)
            .unwrap()
    })
    .await;
    let (_, moderator) = app.login_as("mod", "moderator").await;
    let (_, admin) = app.login_as("boss", "admin").await;
    let email = "rita@example.com";

    // The admin sees the address and may search by it; the moderator sees neither.
    let list = admin.get("/admin/users").await.body;
    assert!(list.contains(email) && list.contains("<th scope=\"col\">Email</th>"));
    assert!(admin
        .get("/admin/users?q=rita%40example")
        .await
        .body
        .contains("/admin/users/"));
    let list = moderator.get("/admin/users").await;
    assert_eq!(list.status, 200);
    assert!(!list.body.contains("@example.com") && !list.body.contains(">Email<"));
    let by_email = moderator.get("/admin/users?q=rita%40example").await.body;
    assert!(by_email.contains("No user matches."), "no searching by address either");
    assert!(moderator
        .get("/admin/users?q=rit")
        .await
        .body
        .contains(&format!("/admin/users/{member_id}")));
    let page = moderator.get(&format!("/admin/users/{member_id}")).await.body;
    assert!(!page.contains(email) && !page.contains("<dt>Email</dt>"));
    assert!(admin
        .get(&format!("/admin/users/{member_id}"))
        .await
        .body
        .contains(email));

    // Effective permissions, each with its source: role, reputation (vote_up at 15, vote_down at
    // 125 by default), a single grant, a withholding.
    admin.get(&format!("/admin/users/{member_id}")).await;
    for (p, state) in [("view_kpis", "grant"), ("vote_down", "withhold")] {
        let res = admin
            .post(
                &format!("/admin/users/{member_id}/permissions"),
                &[("permission", p), ("state", state)],
            )
            .await;
        assert_eq!(res.status, 303);
    }
    let page = admin.get(&format!("/admin/users/{member_id}")).await.body;
    let row = |name: &str| {
        let start = page.find(&format!("<code>{name}</code>")).unwrap();
        let end = start + page[start..].find("</tr>").unwrap();
        page[start..end].to_string()
    };
    assert!(row("ask").contains("<td>yes</td>") && row("ask").contains("role (member)"));
    assert!(row("vote_up").contains("<td>yes</td>") && row("vote_up").contains("reputation (15 or more)"));
    assert!(row("view_kpis").contains("<td>yes</td>") && row("view_kpis").contains("granted to this member"));
    assert!(row("vote_down").contains("<td>no</td>") && row("vote_down").contains("withheld from this member"));
    assert!(row("close").contains("<td>no</td>") && row("close").contains("<td>—</td>"));
}

//! Profiles: the form (validation, Markdown bio through the one renderer, nofollow website,
//! flair from earned badges, Welcome badge), pictures (re-encoded; non-images, SVG, oversized
//! files and image bombs refused), profile tabs with public activity only, the directory and
//! leaderboards, and hostile input that stays inert.

use std::io::Cursor;

use diesel::prelude::*;
use serde_json::json;

use crate::common::{Client, Resp, TestApp};
use crate::xss::{assert_inert, payloads};
use peerdesk::db::schema::{categories, users};

const BODY: &str = "My router drops Wi-Fi every evening around 8pm. I tried rebooting it twice.";

fn profile_fields<'a>(
    name: &'a str,
    bio: &'a str,
    location: &'a str,
    website: &'a str,
    flair: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("display_name", name),
        ("bio", bio),
        ("location", location),
        ("website", website),
        ("flair", flair),
        ("action", "save"),
    ]
}

/// Uploads `bytes` as the `avatar` field of a multipart form, with the page's CSRF token in the
/// query string as the form does.
async fn upload(c: &Client, bytes: &[u8], filename: &str, with_token: bool) -> Resp {
    let boundary = "----peerdesk-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let token = c.token.borrow().clone();
    let path = if with_token {
        format!(
            "/settings/profile/avatar?csrf_token={}",
            url::form_urlencoded::byte_serialize(token.as_bytes()).collect::<String>()
        )
    } else {
        "/settings/profile/avatar".to_string()
    };
    let ct = format!("multipart/form-data; boundary={boundary}");
    c.call_bytes("POST", &path, &ct, body).await
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 120]));
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// A PNG whose header declares `w` × `h` pixels, with almost no data: a decompression bomb.
fn bomb(w: u32, h: u32) -> Vec<u8> {
    fn crc(bytes: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for b in bytes {
            c ^= u32::from(*b);
            for _ in 0..8 {
                c = if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
        }
        !c
    }
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut v = (data.len() as u32).to_be_bytes().to_vec();
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        v.extend_from_slice(&body);
        v.extend_from_slice(&crc(&body).to_be_bytes());
        v
    };
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &ihdr));
    out.extend(chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]));
    out.extend(chunk(b"IEND", &[]));
    out
}

#[actix_web::test]
async fn the_profile_form_validates_renders_and_completes() {
    let app = TestApp::spawn().await;
    let (_, alice) = app.login_as("alice", "member").await;
    let form = alice.get("/settings/profile").await;
    assert_eq!(form.status, 200);
    assert!(alice.get("/settings").await.body.contains("href=\"/settings/profile\""));

    let long = "x".repeat(61);
    let bad = [
        profile_fields("Alice", "Hi", "Berlin", "javascript:alert(1)", ""),
        profile_fields("Alice", "Hi", "Berlin", "ftp://example.com", ""),
        profile_fields("Alice", "Hi", &long, "", ""),
        profile_fields("Alice", "Hi", "Berlin", "", "guru"),
    ];
    for fields in &bad {
        let res = alice.post("/settings/profile", fields).await;
        assert_eq!(res.status, 422, "{fields:?}");
    }
    let name: Option<String> = app
        .db(|c| {
            users::table
                .filter(users::username.eq("alice"))
                .select(users::display_name)
                .first(c)
                .unwrap()
        })
        .await;
    assert_eq!(name, None, "nothing was saved");

    // Preview without JavaScript.
    let res = alice
        .post(
            "/settings/profile",
            &[("bio", "I **fix** routers"), ("action", "preview")],
        )
        .await;
    assert!(res.body.contains("<strong>fix</strong>"));

    let res = alice
        .post(
            "/settings/profile",
            &profile_fields(
                "Alice Smith",
                "I **fix** routers. <script>alert(1)</script>",
                "Berlin",
                "https://alice.example",
                "",
            ),
        )
        .await;
    assert_eq!(res.status, 303);
    let page = alice.get("/settings/profile").await;
    assert!(
        page.body.contains("Welcome badge"),
        "the flash says the Welcome badge was earned"
    );
    let profile = app.client().get("/users/alice").await;
    assert_eq!(profile.status, 200);
    assert!(profile.body.contains("Alice Smith") && profile.body.contains("<strong>fix</strong>"));
    assert!(!profile.body.contains("<script>alert"));
    assert!(profile
        .body
        .contains("href=\"https://alice.example/\" rel=\"nofollow ugc noopener\""));
    assert!(profile.body.contains("Berlin"));

    // Flair from an earned badge.
    let form = alice.get("/settings/profile").await;
    assert!(form.body.contains("<option value=\"welcome\""));
    let res = alice
        .post(
            "/settings/profile",
            &profile_fields("Alice Smith", "I fix routers.", "Berlin", "", "welcome"),
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(app
        .client()
        .get("/users/alice")
        .await
        .body
        .contains("class=\"flair tier-bronze\" href=\"/badges/welcome\""));
    assert_eq!(app.client().get("/settings/profile").await.status, 303, "log in first");
}

#[actix_web::test]
async fn pictures_are_checked_and_reencoded() {
    let app = TestApp::spawn().await;
    let (_, alice) = app.login_as("alice", "member").await;
    let anon = app.client();
    let identicon = anon.get("/users/alice/avatar?v=0").await;
    assert_eq!(identicon.header("content-type"), Some("image/svg+xml"));
    assert!(identicon.body.starts_with("<svg") && !identicon.body.contains("script"));

    alice.get("/settings/profile").await;
    let original = png(400, 300);
    let res = upload(&alice, &original, "me.png", true).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let version: i64 = app
        .db(|c| {
            users::table
                .filter(users::username.eq("alice"))
                .select(users::avatar_version)
                .first(c)
                .unwrap()
        })
        .await;
    assert_eq!(version, 1);
    let served = anon.get_bytes("/users/alice/avatar?v=1").await;
    assert_eq!(served.0, "image/png");
    assert_ne!(served.1, original, "the uploaded bytes are never served");
    let img = image::load_from_memory(&served.1).unwrap();
    assert_eq!((img.width(), img.height()), (256, 256));
    assert!(app
        .client()
        .get("/users/alice")
        .await
        .body
        .contains("/users/alice/avatar?v=1"));

    // Refused: not an image, SVG with a script, too large, a bomb, no CSRF token.
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>"#;
    for (bytes, name) in [
        (b"hello, not a picture".to_vec(), "a.png"),
        (svg.to_vec(), "a.svg"),
        (bomb(100_000, 100_000), "bomb.png"),
    ] {
        alice.get("/settings/profile").await;
        let res = upload(&alice, &bytes, name, true).await;
        assert_eq!(res.status, 422, "{name}");
        assert!(res.body.contains("was not accepted"), "{name}: {}", res.body);
    }
    alice.get("/settings/profile").await;
    let res = upload(&alice, &vec![0u8; 5 * 1024 * 1024], "big.png", true).await;
    assert_eq!(res.status, 413);
    alice.get("/settings/profile").await;
    let res = upload(&alice, &png(10, 10), "me.png", false).await;
    assert_eq!(res.status, 403, "the CSRF token is required");
    let version: i64 = app
        .db(|c| {
            users::table
                .filter(users::username.eq("alice"))
                .select(users::avatar_version)
                .first(c)
                .unwrap()
        })
        .await;
    assert_eq!(version, 1, "no refused upload changed the picture");

    alice.get("/settings/profile").await;
    assert_eq!(alice.post("/settings/profile/avatar/remove", &[]).await.status, 303);
    let back = anon.get("/users/alice/avatar?v=0").await;
    assert_eq!(back.header("content-type"), Some("image/svg+xml"));
}

#[actix_web::test]
async fn tabs_show_public_activity_only() {
    let app = TestApp::spawn().await;
    app.open_privileges().await;
    let open = app.category("open").await;
    let secret = app.category("secret").await;
    let (_, alice) = app.login_as("alice", "member").await;
    let public = alice
        .ask("A public question about the router", BODY, &open, "wifi")
        .await;
    alice
        .ask("A question that becomes private later", BODY, &secret, "beta")
        .await;
    app.db(|c| {
        diesel::update(categories::table.filter(categories::slug.eq("secret")))
            .set(categories::group_id.eq(Some(1i64)))
            .execute(c)
            .unwrap()
    })
    .await;
    let (_, bob) = app.login_as("bob", "member").await;
    bob.get(&public).await;
    let qid = crate::common::question_id(&public);
    bob.post(&format!("/questions/{qid}/vote"), &[("value", "up")]).await;
    let c = app.client();
    for tab in ["activity", "questions"] {
        let page = c.get(&format!("/users/alice?tab={tab}")).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("A public question about the router"), "{tab}");
        assert!(
            !page.body.contains("becomes private"),
            "{tab} leaks the private question"
        );
    }
    let rep = c.get("/users/alice?tab=reputation").await;
    assert!(rep.body.contains("+5") && rep.body.contains("question upvoted"));
    assert!(
        rep.body.contains("A public question about the router"),
        "the ledger links the post"
    );
    let badges = c.get("/users/alice?tab=badges").await;
    assert!(badges.body.contains("First Question"));
    assert_eq!(c.get("/users/alice?tab=secrets").await.status, 400);
    assert_eq!(c.get("/users/alice?tab=answers&page=0").await.status, 400);
    assert_eq!(c.get("/users/nobody").await.status, 404);
    assert_eq!(c.get("/users/nobody/avatar").await.status, 404);
}

#[actix_web::test]
async fn directory_and_leaderboards_rank_members() {
    let app = TestApp::spawn().await;
    let now = peerdesk::db::now();
    let at = |days: i64| (now - chrono::Duration::days(days)).and_utc().to_rfc3339();
    let file = json!({
        "users": [
            {"ref": "a", "username": "asker", "email": "a@example.com", "role": "member", "created_at": at(400)},
            {"ref": "o", "username": "oldtimer", "email": "o@example.com", "role": "member", "created_at": at(400), "display_name": "Old Timer"},
            {"ref": "n", "username": "newcomer", "email": "n@example.com", "role": "member", "created_at": at(400)},
            {"ref": "v", "username": "voter", "email": "v@example.com", "role": "member", "created_at": at(400)}
        ],
        "groups": [],
        "categories": [{"ref": "c", "name": "Net", "slug": "net", "group": null}],
        "questions": [
            {"ref": "q1", "author": "a", "category": "c", "title": "An old question about routers", "body": "The body of an old question.", "tags": ["wifi"],
             "created_at": at(200), "comments": [],
             "answers": [{"ref": "a1", "author": "o", "body": "An old answer.", "created_at": at(200), "accepted_at": at(199), "comments": []}],
             "votes": [{"user": "v", "target": "a1", "value": 1, "created_at": at(199)}, {"user": "a", "target": "a1", "value": 1, "created_at": at(199)}]},
            {"ref": "q2", "author": "a", "category": "c", "title": "A new question about routers", "body": "The body of a new question.", "tags": ["wifi"],
             "created_at": at(0), "comments": [],
             "answers": [{"ref": "a2", "author": "n", "body": "A new answer.", "created_at": at(0), "accepted_at": null, "comments": []}],
             "votes": [{"user": "v", "target": "a2", "value": 1, "created_at": at(0)}]}
        ],
        "surveys": []
    });
    app.import(&file).await;
    let c = app.client();
    let all = c.get("/leaderboard?period=all").await.body;
    let (old, new) = (all.find("Old Timer").unwrap(), all.find("newcomer").unwrap());
    assert!(old < new, "all time: 1 + 20 + 15 before 1 + 10");
    let week = c.get("/leaderboard?period=week").await.body;
    assert!(
        week.contains("newcomer") && !week.contains("Old Timer"),
        "this week only new reputation counts"
    );
    let accepted = c.get("/leaderboard?period=all&by=accepted").await.body;
    assert!(accepted.contains("Old Timer") && !accepted.contains(">newcomer<"));
    assert_eq!(c.get("/leaderboard?period=decade").await.status, 400);
    assert_eq!(c.get("/leaderboard?by=karma").await.status, 400);

    let found = c.get("/users?q=old").await.body;
    assert!(found.contains("Old Timer") && !found.contains("newcomer"));
    let everyone = c.get("/users").await.body;
    assert!(
        everyone.find("Old Timer").unwrap() < everyone.find("newcomer").unwrap(),
        "by reputation"
    );
    assert_eq!(c.get("/users?page=-1").await.status, 400);
    assert!(
        c.get("/users?q=%25%5F").await.body.contains("No members match"),
        "LIKE wildcards are literal"
    );
}

#[actix_web::test]
async fn hostile_profiles_stay_inert() {
    let app = TestApp::spawn().await;
    let all = payloads();
    let (_, alice) = app.login_as("alice", "member").await;
    for (i, p) in all.iter().enumerate().step_by(3) {
        alice.get("/settings/profile").await;
        let name: String = p.chars().take(50).collect();
        let location: String = p.chars().take(60).collect();
        let res = alice
            .post("/settings/profile", &profile_fields(&name, p, &location, "", ""))
            .await;
        // A NUL character is refused outright (400); everything else saves or fails validation.
        let nul = p.contains('\0');
        assert!(
            res.status == 303 || res.status == 422 || (nul && res.status == 400),
            "payload {i}: {}",
            res.status
        );
        for page in ["/users/alice", "/users", "/users/alice?tab=badges", "/settings/profile"] {
            let html = alice.get(page).await.body;
            assert_inert(&html, &format!("{page} with payload {i}"));
        }
    }
}

#[actix_web::test]
async fn contributor_status_follows_reputation_unless_staff_set_it() {
    let app = TestApp::spawn().await;
    let (_, alice) = app.login_as("alice", "member").await;
    let c = app.client();
    assert!(!contributor(&c).await, "1 reputation is not 500");
    app.set_thresholds(&[("contributor", 1)]).await;
    assert!(contributor(&c).await, "at the threshold");

    let (_, staff) = app.login_as("sam", "staff").await;
    let page = staff.get("/users/alice").await;
    assert!(page.body.contains("Contributor (staff)"));
    assert!(!alice.get("/users/alice").await.body.contains("Contributor (staff)"));
    assert_eq!(
        staff.post("/users/alice/contributor", &[("value", "no")]).await.status,
        303
    );
    assert!(!contributor(&c).await, "staff withheld it");
    assert_eq!(
        staff
            .post("/users/alice/contributor", &[("value", "maybe")])
            .await
            .status,
        400
    );
    alice.get("/users/alice").await;
    assert_eq!(
        alice.post("/users/alice/contributor", &[("value", "yes")]).await.status,
        403
    );
    assert!(!contributor(&c).await);
    assert_eq!(
        staff
            .post("/users/alice/contributor", &[("value", "auto")])
            .await
            .status,
        303
    );
    assert!(contributor(&c).await, "back to reputation");
    assert_eq!(
        staff
            .post("/users/nobody/contributor", &[("value", "yes")])
            .await
            .status,
        404
    );
    let (_, admin) = app.login_as("root", "admin").await;
    assert!(admin.get("/admin/audit").await.body.contains("user.contributor"));
}

async fn contributor(c: &Client) -> bool {
    c.get("/users/alice").await.body.contains("badge ok\">contributor")
}

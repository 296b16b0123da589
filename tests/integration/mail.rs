//! The outbox: queued with its cause, delivered once, retried with backoff while SMTP is down,
//! never sent twice by two workers.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use diesel::prelude::*;

use crate::common::{TestApp, PASSWORD};
use peerdesk::db::schema::email_outbox;
use peerdesk::mail::compose::{self};
use peerdesk::mail::outbox;
use peerdesk::models::outbox as rows;

/// A minimal SMTP server that records every message it accepts.
struct SmtpSink {
    messages: Arc<Mutex<Vec<String>>>,
}

impl SmtpSink {
    fn start(listener: TcpListener) -> SmtpSink {
        let messages = Arc::new(Mutex::new(Vec::new()));
        let store = messages.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let store = store.clone();
                std::thread::spawn(move || serve(stream, store));
            }
        });
        SmtpSink { messages }
    }

    fn count(&self) -> usize {
        self.messages.lock().unwrap().len()
    }
}

fn serve(stream: TcpStream, store: Arc<Mutex<Vec<String>>>) {
    let mut out = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let _ = out.write_all(b"220 sink ESMTP\r\n");
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let cmd = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
            b"250 sink\r\n"
        } else if cmd.starts_with("DATA") {
            let _ = out.write_all(b"354 go ahead\r\n");
            let mut data = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                if line == ".\r\n" {
                    break;
                }
                data.push_str(&line);
            }
            store.lock().unwrap().push(data);
            b"250 queued\r\n"
        } else if cmd.starts_with("QUIT") {
            let _ = out.write_all(b"221 bye\r\n");
            return;
        } else {
            b"250 ok\r\n"
        };
        let _ = out.write_all(reply);
    }
}

#[actix_web::test]
async fn an_email_waits_while_smtp_is_down_and_is_delivered_exactly_once() {
    // Reserve a port, then leave it closed: SMTP is "down".
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("smtp://127.0.0.1:{port}");
    let app = TestApp::spawn_with(&[("SMTP_URL", &url)]).await;
    let c = app.client();
    c.get("/signup").await;
    let res = c
        .post(
            "/signup",
            &[
                ("username", "vera"),
                ("email", "vera@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, 303);

    let pass = app.deliver_mail().await;
    assert_eq!(
        pass,
        outbox::Pass {
            sent: 0,
            retried: 1,
            failed: 0
        }
    );
    let row = app.db(|c| rows::list_all(c).unwrap().remove(0)).await;
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
    assert!(row.last_error.is_some());
    // Backoff: not due again straight away.
    assert_eq!(app.deliver_mail().await, outbox::Pass::default());

    // SMTP comes back.
    let sink = SmtpSink::start(TcpListener::bind(("127.0.0.1", port)).unwrap());
    let later = peerdesk::db::now() + outbox::backoff(1) + chrono::Duration::seconds(1);
    assert_eq!(app.deliver_mail_at(later).await.sent, 1);
    assert_eq!(sink.count(), 1);
    assert!(sink.messages.lock().unwrap()[0].contains("vera"));
    // Further passes send nothing more.
    let much_later = later + chrono::Duration::hours(1);
    assert_eq!(app.deliver_mail_at(much_later).await, outbox::Pass::default());
    assert_eq!(sink.count(), 1);
    let row = app.db(|c| rows::list_all(c).unwrap().remove(0)).await;
    assert_eq!((row.status.as_str(), row.attempts), ("sent", 2));
}

#[actix_web::test]
async fn one_event_queues_one_email_and_rolls_back_with_its_cause() {
    let app = TestApp::spawn().await;
    let ctx = app.state.mail_context();
    let (first, second, rolled_back) = app
        .db(move |c| {
            let mail = compose::email_changed(&ctx, "w", "w@example.com").unwrap();
            let now = peerdesk::db::now();
            let first = outbox::enqueue(c, "event:1", "w@example.com", &mail, now).unwrap();
            let second = outbox::enqueue(c, "event:1", "w@example.com", &mail, now).unwrap();
            let rolled_back = c.transaction::<(), diesel::result::Error, _>(|c| {
                outbox::enqueue(c, "event:2", "w@example.com", &mail, now).unwrap();
                Err(diesel::result::Error::RollbackTransaction)
            });
            (first, second, rolled_back.is_err())
        })
        .await;
    assert!(first && !second && rolled_back);
    let keys: Vec<String> = app
        .db(|c| email_outbox::table.select(email_outbox::dedupe_key).load(c).unwrap())
        .await;
    assert_eq!(keys, vec!["event:1".to_string()]);
    let mails = app.emails().await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].subject.contains("PeerDesk"));
    assert!(mails[0].message_id.starts_with("outbox-"));
}

#[actix_web::test]
async fn two_workers_at_once_send_each_email_once() {
    let app = TestApp::spawn().await;
    let ctx = app.state.mail_context();
    app.db(move |c| {
        let now = peerdesk::db::now();
        for i in 0..20 {
            let mail = compose::email_changed(&ctx, "x", "x@example.com").unwrap();
            outbox::enqueue(c, &format!("race:{i}"), &format!("user{i}@example.com"), &mail, now).unwrap();
        }
    })
    .await;
    let (a, b) = futures_util_join(app.deliver_mail(), app.deliver_mail()).await;
    assert_eq!(a.sent + b.sent, 20);
    let mails = crate::common::read_emails(&app.mail_dir);
    assert_eq!(mails.len(), 20);
    let mut to: Vec<_> = mails.iter().map(|m| m.to.clone()).collect();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), 20);
}

async fn futures_util_join<A: std::future::Future, B: std::future::Future>(a: A, b: B) -> (A::Output, B::Output) {
    tokio::join!(a, b)
}

//! Outgoing email: the transport (SMTP or `.eml` files), the messages (askama text + HTML templates),
//! and the durable outbox that queues them in the caller's transaction and delivers them later.

pub mod compose;
pub mod outbox;

use crate::error::SetupError;
use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{FileTransport, Message, SmtpTransport, Transport};

use crate::config::MailTransport;
use crate::models::outbox::OutboxRow;

/// A configured transport.
#[derive(Clone)]
pub enum Mailer {
    Smtp(Box<SmtpTransport>),
    Files(FileTransport),
}

impl Mailer {
    /// Builds the transport named by the configuration (creating the mail folder if needed).
    pub fn from_config(transport: &MailTransport) -> Result<Self, SetupError> {
        match transport {
            MailTransport::Smtp(url) => {
                let smtp = SmtpTransport::from_url(url)
                    .map_err(|e| format!("SMTP_URL: {e}"))?
                    .timeout(Some(Duration::from_secs(15)))
                    .build();
                Ok(Mailer::Smtp(Box::new(smtp)))
            }
            MailTransport::Files(dir) => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("cannot create the mail folder {}: {e}", dir.display()))?;
                Ok(Mailer::Files(FileTransport::new(dir)))
            }
        }
    }

    /// Sends one queued row (blocking). The Message-ID is derived from the row, so a receiver can
    /// recognise the rare re-delivery after a crash between "accepted by SMTP" and "marked sent".
    pub fn send(&self, row: &OutboxRow, from: &str, host: &str) -> Result<(), SetupError> {
        let from: Mailbox = from.parse().map_err(|e| format!("PEERDESK_MAIL_FROM: {e}"))?;
        let to: Mailbox = row
            .to_addr
            .parse()
            .map_err(|e| format!("recipient {}: {e}", row.to_addr))?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(row.subject.clone())
            .message_id(Some(format!(
                "<outbox-{}-{}@{}>",
                row.id,
                &crate::auth::tokens::hash_token(&row.dedupe_key)[..16],
                host
            )))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(row.body_text.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(row.body_html.clone()),
                    ),
            )
            .map_err(|e| format!("building the message: {e}"))?;
        match self {
            Mailer::Smtp(smtp) => smtp
                .send(&message)
                .map(|_| ())
                .map_err(|e| SetupError(format!("SMTP: {e}"))),
            Mailer::Files(files) => files
                .send(&message)
                .map(|_| ())
                .map_err(|e| SetupError(format!("writing the .eml file: {e}"))),
        }
    }
}

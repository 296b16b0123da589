//! The emails PeerDesk sends, each from a text and an HTML askama template carrying the site name.

use askama::Template;

/// A rendered email, ready for the outbox.
#[derive(Debug, Clone)]
pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What every email knows: whose site it comes from.
#[derive(Debug, Clone)]
pub struct MailContext {
    pub site_name: String,
    pub base_url: String,
}

macro_rules! email {
    ($name:ident, $text:literal, $html:literal { $($field:ident: $ty:ty),* $(,)? }) => {
        mod $name {
            use askama::Template;
            #[derive(Template)]
            #[template(path = $text)]
            pub struct Text<'a> { pub site_name: &'a str, $(pub $field: $ty),* }
            #[derive(Template)]
            #[template(path = $html)]
            pub struct Html<'a> { pub site_name: &'a str, $(pub $field: $ty),* }
        }
    };
}

email!(verify, "email/verify_email.txt", "email/verify_email.html" { username: &'a str, link: &'a str });
email!(reset, "email/reset_password.txt", "email/reset_password.html" { username: &'a str, link: &'a str });
email!(change, "email/change_email.txt", "email/change_email.html" { username: &'a str, link: &'a str, new_email: &'a str });
email!(changed, "email/email_changed.txt", "email/email_changed.html" { username: &'a str, new_email: &'a str });

fn done(subject: String, text: impl Template, html: impl Template) -> Result<Composed, askama::Error> {
    Ok(Composed {
        subject,
        text: text.render()?,
        html: html.render()?,
    })
}

/// "Confirm your email address", sent on sign-up.
pub fn verify_email(ctx: &MailContext, username: &str, token: &str) -> Result<Composed, askama::Error> {
    let link = format!("{}/verify-email?token={token}", ctx.base_url);
    let site_name = &ctx.site_name;
    done(
        format!("Confirm your email for {site_name}"),
        verify::Text {
            site_name,
            username,
            link: &link,
        },
        verify::Html {
            site_name,
            username,
            link: &link,
        },
    )
}

/// "Reset your password": a single-use link valid for one hour.
pub fn reset_password(ctx: &MailContext, username: &str, token: &str) -> Result<Composed, askama::Error> {
    let link = format!("{}/reset-password?token={token}", ctx.base_url);
    let site_name = &ctx.site_name;
    done(
        format!("Reset your {site_name} password"),
        reset::Text {
            site_name,
            username,
            link: &link,
        },
        reset::Html {
            site_name,
            username,
            link: &link,
        },
    )
}

/// Sent to the new address to confirm an email change.
pub fn change_email(
    ctx: &MailContext,
    username: &str,
    new_email: &str,
    token: &str,
) -> Result<Composed, askama::Error> {
    let link = format!("{}/settings/email/confirm?token={token}", ctx.base_url);
    let site_name = &ctx.site_name;
    done(
        format!("Confirm your new email for {site_name}"),
        change::Text {
            site_name,
            username,
            link: &link,
            new_email,
        },
        change::Html {
            site_name,
            username,
            link: &link,
            new_email,
        },
    )
}

/// Sent to the old address once the change is confirmed.
pub fn email_changed(ctx: &MailContext, username: &str, new_email: &str) -> Result<Composed, askama::Error> {
    let site_name = &ctx.site_name;
    done(
        format!("Your {site_name} email address was changed"),
        changed::Text {
            site_name,
            username,
            new_email,
        },
        changed::Html {
            site_name,
            username,
            new_email,
        },
    )
}

/// One line of the digest: a metric, last week, the week before.
#[derive(Debug, Clone)]
pub struct DigestLine {
    pub label: String,
    pub last_week: String,
    pub week_before: String,
}

email!(digest, "email/digest.txt", "email/digest.html" {
    week: &'a str, lines: &'a [super::DigestLine], waiting: &'a [(String, String, String)], dashboard: &'a str
});

/// The weekly KPI digest for staff: `waiting` is (title, link, how long) of unanswered questions.
pub fn weekly_digest(
    ctx: &MailContext,
    week: &str,
    lines: &[DigestLine],
    waiting: &[(String, String, String)],
) -> Result<Composed, askama::Error> {
    let site_name = &ctx.site_name;
    let dashboard = format!("{}/staff/kpis?period=7", ctx.base_url);
    done(
        format!("{site_name} community health, {week}"),
        digest::Text {
            site_name,
            week,
            lines,
            waiting,
            dashboard: &dashboard,
        },
        digest::Html {
            site_name,
            week,
            lines,
            waiting,
            dashboard: &dashboard,
        },
    )
}

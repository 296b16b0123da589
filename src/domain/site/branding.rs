//! Branding: the site's name, tagline and colours, stored in `settings` with defaults. Admins
//! change them at `/admin/brand`; a colour that white text (or the page background) could not be
//! read against at WCAG AA contrast is refused, since the stylesheet uses both colours as
//! backgrounds under white text and as text on white panels.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use serde_json::json;

use crate::db::backend::write_transaction;
use crate::db::DbConn;
use crate::domain::access::audit::{self, Actor, Target};
use crate::domain::access::permissions::{Permission, PermissionSet};
use crate::error::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::models::setting;

/// WCAG 2 AA contrast for normal text.
pub const AA_CONTRAST: f64 = 4.5;
/// What the brand colours meet: white text on them, and them as text on white panels and on the
/// page background (`--panel`, `--bg` in assets/css/app.css).
const AGAINST: [(&str, &str); 2] = [("#ffffff", "white"), ("#f6f7f9", "the page background")];
const MAX_NAME: usize = 60;
const MAX_TAGLINE: usize = 140;

/// What every page and email shows of the brand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brand {
    pub site_name: String,
    pub tagline: String,
    pub primary_color: String,
    pub accent_color: String,
}

impl Default for Brand {
    fn default() -> Self {
        Brand {
            site_name: "PeerDesk".into(),
            tagline: "Answers from people who use it".into(),
            primary_color: "#1f5fae".into(),
            accent_color: "#b8480b".into(),
        }
    }
}

impl Brand {
    /// The brand from stored settings, defaults filling the gaps (and replacing invalid colours).
    pub fn from_settings(map: &HashMap<String, String>) -> Self {
        let d = Brand::default();
        let text = |k: &str, default: String| map.get(k).filter(|v| !v.trim().is_empty()).cloned().unwrap_or(default);
        let colour = |k: &str, default: String| map.get(k).filter(|v| is_hex_colour(v)).cloned().unwrap_or(default);
        Brand {
            site_name: text("site_name", d.site_name),
            tagline: text("tagline", d.tagline),
            primary_color: colour("primary_color", d.primary_color),
            accent_color: colour("accent_color", d.accent_color),
        }
    }

    /// The stylesheet that carries the brand colours as CSS custom properties (served as a file,
    /// since the CSP allows no inline styles).
    pub fn css(&self) -> String {
        format!(
            ":root {{ --brand-primary: {}; --brand-accent: {}; }}\n",
            self.primary_color, self.accent_color
        )
    }
}

/// `#rrggbb`.
pub fn is_hex_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// WCAG 2 relative luminance of `#rrggbb`.
fn luminance(hex: &str) -> Option<f64> {
    if !is_hex_colour(hex) {
        return None;
    }
    let channel = |i: usize| -> Option<f64> {
        let c = f64::from(u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * channel(1)? + 0.7152 * channel(3)? + 0.0722 * channel(5)?)
}

/// The WCAG 2 contrast ratio of two `#rrggbb` colours (1 to 21), or `None` if either is not one.
pub fn contrast_ratio(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (luminance(a)?, luminance(b)?);
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}

/// The brand form as typed.
#[derive(Debug, Clone, Default)]
pub struct BrandInput {
    pub site_name: String,
    pub tagline: String,
    pub primary_color: String,
    pub accent_color: String,
}

impl BrandInput {
    pub fn of(b: &Brand) -> Self {
        BrandInput {
            site_name: b.site_name.clone(),
            tagline: b.tagline.clone(),
            primary_color: b.primary_color.clone(),
            accent_color: b.accent_color.clone(),
        }
    }
}

/// Checks the form: names within bounds, colours `#rrggbb` that meet AA contrast (see `AGAINST`).
pub fn check(input: &BrandInput) -> Result<Brand, FieldErrors> {
    let mut errors = FieldErrors::new();
    let site_name = input.site_name.trim().to_owned();
    let tagline = input.tagline.trim().to_owned();
    if site_name.is_empty() || site_name.chars().count() > MAX_NAME {
        errors.add(
            "site_name",
            format!("The site name must be 1 to {MAX_NAME} characters."),
        );
    }
    if tagline.chars().count() > MAX_TAGLINE {
        errors.add(
            "tagline",
            format!("The tagline must be at most {MAX_TAGLINE} characters."),
        );
    }
    let mut colour = |field: &'static str, value: &str| {
        let value = value.trim().to_ascii_lowercase();
        if !is_hex_colour(&value) {
            errors.add(field, "Give the colour as # and six hex digits, for example #1f5fae.");
            return value;
        }
        for (other, name) in AGAINST {
            let ratio = contrast_ratio(&value, other).unwrap_or(1.0);
            if ratio < AA_CONTRAST {
                errors.add(
                    field,
                    format!(
                        "{value} against {name} has a contrast of {ratio:.2}:1; WCAG AA needs at least \
                         {AA_CONTRAST}:1 for text. Choose a darker colour."
                    ),
                );
                break;
            }
        }
        value
    };
    let primary_color = colour("primary_color", &input.primary_color);
    let accent_color = colour("accent_color", &input.accent_color);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Brand {
        site_name,
        tagline,
        primary_color,
        accent_color,
    })
}

/// Saves the brand (audited). `Err(AppError::Invalid(_))` when the form has errors; nothing is written then.
pub fn save(
    conn: &mut DbConn,
    actor: &Actor,
    permissions: PermissionSet,
    input: &BrandInput,
    now: NaiveDateTime,
) -> AppResult<Brand> {
    if !permissions.contains(Permission::ManageSettings) {
        return Err(AppError::Forbidden);
    }
    let next = check(input)?;
    write_transaction(conn, |conn| {
        let before = Brand::from_settings(&setting::load_all(conn)?);
        for (k, v) in [
            ("site_name", &next.site_name),
            ("tagline", &next.tagline),
            ("primary_color", &next.primary_color),
            ("accent_color", &next.accent_color),
        ] {
            setting::put(conn, k, v, now)?;
        }
        let show = |b: &Brand| {
            json!({ "site_name": b.site_name, "tagline": b.tagline,
                    "primary_color": b.primary_color, "accent_color": b.accent_color })
        };
        audit::record(
            conn,
            actor,
            "settings.brand",
            Target {
                kind: "settings",
                id: None,
            },
            Some(show(&before)),
            Some(show(&next)),
        )?;
        Ok::<_, AppError>(())
    })?;
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_colours_fall_back() {
        let mut m = HashMap::new();
        m.insert("site_name".to_string(), "Acme Help".to_string());
        m.insert("primary_color".to_string(), "red;}</style>".to_string());
        let b = Brand::from_settings(&m);
        assert_eq!(b.site_name, "Acme Help");
        assert_eq!(b.primary_color, Brand::default().primary_color);
        assert!(b.css().contains("--brand-primary: #1f5fae"));
    }

    #[test]
    fn contrast_follows_wcag() {
        let r = |a, b| (contrast_ratio(a, b).unwrap() * 100.0).round() / 100.0;
        assert_eq!(r("#000000", "#ffffff"), 21.0);
        assert_eq!(r("#ffffff", "#ffffff"), 1.0);
        assert_eq!(r("#777777", "#ffffff"), 4.48);
        assert_eq!(r("#ffffff", "#767676"), 4.54);
        assert_eq!(contrast_ratio("red", "#ffffff"), None);
    }

    #[test]
    fn the_default_brand_passes_and_light_or_malformed_colours_are_refused() {
        let ok = BrandInput::of(&Brand::default());
        assert_eq!(check(&ok).unwrap(), Brand::default());
        let bad = BrandInput {
            site_name: "  ".into(),
            primary_color: "#FFCC00".into(),
            accent_color: "#12345".into(),
            ..ok.clone()
        };
        let errors = check(&bad).unwrap_err();
        assert!(errors.get("site_name").is_some());
        assert!(errors
            .get("primary_color")
            .is_some_and(|m| m.contains("#ffcc00 against white")));
        assert!(errors.get("accent_color").is_some_and(|m| m.contains("six hex digits")));
        // Passes against white but not against the slightly darker page background.
        let edge = BrandInput {
            primary_color: "#767676".into(),
            ..ok
        };
        assert!(check(&edge)
            .unwrap_err()
            .get("primary_color")
            .is_some_and(|m| m.contains("page background")));
    }
}

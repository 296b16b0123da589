//! Branding: the site's name, tagline and colours, stored in `settings` with defaults.

use std::collections::HashMap;

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
}

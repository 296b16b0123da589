//! CSRF defences for cookie-authenticated requests: the Origin / Sec-Fetch-Site check for every
//! state-changing request, and the per-session synchronizer token (header, form field or query).

use actix_web::http::header::HeaderMap;
use actix_web::http::Method;

/// Name of the hidden form field and query parameter.
pub const FIELD: &str = "csrf_token";
/// Header for scripts.
pub const HEADER: &str = "x-csrf-token";

/// Methods that change state.
pub fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE)
}

/// Whether the browser says the request came from our own pages. Requests without either header
/// (non-browser clients) pass this check and still need the token when they carry a session.
pub fn same_origin(headers: &HeaderMap, host: &str, base_url: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get("origin").and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let Ok(parsed) = url::Url::parse(origin) else {
        return false;
    };
    let origin_host = match (parsed.host_str(), parsed.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        (None, _) => return false,
    };
    let base_host = url::Url::parse(base_url).ok().and_then(|u| {
        u.host_str().map(|h| match u.port() {
            Some(p) => format!("{h}:{p}"),
            None => h.to_owned(),
        })
    });
    origin_host.eq_ignore_ascii_case(host) || base_host.is_some_and(|b| b.eq_ignore_ascii_case(&origin_host))
}

/// The token from an `application/x-www-form-urlencoded` body.
pub fn token_in_form(body: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v)
}

/// The token from a query string.
pub fn token_in_query(query: &str) -> Option<String> {
    token_in_form(query.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(HeaderName::from_static(k), HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn origin_rules() {
        let base = "https://help.example.com";
        assert!(same_origin(&headers(&[]), "help.example.com", base));
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")]), "x", base));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")]), "x", base));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "same-site")]), "x", base));
        assert!(same_origin(
            &headers(&[("origin", "http://127.0.0.1:8080")]),
            "127.0.0.1:8080",
            base
        ));
        assert!(same_origin(
            &headers(&[("origin", "https://help.example.com")]),
            "internal:8080",
            base
        ));
        assert!(!same_origin(
            &headers(&[("origin", "https://evil.example")]),
            "help.example.com",
            base
        ));
        assert!(!same_origin(&headers(&[("origin", "null")]), "help.example.com", base));
    }

    #[test]
    fn token_extraction() {
        assert_eq!(token_in_form(b"a=1&csrf_token=abc%2Bd&b=2").as_deref(), Some("abc+d"));
        assert_eq!(token_in_form(b"a=1"), None);
        assert_eq!(token_in_query("csrf_token=x").as_deref(), Some("x"));
    }
}

//! Request helpers the handlers and the middleware share (below both): the client's address and
//! the visitor key that view counts are deduplicated by.

use actix_web::HttpRequest;

use crate::config::Config;

/// The client's address: the proxy's `X-Forwarded-For` when configured to trust it, else the peer.
pub fn client_ip(req: &HttpRequest, config: &Config) -> String {
    let info = req.connection_info();
    let addr = if config.trust_forwarded_for {
        info.realip_remote_addr()
    } else {
        info.peer_addr()
    };
    let addr = addr.unwrap_or("unknown");
    // Drop a port, keep IPv6 addresses whole.
    match addr.parse::<std::net::SocketAddr>() {
        Ok(sa) => sa.ip().to_string(),
        Err(_) => addr.to_owned(),
    }
}

/// Who is viewing, for deduplicated view counts: the member, else the address and browser. The
/// rendered question page and the page cache both count views through this, so that they agree.
pub fn visitor(req: &HttpRequest, config: &Config, user: Option<crate::db::ids::UserId>) -> u64 {
    let ua = req
        .headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    crate::view_counts::visitor_key(user.map(|u| u.0), &client_ip(req, config), ua)
}

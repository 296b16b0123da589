//! Security headers on every response: a CSP with no inline scripts or styles, no framing,
//! no MIME sniffing, a strict referrer policy. (`private, no-store` for signed-in pages is set by
//! the session layer, which knows who is signed in.)

use actix_web::middleware::DefaultHeaders;

/// The Content-Security-Policy: everything from our own origin; images may also come over https
/// (user avatars and Markdown images later); nothing inline.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; \
     font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Headers added to every response that does not set them itself.
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("Content-Security-Policy", CSP))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "strict-origin-when-cross-origin"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add(("Permissions-Policy", "camera=(), microphone=(), geolocation=()"))
}

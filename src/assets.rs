//! Static assets compiled into the binary and served under fingerprinted URLs
//! (`/assets/<hash>/<path>`), so that they can be cached for a year and still change on upgrade.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

/// One embedded file.
pub struct Asset {
    pub bytes: &'static [u8],
    pub content_type: &'static str,
    pub hash: String,
}

/// The embedded files by path.
pub struct Assets {
    files: HashMap<&'static str, Asset>,
}

const FILES: &[(&str, &[u8], &str)] = &[
    (
        "css/app.css",
        include_bytes!("../assets/css/app.css"),
        "text/css; charset=utf-8",
    ),
    (
        "js/app.js",
        include_bytes!("../assets/js/app.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "img/logo.svg",
        include_bytes!("../assets/img/logo.svg"),
        "image/svg+xml",
    ),
];

impl Assets {
    /// Hashes every embedded file.
    pub fn load() -> Self {
        let files = FILES
            .iter()
            .map(|(path, bytes, content_type)| {
                let hash = hex::encode(&Sha256::digest(bytes)[..6]);
                (
                    *path,
                    Asset {
                        bytes,
                        content_type,
                        hash,
                    },
                )
            })
            .collect();
        Assets { files }
    }

    /// The fingerprinted URL of `path` (a missing file is a bug caught by the tests).
    pub fn url(&self, path: &str) -> String {
        match self.files.get(path) {
            Some(a) => format!("/assets/{}/{path}", a.hash),
            None => format!("/assets/missing/{path}"),
        }
    }

    /// The file at `path` if `hash` is its current fingerprint.
    pub fn get(&self, hash: &str, path: &str) -> Option<&Asset> {
        self.files.get(path).filter(|a| a.hash == hash)
    }
}

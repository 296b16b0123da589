//! Avatars: uploaded images are decoded under limits (no image bomb gets decoded), cropped to a
//! square, resized and re-encoded as PNG, so the uploaded bytes are never served; everyone else
//! gets an identicon, an SVG drawn from their username.

use std::io::Cursor;

use image::{imageops::FilterType, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};

/// Largest upload accepted.
pub const MAX_BYTES: usize = 1024 * 1024;
/// Side of the stored square, in pixels.
pub const SIZE: u32 = 256;
/// Largest declared width or height decoded (larger ones are refused before decoding).
pub const MAX_DIMENSION: u32 = 6000;
/// Most memory the decoder may allocate.
const MAX_ALLOC: u64 = 160 * 1024 * 1024;

/// Why an upload was refused (safe to show).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("the image is larger than 1 MB")]
    TooLarge,
    #[error("upload a PNG, JPEG or WebP image")]
    NotAnImage,
    #[error("the image is more than {MAX_DIMENSION} pixels wide or high")]
    TooManyPixels,
    #[error("the image could not be read: it may be damaged")]
    Unreadable,
}

fn limits() -> Limits {
    let mut l = Limits::default();
    l.max_image_width = Some(MAX_DIMENSION);
    l.max_image_height = Some(MAX_DIMENSION);
    l.max_alloc = Some(MAX_ALLOC);
    l
}

/// The stored PNG for an upload.
pub fn process(bytes: &[u8]) -> Result<Vec<u8>, Refused> {
    if bytes.len() > MAX_BYTES {
        return Err(Refused::TooLarge);
    }
    let format = image::guess_format(bytes).map_err(|_| Refused::NotAnImage)?;
    if !matches!(format, ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP) {
        return Err(Refused::NotAnImage);
    }
    let reader = |b: &[u8]| {
        let mut r = ImageReader::with_format(Cursor::new(b.to_vec()), format);
        r.limits(limits());
        r
    };
    // The header's dimensions first: a bomb declares huge ones in a few bytes.
    let (w, h) = reader(bytes).into_dimensions().map_err(|_| Refused::Unreadable)?;
    if w > MAX_DIMENSION || h > MAX_DIMENSION {
        return Err(Refused::TooManyPixels);
    }
    if w == 0 || h == 0 {
        return Err(Refused::Unreadable);
    }
    let img = reader(bytes).decode().map_err(|e| match e {
        image::ImageError::Limits(_) => Refused::TooManyPixels,
        _ => Refused::Unreadable,
    })?;
    let side = w.min(h);
    let square = img.crop_imm((w - side) / 2, (h - side) / 2, side, side);
    let small = square.resize_exact(SIZE, SIZE, FilterType::Triangle).to_rgba8();
    let mut out = Vec::new();
    small
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .map_err(|_| Refused::Unreadable)?;
    Ok(out)
}

/// A 5×5 mirrored identicon for `seed`, as SVG (no text, no scripts: only rectangles).
pub fn identicon(seed: &str) -> String {
    let d = Sha256::digest(seed.to_lowercase().as_bytes());
    let hue = u16::from(d[0]) * 360 / 256;
    let mut cells = String::new();
    for row in 0..5u8 {
        for col in 0..3u8 {
            let bit = row * 3 + col;
            if d[1 + usize::from(bit / 8)] >> (bit % 8) & 1 == 1 {
                for x in [col, 4 - col] {
                    cells.push_str(&format!(
                        "<rect x=\"{}\" y=\"{}\" width=\"1\" height=\"1\"/>",
                        x + 1,
                        row + 1
                    ));
                    if col == 2 {
                        break;
                    }
                }
            }
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 7 7\" width=\"{SIZE}\" height=\"{SIZE}\" shape-rendering=\"crispEdges\">\
         <rect width=\"7\" height=\"7\" fill=\"hsl({hue} 35% 94%)\"/><g fill=\"hsl({hue} 55% 42%)\">{cells}</g></svg>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgb};

    fn encoded(w: u32, h: u32, format: ImageFormat) -> Vec<u8> {
        let img: ImageBuffer<Rgb<u8>, Vec<u8>> =
            ImageBuffer::from_fn(w, h, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), format).unwrap();
        out
    }

    #[test]
    fn uploads_are_reencoded_squares() {
        for format in [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::WebP] {
            let png = process(&encoded(400, 300, format)).unwrap();
            let back = image::load_from_memory(&png).unwrap();
            assert_eq!((back.width(), back.height()), (SIZE, SIZE), "{format:?}");
            assert_eq!(image::guess_format(&png).unwrap(), ImageFormat::Png);
        }
    }

    #[test]
    fn refusals() {
        assert_eq!(process(b"<svg onload=alert(1)></svg>"), Err(Refused::NotAnImage));
        assert_eq!(process(b"just text"), Err(Refused::NotAnImage));
        assert_eq!(process(&vec![0u8; MAX_BYTES + 1]), Err(Refused::TooLarge));
        let gif = encoded(10, 10, ImageFormat::Png);
        assert!(process(&gif[..gif.len() / 2]).is_err(), "a truncated file");
    }

    #[test]
    fn identicons_are_stable_and_differ() {
        assert_eq!(identicon("alice"), identicon("Alice"));
        assert_ne!(identicon("alice"), identicon("bob"));
        assert!(identicon("alice").starts_with("<svg") && !identicon("alice").contains("script"));
    }
}

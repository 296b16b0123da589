//! Cleaning user text before it is checked and stored (the messages for refused fields are
//! `error::FieldErrors`).

/// User text as it may be stored: control characters other than tab and line breaks are removed
/// (PostgreSQL refuses NUL in text, and none of them belongs in a post), and `\r\n` becomes `\n`.
pub fn clean_text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::clean_text;

    #[test]
    fn controls_go_text_stays() {
        assert_eq!(clean_text("a\u{0}b\u{7}c\r\nd\te"), "abc\nd\te");
        assert_eq!(clean_text("ünïcödé 🙂"), "ünïcödé 🙂");
    }
}

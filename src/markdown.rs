//! The one way user text becomes HTML: pulldown-cmark, then one ammonia allow-list, giving a
//! `SafeHtml`. Templates print `SafeHtml` without escaping and everything else escaped, so user
//! HTML cannot reach a page without passing through here.

use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{html, Event, Options, Parser};

/// HTML that came out of the sanitiser (or was stored after coming out of it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SafeHtml(String);

impl SafeHtml {
    /// HTML read back from a `*_html` column, which only `render` and `render_inline` fill.
    pub fn from_stored(html: String) -> Self {
        SafeHtml(html)
    }

    /// The HTML text (to store it).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Takes the HTML text.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for SafeHtml {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl askama::filters::HtmlSafe for SafeHtml {}

const BLOCK_TAGS: &[&str] = &[
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "code",
    "em",
    "strong",
    "del",
    "s",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "input",
    "sup",
    "sub",
    "kbd",
];
const INLINE_TAGS: &[&str] = &["a", "code", "em", "strong", "del", "s", "br"];

fn builder(tags: &[&'static str]) -> Builder<'static> {
    let mut b = Builder::default();
    b.tags(tags.iter().copied().collect::<HashSet<_>>())
        .generic_attributes(HashSet::new())
        .tag_attributes(
            [
                ("a", ["href", "title"].into_iter().collect()),
                ("img", ["src", "alt", "title"].into_iter().collect()),
                ("input", ["type", "checked", "disabled"].into_iter().collect()),
                ("ol", ["start"].into_iter().collect()),
                ("code", ["class"].into_iter().collect()),
            ]
            .into_iter()
            .collect(),
        )
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(UrlRelative::PassThrough)
        .link_rel(Some("nofollow ugc noopener"))
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            // Images only over https: no tracking over plain http, no data: or relative tricks.
            ("img", "src") if !value.starts_with("https://") => None,
            // Task-list checkboxes only, never a live form control.
            ("input", "type") if value != "checkbox" => None,
            // Code blocks keep `language-xxx` for highlighting, nothing else.
            ("code", "class") if !is_language_class(value) => None,
            _ => Some(value.into()),
        })
        .add_tag_attribute_values("input", "disabled", [""]);
    b
}

fn is_language_class(value: &str) -> bool {
    value
        .strip_prefix("language-")
        .is_some_and(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || "+-#._".contains(c)))
}

fn full() -> &'static Builder<'static> {
    static B: OnceLock<Builder<'static>> = OnceLock::new();
    B.get_or_init(|| builder(BLOCK_TAGS))
}

fn inline() -> &'static Builder<'static> {
    static B: OnceLock<Builder<'static>> = OnceLock::new();
    B.get_or_init(|| builder(INLINE_TAGS))
}

/// Whether a piece of raw HTML in the Markdown uses only tags of `allowed` (no comments,
/// declarations or processing instructions either).
fn only_allowed_tags(raw: &str, allowed: &[&str]) -> bool {
    let bytes = raw.as_bytes();
    bytes.iter().enumerate().filter(|(_, b)| **b == b'<').all(|(i, _)| {
        let rest = &bytes[i + 1..];
        let rest = rest.strip_prefix(b"/").unwrap_or(rest);
        match rest.first() {
            Some(b'!' | b'?') => false,
            Some(c) if c.is_ascii_alphabetic() => {
                let name: String = rest
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .map(|c| c.to_ascii_lowercase() as char)
                    .collect();
                allowed.contains(&name.as_str())
            }
            _ => true,
        }
    })
}

/// Markdown to (unsanitised) HTML. Raw HTML that uses a tag outside `allowed` is shown as the text
/// it is: people paste markup from their own pages into questions, and an unknown or raw-text tag
/// (`<style>`, `<textarea>`, `<title>`) handed to the sanitiser would swallow the rest of the post.
fn to_html(source: &str, allowed: &[&str]) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut out = String::with_capacity(source.len() * 3 / 2);
    let events = Parser::new_ext(source, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) if !only_allowed_tags(&raw, allowed) => Event::Text(raw),
        other => other,
    });
    html::push_html(&mut out, events);
    out
}

/// Tags people may write as raw HTML: the allow-list without form controls (task-list checkboxes
/// come from the Markdown itself, never from raw HTML).
fn raw_allowed(tags: &'static [&'static str]) -> Vec<&'static str> {
    tags.iter().copied().filter(|t| *t != "input").collect()
}

/// Full Markdown (question and answer bodies, descriptions, bios).
pub fn render(source: &str) -> SafeHtml {
    static RAW: OnceLock<Vec<&'static str>> = OnceLock::new();
    let html = to_html(source, RAW.get_or_init(|| raw_allowed(BLOCK_TAGS)));
    SafeHtml(full().clean(&html).to_string())
}

/// The inline subset for comments: emphasis, code, links and strike-through; block structure is
/// flattened to its text.
pub fn render_inline(source: &str) -> SafeHtml {
    let html = to_html(source, INLINE_TAGS);
    SafeHtml(inline().clean(&html).to_string().trim().to_string())
}

/// A search snippet: the text escaped, and the spans between `start` and `end` markers
/// highlighted with `<mark>`.
pub fn highlight(raw: &str, start: &str, end: &str) -> SafeHtml {
    let mut out = String::with_capacity(raw.len() + 32);
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    SafeHtml(out.replace(start, "<mark>").replace(end, "</mark>"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn snippets_are_escaped_then_marked() {
        let raw = "<b>[[router]]</b> & co";
        assert_eq!(
            super::highlight(raw, "[[", "]]").as_str(),
            "&lt;b&gt;<mark>router</mark>&lt;/b&gt; &amp; co"
        );
    }

    use super::*;

    #[test]
    fn renders_the_supported_markdown() {
        let h = render(
            "# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ **new**\n\n- [x] done\n\n```rust\nfn x() {}\n```\n",
        );
        let s = h.as_str();
        assert!(s.contains("<table>") && s.contains("<del>old</del>") && s.contains("<strong>new</strong>"));
        assert!(s.contains("type=\"checkbox\"") && s.contains("disabled"));
        assert!(s.contains("<code class=\"language-rust\">"));
    }

    #[test]
    fn links_get_rel_and_bad_urls_go() {
        let s = render("[a](https://example.com) [b](javascript:alert(1)) ![i](http://x/i.png) ![j](https://x/j.png) ![d](data:image/png;base64,AAAA)").into_string();
        assert!(s.contains("rel=\"nofollow ugc noopener\""));
        assert!(!s.contains("javascript:"));
        assert!(!s.contains("http://x/i.png"));
        assert!(s.contains("https://x/j.png"));
        assert!(!s.contains("data:"));
    }

    #[test]
    fn raw_html_is_sanitised() {
        let s = render("<script>alert(1)</script><img src=x onerror=alert(1)><a href=\"#\" onclick=\"x()\">a</a><iframe src=//x></iframe><input type=text>").into_string();
        for bad in ["<script", "onerror", "onclick", "<iframe", "<input"] {
            assert!(!tags_in(&s).contains(bad), "{bad} in {s}");
        }
        let s = render("<img src=x onerror=alert(1)>\n\n<a href=\"#\" onclick=\"x()\">a</a>\n\n<input type=text>")
            .into_string();
        assert_eq!(
            tags_in(&s),
            "<img><p><a href=\"#\" rel=\"nofollow ugc noopener\"></a></p>",
            "{s}"
        );
        assert!(
            s.contains("&lt;input type=text&gt;"),
            "a form control is shown as text: {s}"
        );
    }

    /// The real tags of some HTML, without the text between them (escaped `<` is text).
    fn tags_in(html: &str) -> String {
        html.split('<')
            .skip(1)
            .filter_map(|t| t.split_once('>').map(|(tag, _)| format!("<{tag}>")))
            .filter(|t| !t.starts_with("</") || t == "</a>" || t == "</p>")
            .collect()
    }

    #[test]
    fn unknown_and_raw_text_tags_show_as_text_and_swallow_nothing() {
        let s = render("before\n\n<style>\n\n<textarea>body { }\n\n<!-- hidden -->\n\nafter **bold**").into_string();
        assert!(
            s.contains("&lt;style&gt;") && s.contains("&lt;textarea&gt;body { }"),
            "{s}"
        );
        assert!(s.contains("&lt;!-- hidden --&gt;"), "{s}");
        // CommonMark runs a <style> block to its end: the rest stays visible, as text.
        assert!(s.contains("after **bold**"), "{s}");
        let s = render("one <span onclick=\"x()\">two</span> **three**").into_string();
        assert!(
            s.contains("one &lt;span onclick=\"x()\"&gt;two&lt;/span&gt; <strong>three</strong>"),
            "{s}"
        );
        let s = render("Use <kbd>Ctrl</kbd>+<kbd>C</kbd>, or <div class=\"x\">this</div>").into_string();
        assert!(s.contains("<kbd>Ctrl</kbd>"), "allowed tags stay markup: {s}");
        assert!(
            s.contains("&lt;div class=\"x\"&gt;this&lt;/div&gt;"),
            "others are text: {s}"
        );
        let s = render_inline("a <p>b</p> <em>c</em>").into_string();
        assert!(s.contains("&lt;p&gt;b&lt;/p&gt;") && s.contains("<em>c</em>"), "{s}");
    }

    #[test]
    fn inline_subset_for_comments() {
        let s = render_inline("# Heading\n\n*em* `code` [l](https://x.io)\n\n![img](https://x/i.png)").into_string();
        assert!(!s.contains("<h1") && !s.contains("<img") && !s.contains("<p>"));
        assert!(
            s.contains("<em>em</em>") && s.contains("<code>code</code>") && s.contains("rel=\"nofollow ugc noopener\"")
        );
    }
}

//! The one way user text becomes HTML: pulldown-cmark, then one ammonia allow-list, giving a
//! `SafeHtml`. Templates print `SafeHtml` without escaping and everything else escaped, so user
//! HTML cannot reach a page without passing through here.

use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

use ammonia::{Builder, UrlRelative};
use linkify::{LinkFinder, LinkKind};
use pulldown_cmark::{html, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, TextMergeStream};

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

/// Raw HTML from the Markdown with each tag outside `allowed` (and each comment, declaration or
/// processing instruction) turned into text by escaping its `<`: people paste markup from their
/// own pages, and one unknown or raw-text tag (`<style>`, `<textarea>`, `<title>`) handed to the
/// sanitiser would swallow the rest of the post, or turn a whole block into visible markup.
/// Heading tags move one level down, as Markdown headings do (see `level_below`).
fn escape_unknown_tags(raw: &str, allowed: &[&str]) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    let mut rest = raw;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (slash, name_start) = match after.strip_prefix('/') {
            Some(r) => ("/", r),
            None => ("", after),
        };
        let name: String = name_start
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let is_tag = name.starts_with(|c: char| c.is_ascii_alphabetic());
        let is_markup = is_tag || after.starts_with(['!', '?']);
        if is_tag && allowed.contains(&name.as_str()) {
            match heading_below(&name) {
                Some(lower) => {
                    out.push('<');
                    out.push_str(slash);
                    out.push_str(lower);
                    rest = &name_start[name.len()..];
                    continue;
                }
                None => out.push('<'),
            }
        } else if is_markup {
            out.push_str("&lt;");
        } else {
            out.push('<');
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The heading tag one level below `name` (`h6` stays), or `None` for any other tag.
fn heading_below(name: &str) -> Option<&'static str> {
    Some(match name {
        "h1" => "h2",
        "h2" => "h3",
        "h3" => "h4",
        "h4" => "h5",
        "h5" | "h6" => "h6",
        _ => return None,
    })
}

/// A heading level one below `level`: the page's title is the page's one `h1`, so a `#` in a
/// post is an `h2`, and the outline stays right for screen readers.
fn level_below(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

/// Finds URLs that have a scheme (`example.com` alone is left as text).
fn url_finder() -> &'static LinkFinder {
    static FINDER: OnceLock<LinkFinder> = OnceLock::new();
    FINDER.get_or_init(|| {
        let mut f = LinkFinder::new();
        f.kinds(&[LinkKind::Url]);
        f
    })
}

/// Text with its bare `http(s)://` URLs made links (as GFM's autolinks do; the sanitiser adds
/// `rel`), pushed onto `out` as events.
fn push_linked<'a>(text: CowStr<'a>, out: &mut Vec<Event<'a>>) {
    let finder = url_finder();
    let web = |url: &str| url.starts_with("http://") || url.starts_with("https://");
    if !finder.links(&text).any(|l| web(l.as_str())) {
        out.push(Event::Text(text));
        return;
    }
    for span in finder.spans(&text) {
        let piece = CowStr::from(span.as_str().to_owned());
        match span.kind() {
            Some(LinkKind::Url) if web(span.as_str()) => {
                out.push(Event::Start(Tag::Link {
                    link_type: LinkType::Autolink,
                    dest_url: piece.clone(),
                    title: CowStr::from(""),
                    id: CowStr::from(""),
                }));
                out.push(Event::Text(piece));
                out.push(Event::End(TagEnd::Link));
            }
            _ => out.push(Event::Text(piece)),
        }
    }
}

/// Markdown to (unsanitised) HTML: raw tags outside `allowed` become text, headings move one
/// level down, and bare URLs outside links and code become links.
fn to_html(source: &str, allowed: &[&str]) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut events = Vec::new();
    // Inside a link, an image (its text is the alt text) or a code block, text stays text.
    let mut literal = 0usize;
    for event in TextMergeStream::new(Parser::new_ext(source, options)) {
        match event {
            Event::Html(raw) => events.push(Event::Html(escape_unknown_tags(&raw, allowed).into())),
            Event::InlineHtml(raw) => events.push(Event::InlineHtml(escape_unknown_tags(&raw, allowed).into())),
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => events.push(Event::Start(Tag::Heading {
                level: level_below(level),
                id,
                classes,
                attrs,
            })),
            Event::End(TagEnd::Heading(level)) => events.push(Event::End(TagEnd::Heading(level_below(level)))),
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_))) => {
                literal += 1;
                events.push(Event::Start(tag));
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock)) => {
                literal = literal.saturating_sub(1);
                events.push(Event::End(end));
            }
            Event::Text(text) if literal == 0 => push_linked(text, &mut events),
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
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

/// The text a reader sees in a post, for search to index and quote: no Markdown syntax, no
/// HTML tags and no URLs (a link keeps its words, a bare URL goes), one line per block.
pub fn plain_text(source: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut out = String::with_capacity(source.len());
    for event in TextMergeStream::new(Parser::new_ext(source, options)) {
        match event {
            Event::Text(t) | Event::Code(t) => push_without_urls(&mut out, &t),
            Event::Html(raw) | Event::InlineHtml(raw) => push_without_urls(&mut out, &without_tags(&raw)),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::TableCell) => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::HtmlBlock
                | TagEnd::List(_)
                | TagEnd::Item
                | TagEnd::TableHead
                | TagEnd::TableRow,
            )
            | Event::Rule => out.push('\n'),
            _ => {}
        }
    }
    let lines: Vec<String> = out
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

/// `text` onto `out` with every URL (with a scheme) left out.
fn push_without_urls(out: &mut String, text: &str) {
    for span in url_finder().spans(text) {
        match span.kind() {
            Some(LinkKind::Url) => out.push(' '),
            _ => out.push_str(span.as_str()),
        }
    }
}

/// Raw HTML without its tags (`<…>`), keeping the text between them.
fn without_tags(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut in_tag = false;
    for c in raw.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
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
    fn headings_sit_below_the_page_title() {
        let s = render("# One\n\n## Two\n\n###### Six\n\n<h1>Raw</h1>\n\nx <h5>five</h5>").into_string();
        assert!(!s.contains("<h1"), "{s}");
        assert!(
            s.contains("<h2>One</h2>") && s.contains("<h3>Two</h3>") && s.contains("<h6>Six</h6>"),
            "{s}"
        );
        assert!(s.contains("<h2>Raw</h2>") && s.contains("<h6>five</h6>"), "{s}");
    }

    #[test]
    fn one_unknown_tag_shows_as_text_and_its_block_stays_markup() {
        let s = render("<table>\n<tr><td><center>x</center> <kbd>k</kbd></td></tr>\n</table>").into_string();
        assert!(s.contains("<table>") && s.contains("<tr><td>"), "{s}");
        assert!(s.contains("&lt;center&gt;x&lt;/center&gt; <kbd>k</kbd>"), "{s}");
        let s = render("<div>\n<p>kept <b>bold?</b></p>\n</div>").into_string();
        assert!(s.contains("<p>kept &lt;b&gt;bold?&lt;/b&gt;</p>"), "{s}");
        assert!(s.contains("&lt;div&gt;") && s.contains("&lt;/div&gt;"), "{s}");
    }

    #[test]
    fn bare_urls_become_links_outside_code_and_links() {
        let s = render(
            "See https://example.com/a_b?x=1, then `https://code.example` and [t](https://l.example) \
             and <https://angle.example> but not ftp://f.example or example.org\n\n    https://block.example",
        )
        .into_string();
        assert!(
            s.contains("<a href=\"https://example.com/a_b?x=1\" rel=\"nofollow ugc noopener\">https://example.com/a_b?x=1</a>,"),
            "{s}"
        );
        assert!(s.contains("<code>https://code.example</code>"), "{s}");
        assert!(s.contains(">t</a>") && s.contains(">https://angle.example</a>"), "{s}");
        assert!(!s.contains("href=\"ftp") && !s.contains("href=\"example.org"), "{s}");
        assert!(s.contains("<code>https://block.example</code>"), "{s}");
        assert_eq!(s.matches("<a ").count(), 3, "{s}");
        let s = render_inline("look at https://x.example/p.").into_string();
        assert!(
            s.contains("<a href=\"https://x.example/p\" rel=\"nofollow ugc noopener\">https://x.example/p</a>."),
            "{s}"
        );
        let s = render("![see https://alt.example](https://i.example/x.png)").into_string();
        assert!(
            s.contains("alt=\"see https://alt.example\"") && !s.contains("<a "),
            "{s}"
        );
    }

    #[test]
    fn plain_text_has_no_markup_and_no_urls() {
        let s = plain_text(
            "# Wi-Fi drops\n\nI **rebooted** the [router](https://r.example/x) at `192.168.1.1`, see \
             https://forum.example/t/1 and <kbd>F5</kbd>.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| c | d |\n\n```\nerror 42\n```",
        );
        assert_eq!(
            s,
            "Wi-Fi drops\nI rebooted the router at 192.168.1.1, see and F5 .\none\ntwo\na b\nc d\nerror 42"
        );
        assert!(!plain_text("Go to <https://x.example/a>.").contains("https"));
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

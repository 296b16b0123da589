//! The layering of docs/architecture.md, checked on the source: the arrows that must not exist,
//! the one home of the visibility rule, and the size of the domain's top level.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn sources(under: &str) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let start = root.join(under);
    let mut out = Vec::new();
    let mut stack = vec![start];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            for e in std::fs::read_dir(&p).expect("read dir") {
                stack.push(e.expect("entry").path());
            }
        } else if p.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&p).expect("read source");
            out.push((p.strip_prefix(&root).expect("under src").to_path_buf(), text));
        }
    }
    out
}

fn offenders(files: &[(PathBuf, String)], needles: &[&str]) -> Vec<String> {
    files
        .iter()
        .flat_map(|(path, text)| {
            needles
                .iter()
                .filter(|n| text.contains(*n))
                .map(move |n| format!("{} names {n}", path.display()))
        })
        .collect()
}

#[test]
fn the_lower_layers_import_nothing_above_them() {
    let mut low = sources("models");
    for f in ["models.rs", "db.rs", "error.rs"] {
        low.extend(sources(f));
    }
    low.extend(sources("db"));
    low.extend(sources("error"));
    let above = [
        "crate::auth",
        "crate::domain",
        "crate::handlers",
        "crate::views",
        "crate::middleware",
        "crate::routes",
        "crate::state",
        "crate::seed",
    ];
    assert_eq!(offenders(&low, &above), Vec::<String>::new());
    let middleware = sources("middleware");
    assert!(!middleware.is_empty());
    assert_eq!(offenders(&middleware, &["crate::handlers"]), Vec::<String>::new());
}

#[test]
fn the_visibility_rule_has_one_home() {
    // Where `group_id` may stand: the schema, the row, the rule and its SQL form, the import that
    // writes groups, and the KPI engine's group slice and its scope (a dimension for staff, not visibility).
    let allowed: BTreeSet<&str> = [
        "db/schema.rs",
        "db/visibility.rs",
        "domain/access/visibility.rs",
        "models/category.rs",
        "domain/import/write.rs",
        "domain/kpi/engine.rs",
        "queries/kpi_facts.rs",
    ]
    .into();
    let all = sources("");
    let found: Vec<String> = all
        .iter()
        .filter(|(_, text)| text.contains("group_id"))
        .map(|(p, _)| p.display().to_string())
        .filter(|p| !allowed.contains(p.as_str()))
        .collect();
    assert_eq!(found, Vec::<String>::new(), "group_id outside the visibility rule");
}

#[test]
fn the_domain_has_a_small_top_level_of_areas() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain");
    let mut areas = BTreeSet::new();
    for e in std::fs::read_dir(&root).expect("src/domain") {
        let name = e.expect("entry").file_name().to_string_lossy().to_string();
        areas.insert(name.trim_end_matches(".rs").to_string());
    }
    assert!(areas.len() <= 11, "src/domain has {} entries: {areas:?}", areas.len());
    for area in &areas {
        let file = root.join(format!("{area}.rs"));
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        assert!(text.starts_with("//!"), "{area} has no //! map");
    }
}

#[test]
fn sql_is_written_only_in_models_queries_and_db() {
    // The import writes whole communities in multi-row batches, inside one transaction and in
    // the order its foreign keys need; a model function per batch would be a copy of each.
    let exceptions: BTreeSet<&str> = ["domain/import/batch.rs", "domain/import/write.rs"].into();
    let homes = ["models", "queries", "db"];
    let found: Vec<String> = sources("")
        .iter()
        .filter(|(_, text)| text.contains("db::schema") || text.contains("schema::{"))
        .map(|(p, _)| p.display().to_string())
        .filter(|p| {
            !homes
                .iter()
                .any(|h| p.starts_with(&format!("{h}/")) || *p == format!("{h}.rs"))
        })
        .filter(|p| !exceptions.contains(p.as_str()))
        .collect();
    assert_eq!(
        found,
        Vec::<String>::new(),
        "db::schema outside models/, queries/ and db/"
    );
    assert!(
        sources("queries").iter().any(|(_, t)| t.contains("db::schema")),
        "the check sees the homes"
    );
}

#[test]
fn no_error_is_a_bare_string_outside_the_command_line() {
    // `Result<T, String>` loses what failed; the command line's top level (main.rs) prints one.
    let pattern = ", String>";
    let found: Vec<String> = sources("")
        .iter()
        .filter(|(p, _)| p.as_path() != Path::new("main.rs"))
        .flat_map(|(p, text)| {
            text.lines()
                .filter(|l| {
                    l.rfind("Result<")
                        .is_some_and(|i| l[i..].contains(pattern) && !l[i..].contains("HashMap<"))
                })
                .map(move |l| format!("{}: {}", p.display(), l.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(found, Vec::<String>::new());
}

/// Top-level functions of a source file and their length in lines, signature to closing brace.
fn function_lengths(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(String, usize)> = None;
    for (n, line) in text.lines().enumerate() {
        let head = line.trim_start_matches("pub(crate) ").trim_start_matches("pub ");
        let head = head.trim_start_matches("async ");
        if open.is_none() && line == line.trim_start() && head.starts_with("fn ") {
            let name = head[3..].split(['(', '<']).next().unwrap_or("").to_string();
            open = Some((name, n));
        } else if line == "}" {
            if let Some((name, start)) = open.take() {
                out.push((name, n - start + 1));
            }
        }
    }
    out
}

#[test]
fn handlers_are_thin() {
    // A handler parses, authorises, calls the domain and renders; a page's view model is
    // assembled in views/, so a handler longer than this is doing someone else's job.
    const MOST: usize = 40;
    let files = sources("handlers");
    assert!(files.len() > 10, "the check sees the handlers");
    let found: Vec<String> = files
        .iter()
        .flat_map(|(p, text)| {
            function_lengths(text)
                .into_iter()
                .filter(|(_, len)| *len > MOST)
                .map(move |(name, len)| format!("{}::{name} is {len} lines", p.display()))
        })
        .collect();
    assert_eq!(found, Vec::<String>::new());
    assert!(function_lengths("fn a() {\n  x\n}\n") == vec![("a".to_string(), 3)]);
}

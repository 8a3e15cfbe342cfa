//! The layers of `src/` (ARCHITECTURE.md, "Layers and imports"), checked by reading the
//! source: every `use` of the crate's own modules (`crate::`, `super::`, `self::` and child
//! modules), and every inline `crate::`/`super::` path, outside `#[cfg(test)]` items. A module
//! may import only the modules its layer allows, no import cycle may exist between files, no
//! model or fixture file may use the HTTP crates, and only `store::world` may mint or remove a
//! credential. Unit tests (`#[cfg(test)]`) may reach upward, for the sandbox loader.
//!
//! String matching, not name resolution: cheap, and enough for a tree that follows its own
//! conventions. The last tests feed the checker synthetic sources to show it refuses what the
//! table forbids.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, lowest first: a module imports only its own layer (as the rules below allow)
/// or lower ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    /// `ids`, `clock`, `body`, `form`, `response`, `journal`, `faults`, `family`, `json_doc`,
    /// `defaults`, `str_enum`, `org_numbers`: no other crate module.
    Leaf,
    /// `tenant`: identity, directory, credentials.
    Tenant,
    /// The families' state and fixture sections: `crm::registry`, `crm::state`,
    /// `crm::{area}::{model,fixture}`, `crm::records`, `crm::access` (record access over the
    /// CRM models), `analytics::workspaces`.
    Domain,
    /// `store`: the `Org` aggregate, `World`, the lock, the fixture document, persistence.
    Store,
    /// `auth`: the caller.
    Caller,
    /// `app_state`, `config`.
    AppState,
    /// The families' HTTP files (and `oauth::model`, which works over `World`).
    Http,
    /// `app`, `server`, `healthcheck`, `request_log`, the crate root.
    Top,
}

fn layer_of(module: &str) -> Option<Layer> {
    let segments: Vec<&str> = module.split("::").collect();
    Some(match segments.as_slice() {
        [""] | ["app" | "server" | "healthcheck" | "tls" | "request_log"] => Layer::Top,
        [
            "ids" | "clock" | "body" | "form" | "response" | "journal" | "faults" | "family"
            | "json_doc" | "defaults" | "str_enum" | "dirty" | "org_numbers",
        ] => Layer::Leaf,
        ["tenant", ..] => Layer::Tenant,
        ["crm", "registry" | "state" | "records" | "access"] => Layer::Domain,
        ["crm", _, "model" | "fixture"] => Layer::Domain,
        ["analytics", "workspaces", ..] => Layer::Domain,
        ["store", ..] => Layer::Store,
        ["auth", ..] => Layer::Caller,
        ["app_state" | "config"] => Layer::AppState,
        ["crm" | "analytics" | "oauth" | "admin", ..] => Layer::Http,
        _ => return None,
    })
}

/// The CRM's API areas (folders with their own files); other `crm::*` HTTP files are shared
/// by all of them.
const CRM_AREAS: [&str; 6] = [
    "record_sharing",
    "data_sharing_rules",
    "data_sharing_settings",
    "users",
    "settings",
    "records",
];

/// The room of an HTTP file: `crm::record_sharing`, `analytics::v1::workspace_admins`,
/// `analytics::v2::view_sharing`; the shared files of a family or version are rooms of their
/// own (`crm`, `analytics::v1`, `analytics::v2`), and the family's root files (`analytics`,
/// `analytics::email`) are shared by both versions.
fn area_of(module: &str) -> String {
    let segments: Vec<&str> = module.split("::").collect();
    match segments.as_slice() {
        ["crm", area, ..] if CRM_AREAS.contains(area) => format!("crm::{area}"),
        ["analytics", version @ ("v1" | "v2"), area, _, ..] => {
            format!("analytics::{version}::{area}")
        }
        ["analytics", version @ ("v1" | "v2"), ..] => format!("analytics::{version}"),
        [family, ..] => (*family).to_owned(),
        [] => String::new(),
    }
}

/// The family and area of a domain file: `crm::record_sharing`, `analytics::workspaces`.
fn domain_room(module: &str) -> String {
    module.split("::").take(2).collect::<Vec<_>>().join("::")
}

/// Why `from` may not import `to`, if it may not.
fn forbidden(from: &str, to: &str) -> Option<String> {
    let (Some(low), Some(high)) = (layer_of(to), layer_of(from)) else {
        return Some("a module the layer table does not place".to_owned());
    };
    if low > high {
        return Some(format!("{high:?} imports the higher layer {low:?}"));
    }
    if low < high {
        return None;
    }
    match high {
        Layer::Domain => domain_rule(from, to),
        Layer::Http => http_rule(from, to),
        _ => None,
    }
}

/// Between family domain files: the CRM base (registry and records) for every CRM file; a
/// fixture section reads its own family's model (never the other way); `crm::state` gathers
/// the CRM models, and `crm::access::model` (record access, which owns nothing) reads them.
/// Families do not reach into each other's state.
fn domain_rule(from: &str, to: &str) -> Option<String> {
    let crm_base = [
        "crm::registry",
        "crm::records::model",
        "crm::records::fixture",
    ];
    if from.starts_with("crm::") && crm_base.contains(&to) {
        let fixture_only = to == "crm::records::fixture" && !from.ends_with("::fixture");
        return fixture_only.then(|| "only fixture sections read records' fixture".to_owned());
    }
    if (from == "crm::state" || from == "crm::access::model")
        && to.starts_with("crm::")
        && to.ends_with("::model")
    {
        return None;
    }
    if domain_room(from) == domain_room(to) {
        if from.ends_with("::model") && to.ends_with("::fixture") {
            return Some("a model imports its fixture section".to_owned());
        }
        return None;
    }
    Some("another family's state".to_owned())
}

/// Between HTTP files: one family only, and within it, an area imports its own files and the
/// family's shared files; the family's root (route table, front door) imports its areas.
fn http_rule(from: &str, to: &str) -> Option<String> {
    let family = |m: &str| m.split("::").next().unwrap_or_default().to_owned();
    if family(from) != family(to) {
        return Some("another family's HTTP files".to_owned());
    }
    let (a, b) = (area_of(from), area_of(to));
    let within =
        |outer: &str, inner: &str| inner == outer || inner.starts_with(&format!("{outer}::"));
    if within(&b, &a) || within(&a, &b) {
        return None;
    }
    Some(format!("another area's HTTP files ({a} -> {b})"))
}

/// The crates that speak HTTP; state, fixture and tenant files never use them.
const HTTP_CRATES: [&str; 4] = ["axum", "http", "tower_http", "hyper"];

/// The methods that add or remove a credential string; only `store::world` (which keeps the
/// state-wide index in the same call) may call them.
const CREDENTIAL_MUTATORS: [&str; 4] = [
    ".add_access_token(",
    ".add_refresh_token(",
    ".add_grant_code(",
    ".remove_grant_code(",
];

/// A source file: its module path (`crm::record_sharing::model`, `""` for the crate root) and
/// its text.
struct Source {
    module: String,
    text: String,
}

fn module_of(relative: &str) -> String {
    let path = relative.trim_end_matches(".rs");
    let path = path
        .strip_suffix("/mod")
        .or_else(|| (path == "lib").then_some(""))
        .unwrap_or(path);
    path.replace('/', "::")
}

fn read_sources(root: &Path) -> Vec<Source> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<Source>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("a source directory")
            .map(|e| e.expect("an entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path
                    .strip_prefix(root)
                    .expect("under src")
                    .to_string_lossy()
                    .replace('\\', "/");
                // The binary is a crate of its own, over the library's public API.
                if relative == "main.rs" {
                    continue;
                }
                out.push(Source {
                    module: module_of(&relative),
                    text: std::fs::read_to_string(&path).expect("a source file"),
                });
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out
}

/// The code of a file with comments and the contents of string and character literals blanked
/// (newlines kept), so that braces and keywords can be counted.
fn code_only(text: &str) -> String {
    let bytes: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < bytes.len() {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < bytes.len() && bytes[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < bytes.len() {
                if bytes[i] == '/' && bytes.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if bytes[i] == '*' && bytes.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(bytes[i]));
                    i += 1;
                }
            }
        } else if (c == 'r' || (c == 'b' && next == Some('r')))
            && !bytes[..i]
                .last()
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
            && {
                let start = if c == 'b' { i + 2 } else { i + 1 };
                let hashes = bytes[start..].iter().take_while(|h| **h == '#').count();
                bytes.get(start + hashes) == Some(&'"')
            }
        {
            let start = if c == 'b' { i + 2 } else { i + 1 };
            let hashes = bytes[start..].iter().take_while(|h| **h == '#').count();
            let mut j = start + hashes + 1;
            loop {
                if j >= bytes.len() {
                    break;
                }
                if bytes[j] == '"' && bytes[j + 1..].iter().take(hashes).all(|h| *h == '#') {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            for ch in &bytes[i..j.min(bytes.len())] {
                out.push(blank(*ch));
            }
            i = j;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < bytes.len() && bytes[i] != '"' {
                if bytes[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < bytes.len() {
                    out.push(blank(bytes[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && (bytes.get(i + 2) == Some(&'\'') || next == Some('\\')) {
            // A character literal ('{', '\n', '\''); a lifetime has no closing quote.
            let mut j = i + 1;
            if bytes[j] == '\\' {
                j += 1;
            }
            j += 1;
            while j < bytes.len() && bytes[j] != '\'' {
                j += 1;
            }
            for _ in i..=j.min(bytes.len() - 1) {
                out.push(' ');
            }
            i = j + 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// `code` without its `#[cfg(test)]` items (a `use`, a function, a module...).
fn without_tests(code: &str) -> String {
    const MARK: &str = "#[cfg(test)]";
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        let item = &rest[at..];
        // The item ends at its first `;` when that comes before any `{`, else at the `}` that
        // closes its first `{`.
        let semicolon = item.find(';');
        let brace = item.find('{');
        let end = match (semicolon, brace) {
            (Some(s), Some(b)) if s < b => s + 1,
            (Some(s), None) => s + 1,
            (_, Some(b)) => {
                let mut depth = 0usize;
                let mut end = item.len();
                for (offset, c) in item[b..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + offset + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (None, None) => item.len(),
        };
        out.extend(
            item[..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// Every path a `use` tree names: `a::{b, c::{d, e as f}}` gives `a::b`, `a::c::d`, `a::c::e`.
fn expand_use(tree: &str) -> Vec<String> {
    let tree = tree.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = Vec::new();
    expand_into("", &tree, &mut out);
    out
}

fn expand_into(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let join = |p: &str, s: &str| {
        if p.is_empty() {
            s.to_owned()
        } else {
            format!("{p}::{s}")
        }
    };
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head = tree[..open].trim().trim_end_matches("::");
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let base = join(prefix, head);
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand_into(&base, &inner[start..i], out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand_into(&base, &inner[start..], out);
        return;
    }
    // `a::b as c` names `a::b`.
    let path = tree.split_whitespace().next().unwrap_or_default();
    if path.is_empty() {
        return;
    }
    if path == "self" {
        out.push(prefix.to_owned());
    } else {
        out.push(join(prefix, path));
    }
}

/// The `use` trees and inline `crate::`/`super::` paths of some code.
fn paths_in(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let chars: Vec<(usize, char)> = code.char_indices().collect();
    for (index, &(at, _)) in chars.iter().enumerate() {
        let before = index.checked_sub(1).map(|i| chars[i].1);
        if before.is_some_and(is_ident) {
            continue;
        }
        let rest = &code[at..];
        if let Some(tree) = rest
            .strip_prefix("use ")
            .or_else(|| rest.strip_prefix("use\n"))
        {
            if let Some(end) = tree.find(';') {
                paths.extend(expand_use(&tree[..end]));
            }
        } else if rest.starts_with("crate::") || rest.starts_with("super::") {
            let path: String = rest
                .chars()
                .take_while(|c| is_ident(*c) || *c == ':')
                .collect();
            // `crate::{a, b}` is a use tree, read whole above.
            if !path.ends_with("::") {
                paths.push(path);
            }
        }
    }
    paths
}

/// The crate module a path names from `module` (the longest prefix that is a module), or
/// `None` for another crate.
fn resolve(module: &str, path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<&str> = if module.is_empty() {
        Vec::new()
    } else {
        module.split("::").collect()
    };
    match segments.first().copied() {
        Some("crate") => {
            base.clear();
            segments.remove(0);
        }
        Some("self") => {
            segments.remove(0);
        }
        Some("super") => {
            while segments.first() == Some(&"super") {
                base.pop();
                segments.remove(0);
            }
        }
        Some(first) => {
            let child = base
                .iter()
                .copied()
                .chain([first])
                .collect::<Vec<_>>()
                .join("::");
            if !modules.contains(&child) {
                return None;
            }
        }
        None => return None,
    }
    let full: Vec<&str> = base.into_iter().chain(segments).collect();
    (0..=full.len())
        .rev()
        .map(|n| full[..n].join("::"))
        .find(|candidate| modules.contains(candidate))
}

/// Every violation of the rules in `sources`.
fn violations(sources: &[Source]) -> Vec<String> {
    check(sources).0
}

/// The violations, and the import graph between files.
fn check(sources: &[Source]) -> (Vec<String>, BTreeMap<String, BTreeSet<String>>) {
    let modules: BTreeSet<String> = sources.iter().map(|s| s.module.clone()).collect();
    let mut out = Vec::new();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for source in sources {
        let code = without_tests(&code_only(&source.text));
        let from = source.module.as_str();
        if layer_of(from).is_none() {
            out.push(format!("{from}: not placed in the layer table"));
        }
        for path in paths_in(&code) {
            let first = path.split("::").next().unwrap_or_default();
            let domain = matches!(
                layer_of(from),
                Some(Layer::Tenant | Layer::Domain | Layer::Store)
            ) || from.ends_with("::model")
                || from.ends_with("::fixture");
            if domain && HTTP_CRATES.contains(&first) {
                out.push(format!("{from}: uses {path}, but state never speaks HTTP"));
            }
            let Some(to) = resolve(from, &path, &modules) else {
                continue;
            };
            if to == from {
                continue;
            }
            if let Some(why) = forbidden(from, &to) {
                out.push(format!("{from} -> {to} ({path}): {why}"));
            }
            graph.entry(from.to_owned()).or_default().insert(to);
        }
        if from != "store::world" && from != "tenant::credentials" {
            for call in CREDENTIAL_MUTATORS {
                if code.contains(call) {
                    out.push(format!(
                        "{from}: calls {call}..), which only store::world may call"
                    ));
                }
            }
        }
    }
    out.extend(cycles(&graph));
    // A path can be read twice (as a `use` and inline); say each problem once.
    out.dedup();
    (out, graph)
}

/// One message per import cycle found (depth-first, each cycle reported once by its members).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        found: &mut BTreeSet<Vec<String>>,
    ) {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.sort();
            found.insert(cycle);
            return;
        }
        if done.contains(node) {
            return;
        }
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, stack, done, found);
        }
        stack.pop();
        done.insert(node.to_owned());
    }
    let mut found = BTreeSet::new();
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, graph, &mut Vec::new(), &mut done, &mut found);
    }
    found
        .into_iter()
        .map(|cycle| format!("import cycle: {}", cycle.join(" <-> ")))
        .collect()
}

#[test]
fn src_respects_the_layer_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let sources = read_sources(&root);
    assert!(
        sources.len() > 60,
        "the sources are found ({})",
        sources.len()
    );
    let (found, graph) = check(&sources);
    assert!(
        found.is_empty(),
        "layering violations:\n{}",
        found.join("\n")
    );
    // The checker sees the imports it is meant to judge.
    for (from, to) in [
        ("crm::record_sharing::handlers", "store::org"),
        (
            "crm::record_sharing::handlers",
            "crm::record_sharing::model",
        ),
        ("store::fixture", "tenant::fixture"),
        ("analytics::v1", "analytics::v1::workspace_admins::handlers"),
        ("analytics::v2", "analytics::v2::view_sharing::handlers"),
        (
            "analytics::v2::view_sharing::handlers",
            "analytics::workspaces::access",
        ),
        ("analytics::v1::params", "analytics::email"),
    ] {
        assert!(
            graph.get(from).is_some_and(|targets| targets.contains(to)),
            "the graph misses {from} -> {to}"
        );
    }
}

fn synthetic(files: &[(&str, &str)]) -> Vec<String> {
    let sources: Vec<Source> = files
        .iter()
        .map(|(path, text)| Source {
            module: module_of(path),
            text: (*text).to_owned(),
        })
        .collect();
    violations(&sources)
}

/// A small tree that follows the rules, which each test below breaks in one place.
const GOOD: &[(&str, &str)] = &[
    ("lib.rs", "mod crm; mod store; mod tenant; mod ids;"),
    ("ids.rs", "pub struct RecordId;"),
    ("tenant/mod.rs", "pub mod directory;"),
    ("tenant/directory.rs", "use crate::ids::RecordId;"),
    (
        "crm/mod.rs",
        "pub mod error; pub mod record_sharing; pub mod records; pub mod registry;",
    ),
    ("crm/error.rs", "pub enum CrmError {}"),
    ("crm/registry.rs", "pub struct CrmModule;"),
    ("crm/records/mod.rs", "pub mod model;"),
    (
        "crm/records/model.rs",
        "use crate::crm::registry::CrmModule;",
    ),
    (
        "crm/record_sharing/mod.rs",
        "pub mod handlers; pub mod model; pub mod wire;",
    ),
    (
        "crm/record_sharing/model.rs",
        "use crate::crm::records::model::Records;\nuse crate::tenant::directory::Directory;\n#[cfg(test)]\nmod tests {\n    use crate::store::org::Org;\n    fn f() { let s = \"{\"; let c = '{'; }\n}\n",
    ),
    (
        "crm/record_sharing/wire.rs",
        "use crate::crm::error::CrmError;\nuse super::model::Share;",
    ),
    (
        "crm/record_sharing/handlers.rs",
        "use crate::store::org::Org;\nuse super::{model, wire};",
    ),
    ("store/mod.rs", "pub mod org; pub mod world;"),
    (
        "store/org.rs",
        "use crate::crm::record_sharing::model::RecordShares;",
    ),
    (
        "store/world.rs",
        "use super::org::Org; fn f(c: &mut C) { c.add_access_token(t); }",
    ),
];

fn with(path: &str, text: &str) -> Vec<String> {
    let mut files: Vec<(&str, &str)> = GOOD.iter().filter(|(p, _)| *p != path).copied().collect();
    files.push((path, text));
    synthetic(&files)
}

#[test]
fn the_checker_accepts_the_small_tree() {
    assert_eq!(synthetic(GOOD), Vec::<String>::new());
}

#[test]
fn the_checker_refuses_a_model_that_imports_the_store() {
    let found = with(
        "crm/record_sharing/model.rs",
        "use crate::crm::records::model::Records;\nuse crate::store::org::Org;\n",
    );
    assert!(
        found
            .iter()
            .any(|v| v.starts_with("crm::record_sharing::model -> store::org")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|v| v.starts_with("import cycle:")),
        "store::org imports the model back: {found:?}"
    );
}

#[test]
fn record_access_reads_the_crm_models_and_no_model_reads_it() {
    let mut files: Vec<(&str, &str)> = GOOD.to_vec();
    files.retain(|(p, _)| *p != "crm/mod.rs");
    files.push((
        "crm/mod.rs",
        "pub mod access; pub mod error; pub mod record_sharing; pub mod records; pub mod registry;",
    ));
    files.push(("crm/access/mod.rs", "pub mod model;"));
    files.push((
        "crm/access/model.rs",
        "use crate::crm::record_sharing::model::Share;
use crate::crm::records::model::Record;
use crate::tenant::directory::Directory;
",
    ));
    assert_eq!(synthetic(&files), Vec::<String>::new());
    files.retain(|(p, _)| *p != "crm/records/model.rs");
    files.push((
        "crm/records/model.rs",
        "use crate::crm::access::model::Viewer;",
    ));
    let found = synthetic(&files);
    assert!(
        found
            .iter()
            .any(|v| v.starts_with("crm::records::model -> crm::access::model")),
        "{found:?}"
    );
}

#[test]
fn the_checker_refuses_a_tenant_that_imports_a_family_or_speaks_http() {
    let found = with(
        "tenant/directory.rs",
        "use crate::crm::{error::CrmError, registry};\nuse axum::http::StatusCode;\n",
    );
    assert!(
        found
            .iter()
            .any(|v| v.starts_with("tenant::directory -> crm::error")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|v| v.starts_with("tenant::directory -> crm::registry")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|v| v.contains("never speaks HTTP")),
        "{found:?}"
    );
}

#[test]
fn the_checker_refuses_cross_area_and_cross_family_imports_and_stray_minting() {
    let mut files: Vec<(&str, &str)> = GOOD.to_vec();
    files.push(("crm/data_sharing_rules/mod.rs", "pub mod wire;"));
    files.push((
        "crm/data_sharing_rules/wire.rs",
        "use crate::crm::record_sharing::wire::shared;\nfn f(o: &mut O) { o.credentials.add_grant_code(g); }",
    ));
    let found = synthetic(&files);
    assert!(
        found.iter().any(|v| v.contains(
            "another area's HTTP files (crm::data_sharing_rules -> crm::record_sharing)"
        )),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|v| v.contains("only store::world may call")),
        "{found:?}"
    );
}

#[test]
fn the_checker_keeps_the_analytics_versions_and_their_areas_apart() {
    let mut files: Vec<(&str, &str)> = GOOD.to_vec();
    files.push(("analytics/mod.rs", "pub mod email; pub mod v1; pub mod v2;"));
    files.push(("analytics/email.rs", "pub fn is_well_formed() {}"));
    files.push(("analytics/v1/mod.rs", "pub mod error;"));
    files.push((
        "analytics/v1/error.rs",
        "use crate::analytics::v2::error::V2Error;
use crate::analytics::email;",
    ));
    files.push((
        "analytics/v2/mod.rs",
        "pub mod error; pub mod groups; pub mod view_sharing;",
    ));
    files.push(("analytics/v2/error.rs", "use crate::analytics::email;"));
    files.push(("analytics/v2/groups/mod.rs", "pub mod handlers;"));
    files.push((
        "analytics/v2/groups/handlers.rs",
        "use crate::analytics::v2::view_sharing::handlers::may_share;
use crate::analytics::v2::error::V2Error;",
    ));
    files.push(("analytics/v2/view_sharing/mod.rs", "pub mod handlers;"));
    files.push((
        "analytics/v2/view_sharing/handlers.rs",
        "pub fn may_share() {}",
    ));
    let found = synthetic(&files);
    assert!(
        found
            .iter()
            .any(|v| v.contains("another area's HTTP files (analytics::v1 -> analytics::v2)")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|v| v.contains(
            "another area's HTTP files (analytics::v2::groups -> analytics::v2::view_sharing)"
        )),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|v| v.contains("-> analytics::email")
            || v.starts_with("analytics::v2::groups::handlers -> analytics::v2::error")),
        "a version's shared files and the family's root files are open to its areas: {found:?}"
    );
}

#[test]
fn the_checker_ignores_test_code_comments_and_strings() {
    let found = with(
        "crm/record_sharing/model.rs",
        "// use crate::store::org::Org;\nconst S: &str = \"use crate::store::org::Org;\";\nconst R: &str = r#\"crate::store\"#;\n#[cfg(test)]\nuse crate::store::org::Org;\n",
    );
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn use_trees_expand() {
    assert_eq!(
        expand_use("crate::crm::{error::CrmError, record_sharing::{model, wire as w}, self}"),
        [
            "crate::crm::error::CrmError",
            "crate::crm::record_sharing::model",
            "crate::crm::record_sharing::wire",
            "crate::crm",
        ]
    );
}

//! `GET /__admin/openapi.json` (DESIGN §5): an OpenAPI 3.1 document of every route. The routes
//! it lists are exactly the routes of the route tables in `src/` (read from the source, so a
//! route added without its entry, or an entry without its route, fails here), every listed
//! operation is served (a request with its example values is neither a route miss nor a wrong
//! method), and every method a listed path does not list is a wrong method. That the statuses
//! golden files show are declared is checked by `support::assert_golden` in every suite.

mod support;

use std::collections::BTreeSet;

use serde_json::Value;
use support::{ADMIN_TOKEN, JSON_CT, TestServer, openapi};

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

fn documented() -> BTreeSet<(String, String)> {
    let mut set = BTreeSet::new();
    for (path, item) in openapi::document()["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("a path item").keys() {
            set.insert((method.to_uppercase(), path.clone()));
        }
    }
    set
}

fn source(file: &str) -> String {
    std::fs::read_to_string(format!("{}/src/{file}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("src/{file}: {e}"))
}

/// The text of the call that starts at `open` (just after its `(`), up to its matching `)`.
fn call_args(text: &str, open: usize) -> &str {
    let mut depth = 1;
    for (i, c) in text[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &text[open..open + i];
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced call");
}

/// `const NAME: &str = "value";` declarations of a file.
fn consts(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let rest = line
                .trim()
                .trim_start_matches("pub ")
                .strip_prefix("const ")?;
            let (name, value) = rest.split_once(": &str = \"")?;
            Some((name.to_owned(), value.strip_suffix("\";")?.to_owned()))
        })
        .collect()
}

/// Every `.route(PATH, METHODS)` of an axum route table: its path (a literal, a const, or a
/// `format!` over consts) and the methods its method router names (`get_only` is GET; `head`
/// and `fallback` are the wrong-method answers; `any` is every method).
fn axum_routes(file: &str, prefix: &str) -> BTreeSet<(String, String)> {
    let text = source(file);
    let consts = consts(&text);
    let mut routes = BTreeSet::new();
    for (at, _) in text.match_indices(".route(") {
        let args = call_args(&text, at + ".route(".len());
        let (path_expr, router) = args.split_once(',').expect("two arguments");
        let path_expr = path_expr.trim();
        let mut path = if let Some(literal) = path_expr.strip_prefix('"') {
            literal.trim_end_matches('"').to_owned()
        } else if let Some(format) = path_expr.strip_prefix("&format!(\"") {
            format.trim_end_matches("\")").to_owned()
        } else {
            consts
                .iter()
                .find(|(name, _)| name == path_expr)
                .map(|(_, value)| value.clone())
                .unwrap_or_else(|| panic!("{file}: route path {path_expr}"))
        };
        for (name, value) in &consts {
            path = path.replace(&format!("{{{name}}}"), value);
        }
        let path = format!("{prefix}{}", path.replace("{{", "{").replace("}}", "}"));
        let mut methods = Vec::new();
        let bytes = router.as_bytes();
        for (i, _) in router.match_indices('(') {
            let start = router[..i]
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .map_or(0, |p| p + 1);
            if start > 0 && bytes[start - 1] == b':' {
                continue;
            }
            match &router[start..i] {
                "get_only" | "get" => methods.push("GET"),
                "post" => methods.push("POST"),
                "put" => methods.push("PUT"),
                "delete" => methods.push("DELETE"),
                "patch" => methods.push("PATCH"),
                "any" => methods.push("ANY"),
                _ => {}
            }
        }
        assert!(!methods.is_empty(), "{file}: no method for {path}");
        for method in methods {
            routes.insert((method.to_owned(), path.clone()));
        }
    }
    routes
}

/// The Analytics v2 table (`static V2` and `static ALIASES` of route.rs): each shape's
/// segments (`L("x")`, `W`, `V`, `G`) and methods (`(GET, E::...)`).
fn v2_routes() -> BTreeSet<(String, String)> {
    let text = source("analytics/v2/route.rs");
    let mut routes = BTreeSet::new();
    for (table, prefix) in [("static V2:", "/restapi/v2"), ("static ALIASES:", "")] {
        let start = text.find(table).expect("the table");
        let end = start + text[start..].find("\n];").expect("its end");
        for shape in text[start..end].split("Shape {").skip(1) {
            let segments = shape
                .split_once("segments: &[")
                .and_then(|(_, rest)| rest.split_once("],"))
                .expect("segments")
                .0;
            let mut path = prefix.to_owned();
            for segment in segments.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let segment = match segment {
                    "W" => "{workspace_id}",
                    "V" => "{view_id}",
                    "G" => "{group_id}",
                    literal => literal
                        .strip_prefix("L(\"")
                        .and_then(|l| l.strip_suffix("\")"))
                        .unwrap_or_else(|| panic!("segment {literal}")),
                };
                path.push('/');
                path.push_str(segment);
            }
            let methods = shape.split_once("methods: &[").expect("methods").1;
            for method in ["GET", "POST", "PUT", "DELETE", "PATCH"] {
                if methods.contains(&format!("({method},")) {
                    routes.insert((method.to_owned(), path.clone()));
                }
            }
        }
    }
    routes
}

/// The routes the source declares, catch-alls replaced by what their dispatchers serve.
fn served() -> BTreeSet<(String, String)> {
    // Every file with a route table is read here; a new one must join this list.
    let tables = [
        "crm/mod.rs",
        "oauth/mod.rs",
        "analytics/v1/mod.rs",
        "analytics/v2/mod.rs",
        "admin/mod.rs",
    ];
    let mut with_routes = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file");
                if text.contains(".route(") {
                    let relative = path
                        .strip_prefix(concat!(env!("CARGO_MANIFEST_DIR"), "/src/"))
                        .expect("under src")
                        .to_string_lossy()
                        .replace('\\', "/");
                    with_routes.push(relative);
                }
            }
        }
    }
    with_routes.sort();
    let mut expected: Vec<String> = tables.iter().map(|t| (*t).to_owned()).collect();
    expected.sort();
    assert_eq!(with_routes, expected, "the files that hold route tables");

    let mut routes = BTreeSet::new();
    routes.extend(axum_routes("crm/mod.rs", ""));
    routes.extend(axum_routes("oauth/mod.rs", ""));
    routes.extend(axum_routes("admin/mod.rs", "/__admin"));
    // v1: one dispatcher for every `/api` path; it serves GET and POST on the two-segment
    // workspace URL and answers every other shape (7102, 7138) and method (405) itself.
    let v1 = axum_routes("analytics/v1/mod.rs", "");
    let catch_all: BTreeSet<(String, String)> = ["/api", "/api/", "/api/{*rest}"]
        .iter()
        .map(|p| ("ANY".to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(v1, catch_all, "the v1 route table");
    for method in ["GET", "POST"] {
        routes.insert((
            method.to_owned(),
            "/api/{owner_email}/{workspace_name}".to_owned(),
        ));
    }
    // v2: the axum paths all reach one dispatcher, which serves its own table.
    assert!(
        source("analytics/v2/mod.rs").contains("route::axum_paths()"),
        "v2 routes come from its table"
    );
    routes.extend(v2_routes());
    routes
}

#[tokio::test]
async fn the_document_is_served_as_it_is_tracked() {
    let server = TestServer::start().await;
    let reply = server.admin("GET", "/__admin/openapi.json", None).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type(), Some(JSON_CT));
    assert_eq!(&reply.json(), openapi::document());
}

#[test]
fn the_document_is_openapi_3_1_with_schemas_and_examples() {
    let doc = openapi::document();
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1.")),
        "openapi version"
    );
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    let mut ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        assert!(path.starts_with('/'), "{path}");
        for (method, op) in item.as_object().expect("a path item") {
            let at = format!("{method} {path}");
            assert!(METHODS.contains(&method.as_str()), "{at}: method");
            let id = op["operationId"].as_str().expect("an operationId");
            assert!(ids.insert(id.to_owned()), "{at}: operationId {id} twice");
            // Every `{param}` of the template is a declared path parameter, and back.
            let in_template: BTreeSet<&str> = path
                .split('/')
                .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
                .collect();
            let declared: BTreeSet<&str> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .map(|p| p["name"].as_str().expect("a name"))
                .collect();
            assert_eq!(in_template, declared, "{at}: path parameters");
            let responses = op["responses"].as_object().expect("responses");
            assert!(!responses.is_empty(), "{at}: no responses");
            for (status, response) in responses {
                let code: u16 = status.parse().unwrap_or_else(|_| panic!("{at}: {status}"));
                assert!((200..600).contains(&code), "{at}: {status}");
                let response = openapi::resolve(response);
                assert!(
                    response["description"].is_string(),
                    "{at} {status}: description"
                );
                for (media, content) in response["content"].as_object().into_iter().flatten() {
                    assert!(
                        content["schema"].is_object(),
                        "{at} {status} {media}: schema"
                    );
                    let zoho = !path.starts_with("/__admin");
                    let structured = media.starts_with("application/json") || media.contains("xml");
                    if zoho && structured {
                        assert!(
                            content.get("example").is_some(),
                            "{at} {status} {media}: an example (DESIGN §5)"
                        );
                    }
                }
                if code == 204 {
                    assert!(response.get("content").is_none(), "{at}: a 204 has no body");
                }
            }
        }
    }
    // Every reference resolves.
    fn refs<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push(r);
                }
                map.values().for_each(|v| refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(doc, &mut all);
    for reference in all {
        let pointer = reference.strip_prefix('#').expect("a local reference");
        assert!(
            doc.pointer(pointer).is_some(),
            "{reference} does not resolve"
        );
    }
}

#[test]
fn the_document_lists_every_route_and_no_other() {
    let served = served();
    let documented = documented();
    let missing: Vec<_> = served.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&served).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "routes the document lacks: {missing:?}; operations no route serves: {extra:?}"
    );
}

/// A concrete request path for a template, from its parameters' examples.
fn concrete(path: &str, op: &Value) -> String {
    let mut concrete = path.to_owned();
    for parameter in op["parameters"].as_array().into_iter().flatten() {
        if parameter["in"] == "path" {
            let name = parameter["name"].as_str().expect("a name");
            let example = parameter["example"].as_str().expect("a path example");
            let encoded = example.replace(' ', "%20");
            concrete = concrete.replace(&format!("{{{name}}}"), &encoded);
        }
    }
    concrete
}

/// The family's answer to a path no route serves, or to a method the route does not take:
/// 405 (Analytics, OAuth, admin), a bodiless 404 (Analytics v2), the CRM's two codes, the
/// admin API's unknown path and the accounts server's 404.
fn route_miss_or_wrong_method(status: u16, body: &[u8]) -> bool {
    let json: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let crm_code = json["code"].as_str().unwrap_or("");
    let error = json["error"].as_str().unwrap_or("");
    status == 405
        || (status == 404 && body.is_empty())
        || crm_code == "INVALID_URL_PATTERN"
        || crm_code == "INVALID_REQUEST_METHOD"
        || (status == 404 && (error.starts_with("no admin endpoint") || error == "invalid_request"))
}

#[tokio::test]
async fn every_documented_operation_is_served_and_no_other_method() {
    let server = TestServer::start().await;
    let doc = openapi::document();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let item = item.as_object().expect("a path item");
        let mut url = None;
        for method in METHODS {
            let op = item.get(method);
            let concrete = concrete(path, op.unwrap_or_else(|| item.values().next().unwrap()));
            url.get_or_insert_with(|| concrete.clone());
            let request = server
                .client
                .request(
                    reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                    server.url(&concrete),
                )
                .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
                .header("ZANALYTICS-ORGID", "700017001");
            let reply = server.send(request).await;
            let missed = route_miss_or_wrong_method(reply.status, &reply.body);
            match op {
                Some(_) => assert!(
                    !missed,
                    "{method} {concrete} ({path}) is documented but answers {} {}",
                    reply.status,
                    reply.text()
                ),
                None => assert!(
                    missed,
                    "{method} {concrete} ({path}) is not documented but answers {} {}",
                    reply.status,
                    reply.text()
                ),
            }
        }
    }
}

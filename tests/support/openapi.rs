//! The OpenAPI document (`src/admin/openapi.json`) as the golden-file assertions consult it:
//! every answer a golden file pins must be one the document declares for its operation, with
//! the answer's status and, when it has a body, its content type.

use std::sync::OnceLock;

use serde_json::Value;

pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/admin/openapi.json");
        let text = std::fs::read_to_string(path).expect("src/admin/openapi.json");
        serde_json::from_str(&text).expect("the OpenAPI document is JSON")
    })
}

/// The document's path template that serves `path`, as the routers choose: of the templates
/// whose segments fit, the one with a literal at the first segment where they differ. On
/// Analytics v2 paths a trailing `/` is also tried without it (v2 ignores one).
pub fn template_of(path: &str) -> Option<&'static str> {
    let paths = document()["paths"].as_object()?;
    let find = |path: &str| {
        let segments: Vec<&str> = path.split('/').collect();
        paths
            .keys()
            .filter_map(|template| {
                let shape: Vec<&str> = template.split('/').collect();
                let fits = shape.len() == segments.len()
                    && shape.iter().zip(&segments).all(|(t, s)| {
                        if t.starts_with('{') {
                            !s.is_empty()
                        } else {
                            t == s
                        }
                    });
                let literals: Vec<bool> = shape.iter().map(|t| !t.starts_with('{')).collect();
                fits.then_some((literals, template.as_str()))
            })
            .max()
            .map(|(_, template)| template)
    };
    let v2 = path.starts_with("/restapi/v2/") || path.starts_with("/workspaces/");
    find(path).or_else(|| path.strip_suffix('/').filter(|_| v2).and_then(find))
}

/// A response object, its `$ref` followed.
pub fn resolve(response: &'static Value) -> &'static Value {
    match response.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference
                .strip_prefix("#/components/responses/")
                .expect("a response reference");
            &document()["components"]["responses"][name]
        }
        None => response,
    }
}

/// Why the document does not declare this answer, if it does not. Requests outside the
/// document (route misses, wrong methods, which its description sets apart) are not judged.
pub fn undeclared(
    method: Option<&str>,
    path: &str,
    status: u16,
    content_type: Option<&str>,
    has_body: bool,
) -> Option<String> {
    let template = template_of(path)?;
    let operations = document()["paths"][template].as_object()?;
    let candidates: Vec<&'static Value> = match method {
        Some(method) => operations
            .get(&method.to_ascii_lowercase())
            .into_iter()
            .collect(),
        None => operations.values().collect(),
    };
    if candidates.is_empty() {
        return None;
    }
    let declares = |operation: &&'static Value| {
        let Some(response) = operation["responses"].get(status.to_string()) else {
            return false;
        };
        let response = resolve(response);
        match (has_body, content_type) {
            (true, Some(ct)) => response["content"].get(ct).is_some(),
            (true, None) => false,
            (false, _) => true,
        }
    };
    if candidates.iter().any(declares) {
        None
    } else {
        Some(format!(
            "the OpenAPI document does not declare {status} ({}) for {} {template}",
            content_type.unwrap_or("no body"),
            method.unwrap_or("any method")
        ))
    }
}

//! `AdminPath`: the path parameter of an admin route (`/orgs/{id}`, `/snapshots/{name}`,
//! `/faults/{id}`, `/ui/{asset}` ...), read as text. axum's own `Path` answers a segment that
//! does not decode to UTF-8 with a plain-text 400; here it is the admin API's `{"error"}` body,
//! a 404, because such a segment names nothing (spec README §3, encoding).

use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, OriginalUri, Path};
use axum::http::request::Parts;

use super::error::AdminError;

pub struct AdminPath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for AdminPath {
    type Rejection = AdminError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let rejection = match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(segment)) => return Ok(AdminPath(segment)),
            Err(rejection) => rejection,
        };
        // The admin router is nested under `/__admin`, so `parts.uri` lacks the prefix.
        let path = parts
            .extensions
            .get::<OriginalUri>()
            .map_or(parts.uri.path(), |original| original.path());
        let why = match rejection {
            PathRejection::FailedToDeserializePathParams(_) => {
                "a path segment that does not decode to UTF-8 names nothing".to_owned()
            }
            // Only a route without a parameter could miss it; every admin route using this
            // extractor has exactly one.
            other => other.body_text(),
        };
        Err(AdminError::not_found(format!(
            "no admin resource at {path}: {why}"
        )))
    }
}

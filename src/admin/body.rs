//! Admin request bodies: one JSON object up to 64 MiB, type errors reported with their JSON
//! path (a missing key as `$: missing field `user``).

use axum::extract::{FromRequest, Request};
use bytes::Bytes;
use serde::de::{DeserializeOwned, IgnoredAny};

use crate::app_state::AppState;
use crate::body::BufferedBody;
use crate::json_doc;

use super::error::AdminError;

/// Admin bodies may be large (a whole state document), up to 64 MiB.
pub const MAX_ADMIN_BODY_BYTES: usize = 64 * 1024 * 1024;

/// The raw body of an admin request.
pub struct AdminBody(pub Bytes);

impl FromRequest<AppState> for AdminBody {
    type Rejection = AdminError;

    async fn from_request(req: Request, app: &AppState) -> Result<Self, Self::Rejection> {
        let timeout = app.settings.body_timeout;
        let body = BufferedBody::read(req.into_body(), MAX_ADMIN_BODY_BYTES, timeout).await;
        if let Some(incomplete) = body.incomplete {
            return Err(AdminError {
                status: incomplete.status(),
                message: incomplete.message(),
            });
        }
        if body.too_large {
            return Err(AdminError::bad_request("the body is larger than 64 MiB"));
        }
        Ok(AdminBody(body.bytes))
    }
}

impl AdminBody {
    pub fn is_blank(&self) -> bool {
        self.0.iter().all(u8::is_ascii_whitespace)
    }

    /// Every admin body is a JSON object. serde would also read a struct from an array of its
    /// values in order (`["name"]`), which no admin endpoint means; that is refused here.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, AdminError> {
        if self.is_blank() {
            return Err(AdminError::bad_request("a JSON body is required"));
        }
        let first = self.0.iter().find(|b| !b.is_ascii_whitespace());
        if first != Some(&b'{') && json_doc::parse_json::<IgnoredAny>(&self.0).is_ok() {
            return Err(AdminError::bad_request("$: expected a JSON object"));
        }
        Ok(json_doc::parse_json(&self.0)?)
    }
}

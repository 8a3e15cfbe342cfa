//! The request body of an API call, read once before routing (up to 1 MiB) so that handlers,
//! faults and the journal all see the same bytes. A larger body is cut off and flagged; each
//! family answers its own documented error for it.

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use bytes::{Bytes, BytesMut};
use http_body::Body as _;
use http_body_util::BodyExt;

/// Request bodies over 1 MiB (1,048,576 bytes) are refused (spec README §3).
pub const MAX_API_BODY_BYTES: usize = 1024 * 1024;

#[derive(Clone, Debug, Default)]
pub struct BufferedBody {
    pub bytes: Bytes,
    /// The body was longer than the limit; `bytes` holds only its first part.
    pub too_large: bool,
}

impl BufferedBody {
    pub async fn read(body: Body, limit: usize) -> BufferedBody {
        let mut body = body;
        // Copied rather than kept as received: a received chunk may pin the connection's whole
        // read buffer, and the journal keeps bodies for a long time.
        let expected = usize::try_from(body.size_hint().lower()).unwrap_or(limit);
        let mut buffer = BytesMut::with_capacity(expected.min(limit));
        while let Some(frame) = body.frame().await {
            let Ok(frame) = frame else {
                break;
            };
            if let Ok(data) = frame.into_data() {
                if buffer.len() + data.len() > limit {
                    let room = limit - buffer.len();
                    buffer.extend_from_slice(&data[..room]);
                    return BufferedBody {
                        bytes: buffer.freeze(),
                        too_large: true,
                    };
                }
                buffer.extend_from_slice(&data);
            }
        }
        BufferedBody {
            bytes: buffer.freeze(),
            too_large: false,
        }
    }
}

impl<S: Send + Sync> FromRequest<S> for BufferedBody {
    type Rejection = std::convert::Infallible;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        if let Some(buffered) = req.extensions().get::<BufferedBody>() {
            return Ok(buffered.clone());
        }
        Ok(BufferedBody::read(req.into_body(), MAX_API_BODY_BYTES).await)
    }
}

/// The headers and the buffered body of a request, the headers moved out of the request rather
/// than cloned: for the hot write paths, which need both.
pub struct HeadersAndBody {
    pub headers: axum::http::HeaderMap,
    pub body: BufferedBody,
}

impl<S: Send + Sync> FromRequest<S> for HeadersAndBody {
    type Rejection = std::convert::Infallible;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let headers = std::mem::take(&mut parts.headers);
        let body = BufferedBody::from_request(Request::from_parts(parts, body), state).await?;
        Ok(HeadersAndBody { headers, body })
    }
}

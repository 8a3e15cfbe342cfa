//! The request body of an API call, read once before routing (up to 1 MiB) so that handlers,
//! faults and the journal all see the same bytes. A larger body is cut off and flagged; each
//! family answers its own documented error for it. A body that does not fully arrive (the
//! connection ends before its `Content-Length` or last chunk, RFC 9112 §6.3) or not within the
//! body timeout is flagged too: such a request is answered without being executed.

use std::future::Future as _;
use std::task::Poll;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
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
    /// The body did not fully arrive: the request is not to be executed.
    pub incomplete: Option<Incomplete>,
}

/// Why a request body is not all there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Incomplete {
    /// The connection ended (or broke) before the body's end: fewer bytes than its
    /// `Content-Length`, a chunked body without its last chunk.
    Broken,
    /// The body did not arrive within the body timeout (`--body-timeout-ms`).
    TimedOut(Duration),
}

impl Incomplete {
    /// What the client is told, when it still listens: 400 or 408 with `Connection: close`.
    /// No family documents an answer for a request that never arrived, so there is no family
    /// envelope; the admin API words it in its `{"error"}` body.
    pub fn status(self) -> StatusCode {
        match self {
            Incomplete::Broken => StatusCode::BAD_REQUEST,
            Incomplete::TimedOut(_) => StatusCode::REQUEST_TIMEOUT,
        }
    }

    pub fn message(self) -> String {
        match self {
            Incomplete::Broken => {
                "the request body ended before its Content-Length or last chunk; the request was not executed".into()
            }
            Incomplete::TimedOut(limit) => format!(
                "the request body did not arrive within the body timeout (--body-timeout-ms {}); the request was not executed",
                limit.as_millis()
            ),
        }
    }
}

impl IntoResponse for Incomplete {
    fn into_response(self) -> Response {
        let mut response = self.status().into_response();
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        response
    }
}

impl BufferedBody {
    /// Reads up to `limit` bytes of `body`, all of it arriving within `timeout` when given.
    pub async fn read(body: Body, limit: usize, timeout: Option<Duration>) -> BufferedBody {
        let Some(timeout) = timeout else {
            return Self::read_all(body, limit).await;
        };
        // A small body has usually arrived with the headers: one poll reads it, and the timer
        // (a timer entry and two clock reads per request) is only set up for a body still on
        // its way.
        let mut read = std::pin::pin!(Self::read_all(body, limit));
        if let Poll::Ready(buffered) =
            std::future::poll_fn(|cx| Poll::Ready(read.as_mut().poll(cx))).await
        {
            return buffered;
        }
        tokio::time::timeout(timeout, read)
            .await
            .unwrap_or_else(|_| BufferedBody {
                incomplete: Some(Incomplete::TimedOut(timeout)),
                ..BufferedBody::default()
            })
    }

    async fn read_all(body: Body, limit: usize) -> BufferedBody {
        let mut body = body;
        // Copied rather than kept as received: a received chunk may pin the connection's whole
        // read buffer, and the journal keeps bodies for a long time.
        let expected = usize::try_from(body.size_hint().lower()).unwrap_or(limit);
        let mut buffer = BytesMut::with_capacity(expected.min(limit));
        while let Some(frame) = body.frame().await {
            let Ok(frame) = frame else {
                return BufferedBody {
                    bytes: buffer.freeze(),
                    too_large: false,
                    incomplete: Some(Incomplete::Broken),
                };
            };
            if let Ok(data) = frame.into_data() {
                if buffer.len() + data.len() > limit {
                    let room = limit - buffer.len();
                    buffer.extend_from_slice(&data[..room]);
                    return BufferedBody {
                        bytes: buffer.freeze(),
                        too_large: true,
                        incomplete: None,
                    };
                }
                buffer.extend_from_slice(&data);
            }
        }
        BufferedBody {
            bytes: buffer.freeze(),
            too_large: false,
            incomplete: None,
        }
    }
}

impl<S: Send + Sync> FromRequest<S> for BufferedBody {
    type Rejection = std::convert::Infallible;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        if let Some(buffered) = req.extensions().get::<BufferedBody>() {
            return Ok(buffered.clone());
        }
        // The harness buffers every API body (with the body timeout) before routing; this is
        // only a fallback for a router without it.
        Ok(BufferedBody::read(req.into_body(), MAX_API_BODY_BYTES, None).await)
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

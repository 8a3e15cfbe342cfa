//! `POST /__admin/reset`, `GET` and `PUT /__admin/state`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::app_state::AppState;
use crate::response;
use crate::store::fixture::StateDoc;
use crate::store::world::World;

use super::body::AdminBody;
use super::error::AdminError;

pub async fn reset(State(app): State<AppState>) -> Response {
    app.reset();
    response::no_content()
}

pub async fn export_state(State(app): State<AppState>) -> Response {
    let now = app.clock.now();
    let doc = app.store.read(|world| world.to_doc(now));
    response::json(StatusCode::OK, &doc)
}

/// Replaces the whole state; an invalid document changes nothing.
pub async fn import_state(
    State(app): State<AppState>,
    body: AdminBody,
) -> Result<Response, AdminError> {
    let doc: StateDoc = body.parse()?;
    let world = World::from_doc(doc, app.clock.now())?;
    app.store.replace(world);
    Ok(response::no_content())
}

mod support;

use support::*;

#[tokio::test]
async fn sandbox_starts_and_rejects_an_expired_token() {
    let server = TestServer::start().await;
    let reply = server.get("/crm/v8/users?type=CurrentUser", EXPIRED_TOKEN).await;
    assert_golden(&reply, "common/invalid_token.json");
    let reply = server.get("/crm/v8/users?type=CurrentUser", ADMIN_TOKEN).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["users"][0]["email"], "patricia@zylker.com");
    let reply = server.call("HEAD", "/crm/v8/users", Some(ADMIN_TOKEN), None).await;
    assert_eq!(reply.status, 400);
    let reply = server.call("GET", "/crm/v9/users", Some(ADMIN_TOKEN), None).await;
    assert_eq!(reply.status, 404);
    let reply = server.call("POST", "/crm/v9/users", Some(ADMIN_TOKEN), None).await;
    assert_eq!(reply.status, 404, "{}", reply.text());
    let reply = server.call("POST", "/crm/v8/users", Some(ADMIN_TOKEN), None).await;
    assert_eq!(reply.status, 400, "{}", reply.text());
    let reply = server.call("GET", "/crm/v8/settings/foo/actions/share", Some(ADMIN_TOKEN), None).await;
    println!("{} {}", reply.status, reply.text());
    let reply = server.admin("GET", "/__admin/health", None).await;
    assert_eq!(reply.status, 200);
    let reply = server.admin("POST", "/__admin/health", None).await;
    println!("{} {:?} {}", reply.status, reply.headers.get("allow"), reply.text());
    let reply = server.admin("GET", "/__admin/nope", None).await;
    println!("{} {}", reply.status, reply.text());
    let reply = server.admin("GET", "/__admin/requests", None).await;
    println!("{} {}", reply.status, &reply.text()[..300.min(reply.text().len())]);
}

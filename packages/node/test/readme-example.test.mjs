import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startMock } from "zoho-sharing-mock";

let mock;
before(async () => {
  mock = await startMock(); // the embedded sandbox on a free port of 127.0.0.1
});
after(() => mock.stop());

test("share a lead with Amelia", async (t) => {
  const org = await mock.newOrg(); // a fresh copy of the sandbox org, its tokens under the same labels
  t.after(() => org.delete());
  const share = { type: "private", permission: "read_only", shared_with: { type: "users", id: "4150868000001199001" } };
  const answer = await fetch(`${mock.baseUrl}/crm/v8/Leads/4150868000001148212/actions/share`, {
    method: "PUT",
    headers: { Authorization: `Zoho-oauthtoken ${org.token("admin")}` },
    body: JSON.stringify({ share: [share] }),
  });
  assert.equal((await answer.json()).share[0].code, "SUCCESS");
  assert.equal(await mock.count({ method: "PUT", path: "/crm/*/Leads/*/actions/share", org: org.id }), 1);
});

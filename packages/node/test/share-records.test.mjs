// Zoho's official Node CRM SDK 8.0 (npm @zohocrm/nodejs-sdk-8.0, unmodified): record sharing,
// each test in its own copy of the sandbox org. Every org holds the same record ids, so a share
// leaking from one test's org into another's would show in the exact lists asserted here.
//
// SDK quirks met here: record ids are BigInt; its Users model has no `type`, which a v8
// `shared_with` target needs, so it is added as a key value (addKeyValue("type", "users")), as
// Zoho's own share samples do.

import assert from "node:assert/strict";
import { before, test } from "node:test";

import { ZOHOCRMSDK, errorOf, freshOrg, signIn, theMock, value } from "./support.mjs";

const { ShareRecordsOperations, ShareRecord, BodyWrapper, ActionWrapper, ResponseWrapper, DeleteActionWrapper } =
  ZOHOCRMSDK.ShareRecords;

const LEAD = 4150868000001148212n; // Kevin Patel, owned by Patricia (the admin token's user)
const PATRICIA = 4150868000001174048n;
const AMELIA = 4150868000001199001n;
const RYAN = 4150868000001199002n;
// The sandbox's active users besides Patricia: 13 of them.
const OTHER_USERS = Array.from({ length: 13 }, (_, n) => 4150868000001199001n + BigInt(n));
const SHARE_PATH = `/crm/v8/Leads/${LEAD}/actions/share`;

let mock;
before(async () => {
  mock = await theMock();
});

function shareItem(userId, permission, related = false) {
  const item = new ShareRecord();
  const target = new ZOHOCRMSDK.Users.Users();
  target.setId(userId);
  target.addKeyValue("type", "users");
  item.setSharedWith(target);
  item.setPermission(permission);
  item.setShareRelatedRecords(related);
  item.setType(new ZOHOCRMSDK.Choice("private"));
  return item;
}

function body(...items) {
  const wrapper = new BodyWrapper();
  wrapper.setShare(items);
  return wrapper;
}

function successes(response, status) {
  const answer = response.getObject();
  assert.ok(answer instanceof ActionWrapper, `${response.getStatusCode()} ${answer?.constructor?.name}`);
  assert.equal(response.getStatusCode(), status);
  return answer.getShare().map((item) => value(item.getCode()));
}

const ops = () => new ShareRecordsOperations(LEAD, "Leads");

/** [user id, permission, share_related_records] of the lead's shares, as the SDK reads them. */
async function sharesNow() {
  const response = await ops().getSharedRecordDetails();
  if (response.getStatusCode() === 204) return [];
  const answer = response.getObject();
  assert.ok(answer instanceof ResponseWrapper, answer?.constructor?.name);
  return answer.getShare().map((s) => [s.getSharedWith().getId(), value(s.getPermission()), s.getShareRelatedRecords()]);
}

test("share a record with two users and read them back", async (t) => {
  const org = await freshOrg(t, mock);
  await signIn(t, mock, org);
  // The clock is mock-wide and other files share this mock: no freezing here.
  const start = Math.floor(Date.now() / 1000) * 1000;
  const created = await ops().shareRecord(body(shareItem(AMELIA, "read_only"), shareItem(RYAN, "read_write", true)));
  assert.deepEqual(successes(created, 201), ["SUCCESS", "SUCCESS"]);

  const response = await ops().getSharedRecordDetails();
  assert.equal(response.getStatusCode(), 200);
  const shares = response.getObject().getShare();
  // Same time, so the record-only share comes first.
  assert.deepEqual(
    shares.map((s) => [s.getSharedWith().getId(), s.getSharedWith().getName(), value(s.getPermission()), s.getShareRelatedRecords()]),
    [
      [AMELIA, "Amelia Burrows", "read_only", false],
      [RYAN, "Ryan Cole", "read_write", true],
    ],
  );
  for (const s of shares) {
    assert.ok(s.getSharedTime() instanceof Date);
    assert.ok(s.getSharedTime().getTime() >= start && s.getSharedTime().getTime() <= Date.now());
    assert.equal(s.getSharedBy().getId(), PATRICIA);
  }
  assert.equal(await mock.count({ method: "POST", path: "/crm/*/Leads/*/actions/share", org: org.id }), 1);
});

test("an update that omits a user revokes that user", async (t) => {
  const org = await freshOrg(t, mock);
  await signIn(t, mock, org);
  successes(await ops().shareRecord(body(shareItem(AMELIA, "read_only"), shareItem(RYAN, "read_write"))), 201);

  const updated = await ops().updateSharePermissions(body(shareItem(RYAN, "read_only", true)));
  assert.deepEqual(successes(updated, 200), ["SUCCESS"]);
  assert.deepEqual(await sharesNow(), [[RYAN, "read_only", true]]);
  assert.equal(await mock.count({ method: "PUT", path: SHARE_PATH, org: org.id, status: 200 }), 1);
});

test("the 10-user limit", async (t) => {
  const org = await freshOrg(t, mock);
  await signIn(t, mock, org);
  const ten = OTHER_USERS.slice(0, 10);
  const shared = await ops().shareRecord(body(...ten.map((u) => shareItem(u, "read_only"))));
  assert.deepEqual(successes(shared, 201), Array(10).fill("SUCCESS"));

  // An eleventh user through POST's merge.
  const over = await ops().shareRecord(body(shareItem(OTHER_USERS[10], "read_only")));
  assert.deepEqual(errorOf(over), [403, "LIMIT_EXCEEDED", "The record sharing limit has been reached"]);
  // Eleven users in one PUT.
  const refused = await ops().updateSharePermissions(body(...OTHER_USERS.slice(0, 11).map((u) => shareItem(u, "read_only"))));
  assert.deepEqual(errorOf(refused), [403, "SHARE_LIMIT_EXCEEDED", "Cannot share a record to more than 10 users."]);

  const now = await sharesNow();
  assert.deepEqual(now.map(([u]) => u).sort(), [...ten].sort());
  assert.equal(await mock.count({ method: "PUT", path: SHARE_PATH, org: org.id, status: 403 }), 1);
});

test("revoke", async (t) => {
  const org = await freshOrg(t, mock);
  await signIn(t, mock, org);
  successes(await ops().shareRecord(body(shareItem(AMELIA, "full_access"))), 201);

  const revoked = await ops().revokeSharedRecord();
  assert.equal(revoked.getStatusCode(), 200);
  const answer = revoked.getObject();
  assert.ok(answer instanceof DeleteActionWrapper, answer?.constructor?.name);
  assert.equal(value(answer.getShare().getCode()), "SUCCESS");
  assert.deepEqual(await sharesNow(), []); // 204

  const again = await ops().revokeSharedRecord();
  assert.deepEqual(errorOf(again), [400, "BAD_REQUEST", "No sharing through this record is available to revoke."]);
  assert.equal(await mock.count({ method: "DELETE", path: SHARE_PATH, org: org.id }), 2);
});

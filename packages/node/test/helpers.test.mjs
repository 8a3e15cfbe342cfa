// The package's helpers against the real binary: lookup, start and stop, org handles and token
// labels, the journal, faults, the clock and snapshots. What is mock-wide (the clock, reset,
// whole-state snapshots) runs on a mock of the test's own; the rest in the test's own org of the
// shared mock.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { before, test } from "node:test";

import { BinaryNotFoundError, MockError, MockStartError, connect, findBinary, startMock } from "zoho-sharing-mock";

import { freshOrg, ownMock, theMock } from "./support.mjs";

const LEAD = "4150868000001148212";
const AMELIA = "4150868000001199001";
const SHARE = `/crm/v8/Leads/${LEAD}/actions/share`;
const READ_ONLY_AMELIA = {
  share: [{ type: "private", permission: "read_only", shared_with: { type: "users", id: AMELIA } }],
};

let mock;
before(async () => {
  mock = await theMock();
});

/** One CRM call with a Zoho token: [status, decoded body or null]. */
async function call(target, method, path, token, body) {
  const answer = await fetch(target.baseUrl + path, {
    method,
    headers: { authorization: `Zoho-oauthtoken ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const raw = await answer.text();
  return [answer.status, raw ? JSON.parse(raw) : null];
}

function scratch(t) {
  const dir = mkdtempSync(join(tmpdir(), "zoho-mock-test-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// ------------------------------------------------------------------ the binary and its process

test("the binary is the one in the installed package", () => {
  if (process.env.ZOHO_MOCK_BINARY) return; // an override replaces it on purpose
  const packageDir = dirname(createRequire(import.meta.url).resolve("zoho-sharing-mock"));
  assert.equal(findBinary(), join(packageDir, "bin", "zoho-sharing-mock"));
  assert.match(packageDir, /node_modules[/\\]zoho-sharing-mock$/);
});

test("a wrong override is named, with how to build a binary", async (t) => {
  const missing = join(scratch(t), "no-such-binary");
  await assert.rejects(startMock({ binary: missing }), (error) => {
    assert.ok(error instanceof BinaryNotFoundError);
    assert.match(error.message, new RegExp(`binary: ${missing} is not an executable file`));
    assert.match(error.message, /cargo install --locked/);
    assert.match(error.message, /ZOHO_MOCK_BINARY=/);
    return true;
  });
  const saved = process.env.ZOHO_MOCK_BINARY;
  process.env.ZOHO_MOCK_BINARY = missing;
  t.after(() => (saved === undefined ? delete process.env.ZOHO_MOCK_BINARY : (process.env.ZOHO_MOCK_BINARY = saved)));
  assert.throws(() => findBinary(), /ZOHO_MOCK_BINARY=.*no-such-binary is not an executable file/);
});

test("a startup failure carries the mock's message", async (t) => {
  const bad = join(scratch(t), "fixture.json");
  writeFileSync(bad, '{"orgs": [{"id": "acme", "users": "nobody"}]}');
  await assert.rejects(startMock({ fixtures: bad }), (error) => {
    assert.ok(error instanceof MockStartError);
    assert.match(error.message, /exited with 2 before listening/);
    assert.ok(error.message.includes(bad), error.message);
    assert.ok(error.message.includes("$.orgs[0].users"), error.message);
    return true;
  });
});

test("fixtures and args reach the binary", async (t) => {
  const fixture = join(scratch(t), "fixture.json");
  writeFileSync(fixture, '{"orgs": [{"id": "acme", "name": "Acme"}]}');
  const own = await startMock({ fixtures: fixture, args: ["--journal-size", "0"] });
  t.after(() => own.stop());
  assert.deepEqual((await own.orgs()).map((o) => o.id), ["acme"]);
  await assert.rejects(own.count(), (error) => {
    assert.ok(error instanceof MockError);
    assert.equal(error.status, 409);
    assert.deepEqual(error.body, { error: "the journal is off (--journal-size 0)" });
    return true;
  });
});

test("stop ends the process and keeps its log", async () => {
  const own = await startMock();
  assert.match(own.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal((await own.health()).status, "ok");
  assert.ok(Number.isInteger(own.pid));
  await call(own, "GET", "/crm/v8/org", "1000.sandbox.admin");
  await own.stop();
  await assert.rejects(fetch(`${own.baseUrl}/__admin/health`));
  await own.stop(); // twice is fine
  assert.match(own.log(), /\/crm\/v8\/org/);
});

test("connect drives a running mock and leaves it running", async () => {
  const other = connect(`${mock.baseUrl}/`);
  assert.equal(other.baseUrl, mock.baseUrl);
  assert.equal(other.pid, null);
  assert.ok((await other.orgs()).some((o) => o.id === "zylker"));
  await other.stop();
  assert.equal((await mock.health()).status, "ok");
});

test("sdkEnvironment", () => {
  assert.deepEqual(mock.sdkEnvironment(), {
    apiUrl: mock.baseUrl,
    accountsUrl: mock.baseUrl,
    tokenUrl: `${mock.baseUrl}/oauth/v2/token`,
  });
});

// ------------------------------------------------------------------ orgs and tokens

test("an org copy has fresh tokens under the sandbox labels", async (t) => {
  const org = await freshOrg(t, mock);
  const admin = org.token("admin");
  assert.ok(admin.startsWith("1000.") && admin !== "1000.sandbox.admin");
  assert.deepEqual(
    (await org.tokens()).map((token) => token.label),
    ["admin", "noshare", "standard", "expired", "patricia", "amelia", "ryan", "olivia", "sophia", "emma", "lucas"],
  );
  const [amelia] = await org.tokens({ label: "amelia" });
  assert.equal(amelia.user, AMELIA);
  assert.equal(amelia.access_token, org.token("amelia"));
  assert.throws(() => org.token("nobody"), /no token labelled "nobody"; labels: admin, amelia, /);
});

test("createToken, then find it by label", async (t) => {
  const org = await freshOrg(t, mock);
  const token = await org.createToken({ user: AMELIA, scopes: ["ZohoCRM.share.ALL"], expiresIn: 600, label: "amelia-share" });
  const [found] = await org.tokens({ label: "amelia-share" });
  assert.equal(found.access_token, token);
  assert.equal((await call(mock, "GET", SHARE, token))[0], 403); // Amelia does not own the lead
});

test("a deleted org is unknown", async () => {
  const org = await mock.newOrg();
  assert.ok((await mock.orgs()).some((o) => o.id === org.id));
  await org.delete();
  assert.ok(!(await mock.orgs()).some((o) => o.id === org.id));
  await assert.rejects(org.delete(), (error) => {
    assert.equal(error.status, 404);
    assert.deepEqual(error.body, { error: `no org with id "${org.id}"` });
    return true;
  });
});

// ------------------------------------------------------------------ journal

test("count and requests see one org only", async (t) => {
  const org = await freshOrg(t, mock);
  const other = await freshOrg(t, mock);
  const [status, answer] = await call(mock, "PUT", SHARE, org.token("admin"), READ_ONLY_AMELIA);
  assert.equal(status, 200);
  assert.equal(answer.share[0].code, "SUCCESS");
  const glob = "/crm/*/Leads/*/actions/share";

  assert.equal(await mock.count({ method: "PUT", path: glob, org: org.id }), 1);
  assert.equal(await mock.count({ method: "PUT", path: glob, org: other.id }), 0);
  assert.equal(await mock.count({ org: org.id, body: { share: [{ permission: "read_only" }] } }), 1);
  assert.equal(await mock.count({ org: org.id, body: { share: [{ permission: "full_access" }] } }), 0);
  assert.equal(await mock.count({ org: org.id, query: { type: "CurrentUser" } }), 0);

  const [entry, ...rest] = await mock.requests({ org: org.id });
  assert.deepEqual(rest, []);
  assert.deepEqual([entry.method, entry.path, entry.status], ["PUT", SHARE, 200]);
  assert.deepEqual(entry.request_body, READ_ONLY_AMELIA);
  assert.equal(entry.headers.authorization, "REDACTED");
  assert.deepEqual(await mock.requests({ org: other.id }), []);
});

// ------------------------------------------------------------------ faults

test("a fault fires its times in its org only", async (t) => {
  const org = await freshOrg(t, mock);
  const other = await freshOrg(t, mock);
  const id = await mock.fault({ path: "/crm/*/users", status: 500, times: 1, org: org.id });
  t.after(async () => {
    if ((await mock.faults()).some((f) => f.id === id)) await mock.removeFault(id);
  });
  const listed = (await mock.faults()).find((f) => f.id === id);
  assert.deepEqual([listed.remaining, listed.org], [1, org.id]);

  assert.equal((await call(mock, "GET", "/crm/v8/users", other.token("admin")))[0], 200);
  assert.deepEqual(await call(mock, "GET", "/crm/v8/users", org.token("admin")), [
    500,
    { code: "INTERNAL_ERROR", details: {}, message: "Internal Server Error", status: "error" },
  ]);
  assert.equal((await call(mock, "GET", "/crm/v8/users", org.token("admin")))[0], 200);
  assert.equal(await mock.count({ org: org.id, path: "/crm/*/users", status: 500 }), 1);
});

test("removeFault without an id removes them all", async (t) => {
  const own = await ownMock(t);
  await own.fault({ path: "/crm/*/users", status: 503 });
  await own.fault({ path: "/crm/*/org", delayMs: 1 });
  assert.equal((await own.faults()).length, 2);
  await own.removeFault();
  assert.deepEqual(await own.faults(), []);
});

// ------------------------------------------------------------------ clock

test("the clock freezes, advances and releases", async (t) => {
  const own = await ownMock(t);
  assert.deepEqual(await own.clock.freeze("2026-11-21T09:30:00+00:00"), { frozen: true, now: "2026-11-21T09:30:00+00:00" });
  assert.equal((await call(own, "POST", SHARE, "1000.sandbox.admin", READ_ONLY_AMELIA))[0], 201);
  assert.equal((await own.clock.advance(60)).now, "2026-11-21T09:31:00+00:00");
  const [, shares] = await call(own, "GET", SHARE, "1000.sandbox.admin");
  assert.equal(shares.share[0].shared_time, "2026-11-21T09:30:00+00:00");
  assert.equal((await own.clock.freeze(new Date("2027-01-02T03:04:05Z"))).now, "2027-01-02T03:04:05+00:00");
  assert.deepEqual(await own.clock.get(), { frozen: true, now: "2027-01-02T03:04:05+00:00" });
  assert.equal((await own.clock.release()).frozen, false);
});

// ------------------------------------------------------------------ snapshots

test("an org snapshot restores that org", async (t) => {
  const org = await freshOrg(t, mock);
  const name = `seeded-${org.id}-${process.pid}`;
  const saved = await mock.snapshot(name, { org: org.id });
  t.after(() => mock.deleteSnapshot(name).catch(() => {}));
  assert.deepEqual([saved.name, saved.org], [name, org.id]);
  assert.ok((await mock.snapshots()).some((s) => s.name === name));
  const token = org.token("admin");
  assert.equal((await call(mock, "POST", SHARE, token, READ_ONLY_AMELIA))[0], 201);
  assert.equal((await call(mock, "GET", SHARE, token))[0], 200);

  await mock.restore(name);
  assert.deepEqual(await call(mock, "GET", SHARE, token), [204, null]);
  await mock.deleteSnapshot(name);
  await assert.rejects(mock.restore(name), (error) => error.status === 404);
});

test("a whole-state snapshot survives reset", async (t) => {
  const own = await ownMock(t);
  const org = await own.newOrg();
  assert.equal((await own.snapshot("everything")).org, null);
  await own.reset();
  assert.deepEqual((await own.orgs()).map((o) => o.id), ["zylker"]);
  await own.restore("everything");
  assert.deepEqual((await own.orgs()).map((o) => o.id), ["zylker", org.id]);
  await own.putState({ orgs: [{ id: "solo" }] });
  assert.equal((await own.state()).orgs[0].id, "solo");
});

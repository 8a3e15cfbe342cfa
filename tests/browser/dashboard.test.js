// The dashboard (DESIGN §10) in a real browser: Debian's chromium, driven by playwright-core,
// against the binary that .ci/browser.sh started. Each test starts from POST /__admin/reset,
// acts through the page or as a Zoho client would, and checks both what the page shows and
// what the admin API then answers. Every test fails on a console error or warning.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  ADMIN_SECRET,
  BASE,
  NARROW,
  SANDBOX_ADMIN,
  TOKEN_BASE,
  WIDE,
  http,
  launch,
  open,
  reset,
  screenshotPath,
  shareTargetName,
  until,
} from "./support.js";

const VIEWS = ["org", "records", "rules", "analytics", "journal", "faults", "clock", "snapshots"];
const LEAD = "4150868000001148212"; // Patricia's lead (README sandbox tables)
const DEAL = "4150868000001148250"; // Patricia's deal, shared with Ryan and with group Sales
const AMELIA = "4150868000001199001";
const RYAN = "4150868000001199002";
const SOPHIA = "4150868000001199005";
const SHARE_PATH = `/crm/v8/Leads/${LEAD}/actions/share`;
const SHARE_WITH_AMELIA = {
  share: [{ type: "private", permission: "read_only", shared_with: { type: "users", id: AMELIA } }],
};
const TEST_TIMEOUT = { timeout: 90_000 };

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

async function show(page, view) {
  await page.locator(`nav.views a[data-view="${view}"]`).click();
  await page.locator(`#view-${view}`).waitFor({ state: "visible" });
}

function assertClean(session, label = "") {
  const problems = session.problems();
  assert.deepEqual(problems, [], `console errors or warnings${label ? ` (${label})` : ""}`);
}

async function shareLeadWithAmelia() {
  const reply = await http(BASE, "POST", SHARE_PATH, { zoho: SANDBOX_ADMIN, body: SHARE_WITH_AMELIA });
  assert.equal(reply.status, 201, reply.text);
  return reply;
}

test("the page loads, every view renders, and the console stays clean", TEST_TIMEOUT, async () => {
  await reset();
  const session = await open(browser, BASE);
  const { page } = session;
  await page.locator("#org-content", { hasText: "Patricia Boyle" }).waitFor();
  assert.equal(await page.title(), "zoho-sharing-mock dashboard");
  for (const view of VIEWS) {
    await show(page, view);
    assert.equal(await page.locator(`nav.views a[aria-current="page"]`).getAttribute("data-view"), view);
    for (const other of VIEWS.filter((v) => v !== view)) {
      assert.equal(await page.locator(`#view-${other}`).isHidden(), true, `${other} hidden on ${view}`);
    }
  }
  await page.locator("#snapshots-unavailable:not([hidden]), #snapshots-content:not(:empty)").first().waitFor();
  // Two live refreshes on the last view, then nothing may have been logged.
  await page.waitForTimeout(3500);
  assertClean(session);
  // The favicon the page names is served (a missing one would be a console error).
  const favicon = session.requests.find((r) => new URL(r.url()).pathname === "/__admin/ui/favicon.svg");
  assert.ok(favicon, "the page loads its favicon");
  assert.equal((await favicon.response()).status(), 200);
  await session.context.close();
});

test("the sandbox's records and every share are shown", TEST_TIMEOUT, async () => {
  await reset();
  const state = (await http(BASE, "GET", "/__admin/state")).json;
  const zylker = state.orgs.find((o) => o.id === "zylker");
  assert.ok(zylker.shares.length > 0, "the sandbox has shares");
  const session = await open(browser, BASE, { urlPath: "/__admin/ui#records" });
  const { page } = session;
  await page.locator(`#records-content tr[data-record="${LEAD}"]`).waitFor();
  assert.equal(await page.locator("#records-content tbody tr").count(), zylker.records.length);
  for (const record of zylker.records) {
    const row = page.locator(`#records-content tr[data-record="${record.id}"]`);
    const text = await row.innerText();
    assert.ok(text.includes(record.module), `${record.id}: module`);
    const owner = zylker.users.find((u) => u.id === record.owner).full_name;
    assert.ok(text.includes(owner), `${record.id}: owner ${owner}`);
    const shares = zylker.shares.filter((s) => s.record === record.id);
    assert.equal(await row.locator("ul.shares li").count(), shares.length, `${record.id}: shares`);
    for (const share of shares) {
      const target = shareTargetName(zylker, share);
      assert.ok(
        await row.locator("ul.shares li", { hasText: target }).filter({ hasText: share.permission }).count(),
        `${record.id}: share to ${target} (${share.permission}) in ${text}`,
      );
    }
    if (shares.length === 0) assert.ok(text.includes("not shared"), `${record.id}: not shared`);
  }

  // A share made through the API shows up on the next live refresh, without a reload.
  await shareLeadWithAmelia();
  await page
    .locator(`#records-content tr[data-record="${LEAD}"] ul.shares li`, { hasText: "Amelia Burrows (user)" })
    .waitFor();

  // The filter narrows the list.
  await page.locator("#records-module").selectOption("Deals");
  await until("only deals", async () => {
    const modules = await page.locator("#records-content tbody tr td:first-child").allInnerTexts();
    return modules.length > 0 && modules.every((m) => m === "Deals");
  });
  await page.locator("#records-module").selectOption("");
  assertClean(session);
  await session.context.close();
});

test("for a chosen user and record the page explains the access and every grant behind it", TEST_TIMEOUT, async () => {
  await reset();
  const session = await open(browser, BASE, { urlPath: "/__admin/ui#records" });
  const { page } = session;
  await page.locator(`#records-content tr[data-record="${DEAL}"]`).waitFor();
  // The row's button picks the record and moves to the user.
  await page.locator(`#records-content tr[data-record="${DEAL}"] button`).click();
  assert.equal(await page.locator("#explain-record").inputValue(), DEAL);
  assert.equal(await page.evaluate(() => document.activeElement.id), "explain-user");
  await page.locator("#explain-user").selectOption(RYAN);
  await page.getByRole("button", { name: "Explain access", exact: true }).click();
  const result = page.locator("#explain-result");
  // spec/crm-records-and-access.md §15 (f): two shares reach Ryan; the higher wins.
  await result.locator(".verdict").waitFor();
  assert.match(await result.locator(".verdict").innerText(), /Ryan Cole on Deals 4150868000001148250: full/);
  const grants = await result.locator("tbody tr").allInnerTexts();
  assert.equal(grants.length, 2);
  assert.match(grants[0], /\(share\)/);
  assert.match(grants[1], /\(group_share\)/);
  // §15 (f): the rule gives Sophia full access on the lead; her Read Only profile caps it.
  await page.locator("#explain-user").selectOption(SOPHIA);
  await page.locator("#explain-record").selectOption(LEAD);
  await page.getByRole("button", { name: "Explain access", exact: true }).click();
  await result.locator(".verdict", { hasText: "Sophia Hayes" }).waitFor();
  assert.match(await result.locator(".verdict").innerText(), /: read \(capped by the Read Only profile from full\)/);
  assertClean(session);
  await session.context.close();
});

test("a share made through the API appears in the journal, live, with its bodies", TEST_TIMEOUT, async () => {
  await reset();
  const session = await open(browser, BASE, { urlPath: "/__admin/ui#journal" });
  const { page } = session;
  await page.locator("#journal-count", { hasText: "No request recorded" }).waitFor();

  const shared = await shareLeadWithAmelia();
  const entry = page.locator("#journal-list li", { hasText: SHARE_PATH }).filter({ hasText: "POST" });
  await entry.waitFor();
  assert.ok((await entry.locator("summary").innerText()).includes(String(shared.status)));
  assert.ok((await entry.locator("summary").innerText()).includes("org zylker"));
  // Bodies are folded until asked for.
  assert.equal(await entry.locator(".j-request").isVisible(), false);
  await entry.locator("summary").click();
  const requestBody = await entry.locator(".j-request").innerText();
  assert.ok(requestBody.includes(AMELIA) && requestBody.includes('"read_only"'), requestBody);
  assert.ok((await entry.locator(".j-response").innerText()).includes('"SUCCESS"'));

  // Newest first: a later read sits above the share, and the open entry stays open.
  const read = await http(BASE, "GET", SHARE_PATH, { zoho: SANDBOX_ADMIN });
  assert.equal(read.status, 200);
  await until("two entries", async () => (await page.locator("#journal-list li").count()) === 2);
  assert.match(await page.locator("#journal-list li").first().innerText(), /GET/);
  assert.equal(await entry.locator(".j-request").isVisible(), true);

  // Filters go to the admin API: method, then status, then path prefix, then org.
  await page.locator("#journal-method").selectOption("GET");
  await until("GET only", async () => (await page.locator("#journal-list li").count()) === 1);
  assert.match(await page.locator("#journal-list li").first().innerText(), /GET/);
  await page.locator("#journal-method").selectOption("");
  await until("both again", async () => (await page.locator("#journal-list li").count()) === 2);
  await page.locator("#journal-status").fill(String(shared.status));
  await until("status filter", async () => (await page.locator("#journal-list li").count()) === 1);
  assert.match(await page.locator("#journal-list li").first().innerText(), /POST/);
  await page.locator("#journal-status").fill("");
  await page.locator("#journal-path").fill("/crm/v8/Contacts");
  await until("path filter empties the list", async () => (await page.locator("#journal-list li").count()) === 0);
  await page.locator("#journal-path").fill("/crm/v8/Leads");
  await until("path filter", async () => (await page.locator("#journal-list li").count()) === 2);
  await page.locator("#journal-org").selectOption("zylker");
  await until("org filter", async () => (await page.locator("#journal-list li").count()) === 2);

  // Paused, the journal stands still; resumed, it catches up. (A refresh already under way
  // when the button is pressed may still land: let it.)
  await page.locator("#live-toggle").click();
  assert.equal(await page.locator("#live-toggle").getAttribute("aria-pressed"), "false");
  await page.waitForTimeout(800);
  await http(BASE, "GET", SHARE_PATH, { zoho: SANDBOX_ADMIN });
  await page.waitForTimeout(2500);
  assert.equal(await page.locator("#journal-list li").count(), 2);
  await page.locator("#live-toggle").click();
  await until("resumed", async () => (await page.locator("#journal-list li").count()) === 3);
  assertClean(session);
  await session.context.close();
});

test("a fault added from the page makes the next API call fail with it; removing one works", TEST_TIMEOUT, async () => {
  await reset();
  const session = await open(browser, BASE, { urlPath: "/__admin/ui#faults" });
  const { page } = session;
  await page.locator("#faults-content", { hasText: "No fault" }).waitFor();
  await page.locator("#fault-method").selectOption("GET");
  await page.locator("#fault-path").fill("/crm/*/users");
  await page.locator("#fault-status").fill("503");
  await page.locator("#fault-code").fill("INTERNAL_ERROR");
  await page.locator("#fault-times").fill("1");
  await page.getByRole("button", { name: "Add fault" }).click();
  await page.locator("#status", { hasText: "added" }).waitFor();
  const row = page.locator("#faults-content tbody tr", { hasText: "/crm/*/users" });
  await row.waitFor();
  assert.match(await row.innerText(), /503/);

  const listed = (await http(BASE, "GET", "/__admin/faults")).json.faults;
  assert.equal(listed.length, 1);
  assert.deepEqual(
    { method: listed[0].method, path: listed[0].path, status: listed[0].status, code: listed[0].code, times: listed[0].times },
    { method: "GET", path: "/crm/*/users", status: 503, code: "INTERNAL_ERROR", times: 1 },
  );

  const failed = await http(BASE, "GET", "/crm/v8/users?type=CurrentUser", { zoho: SANDBOX_ADMIN });
  assert.equal(failed.status, 503, failed.text);
  assert.equal(failed.json.code, "INTERNAL_ERROR");
  const next = await http(BASE, "GET", "/crm/v8/users?type=CurrentUser", { zoho: SANDBOX_ADMIN });
  assert.equal(next.status, 200, "times: 1 fires once");

  // A second fault, removed from the page before it fires.
  await page.locator("#fault-method").selectOption("POST");
  await page.locator("#fault-path").fill("/crm/*/Leads/*/actions/share");
  await page.locator("#fault-status").fill("429");
  await page.locator("#fault-code").fill("");
  await page.locator("#fault-times").fill("");
  await page.getByRole("button", { name: "Add fault" }).click();
  const second = page.locator("#faults-content tbody tr", { hasText: "/crm/*/Leads/*/actions/share" });
  await second.waitFor();
  assert.match(await second.innerText(), /until removed/);
  await second.getByRole("button", { name: /Remove fault/ }).click();
  await second.waitFor({ state: "detached" });
  const remaining = (await http(BASE, "GET", "/__admin/faults")).json.faults;
  assert.ok(remaining.every((f) => f.path !== "/crm/*/Leads/*/actions/share"), JSON.stringify(remaining));
  await shareLeadWithAmelia();
  assertClean(session);
  await session.context.close();
});

test("freezing, advancing and releasing the clock from the page changes GET /__admin/clock", TEST_TIMEOUT, async () => {
  await reset();
  const session = await open(browser, BASE, { urlPath: "/__admin/ui#clock" });
  const { page } = session;
  await page.locator("#clock-now", { hasText: "real time" }).waitFor();
  await page.locator("#clock-at").fill("2026-11-21T09:30:00+00:00");
  await page.getByRole("button", { name: "Freeze the clock" }).click();
  await until("frozen", async () => (await http(BASE, "GET", "/__admin/clock")).json.frozen);
  assert.deepEqual((await http(BASE, "GET", "/__admin/clock")).json, { now: "2026-11-21T09:30:00+00:00", frozen: true });
  await page.locator("#clock-badge", { hasText: "2026-11-21T09:30:00+00:00 (frozen)" }).waitFor();

  await page.locator("#clock-seconds").fill("90");
  await page.getByRole("button", { name: "Advance the clock" }).click();
  await until("advanced", async () => (await http(BASE, "GET", "/__admin/clock")).json.now === "2026-11-21T09:31:30+00:00");
  await page.locator("#clock-now", { hasText: "2026-11-21T09:31:30+00:00" }).waitFor();
  // A share made now carries the frozen time.
  await shareLeadWithAmelia();
  const shares = (await http(BASE, "GET", SHARE_PATH, { zoho: SANDBOX_ADMIN })).json.share;
  assert.ok(JSON.stringify(shares).includes("2026-11-21T09:31:30"), JSON.stringify(shares));

  await page.getByRole("button", { name: "Release the clock" }).click();
  await until("released", async () => (await http(BASE, "GET", "/__admin/clock")).json.frozen === false);
  await page.locator("#clock-badge", { hasText: "real time" }).waitFor();
  assertClean(session);
  await session.context.close();
});

test("saving and restoring a snapshot from the page undoes a change", TEST_TIMEOUT, async () => {
  const probe = await http(BASE, "GET", "/__admin/snapshots");
  assert.equal(probe.status, 200);
  await reset();
  for (const s of probe.json.snapshots || []) await http(BASE, "DELETE", `/__admin/snapshots/${encodeURIComponent(s.name)}`);
  const before = (await http(BASE, "GET", "/__admin/state")).json;
  const session = await open(browser, BASE, { urlPath: "/__admin/ui#snapshots" });
  const { page } = session;
  await page.locator("#snapshots-content", { hasText: "No snapshot saved" }).waitFor();
  assert.equal(await page.locator("#snapshots-unavailable").isHidden(), true);
  await page.locator("#snapshot-name").fill("before-share");
  await page.getByRole("button", { name: "Save snapshot" }).click();
  const row = page.locator('#snapshots-content tr[data-snapshot="before-share"]');
  await row.waitFor();
  assert.match(await row.innerText(), /the whole state/);
  const listed = (await http(BASE, "GET", "/__admin/snapshots")).json.snapshots;
  assert.deepEqual(listed.map((s) => [s.name, s.org]), [["before-share", null]]);

  // The change: a share, visible on the records view.
  await shareLeadWithAmelia();
  await show(page, "records");
  const leadShares = page.locator(`#records-content tr[data-record="${LEAD}"] ul.shares li`, { hasText: "Amelia Burrows (user)" });
  await leadShares.waitFor();

  await show(page, "snapshots");
  await row.getByRole("button", { name: "Restore snapshot before-share" }).click();
  await page.locator("#status", { hasText: "restored" }).waitFor();
  const restored = (await http(BASE, "GET", "/__admin/state")).json;
  assert.deepEqual(restored, before, "the state is the one saved");
  await show(page, "records");
  await leadShares.waitFor({ state: "detached" });

  // An org snapshot, then delete both from the page.
  await show(page, "snapshots");
  await page.locator("#snapshot-name").fill("zylker-only");
  await page.locator("#snapshot-org").selectOption("zylker");
  await page.getByRole("button", { name: "Save snapshot" }).click();
  const orgRow = page.locator('#snapshots-content tr[data-snapshot="zylker-only"]');
  await orgRow.waitFor();
  assert.match(await orgRow.innerText(), /org zylker/);
  for (const name of ["before-share", "zylker-only"]) {
    await page.getByRole("button", { name: `Delete snapshot ${name}` }).click();
    await page.locator(`#snapshots-content tr[data-snapshot="${name}"]`).waitFor({ state: "detached" });
  }
  assert.deepEqual((await http(BASE, "GET", "/__admin/snapshots")).json.snapshots, []);
  assertClean(session);
  await session.context.close();
});

test("reset from the page goes back to the sandbox", TEST_TIMEOUT, async () => {
  await reset();
  await shareLeadWithAmelia();
  await http(BASE, "POST", "/__admin/faults", { body: { method: "GET", path: "/crm/*/org", status: 500 } });
  const session = await open(browser, BASE, { urlPath: "/__admin/ui#faults" });
  const { page } = session;
  await page.locator("#faults-content tbody tr", { hasText: "/crm/*/org" }).waitFor();
  await page.getByRole("button", { name: "Reset…" }).click();
  assert.equal(await page.evaluate(() => document.activeElement.id), "reset-now");
  await page.getByRole("button", { name: "Reset now" }).click();
  await page.locator("#faults-content", { hasText: "No fault" }).waitFor();
  assert.deepEqual((await http(BASE, "GET", "/__admin/faults")).json.faults, []);
  assert.deepEqual((await http(BASE, "GET", "/__admin/requests")).json.requests, []);
  const lead = (await http(BASE, "GET", "/__admin/state")).json.orgs[0].shares.filter((s) => s.record === LEAD);
  assert.deepEqual(lead, []);
  assertClean(session);
  await session.context.close();
});

test("with --admin-token the page asks for the token once, then works with it", TEST_TIMEOUT, async () => {
  await reset(TOKEN_BASE, ADMIN_SECRET);
  const session = await open(browser, TOKEN_BASE);
  const { page } = session;
  await page.locator("#token-view").waitFor({ state: "visible" });
  assert.equal(await page.evaluate(() => document.activeElement.id), "token-input");
  const adminCalls = () => session.requests.filter((r) => /\/__admin\/(?!ui)/.test(new URL(r.url()).pathname));
  assert.deepEqual(adminCalls().map((r) => r.url()), [], "no admin call before the token is known");

  // A wrong token: 401, asked again.
  await page.locator("#token-input").fill("not-the-token");
  await page.getByRole("button", { name: "Use this token" }).click();
  await page.locator("#token-note", { hasText: "refused" }).waitFor();
  assert.equal(await page.locator("#token-view").isVisible(), true);
  const refused = session.problems();
  assert.ok(refused.length >= 1, "the browser logs the 401");
  assert.ok(refused.every((m) => /status of 401/.test(m.text)), JSON.stringify(refused));
  const seen = session.messages.length;

  await page.locator("#token-input").fill(ADMIN_SECRET);
  await page.getByRole("button", { name: "Use this token" }).click();
  await page.locator("#org-content", { hasText: "Patricia Boyle" }).waitFor();
  assert.equal(await page.locator("#token-view").isHidden(), true);

  // Every admin call after that carries the bearer token, and the page can act with it.
  await show(page, "faults");
  await page.locator("#fault-path").fill("/crm/*/org");
  await page.locator("#fault-status").fill("500");
  await page.getByRole("button", { name: "Add fault" }).click();
  await page.locator("#faults-content tbody tr", { hasText: "/crm/*/org" }).waitFor();
  const faults = await http(TOKEN_BASE, "GET", "/__admin/faults", { bearer: ADMIN_SECRET });
  assert.equal(faults.json.faults.length, 1);
  assert.equal((await http(TOKEN_BASE, "GET", "/__admin/faults")).status, 401, "the API itself still wants the token");
  const calls = adminCalls();
  const withGoodToken = calls.filter((r) => r.headers().authorization === `Bearer ${ADMIN_SECRET}`);
  const withWrongToken = calls.filter((r) => r.headers().authorization === "Bearer not-the-token");
  assert.ok(withGoodToken.length >= 3, `calls with the token: ${withGoodToken.length}`);
  assert.equal(withGoodToken.length + withWrongToken.length, calls.length, "every admin call sends a bearer token");

  // Asked once: a reload in the same tab keeps it (sessionStorage), on the view it showed.
  await page.reload();
  await page.locator("#faults-content tbody tr", { hasText: "/crm/*/org" }).waitFor();
  assert.equal(await page.locator("#token-view").isHidden(), true);
  await page.waitForTimeout(2000);
  assert.deepEqual(session.problems(seen), [], "no console problem once the token is right");
  await reset(TOKEN_BASE, ADMIN_SECRET);
  await session.context.close();
});

test("keyboard: every control is labelled, reachable with Tab, and shows its focus", TEST_TIMEOUT, async () => {
  await reset();
  const session = await open(browser, BASE);
  const { page } = session;
  await page.locator("#org-content", { hasText: "Patricia Boyle" }).waitFor();
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("input:not([type=hidden]):not([hidden]), select, textarea")]
      .filter((el) => el.labels.length === 0 && !el.getAttribute("aria-label"))
      .map((el) => el.id || el.outerHTML),
  );
  assert.deepEqual(unlabelled, []);
  const nameless = await page.evaluate(() =>
    [...document.querySelectorAll("button")].filter((b) => !(b.getAttribute("aria-label") || b.textContent.trim())).length,
  );
  assert.equal(nameless, 0);

  // Tab from the top to the Faults link, open it with Enter, and type a path.
  let reached = false;
  for (let i = 0; i < 20 && !reached; i += 1) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.dataset?.view === "faults");
  }
  assert.ok(reached, "the Faults link is reachable with Tab");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, "none", "focus is visible");
  await page.keyboard.press("Enter");
  await page.locator("#view-faults").waitFor({ state: "visible" });
  await page.locator("#fault-path").focus();
  await page.keyboard.type("/crm/*/org");
  assert.equal(await page.locator("#fault-path").inputValue(), "/crm/*/org");
  assertClean(session);
  await session.context.close();
});

test("a narrow window: no sideways scrolling of the page, every view reachable", TEST_TIMEOUT, async () => {
  await reset();
  const session = await open(browser, BASE, { viewport: NARROW, urlPath: "/__admin/ui#records" });
  const { page } = session;
  await page.locator(`#records-content tr[data-record="${LEAD}"]`).waitFor();
  for (const view of VIEWS) {
    const link = page.locator(`nav.views a[data-view="${view}"]`);
    const box = await link.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= NARROW.width, `${view} link inside the window`);
  }
  for (const view of VIEWS) {
    await show(page, view);
    const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(scroll <= width, `${view}: page ${scroll}px wide in a ${width}px window`);
  }
  assertClean(session);
  await session.context.close();
});

test("screenshots of every view (1280x800) and a narrow one", TEST_TIMEOUT, async () => {
  await reset();
  // Something to look at: a share and a read in the journal, a fault.
  await shareLeadWithAmelia();
  await http(BASE, "GET", SHARE_PATH, { zoho: SANDBOX_ADMIN });
  await http(BASE, "GET", "/crm/v8/users?type=CurrentUser", { zoho: SANDBOX_ADMIN });
  await http(BASE, "POST", "/__admin/faults", {
    body: { method: "PUT", path: "/crm/*/Leads/*/actions/share", status: 500, times: 2 },
  });
  const session = await open(browser, BASE, { viewport: WIDE });
  const { page } = session;
  await page.locator("#org-content", { hasText: "Patricia Boyle" }).waitFor();
  for (const [index, view] of VIEWS.entries()) {
    await show(page, view);
    if (view === "records") {
      await page.locator(`#records-content tr[data-record="${DEAL}"]`).waitFor();
      await page.locator("#explain-user").selectOption(RYAN);
      await page.locator("#explain-record").selectOption(DEAL);
      await page.getByRole("button", { name: "Explain access", exact: true }).click();
      await page.locator("#explain-result table").waitFor();
    }
    if (view === "journal") {
      const entry = page.locator("#journal-list li", { hasText: "POST" });
      await entry.waitFor();
      await entry.locator("summary").click();
    }
    if (view === "faults") await page.locator("#faults-content tbody tr").waitFor();
    if (view === "analytics") await page.locator("#analytics-content .workspace").first().waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshotPath(`${index + 1}-${view}-1280x800`) });
  }
  await page.setViewportSize(NARROW);
  await show(page, "records");
  await page.locator("#explain-result table").waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: screenshotPath("9-records-narrow-390x844") });
  assertClean(session);
  await session.context.close();
});

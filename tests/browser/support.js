// Shared by the dashboard's browser tests: the servers `.ci/browser.sh` started, plain HTTP calls
// to them (as a Zoho client or an admin script would make), Debian's chromium driven by
// playwright-core, and the console watch that fails a test on any error or warning.

import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the browser tests with .ci/browser.sh, which starts the mock`);
  }
  return value;
}

/** The mock started without an admin token. */
export const BASE = required("ZOHO_MOCK_URL");
/** The mock started with `--admin-token`, and that token. */
export const TOKEN_BASE = required("ZOHO_MOCK_TOKEN_URL");
export const ADMIN_SECRET = required("ZOHO_MOCK_ADMIN_SECRET");
export const SCREENSHOTS = process.env.SCREENSHOT_DIR || path.resolve("../../target/dashboard-screenshots");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

export const SANDBOX_ADMIN = "1000.sandbox.admin";
export const WIDE = { width: 1280, height: 800 };
export const NARROW = { width: 390, height: 844 };

/** One HTTP call. `zoho`: a Zoho access token; `bearer`: the admin token. */
export async function http(base, method, urlPath, { body, zoho, bearer } = {}) {
  const headers = {};
  if (zoho) headers.Authorization = `Zoho-oauthtoken ${zoho}`;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  const init = { method, headers };
  if (body !== undefined) {
    // fetch types a string body text/plain, which the admin API refuses (it is what a web page
    // could send without a preflight).
    headers["Content-Type"] = "application/json";
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  const response = await fetch(base + urlPath, init);
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, json, text };
}

export async function reset(base = BASE, bearer) {
  const reply = await http(base, "POST", "/__admin/reset", { bearer });
  if (reply.status !== 204) throw new Error(`POST /__admin/reset answered ${reply.status}: ${reply.text}`);
}

/** Poll `check` (sync or async) until it returns a truthy value. */
export async function until(what, check, timeoutMs = 8000) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function launch() {
  // launch() gives every run a fresh, temporary user-data dir.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A fresh context and page on `base` + `urlPath`, with every console message, page error and
 * request recorded. `problems(from)` lists the console errors and warnings (from the `from`th
 * message on); a failed load is one too, as every admin endpoint the page reads exists.
 */
export async function open(browser, base, { viewport = WIDE, urlPath = "/__admin/ui" } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const messages = [];
  const requests = [];
  page.on("console", (message) => {
    messages.push({ type: message.type(), text: message.text(), url: message.location().url || "" });
  });
  page.on("pageerror", (error) => messages.push({ type: "error", text: `uncaught: ${error.message}`, url: "" }));
  page.on("request", (request) => requests.push(request));
  await page.goto(base + urlPath);
  const problems = (from = 0) =>
    messages.slice(from).filter((m) => m.type === "error" || m.type === "warning");
  return { context, page, messages, requests, problems };
}

export function screenshotPath(name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, `${name}.png`);
}

/** The names the page shows for a share's target, from the state document. */
export function shareTargetName(orgDoc, share) {
  const target = share.shared_with;
  if (share.type === "public" || !target) return "everyone (public)";
  const find = (list) => (orgDoc[list] || []).find((item) => item.id === target.id);
  if (target.type === "users") return `${find("users").full_name} (user)`;
  if (target.type === "groups") return `${find("groups").name} (group)`;
  if (target.type === "roles") return `${find("roles").name} (role)`;
  throw new Error(`unknown share target ${JSON.stringify(target)}`);
}

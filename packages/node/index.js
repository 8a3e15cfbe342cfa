// zoho-sharing-mock for Node: start the mock binary the package carries and drive its admin API.
// No dependencies: child_process for the binary, the global fetch for HTTP (Node 18 or later).

import { spawn } from "node:child_process";
import { accessSync, constants, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const PACKAGED_BINARY = join(HERE, "bin", "zoho-sharing-mock");
// Written by scripts/copy-binary.mjs at pack time: which platform the packaged binary runs on.
const PACKAGED_PLATFORM = join(HERE, "bin", "platform.json");
const BINARY_ENV = "ZOHO_MOCK_BINARY";
// What the mock's log keeps in memory for log() (the newest bytes win).
const LOG_LIMIT = 1 << 20;

const NOT_FOUND =
  "zoho-sharing-mock: no mock binary for this platform. The package carries one for Linux " +
  "x86_64 only; elsewhere build it with Rust (https://rustup.rs): `cargo install --locked " +
  "--git <the project's git URL> zoho-sharing-mock` (or `cargo install --locked --path .` in a " +
  "clone), then point the package at it with ZOHO_MOCK_BINARY=$HOME/.cargo/bin/zoho-sharing-mock " +
  "(or pass startMock({ binary }))";

/** No binary: none for this platform in the package, none named by ZOHO_MOCK_BINARY. */
export class BinaryNotFoundError extends Error {
  constructor(message) {
    super(message);
    this.name = "BinaryNotFoundError";
  }
}

/** The binary exited or stayed silent instead of printing `listening on http://HOST:PORT`. */
export class MockStartError extends Error {
  constructor(message) {
    super(message);
    this.name = "MockStartError";
  }
}

/** The admin API answered an error: `status` is the HTTP status, `body` the decoded body. */
export class MockError extends Error {
  constructor(method, path, status, body) {
    const message = body && typeof body === "object" && "error" in body ? body.error : body;
    super(`${method} ${path}: HTTP ${status}: ${message}`);
    this.name = "MockError";
    this.method = method;
    this.path = path;
    this.status = status;
    this.body = body;
  }
}

function isExecutable(path) {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function packagedBinary() {
  let platform;
  try {
    platform = JSON.parse(readFileSync(PACKAGED_PLATFORM, "utf8"));
  } catch {
    return null;
  }
  if (platform.platform !== process.platform || platform.arch !== process.arch) return null;
  return isExecutable(PACKAGED_BINARY) ? PACKAGED_BINARY : null;
}

/**
 * The binary to run: `binary` if given, else $ZOHO_MOCK_BINARY, else the one the package
 * carries (when it is for this platform). Throws BinaryNotFoundError saying how to build one.
 */
export function findBinary(binary) {
  const explicit = binary || process.env[BINARY_ENV];
  if (explicit) {
    if (!isExecutable(explicit)) {
      const source = binary ? "binary: " : `${BINARY_ENV}=`;
      throw new BinaryNotFoundError(
        `zoho-sharing-mock: ${source}${explicit} is not an executable file. ${NOT_FOUND}`,
      );
    }
    return resolve(explicit);
  }
  const packaged = packagedBinary();
  if (packaged === null) throw new BinaryNotFoundError(NOT_FOUND);
  return packaged;
}

function withoutUndefined(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

/** The admin-API client both started and connected mocks use. */
class Admin {
  constructor(baseUrl, adminToken) {
    this.baseUrl = baseUrl;
    this.adminToken = adminToken || undefined;
  }

  async call(method, path, body) {
    const headers = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.adminToken) headers.authorization = `Bearer ${this.adminToken}`;
    const answer = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const raw = await answer.text();
    let decoded = null;
    if (raw) {
      try {
        decoded = JSON.parse(raw);
      } catch {
        decoded = raw;
      }
    }
    if (!answer.ok) throw new MockError(method, path, answer.status, decoded);
    return decoded;
  }
}

function segment(value) {
  return encodeURIComponent(value);
}

/** One org of the mock's state. */
class Org {
  constructor(admin, data) {
    this._admin = admin;
    /** The org's id (`org-1`, ...). */
    this.id = data.id;
    /** The org as the mock answered when it was created or read (users, records, tokens ...). */
    this.data = data;
  }

  /**
   * The access-token string labelled `label` among the tokens the org had when this handle was
   * made (a sandbox copy: admin, noshare, standard, expired, patricia, amelia, ...); with
   * several, the first one not revoked. `await org.tokens({ label })` asks the mock for the
   * current list.
   */
  token(label) {
    const tokens = this.data.tokens || [];
    const found = tokens.filter((t) => t.label === label);
    if (found.length === 0) {
      const labels = [...new Set(tokens.map((t) => t.label).filter(Boolean))].sort();
      throw new Error(`org ${JSON.stringify(this.id)} has no token labelled ${JSON.stringify(label)}; labels: ${labels.join(", ")}`);
    }
    return (found.find((t) => !t.revoked) || found[0]).access_token;
  }

  /** The org's access tokens now (`GET /__admin/orgs/{id}/tokens`), those labelled `label` if given. */
  async tokens({ label } = {}) {
    const query = label === undefined ? "" : `?label=${encodeURIComponent(label)}`;
    return (await this._admin.call("GET", `/__admin/orgs/${segment(this.id)}/tokens${query}`)).tokens;
  }

  /** A new access token for `user` (`POST /__admin/tokens`); returns its string. */
  async createToken({ user, scopes, expiresIn, label }) {
    const body = withoutUndefined({ org: this.id, user, scopes, expires_in: expiresIn, label });
    return (await this._admin.call("POST", "/__admin/tokens", body)).access_token;
  }

  /** The org as stored now (`GET /__admin/orgs/{id}`). */
  async get() {
    return this._admin.call("GET", `/__admin/orgs/${segment(this.id)}`);
  }

  /** Remove the org and everything in it (`DELETE /__admin/orgs/{id}`). */
  async delete() {
    await this._admin.call("DELETE", `/__admin/orgs/${segment(this.id)}`);
  }
}

/** The helpers of a running mock; `startMock()` and `connect()` make one. */
class Mock {
  constructor(admin, process) {
    this._admin = admin;
    this._process = process;
    /** `http://127.0.0.1:PORT`: point the Zoho client's API domain and accounts URL here. */
    this.baseUrl = admin.baseUrl;
    /** `https://...` when started with `--tls-port`, else null. */
    this.tlsBaseUrl = process ? process.tlsBaseUrl : null;
    /** The binary's process id (null for `connect`). */
    this.pid = process ? process.child.pid : null;
    const call = (body) => admin.call("PUT", "/__admin/clock", body);
    /** The mock's clock: every time it writes or compares comes from it. */
    this.clock = {
      get: () => admin.call("GET", "/__admin/clock"),
      freeze: (now) => call({ now: now instanceof Date ? now.toISOString() : now }),
      advance: (seconds) => call({ advance_s: seconds }),
      release: () => call({ now: null }),
    };
  }

  /** Stop the mock this object started (SIGTERM, then wait; killed after 10 s). A no-op after `connect`. */
  async stop() {
    if (this._process) await this._process.stop();
  }

  /** What the mock wrote to stderr (its request log, any startup error); "" after `connect`. */
  log() {
    return this._process ? this._process.log() : "";
  }

  health() {
    return this._admin.call("GET", "/__admin/health");
  }

  /** Back to the startup fixture; clears journal and faults; clock back to real time. */
  async reset() {
    await this._admin.call("POST", "/__admin/reset");
  }

  state() {
    return this._admin.call("GET", "/__admin/state");
  }

  async putState(document) {
    await this._admin.call("PUT", "/__admin/state", document);
  }

  /**
   * A new org: without an argument a copy of the startup fixture's first org (the sandbox) with
   * fresh ids and token strings, labels kept; else the org object given.
   */
  async newOrg(org) {
    return new Org(this._admin, await this._admin.call("POST", "/__admin/orgs", org));
  }

  /** A handle on an org that exists already (`zylker` is the sandbox). */
  async org(id) {
    return new Org(this._admin, await this._admin.call("GET", `/__admin/orgs/${segment(id)}`));
  }

  /** Every org with counts of its users, records and tokens. */
  async orgs() {
    return (await this._admin.call("GET", "/__admin/orgs")).orgs;
  }

  /**
   * The journal entries matching (`POST /__admin/requests/find`), oldest first: `path` is a
   * glob (`*` one segment), `query` decoded parameters, `body` JSON the request body contains.
   */
  async requests(matcher = {}) {
    return (await this._admin.call("POST", "/__admin/requests/find", withoutUndefined(matcher))).requests;
  }

  /** How many journal entries match (`POST /__admin/requests/count`). */
  async count(matcher = {}) {
    return (await this._admin.call("POST", "/__admin/requests/count", withoutUndefined(matcher))).count;
  }

  async clearRequests() {
    await this._admin.call("DELETE", "/__admin/requests");
  }

  /**
   * Add a fault (`POST /__admin/faults`): matching requests answer `status` with Zoho's
   * envelope for `code`, after `delayMs`, `times` times (default: until removed). Returns its id.
   */
  async fault({ path, method, status, code, message, delayMs, times, org }) {
    const body = withoutUndefined({ path, method, status, code, message, delay_ms: delayMs, times, org });
    return (await this._admin.call("POST", "/__admin/faults", body)).id;
  }

  async faults() {
    return (await this._admin.call("GET", "/__admin/faults")).faults;
  }

  /** Remove one fault, or all of them without an id. */
  async removeFault(id) {
    await this._admin.call("DELETE", id === undefined ? "/__admin/faults" : `/__admin/faults/${id}`);
  }

  /** Save the whole state, or one org, under `name`. */
  snapshot(name, { org } = {}) {
    return this._admin.call("POST", "/__admin/snapshots", withoutUndefined({ name, org }));
  }

  /** Put a snapshot back (an org snapshot replaces that org only). */
  async restore(name) {
    await this._admin.call("POST", `/__admin/snapshots/${segment(name)}/restore`);
  }

  async snapshots() {
    return (await this._admin.call("GET", "/__admin/snapshots")).snapshots;
  }

  async deleteSnapshot(name) {
    await this._admin.call("DELETE", `/__admin/snapshots/${segment(name)}`);
  }

  /**
   * What Zoho's Node CRM SDK needs to call the mock:
   * `new Environment(env.apiUrl, env.tokenUrl, env.apiUrl)` (its second argument is the token
   * URL, its third the file-upload URL).
   */
  sdkEnvironment() {
    return { apiUrl: this.baseUrl, accountsUrl: this.baseUrl, tokenUrl: `${this.baseUrl}/oauth/v2/token` };
  }
}

/** The started binary: its output, its stop. */
class MockProcess {
  constructor(child) {
    this.child = child;
    this.tlsBaseUrl = null;
    this._log = "";
    this._exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => {
      this._log = (this._log + chunk).slice(-LOG_LIMIT);
    });
    // A mock left running when this process exits is killed with it.
    this._onExit = () => child.kill("SIGTERM");
    process.once("exit", this._onExit);
  }

  log() {
    return this._log;
  }

  async stop() {
    process.removeListener("exit", this._onExit);
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill("SIGTERM"); // the mock finishes the requests in flight and exits 0
      const timer = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
      await this._exited;
      clearTimeout(timer);
    }
  }

  /** The `listening on` lines, or a MockStartError. */
  async listening(lines, timeoutMs) {
    const reader = createInterface({ input: this.child.stdout });
    const iterator = reader[Symbol.asyncIterator]();
    const next = async (prefix) => {
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new MockStartError(`${this.child.spawnfile} printed no \`${prefix}...\` line within ${timeoutMs} ms; log:\n${this._log}`)),
          timeoutMs,
        );
      });
      try {
        const { value, done } = await Promise.race([iterator.next(), timeout]);
        if (done) {
          const { code, signal } = await this._exited;
          throw new MockStartError(`${this.child.spawnfile} exited with ${code ?? signal} before listening:\n${this._log}`);
        }
        if (!value.startsWith(prefix)) {
          throw new MockStartError(`${this.child.spawnfile} printed ${JSON.stringify(value)}, not \`${prefix}...\``);
        }
        return value.slice("listening on ".length);
      } finally {
        clearTimeout(timer);
      }
    };
    try {
      const urls = [];
      for (const prefix of lines) urls.push(await next(prefix));
      return urls;
    } catch (error) {
      await this.stop();
      throw error;
    } finally {
      // Keep reading (and dropping) stdout, so the mock never blocks on a full pipe.
      reader.close();
      this.child.stdout.resume();
    }
  }
}

/**
 * Start the mock binary on a free port of 127.0.0.1 (`--port 0`).
 * `fixtures`: a fixture file instead of the embedded sandbox; `args`: more flags; `binary`:
 * the binary to run (default: findBinary()); `adminToken`: started with `--admin-token`, admin
 * calls then send it (default: $ZOHO_MOCK_ADMIN_TOKEN); `startTimeoutMs`; `env`.
 */
export async function startMock({ fixtures, args = [], binary, adminToken, startTimeoutMs = 30_000, env } = {}) {
  const path = findBinary(binary);
  const argv = ["--host", "127.0.0.1", "--port", "0"];
  if (fixtures !== undefined) argv.push("--fixtures", fixtures);
  if (adminToken !== undefined) argv.push("--admin-token", adminToken);
  argv.push(...args);
  const childEnv = env ?? process.env;
  const child = spawn(path, argv, { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  const spawned = new Promise((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  await spawned;
  const running = new MockProcess(child);
  const tls = argv.some((a) => a === "--tls-port" || a.startsWith("--tls-port=")) || Boolean(childEnv.ZOHO_MOCK_TLS_PORT);
  const prefixes = tls ? ["listening on http://", "listening on https://"] : ["listening on http://"];
  const [baseUrl, tlsBaseUrl] = await running.listening(prefixes, startTimeoutMs);
  running.tlsBaseUrl = tlsBaseUrl ?? null;
  // The mock does not keep this process alive: a test runner exits when its tests are done
  // (and the exit handler kills a mock nobody stopped).
  child.unref();
  child.stdout.unref();
  child.stderr.unref();
  return new Mock(new Admin(baseUrl, adminToken ?? childEnv.ZOHO_MOCK_ADMIN_TOKEN), running);
}

/** The same helpers for a mock that runs already (a sidecar, a container); `stop()` leaves it running. */
export function connect(baseUrl, { adminToken } = {}) {
  return new Mock(new Admin(baseUrl.replace(/\/+$/, ""), adminToken ?? process.env.ZOHO_MOCK_ADMIN_TOKEN), null);
}

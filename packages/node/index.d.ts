// Types of zoho-sharing-mock (DESIGN §9): startMock() -> Mock, Mock.newOrg() -> Org.

/** A decoded JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface StartOptions {
  /** A fixture file to serve instead of the embedded sandbox (`--fixtures`). */
  fixtures?: string;
  /** More command-line flags, e.g. `["--rule-computation-ms", "500"]`. */
  args?: string[];
  /** The binary to run (default: `findBinary()`). */
  binary?: string;
  /** Start it with `--admin-token`; admin calls then send it (default: $ZOHO_MOCK_ADMIN_TOKEN). */
  adminToken?: string;
  /** How long to wait for the `listening on` line (default 30000). */
  startTimeoutMs?: number;
  /** The binary's environment (default: `process.env`). */
  env?: Record<string, string | undefined>;
}

/** An access token of an org (`GET /__admin/orgs/{id}/tokens`). */
export interface TokenInfo {
  access_token: string;
  label: string | null;
  user: string;
  scopes: string[];
  expires_at: string | null;
  revoked: boolean;
}

/** An org as the admin API answers it: the fixture format of one org. */
export interface OrgData {
  id: string;
  name?: string;
  crm_org_id?: string;
  zgid?: string;
  tokens?: Array<TokenInfo & { refresh_token?: string | null }>;
  [key: string]: unknown;
}

export interface OrgSummary {
  id: string;
  name: string;
  crm_org_id: string;
  zgid: string;
  users: number;
  records: number;
  tokens: number;
}

export interface Org {
  readonly id: string;
  /** The org as the mock answered when this handle was made. */
  readonly data: OrgData;
  /** The access-token string labelled `label` (from `data`; the first not revoked). Throws when none. */
  token(label: string): string;
  /** The org's tokens now, those labelled `label` if given. */
  tokens(options?: { label?: string }): Promise<TokenInfo[]>;
  /** A new access token (`POST /__admin/tokens`); resolves to its string. */
  createToken(token: { user: string; scopes: string[]; expiresIn?: number; label?: string }): Promise<string>;
  /** The org as stored now. */
  get(): Promise<OrgData>;
  /** Remove the org (`DELETE /__admin/orgs/{id}`). */
  delete(): Promise<void>;
}

/** `POST /__admin/requests/count` and `/find`: every given key must hold. */
export interface Matcher {
  method?: string;
  /** A glob over the percent-decoded path; `*` matches one segment. */
  path?: string;
  org?: string;
  status?: number;
  /** Decoded query parameters. */
  query?: Record<string, string>;
  /** JSON the request body must contain. */
  body?: Json;
}

export interface JournalEntry {
  id: number;
  time: string;
  org: string | null;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  status: number;
  request_body: Json;
  response_body: Json;
}

export interface Fault {
  path: string;
  /** A method name or `*` (default). */
  method?: string;
  status?: number;
  code?: string | number;
  message?: string;
  delayMs?: number;
  times?: number;
  org?: string;
}

export interface FaultInfo {
  id: number;
  path: string;
  method?: string;
  status?: number;
  code?: string | number;
  message?: string;
  delay_ms?: number;
  times?: number;
  org?: string;
  remaining: number | null;
}

export interface ClockState {
  now: string;
  frozen: boolean;
}

export interface Clock {
  get(): Promise<ClockState>;
  /** Stop the clock at `now` (ISO 8601 with an offset, or a Date). */
  freeze(now: string | Date): Promise<ClockState>;
  /** Move it forward `seconds`. */
  advance(seconds: number): Promise<ClockState>;
  /** Back to real time. */
  release(): Promise<ClockState>;
}

export interface SnapshotInfo {
  name: string;
  org: string | null;
  created: string;
}

export interface SdkEnvironment {
  apiUrl: string;
  accountsUrl: string;
  tokenUrl: string;
}

export interface Mock {
  /** `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  /** `https://...` with `--tls-port`, else null. */
  readonly tlsBaseUrl: string | null;
  /** The binary's process id (null for `connect`). */
  readonly pid: number | null;
  readonly clock: Clock;
  /** Stop the binary this object started; a no-op after `connect`. */
  stop(): Promise<void>;
  /** What the mock wrote to stderr. */
  log(): string;
  health(): Promise<{ status: string; version: string }>;
  reset(): Promise<void>;
  state(): Promise<{ orgs: OrgData[] }>;
  putState(document: { orgs: OrgData[] }): Promise<void>;
  /** A copy of the sandbox org (no argument), or the org object given. */
  newOrg(org?: Partial<OrgData>): Promise<Org>;
  /** A handle on an existing org. */
  org(id: string): Promise<Org>;
  orgs(): Promise<OrgSummary[]>;
  requests(matcher?: Matcher): Promise<JournalEntry[]>;
  count(matcher?: Matcher): Promise<number>;
  clearRequests(): Promise<void>;
  /** Resolves to the fault's id. */
  fault(fault: Fault): Promise<number>;
  faults(): Promise<FaultInfo[]>;
  /** One fault, or all of them without an id. */
  removeFault(id?: number): Promise<void>;
  snapshot(name: string, options?: { org?: string }): Promise<SnapshotInfo>;
  restore(name: string): Promise<void>;
  snapshots(): Promise<SnapshotInfo[]>;
  deleteSnapshot(name: string): Promise<void>;
  /** `new Environment(env.apiUrl, env.tokenUrl, env.apiUrl)` for Zoho's Node CRM SDK. */
  sdkEnvironment(): SdkEnvironment;
}

export declare function startMock(options?: StartOptions): Promise<Mock>;
export declare function connect(baseUrl: string, options?: { adminToken?: string }): Mock;
/** The binary startMock would run; throws BinaryNotFoundError. */
export declare function findBinary(binary?: string): string;

export declare class BinaryNotFoundError extends Error {}
export declare class MockStartError extends Error {}
export declare class MockError extends Error {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: Json;
}

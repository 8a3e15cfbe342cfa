// The dashboard of zoho-sharing-mock (DESIGN.md §10). Every read and every action is a call of
// the documented admin API (DESIGN.md §5); the page keeps nothing but view choices (the view in
// the URL hash; org, filters and the admin token in sessionStorage, for this tab only).
// Plain ES module, no build step, no library: the DOM is built with `h()` and text nodes, never
// from HTML strings, so nothing the mock recorded (request bodies, names) can inject markup.

const TOKEN_KEY = "zoho-sharing-mock.admin-token";
const ORG_KEY = "zoho-sharing-mock.org";
const POLL_MS = 1500;
const JOURNAL_LIMIT = 200;
const VIEWS = ["org", "records", "rules", "analytics", "journal", "faults", "clock", "snapshots"];
const ORG_VIEWS = new Set(["org", "records", "rules", "analytics"]);
// An org of many records renders the first ones that match; the filter finds the rest.
const RECORDS_SHOWN = 500;

// Whether the admin API wants a token is written into the page by the server, so the page asks
// for it before its first call rather than after a 401.
const tokenRequired = document.documentElement.dataset.adminToken === "required";

// ---------------------------------------------------------------------------------------------
// The admin API

class TokenNeeded extends Error {}

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function storedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** One admin call. Answers {status, json, text}; a 401 asks for the token again. */
async function api(method, path, body) {
  const token = storedToken();
  if (tokenRequired && !token) {
    askForToken();
    throw new TokenNeeded("admin token required");
  }
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { method, headers, cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, `cannot reach the mock (${err.message})`);
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    askForToken("The mock refused that token (401 admin token required). Enter it again.");
    throw new TokenNeeded("admin token required");
  }
  return { status: response.status, json, text };
}

/** The call must answer one of `statuses`; otherwise an ApiError with the admin error text. */
async function call(method, path, body, ...statuses) {
  const reply = await api(method, path, body);
  if (!statuses.includes(reply.status)) {
    const detail = reply.json && typeof reply.json.error === "string" ? reply.json.error : reply.text;
    throw new ApiError(reply.status, `${method} ${path}: ${reply.status} ${detail}`);
  }
  return reply;
}

const enc = encodeURIComponent;

// ---------------------------------------------------------------------------------------------
// DOM helpers

/** `h("td", {class: "x"}, "text", child)`: an element; strings become text nodes. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

const $ = (id) => document.getElementById(id);

function table(caption, headers, rows, empty = "none") {
  if (rows.length === 0) {
    return h("div", { class: "section" }, h("h3", {}, caption), h("p", { class: "muted" }, empty));
  }
  return h(
    "div",
    { class: "section" },
    h("h3", {}, caption, " ", h("span", { class: "count" }, `(${rows.length})`)),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, headers.map((name) => h("th", { scope: "col" }, name)))),
        h("tbody", {}, rows),
      ),
    ),
  );
}

function code(text) {
  return h("code", {}, text);
}

function pill(text, kind) {
  return h("span", { class: `pill ${kind || ""}` }, text);
}

function levelPill(level) {
  return pill(level, `level-${level}`);
}

function yesNo(value) {
  return value ? pill("yes", "on") : pill("no", "off");
}

function pretty(value) {
  if (value === null || value === undefined) return "(empty)";
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, 2);
}

/** Replace `target`'s children, but only when the data behind them changed, so a live refresh
 * does not steal focus or collapse what a person opened. */
const rendered = new Map();
function renderInto(target, data, build) {
  const key = JSON.stringify(data);
  if (rendered.get(target.id) === key) return;
  rendered.set(target.id, key);
  target.replaceChildren(...[build()].flat());
}

function fillSelect(select, options, chosen) {
  const key = JSON.stringify([options, chosen]);
  if (select.dataset.filled === key) return;
  select.dataset.filled = key;
  select.replaceChildren(
    ...options.map(([value, label]) => h("option", { value, selected: value === chosen }, label)),
  );
  select.value = chosen;
}

// ---------------------------------------------------------------------------------------------
// View choices: the only state the page keeps.

const choices = {
  view: "org",
  org: sessionStorage.getItem(ORG_KEY) || "",
  live: true,
  explainUser: "",
  explainRecord: "",
  recordsModule: "",
  recordsText: "",
};


// The last answers, for rendering only.
let orgs = [];
let org = null;

// ---------------------------------------------------------------------------------------------
// Status line

// Whether the status line shows a failed refresh (cleared by the next good one) rather than
// the outcome of an action (kept until the next action).
let statusFromRefresh = false;

function say(message, kind = "ok") {
  const status = $("status");
  status.className = kind;
  status.textContent = message;
  statusFromRefresh = false;
}

function sayError(err) {
  if (err instanceof TokenNeeded) return;
  say(err.message, "error");
}

// ---------------------------------------------------------------------------------------------
// The admin token

let waitingForToken = false;

function askForToken(note) {
  waitingForToken = true;
  $("token-view").hidden = false;
  for (const section of document.querySelectorAll(".view")) section.hidden = true;
  const noteEl = $("token-note");
  noteEl.hidden = !note;
  noteEl.textContent = note || "";
  const input = $("token-input");
  if (document.activeElement !== input) input.focus();
}

function tokenEntered(event) {
  event.preventDefault();
  const value = $("token-input").value.trim();
  if (!value) return;
  sessionStorage.setItem(TOKEN_KEY, value);
  $("token-input").value = "";
  waitingForToken = false;
  $("token-view").hidden = true;
  showView();
  refresh();
}

// ---------------------------------------------------------------------------------------------
// Loading

async function loadOrgs() {
  orgs = (await call("GET", "/__admin/orgs", undefined, 200)).json.orgs || [];
  chooseOrg();
  org = null;
  if (choices.org) {
    const one = await api("GET", `/__admin/orgs/${enc(choices.org)}`);
    if (one.status === 200) org = one.json;
  }
}

function chooseOrg() {
  if (!orgs.some((o) => o.id === choices.org)) {
    choices.org = orgs.length ? orgs[0].id : "";
  }
  sessionStorage.setItem(ORG_KEY, choices.org);
  const options = orgs.map((o) => [o.id, o.name ? `${o.name} (${o.id})` : o.id]);
  fillSelect($("org-picker"), options, choices.org);
  fillSelect($("journal-org"), [["", "any"], ...options], $("journal-org").value || "");
  fillSelect($("fault-org"), [["", "any"], ...options], $("fault-org").value || "");
  fillSelect($("snapshot-org"), [["", "the whole state"], ...options], $("snapshot-org").value || "");
}

async function loadClock() {
  const clock = (await call("GET", "/__admin/clock", undefined, 200)).json;
  const text = `${clock.now} (${clock.frozen ? "frozen" : "real time"})`;
  const badge = $("clock-badge");
  badge.textContent = `Clock: ${text}`;
  badge.classList.toggle("frozen", clock.frozen);
  $("clock-now").textContent = text;
}

let refreshing = false;
let again = false;

/** Load what the header and the current view show. */
async function refresh() {
  if (waitingForToken) return;
  if (refreshing) {
    again = true;
    return;
  }
  refreshing = true;
  try {
    await loadClock();
    await loadOrgs();
    const view = choices.view;
    if (ORG_VIEWS.has(view)) renderOrg();
    if (view === "journal") await loadJournal();
    if (view === "faults") await loadFaults();
    if (view === "snapshots") await loadSnapshots();
    if (statusFromRefresh) say("");
  } catch (err) {
    sayError(err);
    statusFromRefresh = !(err instanceof TokenNeeded);
  } finally {
    refreshing = false;
    if (again) {
      again = false;
      refresh();
    }
  }
}

let timer = null;
function schedule() {
  clearTimeout(timer);
  timer = setTimeout(async () => {
    if (choices.live && !waitingForToken && !document.hidden) await refresh();
    schedule();
  }, POLL_MS);
}

/** Run an action, say how it went, and reload the view. */
async function act(label, fn) {
  try {
    const message = await fn();
    say(message || `${label}: done`);
  } catch (err) {
    sayError(err);
  }
  await refresh();
}

// ---------------------------------------------------------------------------------------------
// Names

function index(list, key = "id") {
  return new Map((list || []).map((item) => [item[key], item]));
}

function names(o) {
  const users = index(o.users);
  const roles = index(o.roles);
  const groups = index(o.groups);
  const rules = index(o.sharing_rules);
  const profiles = index(o.profiles);
  const usersByEmail = new Map((o.users || []).map((u) => [String(u.email).toLowerCase(), u]));
  return {
    users,
    roles,
    groups,
    rules,
    profiles,
    user: (id) => (users.has(id) ? users.get(id).full_name || users.get(id).email : id),
    role: (id) => (roles.has(id) ? roles.get(id).name : id),
    group: (id) => (groups.has(id) ? groups.get(id).name : id),
    email: (email) => {
      const u = usersByEmail.get(String(email).toLowerCase());
      return u ? `${u.full_name} <${email}>` : email;
    },
  };
}

function who(n, id, title) {
  return h("span", { title: title || id }, n.user(id));
}

function shareTarget(n, share) {
  const target = share.shared_with;
  if (share.type === "public" || !target) return "everyone (public)";
  if (target.type === "users") return `${n.user(target.id)} (user)`;
  if (target.type === "groups") return `${n.group(target.id)} (group)`;
  if (target.type === "roles") return `${n.role(target.id)} (role)`;
  return `${target.type} ${target.id}`;
}

const NAME_FIELDS = [
  "Full_Name", "Last_Name", "Deal_Name", "Account_Name", "Subject", "Campaign_Name",
  "Product_Name", "Vendor_Name", "Price_Book_Name", "Solution_Title", "Name",
];

function recordName(record) {
  const fields = record.fields || {};
  if (fields.First_Name && fields.Last_Name) return `${fields.First_Name} ${fields.Last_Name}`;
  for (const key of NAME_FIELDS) if (typeof fields[key] === "string") return fields[key];
  return "";
}

// ---------------------------------------------------------------------------------------------
// People: users, roles, groups, profiles, tokens

function renderOrg() {
  const view = choices.view;
  if (!org) {
    const target = $(`${view}-content`);
    renderInto(target, { none: true, orgs: orgs.length }, () =>
      h("p", { class: "note" }, orgs.length ? "The chosen org is gone; pick another." : "The state has no org."),
    );
    return;
  }
  if (view === "org") renderInto($("org-content"), org, () => peopleView(org));
  if (view === "records") renderRecords();
  if (view === "rules") renderInto($("rules-content"), org, () => rulesView(org));
  if (view === "analytics") renderInto($("analytics-content"), org, () => analyticsView(org));
}

function peopleView(o) {
  const n = names(o);
  const hasAnalyticsRole = (o.users || []).some((u) => "analytics_role" in u);
  const users = (o.users || []).map((u) =>
    h(
      "tr",
      {},
      h("td", {}, u.full_name),
      h("td", {}, u.email),
      h("td", {}, code(u.id)),
      h("td", {}, n.role(u.role)),
      h("td", {}, u.profile),
      h("td", {}, pill(u.status, u.status === "active" ? "on" : "off")),
      h("td", {}, u.reporting_to ? n.user(u.reporting_to) : "–"),
      hasAnalyticsRole && h("td", {}, u.analytics_role || "–"),
    ),
  );
  const roles = (o.roles || []).map((r) =>
    h(
      "tr",
      {},
      h("td", {}, r.name),
      h("td", {}, code(r.id)),
      h("td", {}, r.reporting_to ? n.role(r.reporting_to) : "– (top role)"),
      h("td", {}, "share_with_peers" in r ? yesNo(r.share_with_peers) : "–"),
      h("td", {}, r.description || ""),
    ),
  );
  const groups = (o.groups || []).map((g) =>
    h(
      "tr",
      {},
      h("td", {}, g.name),
      h("td", {}, code(g.id)),
      h("td", {}, groupMembers(n, g)),
      h("td", {}, g.description || ""),
    ),
  );
  const sections = [
    h(
      "p",
      { class: "muted" },
      `${o.name || o.id} · org id ${o.id}`,
      o.crm_org_id ? ` · CRM org ${o.crm_org_id}` : "",
      o.hierarchy_preference ? ` · hierarchy by ${o.hierarchy_preference}` : "",
    ),
    table(
      "Users",
      ["Name", "Email", "Id", "Role", "Profile", "Status", "Reports to", hasAnalyticsRole && "Analytics role"].filter(Boolean),
      users,
    ),
    h(
      "div",
      { class: "cols" },
      table("Roles", ["Name", "Id", "Reports to", "Peers share", "Description"], roles),
      table("Groups", ["Name", "Id", "Members", "Description"], groups),
    ),
  ];
  if (Array.isArray(o.profiles)) {
    const profiles = o.profiles.map((p) =>
      h("tr", {}, h("td", {}, p.name), h("td", {}, code(p.id)), h("td", {}, permissionsSummary(p.permissions)), h("td", {}, p.description || "")),
    );
    sections.push(table("Profiles", ["Name", "Id", "Permissions", "Description"], profiles));
  }
  const tokens = (o.tokens || []).map((t) =>
    h(
      "tr",
      {},
      h("td", {}, t.label || "–"),
      h("td", {}, code(t.access_token)),
      h("td", {}, n.user(t.user)),
      h("td", { class: "wrap" }, (t.scopes || []).join(" ")),
      h("td", {}, t.expires_at || "never"),
      h("td", {}, yesNo(t.revoked)),
    ),
  );
  sections.push(table("Access tokens", ["Label", "Token", "User", "Scopes", "Expires", "Revoked"], tokens));
  return sections;
}

function groupMembers(n, group) {
  if (Array.isArray(group.sources)) {
    if (group.sources.length === 0) return "–";
    return h(
      "ul",
      { class: "plain" },
      group.sources.map((s) =>
        h(
          "li",
          {},
          s.type === "users"
            ? n.user(s.id)
            : `users of role ${n.role(s.id)}${s.subordinates ? " and below" : ""}`,
        ),
      ),
    );
  }
  return (group.members || []).map((id) => n.user(id)).join(", ") || "–";
}

function permissionsSummary(permissions) {
  const entries = Object.entries(permissions || {});
  if (entries.length === 0) return "everything";
  return entries
    .map(([module, ops]) => {
      const denied = Object.entries(ops).filter(([, v]) => v === false).map(([k]) => k);
      return denied.length ? `${module}: no ${denied.join(", ")}` : `${module}: all`;
    })
    .join("; ");
}

// ---------------------------------------------------------------------------------------------
// Records, their shares, and access

function renderRecords() {
  const o = org;
  const n = names(o);
  const records = o.records || [];
  const modules = [...new Set(records.map((r) => r.module))].sort();
  if (choices.recordsModule && !modules.includes(choices.recordsModule)) choices.recordsModule = "";
  fillSelect($("records-module"), [["", "every module"], ...modules.map((m) => [m, m])], choices.recordsModule);

  const userOptions = (o.users || []).map((u) => [u.id, `${u.full_name} (${n.role(u.role)}, ${u.profile})`]);
  const recordOptions = records.map((r) => [r.id, `${r.module} ${r.id}${recordName(r) ? ` · ${recordName(r)}` : ""}`]);
  if (!userOptions.some(([id]) => id === choices.explainUser)) choices.explainUser = "";
  if (!recordOptions.some(([id]) => id === choices.explainRecord)) choices.explainRecord = "";
  fillSelect($("explain-user"), [["", "choose a user"], ...userOptions], choices.explainUser);
  fillSelect($("explain-record"), [["", "choose a record"], ...recordOptions], choices.explainRecord);

  const text = choices.recordsText.trim().toLowerCase();
  const sharesOf = new Map();
  for (const share of o.shares || []) {
    if (!sharesOf.has(share.record)) sharesOf.set(share.record, []);
    sharesOf.get(share.record).push(share);
  }
  const shown = records.filter((r) => {
    if (choices.recordsModule && r.module !== choices.recordsModule) return false;
    if (!text) return true;
    const haystack = [
      r.id, r.module, n.user(r.owner), JSON.stringify(r.fields || {}),
      ...(sharesOf.get(r.id) || []).map((s) => shareTarget(n, s)),
    ].join(" ").toLowerCase();
    return haystack.includes(text);
  });
  // A state without record fields (`fields` came later) names no record: no Name column then.
  const named = records.some((r) => recordName(r));
  renderInto($("records-content"), { o, filter: [choices.recordsModule, text] }, () => {
    const rows = shown.slice(0, RECORDS_SHOWN).map((r) =>
      h(
        "tr",
        { "data-record": r.id },
        h("td", {}, r.module),
        h("td", {}, code(r.id)),
        named && h("td", {}, recordName(r) || h("span", { class: "muted" }, "(no name)")),
        h("td", {}, who(n, r.owner)),
        h("td", {}, sharesList(n, sharesOf.get(r.id) || [])),
        h(
          "td",
          {},
          h(
            "button",
            {
              type: "button",
              class: "small",
              "aria-label": `Choose ${r.module} ${r.id} to explain`,
              onclick: () => {
                choices.explainRecord = r.id;
                $("explain-record").value = r.id;
                $("explain-record").dispatchEvent(new Event("change"));
                $("explain-user").focus();
                $("explain-user").scrollIntoView({ block: "center" });
              },
            },
            "Explain…",
          ),
        ),
      ),
    );
    return [
      table(
        `Records${choices.recordsModule || text ? ` matching the filter` : ""}`,
        ["Module", "Id", named && "Name", "Owner", "Shares", ""].filter((x) => x !== false),
        rows,
        records.length ? "no record matches the filter" : "the org has no record",
      ),
      shown.length > RECORDS_SHOWN
        ? h("p", { class: "note" }, `Showing the first ${RECORDS_SHOWN} of ${shown.length} records; narrow them with the filter.`)
        : "",
    ];
  });
}

function sharesList(n, shares) {
  if (shares.length === 0) return h("span", { class: "muted" }, "not shared");
  return h(
    "ul",
    { class: "plain shares" },
    shares.map((s) =>
      h(
        "li",
        { title: `shared by ${n.user(s.shared_by)} at ${s.shared_time}` },
        shareTarget(n, s),
        " ",
        pill(s.permission, `perm-${s.permission}`),
        s.share_related_records ? h("span", { class: "muted" }, " + related records") : "",
      ),
    ),
  );
}

async function explain(event) {
  event.preventDefault();
  const user = $("explain-user").value;
  const record = $("explain-record").value;
  choices.explainUser = user;
  choices.explainRecord = record;
  if (!user || !record || !org) return;
  const target = $("explain-result");
  const o = org;
  try {
    const reply = await api(
      "GET",
      `/__admin/orgs/${enc(o.id)}/access?user=${enc(user)}&record=${enc(record)}`,
    );
    rendered.delete("explain-result");
    if (reply.status === 200 && reply.json && typeof reply.json.level === "string") {
      target.replaceChildren(explanation(o, reply.json));
    } else {
      target.replaceChildren(explainRefused(reply));
    }
  } catch (err) {
    sayError(err);
  }
}

function grantSubject(n, o, grant) {
  switch (grant.via) {
    case "owner":
    case "hierarchy":
    case "share":
      return n.user(grant.id);
    case "peer":
    case "role_share":
      return `${n.role(grant.id)} (role)`;
    case "group_share":
      return `${n.group(grant.id)} (group)`;
    case "rule":
      return n.rules.has(grant.id) ? `rule "${n.rules.get(grant.id).name}"` : grant.id;
    case "admin_profile":
      return n.profiles.has(grant.id) ? `${n.profiles.get(grant.id).name} profile` : grant.id;
    case "org_default":
      return "the module's org-wide default";
    case "public":
      return "the record's public share";
    default:
      return grant.id;
  }
}

const GRANT_WORDS = {
  admin_profile: "Administrator profile",
  owner: "owns the record",
  hierarchy: "superior of the owner",
  peer: "peer of the owner",
  org_default: "org-wide default",
  rule: "data sharing rule",
  share: "shared with the user",
  group_share: "shared with a group of the user",
  role_share: "shared with the user's role",
  public: "public share",
};

function explanation(o, x) {
  const n = names(o);
  const known = new Set(["id", "level", "via"]);
  const grants = (x.grants || []).map((g) =>
    h(
      "tr",
      {},
      h("td", {}, GRANT_WORDS[g.via] || g.via, " ", h("span", { class: "muted" }, `(${g.via})`)),
      h("td", {}, grantSubject(n, o, g), " ", code(g.id)),
      h("td", {}, levelPill(g.level)),
      h(
        "td",
        {},
        Object.entries(g)
          .filter(([k]) => !known.has(k))
          .map(([k, v]) => `${k}: ${v}`)
          .join(", "),
      ),
    ),
  );
  const p = x.profile || {};
  return h(
    "div",
    { class: "explain" },
    h(
      "p",
      { class: "verdict" },
      `${n.user(x.user)} on ${x.module} ${x.record}: `,
      levelPill(x.level),
      x.capped_by_profile
        ? h("span", {}, " (capped by the ", h("strong", {}, p.name), " profile from ", levelPill(x.uncapped_level), ")")
        : "",
    ),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "sharing permission"), h("dd", {}, x.sharing_permission ?? "– (none)"),
      h("dt", {}, "editable"), h("dd", {}, yesNo(x.editable)),
      h("dt", {}, "profile"), h("dd", {}, `${p.name}: `, ["view", "create", "edit", "delete"].filter((k) => p[k]).join(", ") || "nothing"),
      h("dt", {}, "rule computation running"), h("dd", {}, yesNo(x.rule_computation_running)),
    ),
    table("Every grant behind it", ["Via", "Through", "Gives", "Details"], grants, "no grant: no access"),
  );
}

/** An explain the admin API refused (a user or record gone since the lists were drawn). */
function explainRefused(reply) {
  return h(
    "p",
    { class: "note", "data-explain": "error" },
    `GET /__admin/orgs/{id}/access answered ${reply.status}: ${reply.json?.error ?? reply.text}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Data sharing rules

function resource(n, side) {
  if (!side) return "–";
  if (side.type === "all_users") return "every user (all_users)";
  const r = side.resource || {};
  const name = side.type === "users" ? n.user(r.id) : side.type === "roles" ? n.role(r.id) : side.type === "groups" ? n.group(r.id) : r.name || r.id;
  return `${name || r.name || r.id} (${side.type}${side.subordinates ? " and subordinates" : ""})`;
}

/** A rule's criteria as one line: `(Mailing_City equal "Chennai" AND ...)`. */
function criteriaText(c) {
  if (!c || typeof c !== "object") return JSON.stringify(c);
  if (Array.isArray(c.group)) {
    return `(${c.group.map(criteriaText).join(` ${c.group_operator || "AND"} `)})`;
  }
  if (c.field && c.comparator) {
    const field = c.field.api_name || c.field.id || "?";
    return `${field} ${c.comparator} ${JSON.stringify(c.value)}`;
  }
  return JSON.stringify(c);
}

function rulesView(o) {
  const n = names(o);
  const flags = o.rule_computation || {};
  const rules = (o.sharing_rules || []).map((r) =>
    h(
      "tr",
      {},
      h("td", {}, r.name, h("br"), code(r.id)),
      h("td", {}, r.module),
      h("td", {}, r.type),
      h("td", {}, r.permission_type),
      h("td", {}, r.shared_from ? resource(n, r.shared_from) : r.criteria ? h("span", { class: "muted" }, "records matching the criteria") : "–"),
      h("td", {}, resource(n, r.shared_to)),
      h("td", {}, yesNo(r.superiors_allowed)),
      h("td", {}, pill(r.status, r.status === "active" ? "on" : "off")),
      h("td", { class: "wrap" }, r.criteria ? code(criteriaText(r.criteria)) : "–"),
      h("td", {}, flags[r.module] ? pill("running", "warn") : pill("idle", "off")),
    ),
  );
  const modules = [...new Set([...Object.keys(o.data_sharing || {}), ...Object.keys(flags)])];
  const settings = modules.map((m) =>
    h(
      "tr",
      {},
      h("td", {}, m),
      h("td", {}, (o.data_sharing || {})[m] || "private"),
      h("td", {}, flags[m] ? pill("running", "warn") : pill("idle", "off")),
      h("td", {}, String((o.sharing_rules || []).filter((r) => r.module === m).length)),
    ),
  );
  return [
    table(
      "Rules",
      ["Rule", "Module", "Type", "Permission", "Shared from", "Shared to", "Superiors", "Status", "Criteria", "Computation"],
      rules,
    ),
    table("Modules: org-wide default and rule computation", ["Module", "Org-wide default", "Rule computation", "Rules"], settings),
  ];
}

// ---------------------------------------------------------------------------------------------
// Analytics workspaces

function analyticsView(o) {
  const n = names(o);
  const workspaces = (o.analytics && o.analytics.workspaces) || [];
  if (workspaces.length === 0) return h("p", { class: "muted" }, "The org has no Analytics workspace.");
  return workspaces.map((w) => workspaceCard(n, w));
}

function workspaceCard(n, w) {
  const admins = new Set((w.admins || []).map((e) => e.toLowerCase()));
  const inactive = new Set((w.inactive_users || []).map((e) => e.toLowerCase()));
  const views = index(w.views);
  const groups = index(w.groups);
  const folders = index(w.folders);
  const viewName = (id) => (views.has(id) ? views.get(id).name : id);
  const parts = [
    h(
      "h3",
      {},
      w.name,
      " ",
      h("span", { class: "muted" }, w.id ? `· ${w.id}` : ""),
    ),
    h(
      "p",
      { class: "muted" },
      `owner ${n.email(w.owner_email)}`,
      w.created_time ? ` · created ${w.created_time}` : "",
      w.description ? ` · ${w.description}` : "",
    ),
  ];
  const userRows = (w.users || []).map((email) =>
    h(
      "tr",
      {},
      h("td", {}, n.email(email)),
      // `inactive_users` defaults to [] (DESIGN.md §3): a state without the key has none.
      h("td", {}, inactive.has(email.toLowerCase()) ? pill("inactive", "off") : pill("active", "on")),
      h("td", {}, admins.has(email.toLowerCase()) ? pill("workspace admin", "warn") : "user"),
    ),
  );
  parts.push(
    h(
      "div",
      { class: "cols" },
      table("Users", ["User", "Status", "Role here"], userRows, "no user"),
      table("Admins", ["Admin"], (w.admins || []).map((e) => h("tr", {}, h("td", {}, n.email(e)))), "no admin"),
    ),
  );
  if (Array.isArray(w.views)) {
    parts.push(
      table(
        "Views",
        ["Name", "Id", "Type", "Owner", "Folder", "Parent"],
        w.views.map((v) =>
          h(
            "tr",
            {},
            h("td", {}, v.name),
            h("td", {}, code(v.id)),
            h("td", {}, v.type),
            h("td", {}, v.owner),
            h("td", {}, folders.has(v.folder) ? folders.get(v.folder).name : v.folder || "–"),
            h("td", {}, v.parent ? viewName(v.parent) : "–"),
          ),
        ),
        "no view",
      ),
    );
  }
  if (Array.isArray(w.groups)) {
    parts.push(
      table(
        "Groups",
        ["Name", "Id", "Members", "Description"],
        w.groups.map((g) =>
          h("tr", {}, h("td", {}, g.name), h("td", {}, code(g.id)), h("td", {}, (g.members || []).join(", ") || "–"), h("td", {}, g.description || "")),
        ),
        "no group",
      ),
    );
  }
  if (Array.isArray(w.shares)) {
    parts.push(
      table(
        "Shares",
        ["View", "Shared with", "Permissions", "Criteria", "By", "At"],
        w.shares.map((s) => {
          const t = s.shared_with || {};
          const target = t.type === "group" ? `${groups.has(t.id) ? groups.get(t.id).name : t.id} (group)` : `${t.email} (user)`;
          const granted = Object.entries(s.permissions || {}).filter(([, v]) => v === true).map(([k]) => k);
          return h(
            "tr",
            {},
            h("td", {}, viewName(s.view)),
            h("td", {}, target),
            h("td", { class: "wrap" }, granted.join(", ")),
            h("td", { class: "wrap" }, s.criteria ? code(s.criteria) : "–"),
            h("td", {}, s.shared_by || "–"),
            h("td", {}, s.shared_time || "–"),
          );
        }),
        "no share",
      ),
    );
  }
  return h("section", { class: "panel workspace", "aria-label": `Workspace ${w.name}` }, parts);
}

// ---------------------------------------------------------------------------------------------
// Journal

function journalQuery() {
  const params = new URLSearchParams();
  const method = $("journal-method").value;
  const path = $("journal-path").value.trim();
  const status = $("journal-status").value.trim();
  const orgFilter = $("journal-org").value;
  if (method) params.set("method", method);
  if (path) params.set("path", path);
  if (status) params.set("status", status);
  if (orgFilter) params.set("org", orgFilter);
  params.set("limit", String(JOURNAL_LIMIT));
  return params.toString();
}

const journalItems = new Map();

async function loadJournal() {
  const reply = await api("GET", `/__admin/requests?${journalQuery()}`);
  const list = $("journal-list");
  if (reply.status === 409) {
    list.replaceChildren();
    journalItems.clear();
    $("journal-count").textContent = reply.json?.error || "the journal is off";
    return;
  }
  if (reply.status !== 200) {
    throw new ApiError(reply.status, `GET /__admin/requests: ${reply.status} ${reply.json?.error ?? reply.text}`);
  }
  const all = reply.json.requests || [];
  // Newest first; a mock that ignores `limit` still shows only the newest entries.
  const entries = all.slice(-JOURNAL_LIMIT).reverse();
  const keep = new Set();
  const items = entries.map((entry) => {
    const key = `${entry.id}|${entry.time}|${entry.method}|${entry.path}|${entry.status}`;
    keep.add(key);
    if (!journalItems.has(key)) journalItems.set(key, journalItem(entry));
    return journalItems.get(key);
  });
  for (const key of [...journalItems.keys()]) if (!keep.has(key)) journalItems.delete(key);
  const current = [...list.children];
  if (current.length !== items.length || current.some((el, i) => el !== items[i])) {
    list.replaceChildren(...items);
  }
  $("journal-count").textContent =
    all.length === 0
      ? "No request recorded (admin calls are never journaled)."
      : `${entries.length === all.length ? all.length : `newest ${entries.length} of ${all.length}`} request${all.length === 1 ? "" : "s"}, newest first${choices.live ? ", refreshing live" : ", live refresh paused"}.`;
}

function statusKind(status) {
  if (status >= 500) return "bad";
  if (status >= 400) return "warn";
  return "on";
}

function journalItem(e) {
  const target = e.query ? `${e.path}?${e.query}` : e.path;
  const headers = Object.entries(e.headers || {})
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : v}`)
    .join("\n");
  return h(
    "li",
    { "data-id": e.id },
    h(
      "details",
      {},
      h(
        "summary",
        {},
        h("span", { class: "j-time" }, e.time),
        h("span", { class: "j-method" }, e.method),
        h("span", { class: "j-path" }, target),
        pill(String(e.status), statusKind(e.status)),
        h("span", { class: "j-org muted" }, e.org ? `org ${e.org}` : "no org"),
      ),
      h(
        "div",
        { class: "j-body" },
        h("div", {}, h("h4", {}, "Request headers"), h("pre", {}, headers || "(none)")),
        h("div", {}, h("h4", {}, "Request body"), h("pre", { class: "j-request" }, pretty(e.request_body))),
        h("div", {}, h("h4", {}, `Response body (${e.status})`), h("pre", { class: "j-response" }, pretty(e.response_body))),
      ),
    ),
  );
}

let filterTimer = null;
function journalFilterChanged() {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => refresh(), 250);
}

// ---------------------------------------------------------------------------------------------
// Faults

async function loadFaults() {
  const faults = (await call("GET", "/__admin/faults", undefined, 200)).json.faults || [];
  renderInto($("faults-content"), faults, () => {
    const keys = ["method", "path", "org", "status", "code", "message", "delay_ms", "times"];
    const rows = faults.map((f) =>
      h(
        "tr",
        { "data-fault": f.id },
        h("td", {}, String(f.id)),
        keys.map((k) => h("td", {}, f[k] === undefined || f[k] === null ? "–" : String(f[k]))),
        h("td", {}, f.remaining === null || f.remaining === undefined ? "until removed" : String(f.remaining)),
        h(
          "td",
          {},
          h(
            "button",
            {
              type: "button",
              class: "small danger",
              "aria-label": `Remove fault ${f.id}`,
              onclick: () => act("remove fault", async () => {
                await call("DELETE", `/__admin/faults/${enc(f.id)}`, undefined, 204);
                return `Fault ${f.id} removed.`;
              }),
            },
            "Remove",
          ),
        ),
      ),
    );
    return [
      table(
        "Active faults",
        ["Id", "Method", "Path", "Org", "Status", "Code", "Message", "Delay ms", "Times", "Remaining", ""],
        rows,
        "No fault: every request is answered normally.",
      ),
      faults.length
        ? h(
            "button",
            {
              type: "button",
              class: "danger",
              onclick: () => act("remove faults", async () => {
                await call("DELETE", "/__admin/faults", undefined, 204);
                return "Every fault removed.";
              }),
            },
            "Remove every fault",
          )
        : "",
    ];
  });
}

function integerField(id) {
  const text = $(id).value.trim();
  return text === "" ? undefined : Number(text);
}

function addFault(event) {
  event.preventDefault();
  const fault = { method: $("fault-method").value || "*", path: $("fault-path").value.trim() };
  const orgFilter = $("fault-org").value;
  if (orgFilter) fault.org = orgFilter;
  const status = integerField("fault-status");
  if (status !== undefined) fault.status = status;
  const codeText = $("fault-code").value.trim();
  if (codeText) fault.code = codeText;
  const message = $("fault-message").value.trim();
  if (message) fault.message = message;
  const times = integerField("fault-times");
  if (times !== undefined) fault.times = times;
  const delay = integerField("fault-delay");
  if (delay !== undefined) fault.delay_ms = delay;
  act("add fault", async () => {
    const reply = await call("POST", "/__admin/faults", fault, 201);
    return `Fault ${reply.json.id} added: ${fault.method} ${fault.path}.`;
  });
}

// ---------------------------------------------------------------------------------------------
// Clock

function freezeClock(event) {
  event.preventDefault();
  act("freeze", async () => {
    let at = $("clock-at").value.trim();
    if (!at) at = (await call("GET", "/__admin/clock", undefined, 200)).json.now;
    const reply = await call("PUT", "/__admin/clock", { now: at }, 200);
    return `Clock frozen at ${reply.json.now}.`;
  });
}

function advanceClock(event) {
  event.preventDefault();
  const seconds = integerField("clock-seconds");
  act("advance", async () => {
    const reply = await call("PUT", "/__admin/clock", { advance_s: seconds }, 200);
    return `Clock advanced ${seconds} s to ${reply.json.now}.`;
  });
}

function releaseClock() {
  act("release", async () => {
    const reply = await call("PUT", "/__admin/clock", { now: null }, 200);
    return `Clock back to real time (${reply.json.now}).`;
  });
}

// ---------------------------------------------------------------------------------------------
// Snapshots

async function loadSnapshots() {
  const reply = await call("GET", "/__admin/snapshots", undefined, 200);
  const snapshots = reply.json.snapshots || [];
  renderInto($("snapshots-content"), snapshots, () =>
    table(
      "Saved snapshots",
      ["Name", "Of", "Created", ""],
      snapshots.map((s) =>
        h(
          "tr",
          { "data-snapshot": s.name },
          h("td", {}, s.name),
          h("td", {}, s.org ? `org ${s.org}` : "the whole state"),
          h("td", {}, s.created || "–"),
          h(
            "td",
            { class: "actions" },
            h(
              "button",
              {
                type: "button",
                class: "small",
                "aria-label": `Restore snapshot ${s.name}`,
                onclick: () => act("restore", async () => {
                  await call("POST", `/__admin/snapshots/${enc(s.name)}/restore`, undefined, 204);
                  return `Snapshot ${s.name} restored.`;
                }),
              },
              "Restore",
            ),
            " ",
            h(
              "button",
              {
                type: "button",
                class: "small danger",
                "aria-label": `Delete snapshot ${s.name}`,
                onclick: () => act("delete snapshot", async () => {
                  await call("DELETE", `/__admin/snapshots/${enc(s.name)}`, undefined, 204);
                  return `Snapshot ${s.name} deleted.`;
                }),
              },
              "Delete",
            ),
          ),
        ),
      ),
      "No snapshot saved.",
    ),
  );
}

function saveSnapshot(event) {
  event.preventDefault();
  const body = { name: $("snapshot-name").value.trim() };
  const of = $("snapshot-org").value;
  if (of) body.org = of;
  act("save snapshot", async () => {
    const reply = await call("POST", "/__admin/snapshots", body, 201);
    return `Snapshot ${reply.json.name} saved (${reply.json.org ? `org ${reply.json.org}` : "the whole state"}).`;
  });
}

// ---------------------------------------------------------------------------------------------
// Header actions

function toggleLive() {
  choices.live = !choices.live;
  const button = $("live-toggle");
  button.setAttribute("aria-pressed", String(choices.live));
  button.textContent = choices.live ? "Pause live refresh" : "Resume live refresh";
  document.body.classList.toggle("paused", !choices.live);
  if (choices.live) refresh();
  else if (choices.view === "journal") loadJournal().catch(sayError);
}

function showResetConfirm(open) {
  $("reset-confirm").hidden = !open;
  $("reset").setAttribute("aria-expanded", String(open));
  if (open) $("reset-now").focus();
}

function resetNow() {
  showResetConfirm(false);
  $("reset").focus();
  act("reset", async () => {
    await call("POST", "/__admin/reset", undefined, 204);
    return "Back to the startup fixture; journal and faults cleared, clock on real time.";
  });
}

// ---------------------------------------------------------------------------------------------
// Views

function showView() {
  const wanted = location.hash.replace(/^#/, "");
  choices.view = VIEWS.includes(wanted) ? wanted : "org";
  for (const link of document.querySelectorAll("nav.views a")) {
    if (link.dataset.view === choices.view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (waitingForToken) return;
  for (const section of document.querySelectorAll(".view")) {
    section.hidden = section.dataset.view !== choices.view;
  }
  // Re-render the view's data from the last answers at once; the refresh brings it up to date.
  rendered.clear();
  if (ORG_VIEWS.has(choices.view) && org) renderOrg();
}

function bind() {
  $("token-form").addEventListener("submit", tokenEntered);
  $("org-picker").addEventListener("change", (event) => {
    choices.org = event.target.value;
    sessionStorage.setItem(ORG_KEY, choices.org);
    choices.explainUser = "";
    choices.explainRecord = "";
    $("explain-result").replaceChildren();
    refresh();
  });
  $("live-toggle").addEventListener("click", toggleLive);
  $("refresh").addEventListener("click", () => refresh().then(() => say("Refreshed.")));
  $("reset").addEventListener("click", () => showResetConfirm($("reset-confirm").hidden));
  $("reset-cancel").addEventListener("click", () => {
    showResetConfirm(false);
    $("reset").focus();
  });
  $("reset-now").addEventListener("click", resetNow);
  $("reset-confirm").addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      showResetConfirm(false);
      $("reset").focus();
    }
  });
  window.addEventListener("hashchange", () => {
    showView();
    refresh();
  });

  $("explain-form").addEventListener("submit", explain);
  $("explain-user").addEventListener("change", (e) => (choices.explainUser = e.target.value));
  $("explain-record").addEventListener("change", (e) => (choices.explainRecord = e.target.value));
  $("records-filter").addEventListener("submit", (e) => e.preventDefault());
  $("records-module").addEventListener("change", (e) => {
    choices.recordsModule = e.target.value;
    if (org) renderRecords();
  });
  $("records-text").addEventListener("input", (e) => {
    choices.recordsText = e.target.value;
    if (org) renderRecords();
  });

  $("journal-filter").addEventListener("submit", (e) => {
    e.preventDefault();
    refresh();
  });
  for (const id of ["journal-method", "journal-org"]) $(id).addEventListener("change", journalFilterChanged);
  for (const id of ["journal-path", "journal-status"]) $(id).addEventListener("input", journalFilterChanged);
  $("journal-clear").addEventListener("click", () =>
    act("clear journal", async () => {
      await call("DELETE", "/__admin/requests", undefined, 204);
      return "Journal cleared.";
    }),
  );

  $("fault-form").addEventListener("submit", addFault);
  $("clock-freeze").addEventListener("submit", freezeClock);
  $("clock-advance").addEventListener("submit", advanceClock);
  $("clock-release").addEventListener("click", releaseClock);
  $("snapshot-form").addEventListener("submit", saveSnapshot);
}

bind();
showView();
if (tokenRequired && !storedToken()) askForToken();
else refresh();
schedule();

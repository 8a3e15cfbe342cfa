// Zoho's official Node CRM SDK 8.0: list and deactivate a data sharing rule in a test's own org,
// while the sandbox org of the same mock keeps it active.

import assert from "node:assert/strict";
import { before, test } from "node:test";

import { ZOHOCRMSDK, freshOrg, signIn, theMock, value } from "./support.mjs";

const { SharingRulesOperations, ResponseWrapper, ActionWrapper } = ZOHOCRMSDK.SharingRules;

const LEADS_TO_SALES = 2276164000002052006n;
const MANAGER_LEADS = 2276164000002052011n;

let mock;
before(async () => {
  mock = await theMock();
});

test("list and deactivate a data sharing rule", async (t) => {
  const org = await freshOrg(t, mock);
  await signIn(t, mock, org);
  const ops = new SharingRulesOperations("Leads");

  const listed = await ops.getSharingRules();
  assert.equal(listed.getStatusCode(), 200);
  const rules = listed.getObject();
  assert.ok(rules instanceof ResponseWrapper, rules?.constructor?.name);
  assert.deepEqual(
    rules.getSharingRules().map((r) => [r.getId(), r.getName(), value(r.getStatus())]),
    [
      [LEADS_TO_SALES, "Leads to Sales", "active"],
      [MANAGER_LEADS, "Manager leads to Sales Reps", "inactive"],
    ],
  );

  const answer = await ops.deactivateSharingRule(LEADS_TO_SALES);
  assert.equal(answer.getStatusCode(), 200);
  const wrapper = answer.getObject();
  assert.ok(wrapper instanceof ActionWrapper, wrapper?.constructor?.name);
  const [item] = wrapper.getSharingRules();
  assert.equal(value(item.getCode()), "SUCCESS");
  assert.equal(value(item.getMessage()), "sharing rule is deactivated successfully");

  const [rule] = (await ops.getSharingRule(LEADS_TO_SALES)).getObject().getSharingRules();
  assert.equal(value(rule.getStatus()), "inactive");
  const deactivations = { method: "DELETE", path: "/crm/*/settings/data_sharing/rules/*/actions/activate", org: org.id };
  assert.equal(await mock.count(deactivations), 1);

  const zylker = await mock.org("zylker");
  const zylkerRules = Object.fromEntries(zylker.data.sharing_rules.map((r) => [r.id, r.status]));
  assert.equal(zylkerRules[String(LEADS_TO_SALES)], "active");
});

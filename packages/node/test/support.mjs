// Shared by the test files: the mock they talk to, and Zoho's Node CRM SDK signed in to an org.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";

import * as ZOHOCRMSDK from "@zohocrm/nodejs-sdk-8.0";
import { connect, startMock } from "zoho-sharing-mock";

/**
 * The mock of this run: the one run.mjs started for every test file (ZOHO_MOCK_URL), so files
 * running in parallel share it and are kept apart by their orgs; else one of this file's own.
 */
export async function theMock() {
  if (process.env.ZOHO_MOCK_URL) return connect(process.env.ZOHO_MOCK_URL);
  const mock = await startMock();
  after(() => mock.stop());
  return mock;
}

/** A mock of the test's own, for what is mock-wide (the clock, reset, whole-state snapshots). */
export async function ownMock(t) {
  const mock = await startMock();
  t.after(() => mock.stop());
  return mock;
}

/** A fresh copy of the sandbox org for one test, deleted after it. */
export async function freshOrg(t, mock) {
  const org = await mock.newOrg();
  t.after(async () => {
    await org.delete().catch((error) => {
      if (error.status !== 404) throw error; // the test may have deleted it itself
    });
  });
  return org;
}

/**
 * Zoho's SDK signed in with `org`'s token labelled `label`. The SDK's DataCenter classes
 * hard-code Zoho's domains; its own Environment class points the API and the accounts server at
 * the mock (the second argument is the token URL, the third the file-upload URL).
 */
export async function signIn(t, mock, org, label = "admin") {
  const env = mock.sdkEnvironment();
  const work = mkdtempSync(join(tmpdir(), "zoho-sdk-"));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  await (await new ZOHOCRMSDK.InitializeBuilder())
    .environment(new ZOHOCRMSDK.Environment(env.apiUrl, env.tokenUrl, env.apiUrl))
    .token(new ZOHOCRMSDK.OAuthBuilder().accessToken(org.token(label)).build())
    .store(new ZOHOCRMSDK.FileStore(join(work, "tokens.txt")))
    .SDKConfig(new ZOHOCRMSDK.SDKConfigBuilder().autoRefreshFields(false).pickListValidation(false).build())
    .resourcePath(work)
    .logger(new ZOHOCRMSDK.LogBuilder().level(ZOHOCRMSDK.Levels.INFO).filePath(join(work, "sdk.log")).build())
    .initialize();
}

/** A Choice's value, or the value itself (the SDK wraps enum-typed fields in Choice). */
export function value(x) {
  return x instanceof ZOHOCRMSDK.Choice ? x.getValue() : x;
}

/** [status, code, message] of an APIException answer. */
export function errorOf(response) {
  const error = response.getObject();
  if (!(error instanceof ZOHOCRMSDK.ShareRecords.APIException || error instanceof ZOHOCRMSDK.SharingRules.APIException)) {
    throw new Error(`not an APIException: ${error?.constructor?.name}`);
  }
  return [response.getStatusCode(), value(error.getCode()), value(error.getMessage())];
}

export { ZOHOCRMSDK };

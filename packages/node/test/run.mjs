// Runs the test files with `node --test`, two at a time, against one mock started here through
// the package: files running side by side share the mock and are kept apart by their orgs.
// Extra arguments go to `node --test`. Exit status: the test run's.

import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

import { startMock } from "zoho-sharing-mock";

const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here).filter((f) => f.endsWith(".test.mjs")).sort();
const mock = await startMock();
console.log(`mock ${mock.baseUrl} (pid ${mock.pid})`);
const code = await new Promise((resolve) => {
  const run = spawn(process.execPath, ["--test", "--test-concurrency=2", ...process.argv.slice(2), ...files], {
    cwd: here,
    stdio: "inherit",
    env: { ...process.env, ZOHO_MOCK_URL: mock.baseUrl },
  });
  run.on("exit", (status, signal) => resolve(status ?? (signal ? 1 : 0)));
});
await mock.stop();
process.exit(code);

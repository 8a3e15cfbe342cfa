// prepack: copies the mock binary into bin/ (not committed) and records the platform it runs
// on, so `npm pack` always packs a binary and the module can tell a foreign platform's binary
// from a missing one.
//
// The binary: $ZOHO_MOCK_PACK_BINARY, else the repository's static release build
// (`cargo build --release --locked --target x86_64-unknown-linux-musl --bin zoho-sharing-mock`).
// Its version must be this package's.

import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repository = resolve(packageDir, "..", "..");
const source =
  process.env.ZOHO_MOCK_PACK_BINARY ||
  join(repository, "target", "x86_64-unknown-linux-musl", "release", "zoho-sharing-mock");

function fail(message) {
  console.error(`copy-binary: ${message}`);
  process.exit(1);
}

if (!existsSync(source)) {
  fail(
    `no binary at ${source}: build it with \`cargo build --release --locked --target ` +
      "x86_64-unknown-linux-musl --bin zoho-sharing-mock` in the repository (or set " +
      "ZOHO_MOCK_PACK_BINARY to a binary)",
  );
}
// The binary answers --version with "zoho-sharing-mock X.Y.Z".
const version = execFileSync(source, ["--version"], { encoding: "utf8" }).trim().split(/\s+/).pop();
const { version: packageVersion } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
if (version !== packageVersion) {
  fail(`${source} is version ${version}, this package ${packageVersion}`);
}

const bin = join(packageDir, "bin");
mkdirSync(bin, { recursive: true });
copyFileSync(source, join(bin, "zoho-sharing-mock"));
chmodSync(join(bin, "zoho-sharing-mock"), 0o755);
const { platform, arch } = platformOf(readFileSync(source));
writeFileSync(join(bin, "platform.json"), `${JSON.stringify({ platform, arch })}\n`);
console.error(`copy-binary: packed ${source} (version ${version}, ${platform} ${arch})`);

/** Node's `process.platform` and `process.arch` for an executable, from its header. */
function platformOf(bytes) {
  const elf = bytes.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  if (elf) {
    // e_machine, little-endian on both architectures built here.
    const machine = { 0x3e: "x64", 0xb7: "arm64" }[bytes.readUInt16LE(18)];
    if (machine) return { platform: "linux", arch: machine };
  }
  const machO = bytes.readUInt32LE(0) === 0xfeedfacf;
  if (machO) {
    const cpu = { 0x01000007: "x64", 0x0100000c: "arm64" }[bytes.readUInt32LE(4)];
    if (cpu) return { platform: "darwin", arch: cpu };
  }
  fail("cannot tell which platform the binary is for (not a Linux ELF or macOS Mach-O executable of x64 or arm64)");
}

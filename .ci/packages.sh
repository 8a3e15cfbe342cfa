#!/usr/bin/env bash
# Builds the Python wheel and the npm package (DESIGN §9) around one static release binary,
# installs each into a fresh environment, and runs their suites there: the wheel's pytest suite
# (Zoho's Python CRM SDK through the pytest plugin, two xdist workers sharing one mock) and the
# npm package's node --test suite (Zoho's Node CRM SDK). Nothing is published.
#
# - tools a fresh Debian machine lacks: python3-venv, musl-tools (musl-gcc for the allocator's C
#   code), nodejs and npm (apt); the musl target (rustup); maturin in target/packages/build-venv
# - the binary: `maturin build --target x86_64-unknown-linux-musl` compiles it into
#   target/x86_64-unknown-linux-musl/release/, the very file `npm pack` copies into the npm
#   package and .ci/docker.sh puts in the image (its cargo build is then a no-op)
# - the wheel and the tarball: target/packages/dist/
# - fresh environments, made anew on every run: target/packages/test-venv (the test
#   requirements and the wheel) and target/packages/node-project (packages/node/test with
#   `npm ci`, then `npm install` of the tarball)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
fi
as_root=""
[ "$(id -u)" -ne 0 ] && as_root="sudo"

target=x86_64-unknown-linux-musl
out=target/packages
dist=$out/dist
build_venv=$out/build-venv
test_venv=$out/test-venv
node_project=$out/node-project
python=${PYTHON:-python3}
# No __pycache__ folders in the work tree.
export PYTHONDONTWRITEBYTECODE=1
# The suites must test the packaged binaries, not one named for another purpose.
unset ZOHO_MOCK_BINARY ZOHO_MOCK_PORT ZOHO_MOCK_HOST ZOHO_MOCK_FIXTURES ZOHO_MOCK_STATE_FILE \
    ZOHO_MOCK_ADMIN_TOKEN ZOHO_MOCK_TLS_PORT

now_us() { echo "${EPOCHREALTIME/[.,]/}"; }
since() {
    local us=$(($(now_us) - $1))
    printf '%d.%d s' $((us / 1000000)) $((us % 1000000 / 100000))
}
script_start=$(now_us)
part_start=$script_start
say() { printf 'packages.sh: %s\n' "$*"; }
fail() {
    say "FAILED: $*" >&2
    exit 1
}
part() {
    part_start=$(now_us)
    say "$*"
}
took() { say "$1 took $(since "$part_start")"; }
cleanup() {
    local status=$?
    # The copied binary is a build leftover; packages/node/bin is not committed.
    rm -rf packages/node/bin
    say "total $(since "$script_start")"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. Tools.
part "installing what is missing"
apt_install() {
    command -v apt-get >/dev/null 2>&1 || fail "need $* and there is no apt-get"
    $as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq "$@" >/dev/null
}
# A new virtualenv in $1. Debian ships venv's pip bootstrap separately (python3-venv), which a
# fresh machine lacks.
make_venv() {
    if ! "$python" -m venv "$1" 2>/dev/null; then
        rm -rf "$1"
        apt_install python3-venv
        "$python" -m venv "$1"
    fi
}
missing=()
command -v musl-gcc >/dev/null 2>&1 || missing+=(musl-tools)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' \
    || fail "node $(node --version) is too old: the npm package needs Node 18 or later"
if command -v rustup >/dev/null 2>&1; then
    rustup target list --installed | grep -qx "$target" || rustup target add "$target"
fi
[ -x "$build_venv/bin/python" ] || make_venv "$build_venv"
# A no-op when the pinned version is installed already.
"$build_venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r packages/python/requirements-build.txt
took "installing"

# 1b. The README's Python and Node examples are test files of the suites below, verbatim.
for example in packages/python/tests/test_readme_example.py packages/node/test/readme-example.test.mjs; do
    "$python" -c 'import sys; sys.exit(open(sys.argv[2]).read() not in open(sys.argv[1]).read())' \
        README.md "$example" || fail "README.md does not hold $example verbatim"
done

# 2. The wheel: maturin compiles the static release binary and wraps it with the Python module.
part "building the wheel (maturin, $target)"
rm -rf "$dist"
mkdir -p "$dist"
(
    cd packages/python
    # manylinux_2_17 and musllinux_1_2 together: a static binary needs neither libc, so one
    # wheel installs on glibc and musl Linux alike.
    "../../$build_venv/bin/maturin" build --release --locked --target "$target" \
        --compatibility manylinux_2_17 musllinux_1_2 --out "../../$dist"
)
wheel=$(ls "$dist"/zoho_sharing_mock-*.whl)
binary=target/$target/release/zoho-sharing-mock
if command -v file >/dev/null 2>&1 && file -b "$binary" | grep -q 'dynamically linked'; then
    fail "$binary is dynamically linked: $(file -b "$binary")"
fi
took "building the wheel"

# 3. The npm package around the same binary (its prepack script copies it into bin/).
part "packing the npm package"
(cd packages/node && npm pack --silent --pack-destination "../../$dist" >/dev/null)
tarball=$(ls "$dist"/zoho-sharing-mock-*.tgz)
rm -rf packages/node/bin
took "packing"
say "built $(basename "$wheel") and $(basename "$tarball")"

# 4. The wheel in a new virtualenv, and its suite there.
part "Python: the wheel in a fresh venv, pytest -p xdist -n 2"
rm -rf "$test_venv"
make_venv "$test_venv"
"$test_venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r packages/python/tests/requirements.txt "$wheel"
# From packages/python (its pyproject.toml holds the pytest options); `zoho_sharing_mock` is
# the installed one, as the suite checks.
(cd packages/python && "../../$test_venv/bin/python" -m pytest -p xdist -n 2 -q)
took "the Python suite"

# 5. The tarball in a new Node project, and its suite there.
part "Node: the tarball in a fresh project, node --test"
rm -rf "$node_project"
mkdir -p "$node_project"
cp packages/node/test/package.json packages/node/test/package-lock.json \
    packages/node/test/*.mjs "$node_project/"
tarball_path="$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")"
(
    cd "$node_project"
    npm ci --no-audit --no-fund --loglevel=error
    npm install --no-save --no-audit --no-fund --loglevel=error "$tarball_path"
    node run.mjs
)
took "the Node suite"

say "the wheel and the npm package are proven"

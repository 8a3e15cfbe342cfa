#!/usr/bin/env bash
# Browser tests of the dashboard (DESIGN §10): installs Debian's chromium and the pinned npm
# packages when missing, builds the binary, starts it twice on free ports (once plain, once with
# --admin-token), runs tests/browser with `node --test`, and stops both servers by PID on the
# way out, failure included. Screenshots of every view land in target/dashboard-screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

say() { printf 'browser.sh: %s\n' "$*"; }
fail() {
    say "FAILED: $*" >&2
    exit 1
}

if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
fi
as_root=""
[ "$(id -u)" -ne 0 ] && as_root="sudo"
apt_install() {
    $as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq "$@"
}

chromium=/usr/bin/chromium
if [ ! -x "$chromium" ]; then
    say "installing chromium"
    apt_install chromium
fi
command -v node >/dev/null 2>&1 || apt_install nodejs npm
say "$("$chromium" --version 2>/dev/null | head -n1), node $(node --version)"

# The npm packages pinned in tests/browser/package-lock.json; `npm ci` when they are missing or
# differ from the lock file.
wanted=$(node -p 'require("./tests/browser/package-lock.json").packages["node_modules/playwright-core"].version')
installed=$(node -p 'try { require("./tests/browser/node_modules/playwright-core/package.json").version } catch { "" }')
if [ "$wanted" != "$installed" ]; then
    say "npm ci (playwright-core $wanted)"
    (cd tests/browser && npm ci --no-audit --no-fund)
fi

cargo build --locked
binary="$root/target/debug/zoho-sharing-mock"

# The servers must not pick up settings from the caller's environment.
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^ZOHO_MOCK_' || true)

work="$(mktemp -d)"
pids=()
cleanup() {
    local status=$?
    set +e
    for pid in "${pids[@]}"; do
        say "stopping the mock (pid $pid)"
        kill -TERM "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    if [ "$status" -ne 0 ]; then
        for log in "$work"/*.err; do
            [ -f "$log" ] && { say "last lines of $(basename "$log"):"; tail -n 20 "$log"; }
        done
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

# start NAME ARGS...: start the binary on a free port and set url_NAME from its first stdout line.
start() {
    local name=$1
    shift
    "$binary" --port 0 "$@" >"$work/$name.out" 2>"$work/$name.err" &
    local pid=$!
    pids+=("$pid")
    local line=""
    for _ in $(seq 1 100); do
        line=$(head -n1 "$work/$name.out" 2>/dev/null || true)
        [[ $line == "listening on http://"* ]] && break
        kill -0 "$pid" 2>/dev/null || fail "the mock ($name) exited: $(cat "$work/$name.err")"
        sleep 0.1
    done
    [[ $line == "listening on http://"* ]] || fail "the mock ($name) printed no address in 10 s"
    printf -v "url_$name" '%s' "${line#listening on }"
    say "mock ($name, pid $pid) on ${line#listening on }"
}

secret="browser-$$-$RANDOM"
start plain
start token --admin-token "$secret"

shots="$root/target/dashboard-screenshots"
rm -rf "$shots"
mkdir -p "$shots"
# shellcheck disable=SC2154 # url_plain and url_token are set by start
(
    cd tests/browser
    ZOHO_MOCK_URL="$url_plain" ZOHO_MOCK_TOKEN_URL="$url_token" ZOHO_MOCK_ADMIN_SECRET="$secret" \
        SCREENSHOT_DIR="$shots" CHROMIUM="$chromium" \
        node --test --test-concurrency=1 --test-reporter=spec dashboard.test.js
)
say "screenshots: $(find "$shots" -name '*.png' | wc -l) in target/dashboard-screenshots/"

#!/usr/bin/env bash
# Runs Zoho's official Python CRM SDK 8.0 (PyPI zohocrmsdk8-0, unmodified) against a started
# mock binary: every tests/sdk/python/test_crm_*.py in one session (the settings and search calls,
# and the records and effective access ones).
#
# - a virtualenv in target/sdk-venv with the pinned packages of tests/sdk/python/requirements.txt
# - the binary: target/debug/zoho-sharing-mock, built with `cargo build` (ZOHO_MOCK_BIN overrides it)
# - the mock starts on a free port (--port 0); its first stdout line `listening on http://HOST:PORT`
#   gives the base URL, passed to pytest as ZOHO_MOCK_URL
# - the mock is stopped by its PID when the tests end, whatever their outcome
#
# Extra arguments go to pytest (e.g. `-k roles`). Exit status: pytest's.
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=target/sdk-venv
requirements=tests/sdk/python/requirements.txt
python=${PYTHON:-python3}
# No __pycache__ folders in the work tree.
export PYTHONDONTWRITEBYTECODE=1

if [ ! -x "$venv/bin/python" ]; then
    if ! "$python" -m venv "$venv" 2>/dev/null; then
        # Debian ships venv's pip bootstrap separately (python3-venv); a fresh CI machine lacks it.
        rm -rf "$venv"
        if command -v apt-get >/dev/null 2>&1; then
            sudo_cmd=""
            [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
            $sudo_cmd apt-get update -qq
            $sudo_cmd apt-get install -y -qq python3-venv
        fi
        "$python" -m venv "$venv"
    fi
fi
# A no-op when the pinned versions are installed already.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"

# Always the binary of this tree (a no-op after `cargo test`): a release binary left over from
# an older build would test old code.
if [ -n "${ZOHO_MOCK_BIN:-}" ]; then
    bin=$ZOHO_MOCK_BIN
else
    cargo build --quiet --bin zoho-sharing-mock
    bin=target/debug/zoho-sharing-mock
fi

work=$(mktemp -d)
server_pid=""
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# The mock must not pick up settings meant for another instance.
env -u ZOHO_MOCK_PORT -u ZOHO_MOCK_HOST -u ZOHO_MOCK_FIXTURES -u ZOHO_MOCK_STATE_FILE \
    -u ZOHO_MOCK_ADMIN_TOKEN \
    "$bin" --host 127.0.0.1 --port 0 >"$work/stdout" 2>"$work/stderr" &
server_pid=$!

base_url=""
for _ in $(seq 1 100); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "the mock exited before listening:" >&2
        cat "$work/stderr" >&2
        exit 1
    fi
    line=$(head -n 1 "$work/stdout" 2>/dev/null || true)
    case "$line" in
        "listening on http://"*)
            base_url=${line#listening on }
            break
            ;;
    esac
    sleep 0.1
done
if [ -z "$base_url" ]; then
    echo "the mock did not print its address within 10 s" >&2
    cat "$work/stderr" >&2
    exit 1
fi
echo "mock $bin at $base_url (pid $server_pid)"

# -p no:logging: the SDK logs some errors with a broken format call (`logger.error(msg, ex)`),
# which pytest's log capture turns into test failures; the SDK's own log file is kept instead.
status=0
ZOHO_MOCK_URL=$base_url "$venv/bin/python" -m pytest -p no:cacheprovider -p no:logging \
    tests/sdk/python/test_crm_*.py "$@" || status=$?
exit "$status"

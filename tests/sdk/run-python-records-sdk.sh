#!/usr/bin/env bash
# Runs Zoho's official Python CRM SDK 8.0 (PyPI zohocrmsdk8-0, unmodified) against a freshly
# started mock: the records-and-access test (tests/sdk/python/test_crm_records_sdk.py).
#
# The SDK and its test runner live in a virtualenv under target/sdk-venv, with pinned versions.
# The binary is target/debug/zoho-sharing-mock (built here unless ZOHO_MOCK_BINARY names another).
# It is started with --port 0; its first stdout line, "listening on http://HOST:PORT", gives the
# base URL, passed to the tests as ZOHO_MOCK_BASE_URL. The mock is stopped by its PID on exit.
set -euo pipefail

cd "$(dirname "$0")/../.."

venv=target/sdk-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check \
    zohocrmsdk8-0==7.0.0 \
    requests==2.34.2 \
    python-dateutil==4.0.0 \
    urllib3==2.8.0 \
    pytest==9.2.0

binary=${ZOHO_MOCK_BINARY:-target/debug/zoho-sharing-mock}
if [ -z "${ZOHO_MOCK_BINARY:-}" ]; then
    cargo build --quiet --bin zoho-sharing-mock
fi

work=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

"$binary" --port 0 >"$work/stdout" 2>"$work/stderr" &
pid=$!

base=
for _ in $(seq 1 300); do
    line=$(head -n 1 "$work/stdout" 2>/dev/null || true)
    case "$line" in
        "listening on http://"*)
            base=${line#listening on }
            break
            ;;
    esac
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "the mock exited before listening:" >&2
        cat "$work/stderr" >&2
        exit 1
    fi
    sleep 0.1
done
if [ -z "$base" ]; then
    echo "the mock did not print its address within 30 s" >&2
    exit 1
fi

PYTHONDONTWRITEBYTECODE=1 ZOHO_MOCK_BASE_URL=$base "$venv/bin/python" -m pytest -q -p no:cacheprovider \
    tests/sdk/python/test_crm_records_sdk.py "$@"

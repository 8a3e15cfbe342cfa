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
# shellcheck source=tests/sdk/lib.sh
. tests/sdk/lib.sh
python_venv "$venv" tests/sdk/python/requirements.txt
start_mock

# -p no:logging: the SDK logs some errors with a broken format call (`logger.error(msg, ex)`),
# which pytest's log capture turns into test failures; the SDK's own log file is kept instead.
status=0
ZOHO_MOCK_URL=$base_url "$venv/bin/python" -m pytest -p no:cacheprovider -p no:logging \
    tests/sdk/python/test_crm_*.py "$@" || status=$?
exit "$status"

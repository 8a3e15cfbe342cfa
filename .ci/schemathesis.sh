#!/usr/bin/env bash
# Fuzzes the mock against its own OpenAPI document (GET /__admin/openapi.json) with schemathesis:
# zero 5xx the document does not declare, zero answers whose status, content type or body the
# document does not declare.
#
# - a virtualenv in target/schemathesis-venv with the pinned version of .ci/schemathesis-requirements.txt
# - the binary: target/debug/zoho-sharing-mock (`cargo build`; ZOHO_MOCK_BIN overrides it), started
#   on a free port (--port 0) with the embedded sandbox; its first stdout line gives the base URL
# - requests carry the sandbox's admin token (`Zoho-oauthtoken 1000.sandbox.admin`, which also
#   holds ZohoAnalytics.fullaccess.all), then a minted token with every scope (see the two passes
#   below), and the sandbox's Analytics org id (ZANALYTICS-ORGID); the admin API runs without
#   --admin-token
# - `POST /__admin/faults` is left out: a fault answers any status by design
# - bounded: SCHEMATHESIS_MAX_EXAMPLES test cases per operation (default 10), a fixed seed
#   (SCHEMATHESIS_SEED, default 1) and an overall time limit (SCHEMATHESIS_TIMEOUT seconds, default 600)
# - the mock is stopped by its PID on exit, whatever the outcome
#
# Extra arguments go to `schemathesis run`. Exit status: schemathesis's (124 when out of time).
set -euo pipefail
cd "$(dirname "$0")/.."

root=$PWD
venv=target/schemathesis-venv
# shellcheck source=tests/sdk/lib.sh
. tests/sdk/lib.sh
python_venv "$venv" .ci/schemathesis-requirements.txt
start_mock

# The document as the binary serves it (the same file as src/admin/openapi.json).
curl -sSf "$base_url/__admin/openapi.json" -o "$work/openapi.json"

# Two passes over the same document:
# 1. every operation, with the sandbox's admin token (it survives the resets and state imports
#    the admin operations make); it lacks the ZohoCRM.modules scopes, so records answer 401;
# 2. with a token minted for Patricia that holds every scope, so the Records API is exercised
#    too, without the admin operations that would drop that token (reset, state import, org
#    deletion, snapshot restore) or expire it (the clock).
run() {
    local token=$1
    shift
    # From the scratch directory, so that schemathesis' and hypothesis' caches stay out of the tree.
    (cd "$work" && timeout "${SCHEMATHESIS_TIMEOUT:-600}" "$root/$venv/bin/schemathesis" --no-color run openapi.json \
        --url "$base_url" \
        --header "Authorization: Zoho-oauthtoken $token" \
        --header "ZANALYTICS-ORGID: 700017001" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
        --exclude-operation-id adminAddFault \
        --phases examples,coverage,fuzzing \
        --mode all \
        --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-10}" \
        --seed "${SCHEMATHESIS_SEED:-1}" \
        --workers 1 \
        --report-dir report \
        "$@")
}
status=0
run 1000.sandbox.admin "$@" || status=$?
if [ "$status" -eq 0 ]; then
    curl -sSf -X POST "$base_url/__admin/reset"
    every_scope=$(curl -sSf -X POST "$base_url/__admin/tokens" \
        -H 'Content-Type: application/json' -d '{"org":"zylker","user":"4150868000001174048","scopes":["ZohoCRM.modules.ALL","ZohoCRM.share.ALL","ZohoCRM.settings.ALL","ZohoCRM.users.ALL","ZohoCRM.org.ALL","ZohoAnalytics.fullaccess.all"]}' \
        | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
    run "$every_scope" \
        --exclude-operation-id adminReset \
        --exclude-operation-id adminImportState \
        --exclude-operation-id adminDeleteOrg \
        --exclude-operation-id adminRestoreSnapshot \
        --exclude-operation-id adminSetClock \
        "$@" || status=$?
fi
if [ "$status" -ne 0 ]; then
    echo "schemathesis failed (exit $status); the mock's log:" >&2
    tail -n 50 "$work/stderr" >&2
fi
exit "$status"

# shellcheck shell=bash
# Shared by the scripts that run a Python client against a started mock binary
# (tests/sdk/run-python-sdk.sh, .ci/schemathesis.sh); sourced from the repository root.
#
# - python_venv VENV REQUIREMENTS: a virtualenv in VENV with the pinned packages of REQUIREMENTS
#   (a no-op when they are installed already); installs Debian's python3-venv when `python3 -m
#   venv` cannot run (Debian ships venv's pip bootstrap apart, and a fresh CI machine lacks it)
# - start_mock: starts $ZOHO_MOCK_BIN, or target/debug/zoho-sharing-mock after `cargo build`, on
#   a free port of 127.0.0.1 (--port 0) without the caller's ZOHO_MOCK_* settings; sets `bin`,
#   `base_url` (from its first stdout line, `listening on http://HOST:PORT`), `server_pid` and
#   `work` (a scratch directory holding its stdout and stderr); the EXIT trap stops it by its PID
#   and removes `work`, whatever the outcome

export PYTHONDONTWRITEBYTECODE=1

python_venv() {
    local venv=$1 requirements=$2 python=${PYTHON:-python3}
    if [ ! -x "$venv/bin/python" ]; then
        if ! "$python" -m venv "$venv" 2>/dev/null; then
            rm -rf "$venv"
            if command -v apt-get >/dev/null 2>&1; then
                local sudo_cmd=""
                [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
                $sudo_cmd apt-get update -qq
                $sudo_cmd apt-get install -y -qq python3-venv
            fi
            "$python" -m venv "$venv"
        fi
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
}

# shellcheck disable=SC2317 # called by the EXIT trap
stop_mock() {
    if [ -n "${server_pid:-}" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "${work:-}"
}

start_mock() {
    if [ -n "${ZOHO_MOCK_BIN:-}" ]; then
        bin=$ZOHO_MOCK_BIN
    else
        # Always the binary of this tree (a no-op after `cargo test`): a binary left over from an
        # older build would test old code.
        cargo build --quiet --bin zoho-sharing-mock
        bin=target/debug/zoho-sharing-mock
    fi
    work=$(mktemp -d)
    server_pid=""
    trap stop_mock EXIT
    # The mock must not pick up settings meant for another instance.
    env -u ZOHO_MOCK_PORT -u ZOHO_MOCK_HOST -u ZOHO_MOCK_FIXTURES -u ZOHO_MOCK_STATE_FILE \
        -u ZOHO_MOCK_ADMIN_TOKEN \
        "$bin" --host 127.0.0.1 --port 0 >"$work/stdout" 2>"$work/stderr" &
    server_pid=$!
    base_url=""
    local line
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
}

#!/usr/bin/env bash
# Runs Zoho's official Python v2 Analytics client (zoho-analytics-connector 1.4.8, unmodified)
# against a started mock binary: creates target/analytics-venv with pinned versions, starts the
# binary on a free port, passes its base URL in ZOHO_MOCK_BASE_URL, and stops it by PID.
#
# The binary is $ZOHO_MOCK_BIN, else the newer of target/release and target/debug, else one
# built with `cargo build`.
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=target/analytics-venv
as_root=""
[ "$(id -u)" -ne 0 ] && as_root="sudo"
apt_install() {
    $as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq "$@"
}
make_venv() {
    rm -rf "$venv"
    python3 -m venv "$venv"
}
if ! command -v python3 >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    apt_install python3 python3-venv
fi
if [ ! -x "$venv/bin/python" ] && ! make_venv 2>/dev/null; then
    # Debian ships venv's ensurepip apart, as python3-venv (or python3.X-venv).
    if command -v apt-get >/dev/null 2>&1; then
        version="$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
        apt_install python3-venv || apt_install "python$version-venv"
    fi
    make_venv
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r tests/sdk/python/requirements-analytics.txt

bin="${ZOHO_MOCK_BIN:-}"
if [ -z "$bin" ]; then
    for candidate in target/release/zoho-sharing-mock target/debug/zoho-sharing-mock; do
        if [ -x "$candidate" ] && { [ -z "$bin" ] || [ "$candidate" -nt "$bin" ]; }; then
            bin="$candidate"
        fi
    done
fi
if [ -z "$bin" ]; then
    cargo build --quiet
    bin=target/debug/zoho-sharing-mock
fi

work="$(mktemp -d)"
pid=""
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

"$bin" --port 0 >"$work/stdout" 2>"$work/stderr" &
pid=$!

base=""
for _ in $(seq 1 300); do
    line="$(head -n 1 "$work/stdout" 2>/dev/null || true)"
    case "$line" in
        "listening on http://"*)
            base="${line#listening on }"
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
    cat "$work/stderr" >&2
    exit 1
fi

echo "official Analytics v2 client against $base ($bin)"
# requests honours HTTP(S)_PROXY from the environment; the mock is local.
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"
ZOHO_MOCK_BASE_URL="$base" "$venv/bin/python" -m pytest -q -p no:cacheprovider \
    tests/sdk/python/test_analytics_v2_client.py "$@"

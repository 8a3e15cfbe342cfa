#!/usr/bin/env bash
# Proves the Docker image's runtime (DESIGN §8) on a machine that cannot reach Docker Hub: builds
# the static (musl) binary, builds Dockerfile.runtime around it (`FROM scratch`: nothing to pull),
# runs it with a state file on a named volume, waits for the image's own HEALTHCHECK, shares a
# record, restarts, and reads the share back; then checks that the health check follows
# ZOHO_MOCK_PORT. Starts its own dockerd (as root) unless one already answers, and stops it by
# PID on the way out, failure included. A daemon that cannot start is a failure, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
fi
as_root=""
if [ "$(id -u)" -ne 0 ]; then
    # dockerd runs as root and its socket is root's.
    as_root="sudo"
    # shellcheck disable=SC2032,SC2033 # sudo runs the docker binary, as meant
    docker() { sudo --preserve-env=DOCKER_HOST docker "$@"; }
fi

target=x86_64-unknown-linux-musl
image=zoho-sharing-mock:ci
tag="zoho-mock-ci-$$"
work="$(mktemp -d)"
dockerd_pid=""
now_us() { echo "${EPOCHREALTIME/[.,]/}"; }
since() {
    local us=$(($(now_us) - $1))
    printf '%d.%d s' $((us / 1000000)) $((us % 1000000 / 100000))
}
script_start=$(now_us)
part_start=$script_start

say() { printf 'docker.sh: %s\n' "$*"; }
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
    set +e
    if [ -n "${DOCKER_READY:-}" ]; then
        for container in "$tag" "$tag-restarted" "$tag-port"; do
            docker rm -f "$container" >/dev/null 2>&1
        done
        docker volume rm "$tag-state" >/dev/null 2>&1
        docker rmi "$image" >/dev/null 2>&1
    fi
    if [ -n "$dockerd_pid" ]; then
        say "stopping dockerd (pid $dockerd_pid)"
        $as_root kill -TERM "$dockerd_pid" 2>/dev/null
        for _ in $(seq 1 100); do
            $as_root kill -0 "$dockerd_pid" 2>/dev/null || break
            sleep 0.2
        done
        if $as_root kill -0 "$dockerd_pid" 2>/dev/null; then
            say "dockerd (pid $dockerd_pid) did not stop in 20 s; killing it"
            $as_root kill -KILL "$dockerd_pid" 2>/dev/null
        fi
        wait "$dockerd_pid" 2>/dev/null
    fi
    $as_root rm -rf "$work" 2>/dev/null || say "could not remove $work"
    say "total $(since "$script_start")"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. The user's Dockerfile and the CI one must end in the same runtime stage.
runtime_stage() { sed -n '/^FROM .* AS runtime$/,$p' "$1"; }
[ -n "$(runtime_stage Dockerfile)" ] || fail "Dockerfile has no 'FROM ... AS runtime' stage"
if ! diff -u <(runtime_stage Dockerfile) <(runtime_stage Dockerfile.runtime); then
    fail "the runtime stages of Dockerfile and Dockerfile.runtime differ (diff above)"
fi

# 2. Tools: docker.io (dockerd and the client), musl-gcc for the C parts (mimalloc), the musl
# standard library, curl.
part "installing what is missing"
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v musl-gcc >/dev/null 2>&1 || missing+=(musl-tools)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ "${#missing[@]}" -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || fail "need ${missing[*]} and there is no apt-get"
    $as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v docker >/dev/null 2>&1 || fail "no docker client after installing docker.io"
if command -v rustup >/dev/null 2>&1; then
    rustup target list --installed | grep -qx "$target" || rustup target add "$target"
fi
took "installing"

# 3. The daemon: an existing one if it answers, else our own, with its state in $work so that
# nothing outlives this script.
part "starting dockerd"
if docker info >/dev/null 2>&1; then
    say "using the docker daemon that already answers ($(docker info -f '{{.ServerVersion}}'))"
else
    socket="$work/docker.sock"
    $as_root dockerd --data-root "$work/root" --exec-root "$work/exec" \
        --pidfile "$work/dockerd.pid" --host "unix://$socket" >"$work/dockerd.log" 2>&1 &
    dockerd_pid=$!
    export DOCKER_HOST="unix://$socket"
    for _ in $(seq 1 150); do
        if ! $as_root kill -0 "$dockerd_pid" 2>/dev/null; then
            dockerd_pid=""
            tail -n 20 "$work/dockerd.log" >&2
            fail "dockerd exited while starting (its log is above); the image cannot be proven"
        fi
        docker info >/dev/null 2>&1 && break
        sleep 0.2
    done
    if ! docker info >/dev/null 2>&1; then
        tail -n 20 "$work/dockerd.log" >&2
        fail "dockerd (pid $dockerd_pid) did not answer within 30 s (its log is above)"
    fi
    say "dockerd $(docker info -f '{{.ServerVersion}}') started (pid $dockerd_pid," \
        "storage $(docker info -f '{{.Driver}}'))"
fi
DOCKER_READY=1
took "starting dockerd"

# 4. The static binary and the runtime image around it.
part "building the static binary ($target)"
cargo build --release --locked --target "$target" --bin zoho-sharing-mock
binary="target/$target/release/zoho-sharing-mock"
# (A dynamically linked binary would also fail below: `scratch` has no loader.)
if command -v file >/dev/null 2>&1 && file -b "$binary" | grep -q 'dynamically linked'; then
    fail "$binary is dynamically linked: $(file -b "$binary")"
fi
took "building the binary"

part "building $image from Dockerfile.runtime"
mkdir -p "$work/context"
cp -r docker "$binary" "$work/context/"
# As the user's Dockerfile does; without binutils the image is only larger.
if command -v strip >/dev/null 2>&1; then strip "$work/context/zoho-sharing-mock"; fi
# Whichever builder the client picks (the legacy one without buildx), nothing is pulled.
docker build -q -f Dockerfile.runtime -t "$image" "$work/context" >/dev/null
[ "$(docker inspect -f '{{.Config.User}}' "$image")" = "10001:10001" ] \
    || fail "the image does not run as 10001:10001"
took "building the image"

# Waits until container $1 reports `healthy`; prints its health log and output otherwise.
wait_healthy() {
    local status=""
    for _ in $(seq 1 60); do
        status="$(docker inspect -f '{{.State.Status}} {{.State.Health.Status}}' "$1")"
        case "$status" in
        "running healthy") return 0 ;;
        "running unhealthy" | exited* | dead*) break ;;
        esac
        sleep 0.5
    done
    docker inspect -f '{{json .State.Health}}' "$1" >&2
    docker logs "$1" >&2
    fail "container $1 is '$status', not healthy (health log and output above)"
}

# The host address a container's port $2 is published on.
published() { docker port "$1" "$2/tcp" | head -n 1; }

share_url=/crm/v8/Leads/4150868000001148212/actions/share
auth='Authorization: Zoho-oauthtoken 1000.sandbox.admin'
# Prints the body; fails unless the answer has status $1.
call() {
    local want=$1
    shift
    local out code
    out="$(curl -sS --noproxy '*' --max-time 10 -w '\n%{http_code}' "$@")" \
        || fail "curl $* failed"
    code="${out##*$'\n'}"
    [ "$code" = "$want" ] || fail "curl $* answered $code, not $want: ${out%$'\n'*}"
    printf '%s' "${out%$'\n'*}"
}

# 5. State on a named volume, kept across a restart and across a new container.
part "run with a state file on a volume, share, restart, read back"
docker volume create "$tag-state" >/dev/null
run_mock() {
    docker run -d --name "$1" -p 127.0.0.1::8080 \
        -e ZOHO_MOCK_STATE_FILE=/data/state.db -v "$tag-state:/data" "$image" >/dev/null
}
run_mock "$tag"
wait_healthy "$tag"
base="http://$(published "$tag" 8080)"
answer="$(call 201 -X POST "$base$share_url" -H "$auth" \
    -d '{"share":[{"type":"private","permission":"read_only","shared_with":{"type":"users","id":"4150868000001199001"}}]}')"
case "$answer" in
*'"code":"SUCCESS"'*) ;;
*) fail "the share was not acknowledged: $answer" ;;
esac
shared="$(call 200 "$base$share_url" -H "$auth")"
case "$shared" in
*'"shared_with":{"id":"4150868000001199001"'*'"type":"private"'*) ;;
*) fail "the share is not listed: $shared" ;;
esac

docker restart "$tag" >/dev/null
wait_healthy "$tag"
base="http://$(published "$tag" 8080)"
after_restart="$(call 200 "$base$share_url" -H "$auth")"
[ "$after_restart" = "$shared" ] \
    || fail "after a restart the shares read $after_restart, not $shared"

# A new container proves the state is on the volume, not in the old container's layer.
docker rm -f "$tag" >/dev/null
run_mock "$tag-restarted"
wait_healthy "$tag-restarted"
base="http://$(published "$tag-restarted" 8080)"
in_new_container="$(call 200 "$base$share_url" -H "$auth")"
[ "$in_new_container" = "$shared" ] \
    || fail "a new container on the volume reads $in_new_container, not $shared"
docker rm -f "$tag-restarted" >/dev/null
took "the volume round trip"

# 6. The health check follows ZOHO_MOCK_PORT.
part "run with ZOHO_MOCK_PORT=9090"
docker run -d --name "$tag-port" -p 127.0.0.1::9090 -e ZOHO_MOCK_PORT=9090 "$image" >/dev/null
wait_healthy "$tag-port"
call 200 "http://$(published "$tag-port" 9090)/__admin/health" >/dev/null
docker rm -f "$tag-port" >/dev/null
took "the port check"

say "the runtime image is proven"

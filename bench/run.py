#!/usr/bin/env python3
"""Out-of-process benchmark of zoho-sharing-mock against a bare axum baseline.

Linux only (taskset, /proc). Standard library only. Installs wrk and valgrind from Debian when
they are missing (as root, through apt-get). See bench/README.md for what each figure means.

    python3 bench/run.py                 # calls: CPU/request, req/s, ratio; then callgrind, every call
    python3 bench/run.py --quick         # the same, shorter (callgrind for PUT share only)
    python3 bench/run.py callgrind --profile   # instructions per request, and where they go
    python3 bench/run.py scale           # fixture load, memory, org creation, cost at scale, records
    python3 bench/run.py load            # only the fixture load and memory (part of scale)
    python3 bench/run.py records         # only the records list at scale (part of scale)
    python3 bench/run.py durability      # PUT share with --state-file and without; restart with 1M records
    python3 bench/run.py all             # calls, callgrind, then scale

The servers run on one CPU (taskset), the load generator (wrk, or this script's own client) on
another; both binaries are release builds and run as users run them: the mock with its default
flags, its per-request log line on stderr going to a file (or /dev/null with --stderr null).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE_MANIFEST = ROOT / "bench" / "baseline" / "Cargo.toml"
CLK_TCK = os.sysconf("SC_CLK_TCK")

TOKEN = "Zoho-oauthtoken 1000.sandbox.admin"
PUT_BODY = (
    b'{"share":[{"type":"private","permission":"read_only","share_related_records":false,'
    b'"shared_with":{"type":"users","id":"4150868000001199001"}}],"notify":false}'
)
FORM_BODY = b"ZOHO_ACTION=GETSHAREINFO&ZOHO_OUTPUT_FORMAT=JSON&ZOHO_ERROR_FORMAT=JSON&ZOHO_API_VERSION=1.0"


@dataclass(frozen=True)
class Call:
    key: str
    title: str
    method: str
    path: str
    body: bytes = b""
    content_type: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {"Authorization": TOKEN}
        if self.content_type:
            headers["Content-Type"] = self.content_type
        return headers


CALLS = [
    Call(
        "put_share",
        "PUT share (1 user)",
        "PUT",
        "/crm/v8/Leads/4150868000001148212/actions/share",
        PUT_BODY,
        "application/json",
    ),
    Call("shared_details", "GET shared details", "GET", "/crm/v8/Contacts/4150868000001148230/actions/share"),
    Call("rules_summary", "GET rules summary", "GET", "/crm/v8/settings/data_sharing/rules/actions/summary"),
    Call(
        "analytics_v1",
        "Analytics v1 GETSHAREINFO",
        "POST",
        "/api/patricia%40zylker.com/Sales%20Analytics",
        FORM_BODY,
        "application/x-www-form-urlencoded",
    ),
]
CALLS_BY_KEY = {call.key: call for call in CALLS}


def log(message: str = "") -> None:
    print(message, file=sys.stderr, flush=True)


def fail(message: str) -> None:
    log(f"bench: {message}")
    sys.exit(1)


# --------------------------------------------------------------------------------------------
# Tools and builds


def ensure_tool(command: str, package: str) -> None:
    """Installs a Debian package when its command is missing."""
    if shutil.which(command):
        return
    if not shutil.which("apt-get"):
        fail(f"{command} is missing and there is no apt-get to install {package}")
    log(f"installing {package} (apt-get) ...")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = sudo + ["apt-get", "install", "-y", "-q", package]
    if subprocess.run(install, env=env, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(sudo + ["apt-get", "update", "-q"], env=env, stdout=subprocess.DEVNULL, check=True)
        subprocess.run(install, env=env, stdout=subprocess.DEVNULL, check=True)
    if not shutil.which(command):
        fail(f"{package} installed but {command} is still not on PATH")


def cargo_build(args: list[str], binary: str) -> Path:
    """Runs a release build and returns the path of the named executable."""
    command = ["cargo", "build", "--release", "--message-format=json-render-diagnostics", "--bin", binary] + args
    log(f"building {binary}: {' '.join(command[:3] + args)}")
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        fail(f"the build of {binary} failed")
    for line in done.stdout.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message.get("executable"):
            if message["target"]["name"] == binary:
                return Path(message["executable"])
    fail(f"cargo did not report the executable {binary}")
    raise AssertionError


def build(skip: bool, baseline_too: bool = True) -> tuple[Path, Path]:
    if skip:
        mock = ROOT / "target" / "release" / "zoho-sharing-mock"
        baseline = ROOT / "target" / "bench-baseline" / "release" / "bench-baseline"
        for path in (mock, baseline) if baseline_too else (mock,):
            if not path.exists():
                fail(f"--no-build, but {path} does not exist")
        return mock, baseline
    mock = cargo_build([], "zoho-sharing-mock")
    if not baseline_too:
        return mock, ROOT / "target" / "bench-baseline" / "release" / "bench-baseline"
    baseline = cargo_build(
        ["--manifest-path", str(BASELINE_MANIFEST), "--target-dir", str(ROOT / "target" / "bench-baseline")],
        "bench-baseline",
    )
    return mock, baseline


# --------------------------------------------------------------------------------------------
# Servers


RUNNING: list["Server"] = []
# `nice -n N` before every server and load generator (--nice), for a machine busy with other work.
NICE: list[str] = []


def pinned(cpu: int, argv: list[str]) -> list[str]:
    return NICE + ["taskset", "-c", str(cpu)] + argv


class Server:
    """A server process started through taskset, as `listening on http://HOST:PORT` tells."""

    def __init__(self, name: str, argv: list[str], cpu: int, stderr_to: Path | None, start_timeout: float = 120):
        self.name = name
        env = {k: v for k, v in os.environ.items() if not k.startswith("ZOHO_MOCK_") and k != "RUST_LOG"}
        self.stderr_file = open(stderr_to, "ab") if stderr_to else subprocess.DEVNULL
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            pinned(cpu, argv),
            stdout=subprocess.PIPE,
            stderr=self.stderr_file,
            stdin=subprocess.DEVNULL,
            env=env,
        )
        RUNNING.append(self)
        line = self._first_line(start_timeout)
        match = re.fullmatch(r"listening on http://([^:]+):(\d+)", line)
        if not match:
            self.stop()
            fail(f"{name}: unexpected first stdout line {line!r}")
        self.host, self.port = match.group(1), int(match.group(2))
        self.listening_after = time.monotonic() - self.started

    @property
    def pid(self) -> int:
        return self.process.pid

    def _first_line(self, timeout: float) -> str:
        data = b""
        deadline = time.monotonic() + timeout
        fd = self.process.stdout.fileno()
        while b"\n" not in data:
            left = deadline - time.monotonic()
            if left <= 0:
                self.stop()
                fail(f"{self.name}: no listening line within {timeout:.0f} s")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 4096)
                if not chunk:
                    self.process.wait()
                    fail(f"{self.name}: exited with {self.process.returncode} before listening")
                data += chunk
        return data.split(b"\n", 1)[0].decode()

    def cpu_seconds(self) -> float:
        """utime + stime of the whole process (all threads), from /proc/PID/stat."""
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def rss_bytes(self) -> int:
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        raise RuntimeError("no VmRSS")

    def stop(self) -> int | None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
        if self.stderr_file is not subprocess.DEVNULL:
            self.stderr_file.close()
        if self in RUNNING:
            RUNNING.remove(self)
        return self.process.returncode


def stop_all() -> None:
    for server in list(RUNNING):
        server.stop()


# --------------------------------------------------------------------------------------------
# A small keep-alive HTTP/1.1 client (a raw socket: little client time per request)


class Client:
    def __init__(self, host: str, port: int):
        self.sock = socket.create_connection((host, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""
        self.host = f"{host}:{port}"

    def close(self) -> None:
        self.sock.close()

    def encode(self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b"") -> bytes:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        if body or method in ("POST", "PUT"):
            lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body

    def send(self, raw: bytes) -> tuple[int, bytes]:
        self.sock.sendall(raw)
        return self._read()

    def request(self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b"") -> tuple[int, bytes]:
        return self.send(self.encode(method, path, headers, body))

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buffer += chunk

    def _read(self) -> tuple[int, bytes]:
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            length = int(headers["content-length"])
            while len(self.buffer) < length:
                self._fill()
            body, self.buffer = self.buffer[:length], self.buffer[length:]
            return status, body
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                while b"\r\n" not in self.buffer:
                    self._fill()
                size_line, self.buffer = self.buffer.split(b"\r\n", 1)
                size = int(size_line.split(b";")[0], 16)
                while len(self.buffer) < size + 2:
                    self._fill()
                body += self.buffer[:size]
                self.buffer = self.buffer[size + 2 :]
                if size == 0:
                    return status, body
        return status, b""


def wait_health(server: Server, timeout: float = 120) -> float:
    """Seconds from the process start until `/__admin/health` answers 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            client = Client(server.host, server.port)
            status, _ = client.request("GET", "/__admin/health")
            client.close()
            if status == 200:
                return time.monotonic() - server.started
        except OSError:
            pass
        time.sleep(0.002)
    fail(f"{server.name}: /__admin/health did not answer within {timeout:.0f} s")
    raise AssertionError


# --------------------------------------------------------------------------------------------
# wrk


WRK_SCRIPT = """-- generated by bench/run.py
wrk.method = "{method}"
wrk.path = [==[{path}]==]
wrk.body = [==[{body}]==]
{headers}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{{"requests":%d,"duration_us":%d,"status_errors":%d,"socket_errors":%d}}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def wrk_script(call: Call, directory: Path) -> Path:
    headers = "\n".join(f'wrk.headers["{name}"] = "{value}"' for name, value in call.headers().items())
    path = directory / f"{call.key}.lua"
    path.write_text(
        WRK_SCRIPT.format(method=call.method, path=call.path, body=call.body.decode(), headers=headers)
    )
    return path


@dataclass
class Sample:
    requests: int
    seconds: float
    cpu_seconds: float

    @property
    def cpu_us(self) -> float:
        return self.cpu_seconds / self.requests * 1e6

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def drive(server: Server, script: Path, seconds: int, connections: int, cpu: int) -> Sample:
    """One wrk run against the server; the server's CPU time is read around it."""
    command = pinned(cpu, [
        "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script), f"http://{server.host}:{server.port}/",
    ])
    before = server.cpu_seconds()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    after = server.cpu_seconds()
    result = None
    for line in done.stdout.splitlines():
        if line.startswith('{"requests"'):
            result = json.loads(line)
    if done.returncode != 0 or result is None:
        fail(f"wrk failed against {server.name}: {done.stdout}{done.stderr}")
    if result["status_errors"] or result["socket_errors"] or result["requests"] == 0:
        fail(f"{server.name} {script.stem}: {result['status_errors']} non-2xx answers, "
             f"{result['socket_errors']} socket errors in {result['requests']} requests")
    return Sample(result["requests"], result["duration_us"] / 1e6, after - before)


# --------------------------------------------------------------------------------------------
# Reporting helpers


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal:"):
            memory = int(line.split()[1]) // (1024 * 1024)
    return f"{model}, {os.cpu_count()} CPUs, {memory} GiB, Linux {os.uname().release}"


def revision() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src", "Cargo.toml", "Cargo.lock"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        return head + (" (src modified)" if dirty else "")
    except OSError:
        return "unknown"


def header(args: argparse.Namespace) -> None:
    print(f"zoho-sharing-mock benchmark, commit {revision()}")
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f} at start")
    print(f"servers on CPU {args.server_cpu}, load generator on CPU {args.load_cpu}; "
          f"mock with default flags, stderr -> {'/dev/null' if args.stderr == 'null' else 'a file'}"
          + (f"; nice {args.nice}" if args.nice is not None else ""))


def median(values: list[float]) -> float:
    return statistics.median(values)


def table(rows: list[list[str]], align: str) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        cells = [cell.ljust(widths[i]) if align[i] == "l" else cell.rjust(widths[i]) for i, cell in enumerate(row)]
        print("  " + "  ".join(cells))
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))


# --------------------------------------------------------------------------------------------
# calls: CPU per request and throughput, baseline and mock interleaved


def mock_argv(mock: Path, extra: list[str] | None = None) -> list[str]:
    """The mock as a user starts it: default flags, a free port."""
    return [str(mock), "--port", "0"] + (extra or [])


def baseline_argv(baseline: Path) -> list[str]:
    return [str(baseline), "--port", "0"]


def check_answers(servers: list[Server], calls: list[Call]) -> None:
    """Every call answers 200 on every target; the baseline's fixed bodies are the mock's."""
    for call in calls:
        bodies = {}
        for server in servers:
            client = Client(server.host, server.port)
            status, body = client.request(call.method, call.path, call.headers(), call.body)
            client.close()
            if status != 200:
                fail(f"{server.name} answered {status} to {call.title}: {body[:300]!r}")
            bodies[server.name] = body
        if len(set(bodies.values())) > 1:
            sizes = ", ".join(f"{name} {len(body)} bytes" for name, body in bodies.items())
            log(f"note: {call.title}: the answers differ ({sizes}); the baseline's fixed body is stale")


def run_calls(args: argparse.Namespace, mock: Path, baseline: Path, work: Path) -> dict:
    calls = [CALLS_BY_KEY[key] for key in args.calls]
    servers = [Server("baseline", baseline_argv(baseline), args.server_cpu, None)]
    logs = {}
    for n, (name, flags) in enumerate([("mock", [])] + args.variants):
        logs[name] = None if args.stderr == "null" else work / f"mock-{n}.stderr.log"
        servers.append(Server(name, mock_argv(mock, flags), args.server_cpu, logs[name]))
        wait_health(servers[-1])
    check_answers(servers, calls)
    scripts = {call.key: wrk_script(call, work) for call in calls}
    log(f"warm-up: {args.warmup} s per call and target")
    for call in calls:
        for server in servers:
            drive(server, scripts[call.key], args.warmup, args.connections, args.load_cpu)
    samples: dict[tuple[str, str], list[Sample]] = {}
    for round_no in range(1, args.rounds + 1):
        log(f"round {round_no}/{args.rounds}")
        for call in calls:
            # Alternate the order, so no target always runs right after another.
            order = servers if round_no % 2 else list(reversed(servers))
            for server in order:
                sample = drive(server, scripts[call.key], args.seconds, args.connections, args.load_cpu)
                samples.setdefault((call.key, server.name), []).append(sample)
    log_lines = {}
    for name, path in logs.items():
        if path:
            with open(path, "rb") as f:
                log_lines[name] = sum(1 for _ in f)
    for server in servers:
        server.stop()

    print()
    print(f"Calls: wrk 1 thread, {args.connections} keep-alive connections, {args.rounds} interleaved "
          f"rounds of {args.seconds} s per call and target, medians")
    print("  ratio = baseline CPU per request / mock CPU per request (1.00 = as cheap as the bare "
          "axum baseline; goal >= 0.85); rounds = lowest and highest ratio of one round")
    rows = [["call", "target", "ratio", "rounds", "CPU/request", "requests/s"]]
    results = {}
    for call in calls:
        base = samples[(call.key, "baseline")]
        base_cpu = median([s.cpu_us for s in base])
        results[call.key] = {"baseline_cpu_us": base_cpu, "baseline_rps": median([s.rate for s in base])}
        rows.append([call.title, "baseline", "-", "-", f"{base_cpu:.1f} us", f"{results[call.key]['baseline_rps']:,.0f}"])
        for server in servers[1:]:
            mine = samples[(call.key, server.name)]
            cpu = median([s.cpu_us for s in mine])
            per_round = [b.cpu_us / m.cpu_us for b, m in zip(base, mine)]
            figures = {"ratio": base_cpu / cpu, "round_ratios": per_round, "cpu_us": cpu,
                       "rps": median([s.rate for s in mine])}
            if server.name == "mock":
                results[call.key].update(
                    ratio=figures["ratio"], round_ratios=per_round, mock_cpu_us=cpu, mock_rps=figures["rps"])
            else:
                results[call.key].setdefault("variants", {})[server.name] = figures
            rows.append(["", server.name, f"{figures['ratio']:.2f}", f"{min(per_round):.2f}-{max(per_round):.2f}",
                         f"{cpu:.1f} us", f"{figures['rps']:,.0f}"])
    table(rows, "llrrrr")
    for name, lines in log_lines.items():
        print(f"  {name} wrote {lines:,} stderr lines (one per request) to a file")
    return results


# --------------------------------------------------------------------------------------------
# callgrind: instructions per request


def callgrind_total(path: Path) -> int:
    for line in path.read_text().splitlines():
        if line.startswith("summary:") or line.startswith("totals:"):
            return int(line.split()[1])
    fail(f"no totals in {path}")
    raise AssertionError


def callgrind_run(name: str, argv: list[str], call: Call, warmup: int, requests: int, args, work: Path) -> Path:
    out = work / f"callgrind.{name}.{call.key}.{requests}.out"
    valgrind = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", "--dump-line=no"]
    stderr_to = None if args.stderr == "null" else work / f"callgrind.{name}.stderr.log"
    server = Server(f"{name} (callgrind)", valgrind + argv, args.server_cpu, stderr_to, start_timeout=300)
    client = Client(server.host, server.port)
    raw = client.encode(call.method, call.path, call.headers(), call.body)
    for n in range(warmup + requests):
        status, body = client.send(raw)
        if status != 200:
            fail(f"{name} under callgrind answered {status} to {call.title} (request {n}): {body[:200]!r}")
    client.close()
    code = server.stop()
    if code != 0:
        fail(f"{name} under callgrind exited with {code}")
    return out


def functions(path: Path, inclusive: bool = False) -> dict[str, int]:
    """Instructions per function (exclusive, or inclusive of callees), from callgrind_annotate."""
    done = subprocess.run(
        ["callgrind_annotate", "--threshold=100", f"--inclusive={'yes' if inclusive else 'no'}", str(path)],
        capture_output=True, text=True, check=True,
    )
    costs: dict[str, int] = {}
    for line in done.stdout.splitlines():
        match = re.match(r"\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(.+)$", line)
        if match and ":" in match.group(2):
            name = re.sub(r"\s*\[[^\]]*\]$", "", match.group(2).strip())
            name = name.removeprefix("???:")
            costs[name] = costs.get(name, 0) + int(match.group(1).replace(",", ""))
    return costs


def run_callgrind(args: argparse.Namespace, mock: Path, baseline: Path, work: Path) -> dict:
    ensure_tool("valgrind", "valgrind")
    calls = [CALLS_BY_KEY[key] for key in args.callgrind_calls]
    targets = [("baseline", baseline_argv(baseline)), ("mock", mock_argv(mock))]
    print()
    print(f"Instructions per request (valgrind callgrind, user space, one keep-alive connection): "
          f"(Ir after {args.warmup_requests:,} + {args.requests:,} requests - Ir after "
          f"{args.warmup_requests:,}) / {args.requests:,}")
    print("  ratio = baseline instructions / mock instructions (goal >= 0.80)")
    rows = [["call", "ratio", "baseline Ir/req", "mock Ir/req"]]
    results = {}
    for call in calls:
        per_request = {}
        files = {}
        for name, argv in targets:
            log(f"callgrind: {name}, {call.title}")
            warm = callgrind_run(name, argv, call, args.warmup_requests, 0, args, work)
            full = callgrind_run(name, argv, call, args.warmup_requests, args.requests, args, work)
            per_request[name] = (callgrind_total(full) - callgrind_total(warm)) / args.requests
            files[name] = (warm, full)
        ratio = per_request["baseline"] / per_request["mock"]
        results[call.key] = {"ratio": ratio, "baseline_ir": per_request["baseline"], "mock_ir": per_request["mock"]}
        rows.append([call.title, f"{ratio:.2f}", f"{per_request['baseline']:,.0f}", f"{per_request['mock']:,.0f}"])
        if args.profile:
            results[call.key]["profile"] = profile(call, files, args)
    table(rows, "lrrr")
    for call in calls:
        if "profile" in results[call.key]:
            print_profile(call, results[call.key]["profile"], {
                "baseline": results[call.key]["baseline_ir"], "mock": results[call.key]["mock_ir"]}, args)
    return results


# The mock's own code and the request log line; the inclusive view lists only these, as
# runtime frames (tokio, hyper) include everything.
OWN_CODE = re.compile(r"zoho_sharing_mock|tracing_subscriber|tower_http")


def profile(call: Call, files: dict[str, tuple[Path, Path]], args) -> dict[str, dict[str, list[tuple[str, float]]]]:
    """Per-function instructions per request: full run minus warm-up run, over the requests."""
    out: dict[str, dict[str, list[tuple[str, float]]]] = {}
    for name, (warm, full) in files.items():
        for view, inclusive in (("exclusive", False), ("inclusive", True)):
            if inclusive and name != "mock":
                continue
            before, after = functions(warm, inclusive), functions(full, inclusive)
            delta = {fn: (after.get(fn, 0) - before.get(fn, 0)) / args.requests for fn in after}
            if inclusive:
                delta = {fn: ir for fn, ir in delta.items() if OWN_CODE.search(fn)}
            rows = sorted(((fn, ir) for fn, ir in delta.items() if ir > 0), key=lambda item: -item[1])
            out.setdefault(name, {})[view] = rows
    return out


def print_profile(call: Call, costs: dict[str, dict[str, list[tuple[str, float]]]], per_request: dict, args) -> None:
    for name, views in costs.items():
        total = per_request[name]
        for view, rows in views.items():
            what = "by function" if view == "exclusive" else "of the mock's own functions and the log line, callees included"
            print()
            print(f"Profile, {name}, {call.title}: {view} instructions per request {what} "
                  f"(top {args.profile_top}; % of {total:,.0f})")
            for fn, ir in rows[: args.profile_top]:
                print(f"  {ir:>9,.0f}  {ir / total * 100:5.1f}%  {fn[:150]}")


# --------------------------------------------------------------------------------------------
# scale: fixture load, memory, org creation, request cost at scale


MODULES = ["Leads", "Contacts", "Accounts", "Deals"]


def sandbox_org(mock: Path, args) -> dict:
    server = Server("mock (export)", mock_argv(mock), args.server_cpu, None)
    client = Client(server.host, server.port)
    status, body = client.request("GET", "/__admin/state")
    client.close()
    server.stop()
    if status != 200:
        fail(f"GET /__admin/state answered {status}")
    return json.loads(body)["orgs"][0]


def write_fixture(org: dict, records: int, path: Path) -> None:
    """The sandbox's first org plus `records` generated records (module, id, owner)."""
    owners = [user["id"] for user in org["users"] if user.get("status") == "active"]
    generated = [
        {"module": MODULES[i % len(MODULES)], "id": str(5_000_000_000_000_000_000 + i), "owner": owners[i % len(owners)]}
        for i in range(records)
    ]
    document = {"orgs": [dict(org, records=org["records"] + generated)]}
    with open(path, "w") as f:
        json.dump(document, f, separators=(",", ":"))


def measure_load(mock: Path, fixture: Path | None, args, name: str) -> dict:
    extra = ["--fixtures", str(fixture)] if fixture else []
    server = Server(name, mock_argv(mock, extra), args.server_cpu, None, start_timeout=600)
    seconds = wait_health(server, timeout=600)
    rss = server.rss_bytes()
    cpu = server.cpu_seconds()
    server.stop()
    return {"seconds": seconds, "rss": rss, "cpu_seconds": cpu}


def org_windows(client: Client, count: int, window: int, server: Server, make, answers=None) -> list[dict]:
    """Sends `count` requests built by make(i) in a row; rate and server CPU per window. The
    answers' bodies go to `answers` when given."""
    windows = []
    started, cpu = time.monotonic(), server.cpu_seconds()
    for i in range(count):
        status, body = client.send(make(i))
        if status not in (201, 204):
            fail(f"org request {i}: {status} {body[:200]!r}")
        if answers is not None:
            answers.append(body)
        if (i + 1) % window == 0 or i + 1 == count:
            now, now_cpu = time.monotonic(), server.cpu_seconds()
            size = (i % window) + 1
            windows.append({
                "first": i + 2 - size, "last": i + 1,
                "rate": size / (now - started),
                "cpu_us": (now_cpu - cpu) / size * 1e6,
            })
            started, cpu = now, now_cpu
    return windows


def run_load(args: argparse.Namespace, mock: Path, work: Path, keep_largest: bool) -> tuple[dict, Path | None]:
    """The fixture load table: time, CPU and memory of each fixture size. The largest fixture
    is left in the work directory when `keep_largest` (the rest of scale starts a mock on it)."""
    results: dict = {}
    org = sandbox_org(mock, args)
    base = measure_load(mock, None, args, "mock (sandbox)")
    print()
    print(f"Scale: fixtures of the sandbox's first org plus generated records (module, id, owner); "
          f"{args.load_rounds} start(s) each, medians")
    rows = [["records", "start until /__admin/health", "CPU during load", "VmRSS after load", "bytes/record (RSS/N)", "bytes/record over sandbox"]]
    rows.append([f"sandbox ({len(org['records'])})", f"{base['seconds']:.3f} s", f"{base['cpu_seconds']:.2f} s", f"{base['rss'] / 1e6:.1f} MB", "-", "-"])
    big_fixture = None
    for records in args.records:
        fixture = work / f"fixture-{records}.json"
        log(f"generating a fixture of {records:,} records")
        write_fixture(org, records, fixture)
        loads = []
        for n in range(args.load_rounds):
            log(f"loading {records:,} records ({n + 1}/{args.load_rounds})")
            loads.append(measure_load(mock, fixture, args, f"mock ({records} records)"))
        seconds = median([load["seconds"] for load in loads])
        rss = median([load["rss"] for load in loads])
        cpu = median([load["cpu_seconds"] for load in loads])
        results[f"load_{records}"] = {
            "seconds": seconds, "rss": rss, "cpu_seconds": cpu, "fixture_bytes": fixture.stat().st_size,
            "bytes_per_record": rss / records, "bytes_per_record_over_sandbox": (rss - base["rss"]) / records,
        }
        rows.append([f"{records:,} ({fixture.stat().st_size / 1e6:.0f} MB of JSON)", f"{seconds:.3f} s", f"{cpu:.2f} s",
                     f"{rss / 1e6:.1f} MB", f"{rss / records:.0f}", f"{(rss - base['rss']) / records:.0f}"])
        if records == max(args.records) and keep_largest:
            big_fixture = fixture
        else:
            fixture.unlink()
    table(rows, "lrrrrr")
    print("  goal: 1,000,000 records load in <= 1.5 s, <= 150 bytes a record")
    return results, big_fixture


def run_scale(args: argparse.Namespace, mock: Path, work: Path) -> dict:
    results, big_fixture = run_load(args, mock, work, keep_largest=True)

    # Org creation, then the three servers for the cost of a request at scale.
    log(f"creating {args.orgs:,} orgs")
    plain = Server("mock (sandbox)", mock_argv(mock), args.server_cpu, None)
    orgs = Server(f"mock ({args.orgs} orgs)", mock_argv(mock), args.server_cpu, None)
    big = Server(f"mock ({max(args.records)} records)", mock_argv(mock, ["--fixtures", str(big_fixture)]), args.server_cpu, None, start_timeout=600)
    for server in (plain, orgs, big):
        wait_health(server, timeout=600)
    client = Client(orgs.host, orgs.port)
    create = client.encode("POST", "/__admin/orgs")
    answers: list[bytes] = []
    created = org_windows(client, args.orgs, args.org_window, orgs, lambda i: create, answers)
    results["orgs_rss"] = orgs.rss_bytes()
    ids = [json.loads(body)["id"] for body in answers]

    calls = [CALLS_BY_KEY["put_share"]]
    script = wrk_script(calls[0], work)
    targets = [plain, big, orgs]
    for server in targets:
        drive(server, script, args.warmup, args.connections, args.load_cpu)
    samples: dict[str, list[Sample]] = {}
    for round_no in range(1, args.rounds + 1):
        log(f"scale round {round_no}/{args.rounds}")
        order = targets if round_no % 2 else list(reversed(targets))
        for server in order:
            samples.setdefault(server.name, []).append(drive(server, script, args.seconds, args.connections, args.load_cpu))

    log(f"deleting the {args.orgs:,} orgs, oldest first")
    # A new connection: the mock closes one left idle longer than its header timeout (10 s by
    # default), as the first one was during the rounds.
    client.close()
    client = Client(orgs.host, orgs.port)
    deletes = [client.encode("DELETE", f"/__admin/orgs/{org_id}") for org_id in ids]
    deleted = org_windows(client, len(ids), args.org_window, orgs, lambda i: deletes[i])
    client.close()
    for server in (plain, orgs, big):
        server.stop()
    big_fixture.unlink()

    print()
    print(f"Org creation: POST /__admin/orgs with an empty body (a copy of the sandbox), {args.orgs:,} in a row "
          f"on one keep-alive connection; then DELETE /__admin/orgs/{{id}} of each, oldest first")
    rows = [["orgs", "created/s", "server CPU/create", "deleted/s", "server CPU/delete"]]
    for made, gone in zip(created, deleted):
        rows.append([f"{made['first']:,}-{made['last']:,}", f"{made['rate']:,.0f}", f"{made['cpu_us']:,.0f} us",
                     f"{gone['rate']:,.0f}", f"{gone['cpu_us']:,.0f} us"])
    table(rows, "lrrrr")
    print(f"  VmRSS with {args.orgs:,} orgs: {results['orgs_rss'] / 1e6:.0f} MB. Goal: >= 5,000 created/s, "
          f"flat from the first window to the last")
    results["org_create_windows"], results["org_delete_windows"] = created, deleted

    print()
    print(f"PUT share at scale: wrk as for the calls, {args.rounds} interleaved rounds of {args.seconds} s, medians")
    print("  extra cost = CPU per request / CPU per request against the plain sandbox - 1 (goal: within 10%)")
    rows = [["server", "CPU/req", "req/s", "extra cost"]]
    plain_cpu = median([s.cpu_us for s in samples[plain.name]])
    for server in targets:
        cpu = median([s.cpu_us for s in samples[server.name]])
        rate = median([s.rate for s in samples[server.name]])
        extra = "-" if server is plain else f"{(cpu / plain_cpu - 1) * 100:+.0f}%"
        rows.append([server.name, f"{cpu:.1f} us", f"{rate:,.0f}", extra])
        results[f"put_share_{server.name}"] = {"cpu_us": cpu, "rps": rate}
    table(rows, "lrrr")
    return results


# --------------------------------------------------------------------------------------------
# records: listing a module as a user who sees 1% of it


RYAN = "4150868000001199002"
PATRICIA = "4150868000001174048"


def write_records_fixture(org: dict, count: int, path: Path) -> int:
    """The sandbox's first org plus `count` Leads with a `Last_Name`: one in a hundred owned by
    Patricia (the CEO), which the rule "Leads to Sales" opens to Ryan (group Sales), the rest
    owned by users Ryan cannot see (his peer Amelia, his superiors, the support agents...).
    Answers how many of the generated leads Ryan sees."""
    hidden = [u["id"] for u in org["users"] if u.get("status") == "active" and u["id"] not in (RYAN, PATRICIA)]
    generated = []
    visible = 0
    for i in range(count):
        if i % 100 == 0:
            owner, visible = PATRICIA, visible + 1
        else:
            owner = hidden[i % len(hidden)]
        generated.append({"module": "Leads", "id": str(6_000_000_000_000_000_000 + i), "owner": owner,
                          "fields": {"Last_Name": f"Lead {i}"}})
    document = {"orgs": [dict(org, records=org["records"] + generated)]}
    with open(path, "w") as f:
        json.dump(document, f, separators=(",", ":"))
    return visible


def run_records(args: argparse.Namespace, mock: Path, work: Path, org: dict | None = None) -> dict:
    """GET /crm/v8/Leads?fields=Last_Name&per_page=200 as Ryan, who sees 1% of 1,000,000 leads:
    the time per page on the script's own keep-alive connection (median) and the server's CPU
    per page. Pages in id order stop one record past the page; a time sort walks the module."""
    org = org or sandbox_org(mock, args)
    count = args.list_records
    fixture = work / f"records-{count}.json"
    log(f"generating {count:,} leads (1% visible to Ryan)")
    visible = write_records_fixture(org, count, fixture)
    server = Server(f"mock ({count} leads)", mock_argv(mock, ["--fixtures", str(fixture)]), args.server_cpu, None,
                    start_timeout=600)
    wait_health(server, timeout=600)
    client = Client(server.host, server.port)
    headers = {"Authorization": "Zoho-oauthtoken 1000.sandbox.ryan"}
    base = "/crm/v8/Leads?fields=Last_Name&per_page=200"
    cases = [
        ("page 1 (id order, newest first)", base, args.list_requests),
        ("page 10", base + "&page=10", args.list_requests),
        ("page 1, sort_order=asc", base + "&sort_order=asc", args.list_requests),
        ("page 1, sort_by=Modified_Time (walks the module)", base + "&sort_by=Modified_Time", max(3, args.list_requests // 4)),
    ]
    results = {"leads": count, "visible": visible}
    rows = [["request", "requests", "time/page (median)", "server CPU/page", "records on the page"]]
    for title, path, n in cases:
        raw = client.encode("GET", path, headers)
        status, body = client.send(raw)  # warm-up, and the answer's check
        if status != 200:
            fail(f"{path}: {status} {body[:200]!r}")
        answer = json.loads(body)
        if answer["info"]["count"] != 200 or not answer["info"]["more_records"]:
            fail(f"{path}: unexpected info {answer['info']}")
        times = []
        cpu = server.cpu_seconds()
        for _ in range(n):
            started = time.perf_counter()
            status, _ = client.send(raw)
            times.append(time.perf_counter() - started)
            if status != 200:
                fail(f"{path}: {status}")
        cpu_per = (server.cpu_seconds() - cpu) / n
        results[title] = {"ms_per_page": median(times) * 1e3, "cpu_ms_per_page": cpu_per * 1e3, "requests": n}
        rows.append([title, str(n), f"{median(times) * 1e3:.2f} ms", f"{cpu_per * 1e3:.2f} ms", str(answer["info"]["count"])])
    client.close()
    results["rss"] = server.rss_bytes()
    server.stop()
    fixture.unlink()
    print()
    print(f"Records: GET {base} as Ryan (1000.sandbox.ryan), who sees {visible:,} of {count:,} leads "
          f"(owned by Patricia, opened by the rule \"Leads to Sales\"); one keep-alive connection")
    table(rows, "lrrrr")
    print(f"  VmRSS with {count:,} leads: {results['rss'] / 1e6:.0f} MB. Server CPU has one clock tick "
          f"({1000 / CLK_TCK:.0f} ms) of resolution over the run")
    return results


# --------------------------------------------------------------------------------------------
# durability: PUT share with --state-file against the same binary without it


# Records of the sandbox that Patricia (the admin token's user) owns, in shareable modules; the
# generated fixtures keep them.
DURABLE_RECORDS = [
    "Leads/4150868000001148212", "Contacts/4150868000001148230", "Contacts/4150868000001148347",
    "Accounts/4150868000001148240", "Deals/4150868000001148250", "Products/4150868000001148260",
    "Quotes/4150868000001148270", "Sales_Orders/4150868000001148280",
]

# Every request changes a share set, so every acknowledged write is a commit: the records are
# written in turn, and each visit of a record shares it with the next of 13 users (more than the
# writes to one record in flight at once, so no write repeats the set it replaces).
DURABLE_SCRIPT = """-- generated by bench/run.py (durability)
local records = {{{records}}}
local headers = {{["Authorization"] = "{token}", ["Content-Type"] = "application/json"}}
local n = 0
request = function()
  local record = records[n % #records + 1]
  local visit = math.floor(n / #records)
  n = n + 1
  local user = string.format("41508680000011990%02d", visit % 13 + 1)
  local body = '{{"share":[{{"type":"private","permission":"read_only","share_related_records":false,' ..
    '"shared_with":{{"type":"users","id":"' .. user .. '"}}}}],"notify":false}}'
  return wrk.format("PUT", "/crm/v8/" .. record .. "/actions/share", headers, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{{"requests":%d,"duration_us":%d,"status_errors":%d,"socket_errors":%d}}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def fsync_ms(directory: Path, count: int = 200) -> float:
    """Milliseconds per 4 KiB write + fsync in `directory`: what one commit waits for at least."""
    probe = directory / "fsync-probe"
    fd = os.open(probe, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        started = time.monotonic()
        for _ in range(count):
            os.write(fd, b"x" * 4096)
            os.fsync(fd)
        return (time.monotonic() - started) / count * 1e3
    finally:
        os.close(fd)
        probe.unlink()


def run_durability(args: argparse.Namespace, mock: Path, work: Path) -> dict:
    results: dict = {}
    records = max(args.records)
    org = sandbox_org(mock, args)
    fixture = work / f"fixture-{records}.json"
    log(f"generating a fixture of {records:,} records")
    write_fixture(org, records, fixture)
    script = work / "durable_put_share.lua"
    script.write_text(DURABLE_SCRIPT.format(
        records=", ".join(f'"{r}"' for r in DURABLE_RECORDS), token=TOKEN))
    results["fsync_ms_before"] = fsync_ms(work)

    small_db, big_db = work / "sandbox.db", work / f"records-{records}.db"
    log("starting the four mocks (the durable 1M one writes its new state file first)")
    targets = [
        Server("memory, sandbox", mock_argv(mock), args.server_cpu, None),
        Server("state file, sandbox", mock_argv(mock, ["--state-file", str(small_db)]), args.server_cpu, None),
        Server(f"memory, {records:,} records", mock_argv(mock, ["--fixtures", str(fixture)]),
               args.server_cpu, None, start_timeout=600),
    ]
    big = Server(f"state file, {records:,} records",
                 mock_argv(mock, ["--fixtures", str(fixture), "--state-file", str(big_db)]),
                 args.server_cpu, None, start_timeout=600)
    first_start = wait_health(big, timeout=600)
    targets.append(big)
    for server in targets:
        wait_health(server, timeout=600)
    results["first_start_seconds"] = first_start
    results["state_file_bytes"] = big_db.stat().st_size

    for server in targets:
        drive(server, script, args.warmup, args.connections, args.load_cpu)
    samples: dict[str, list[Sample]] = {}
    for round_no in range(1, args.rounds + 1):
        log(f"durability round {round_no}/{args.rounds}")
        order = targets if round_no % 2 else list(reversed(targets))
        for server in order:
            samples.setdefault(server.name, []).append(
                drive(server, script, args.seconds, args.connections, args.load_cpu))
    for server in targets:
        server.stop()
    results["fsync_ms_after"] = fsync_ms(work)

    # Restart with the million records: the state file alone, then the user's whole command
    # line again (the fixture is checked too, on a second thread).
    restarts: dict[str, list[float]] = {"state file": [], "fixture + state file": []}
    for n in range(args.load_rounds):
        for name, extra in (("state file", ["--state-file", str(big_db)]),
                            ("fixture + state file", ["--fixtures", str(fixture), "--state-file", str(big_db)])):
            log(f"restarting with {records:,} records, {name} ({n + 1}/{args.load_rounds})")
            server = Server(f"restart ({name})", mock_argv(mock, extra), args.server_cpu, None, start_timeout=600)
            restarts[name].append(wait_health(server, timeout=600))
            server.stop()
    fixture.unlink()

    print()
    print(f"Durability: PUT share, every request changing one of {len(DURABLE_RECORDS)} share sets; wrk with "
          f"{args.connections} connections, {args.rounds} interleaved rounds of {args.seconds} s, medians")
    print(f"  fsync of a 4 KiB write in the work directory: {results['fsync_ms_before']:.2f} ms before, "
          f"{results['fsync_ms_after']:.2f} ms after")
    rows = [["server", "acknowledged writes/s", "CPU/write", "vs memory"]]
    for server in targets:
        cpu = median([s.cpu_us for s in samples[server.name]])
        rate = median([s.rate for s in samples[server.name]])
        results[f"put_share_{server.name}"] = {"cpu_us": cpu, "rps": rate,
                                               "rounds_rps": [s.rate for s in samples[server.name]]}
        rows.append([server.name, f"{rate:,.0f}", f"{cpu:.1f} us", ""])
    for row in rows[1:]:
        memory_name = row[0].replace("state file", "memory")
        if row[0].startswith("state file"):
            memory = results[f"put_share_{memory_name}"]
            mine = results[f"put_share_{row[0]}"]
            row[3] = f"{mine['rps'] / memory['rps']:.2f}x writes/s, {mine['cpu_us'] / memory['cpu_us']:.2f}x CPU"
        else:
            row[3] = "-"
    table(rows, "lrrl")
    small = samples["state file, sandbox"]
    large = samples[f"state file, {records:,} records"]
    # A commit waits for the disk, whose latency swings with whatever else the machine does:
    # compare the two durable servers round by round (they ran back to back).
    ratios = [b.rate / a.rate for a, b in zip(small, large)]
    cpu_ratio = median([s.cpu_us for s in large]) / median([s.cpu_us for s in small])
    results["durable_large_vs_sandbox"] = {"rps_ratio_median": median(ratios), "rps_ratios": ratios,
                                           "cpu_ratio": cpu_ratio}
    print(f"  durable at {records:,} records / durable on the sandbox: writes/s {median(ratios):.2f} "
          f"(rounds {min(ratios):.2f}-{max(ratios):.2f}), CPU/write {cpu_ratio:.2f} "
          f"(goal: within 10%); goal: >= 2,000 acknowledged writes/s")
    print()
    print(f"  first start with the {records:,}-record fixture and a new state file (writes every row): "
          f"{first_start:.2f} s; the file: {results['state_file_bytes'] / 1e6:.0f} MB")
    rows = [["restart with the state file", "until /__admin/health"]]
    for name, times in restarts.items():
        results[f"restart_{name}"] = median(times)
        rows.append([name, f"{median(times):.2f} s (of {', '.join(f'{t:.2f}' for t in times)})"])
    table(rows, "lr")
    print("  goal: restart with 1,000,000 records ready in under 3 s")
    return results


# --------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", nargs="?", default="calls",
                        choices=["calls", "callgrind", "scale", "load", "records", "durability", "all"],
                        help="calls (default): CPU/request and req/s, then callgrind; "
                             "callgrind: instructions only; scale: fixtures, memory, orgs, the records list; "
                             "load: only the fixture load and memory of scale; "
                             "records: the records list alone; "
                             "durability: PUT share with and without --state-file, restart with the state file; "
                             "all: calls then scale")
    parser.add_argument("--quick", action="store_true", help="fewer, shorter rounds (about a minute for calls)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 5, --quick 3)")
    parser.add_argument("--seconds", type=int, help="seconds per wrk run (default 3, --quick 1)")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of wrk warm-up per call and target (default 1)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--calls", default=",".join(CALLS_BY_KEY), help="comma-separated: " + ", ".join(CALLS_BY_KEY))
    parser.add_argument("--variant", action="append", default=[], metavar="NAME=FLAGS",
                        help="calls: also measure the mock started with these flags, e.g. "
                             "'journal off=--journal-size 0' (repeatable)")
    parser.add_argument("--no-callgrind", action="store_true", help="calls: skip the instruction counts")
    parser.add_argument("--callgrind-calls", help="comma-separated calls measured under callgrind, or 'all' "
                        "(default: all; --quick: put_share)")
    parser.add_argument("--requests", type=int, default=2000, help="callgrind: measured requests (default 2,000)")
    parser.add_argument("--warmup-requests", type=int, default=500, help="callgrind: warm-up requests (default 500)")
    parser.add_argument("--profile", action="store_true", help="callgrind: print the instructions per request by function")
    parser.add_argument("--profile-top", type=int, default=30)
    parser.add_argument("--records", default="100000,1000000",
                        help="scale: fixture sizes (default 100000,1000000); durability: the largest is used")
    parser.add_argument("--orgs", type=int, default=10000, help="scale: orgs created in a row (default 10,000)")
    parser.add_argument("--org-window", type=int, default=2000, help="scale: orgs per reported window (default 2,000)")
    parser.add_argument("--load-rounds", type=int,
                        help="scale: starts per fixture; durability: restarts of each kind (default 3, --quick 1)")
    parser.add_argument("--list-records", type=int, default=1_000_000,
                        help="records: leads in the fixture, 1%% of them visible to the caller (default 1,000,000)")
    parser.add_argument("--list-requests", type=int, help="records: requests per page measured (default 20, --quick 8)")
    parser.add_argument("--stderr", choices=["file", "null"], default="file",
                        help="where the mock's stderr (one log line per request) goes: a file (default) or /dev/null")
    parser.add_argument("--server-cpu", type=int, default=0)
    parser.add_argument("--load-cpu", type=int, default=1)
    parser.add_argument("--nice", type=int, help="run servers and load generator under `nice -n N` "
                        "(negative N needs root: favours the benchmark over other work on the machine)")
    parser.add_argument("--no-build", action="store_true", help="use the release binaries already built")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs, callgrind files)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    args = parser.parse_args()
    args.rounds = args.rounds or (3 if args.quick else 5)
    args.seconds = args.seconds or (1 if args.quick else 3)
    args.load_rounds = args.load_rounds or (1 if args.quick else 3)
    args.list_requests = args.list_requests or (8 if args.quick else 20)
    args.calls = [key.strip() for key in args.calls.split(",")]
    args.callgrind_calls = args.callgrind_calls or ("put_share" if args.quick else "all")
    if args.callgrind_calls == "all":
        args.callgrind_calls = list(CALLS_BY_KEY)
    else:
        args.callgrind_calls = [key.strip() for key in args.callgrind_calls.split(",")]
    for key in args.calls + args.callgrind_calls:
        if key not in CALLS_BY_KEY:
            parser.error(f"unknown call {key!r}; known: {', '.join(CALLS_BY_KEY)}")
    args.variants = []
    for variant in args.variant:
        name, sep, flags = variant.partition("=")
        if not sep or not name.strip() or name.strip() in ("baseline", "mock"):
            parser.error(f"--variant {variant!r}: expected NAME=FLAGS with a new name")
        args.variants.append((name.strip(), flags.split()))
    args.records = [int(n) for n in args.records.split(",") if n]
    return args


def main() -> None:
    args = parse_args()
    if not sys.platform.startswith("linux"):
        fail("Linux only (taskset, /proc)")
    available = os.sched_getaffinity(0)
    if {args.server_cpu, args.load_cpu} - available or args.server_cpu == args.load_cpu:
        fail(f"--server-cpu and --load-cpu must be two different CPUs of {sorted(available)}")
    for command, package in (("taskset", "util-linux"), ("wrk", "wrk")):
        ensure_tool(command, package)
    if args.nice is not None:
        NICE.extend(["nice", "-n", str(args.nice)])
    mock, baseline = build(args.no_build, baseline_too=args.what not in ("durability", "load"))
    # This script's own client work (health polls, org creation, callgrind requests) stays off
    # the servers' CPU.
    os.sched_setaffinity(0, {args.load_cpu})
    work = Path(tempfile.mkdtemp(prefix="zoho-mock-bench-"))
    results: dict = {"commit": revision(), "machine": machine()}
    try:
        header(args)
        if args.what in ("calls", "all"):
            results["calls"] = run_calls(args, mock, baseline, work)
        if args.what == "callgrind" or (args.what in ("calls", "all") and not args.no_callgrind):
            results["callgrind"] = run_callgrind(args, mock, baseline, work)
        if args.what in ("scale", "all"):
            results["scale"] = run_scale(args, mock, work)
            results["records"] = run_records(args, mock, work)
        if args.what == "load":
            results["scale"] = run_load(args, mock, work, keep_largest=False)[0]
        if args.what == "records":
            results["records"] = run_records(args, mock, work)
        if args.what == "durability":
            results["durability"] = run_durability(args, mock, work)
        print()
        print(f"load average {os.getloadavg()[0]:.2f} at the end")
    finally:
        stop_all()
        if args.keep:
            log(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        stop_all()
        sys.exit(130)

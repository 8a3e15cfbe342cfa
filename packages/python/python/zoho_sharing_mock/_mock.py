"""Start the zoho-sharing-mock binary and drive its admin API (standard library only)."""

from __future__ import annotations

import datetime
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
import weakref
from importlib import metadata
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

JSON = Any
"""A decoded JSON value (dict, list, str, int, float, bool or None)."""

BINARY_NAME = "zoho-sharing-mock"
DISTRIBUTION = "zoho-sharing-mock"
BINARY_ENV = "ZOHO_MOCK_BINARY"

_NOT_FOUND = (
    "zoho-sharing-mock: no mock binary for this platform. The wheel carries one for Linux "
    "x86_64 only; elsewhere build it with Rust (https://rustup.rs): `cargo install --locked "
    "--git <the project's git URL> zoho-sharing-mock` (or `cargo install --locked --path .` in a "
    "clone), then point the package at it with ZOHO_MOCK_BINARY=$HOME/.cargo/bin/zoho-sharing-mock "
    "(or put it on PATH, or pass ZohoMock(binary=...))."
)


class BinaryNotFoundError(FileNotFoundError):
    """No zoho-sharing-mock binary: none in the package, none named by ZOHO_MOCK_BINARY."""


class MockStartError(RuntimeError):
    """The binary exited or stayed silent instead of printing `listening on http://HOST:PORT`."""


class MockError(Exception):
    """The admin API answered an error: `status` is the HTTP status, `body` the decoded body."""

    def __init__(self, method: str, path: str, status: int, body: JSON) -> None:
        message = body.get("error") if isinstance(body, dict) else body
        super().__init__(f"{method} {path}: HTTP {status}: {message}")
        self.method = method
        self.path = path
        self.status = status
        self.body = body


def _packaged_binary() -> Optional[str]:
    """The binary the installed wheel put in the environment's scripts directory (from the
    distribution's RECORD, so a user install, a venv and a system install are all found)."""
    try:
        files = metadata.distribution(DISTRIBUTION).files or []
    except metadata.PackageNotFoundError:
        return None
    for entry in files:
        if entry.name in (BINARY_NAME, BINARY_NAME + ".exe"):
            path = str(entry.locate())
            if os.path.isfile(path) and os.access(path, os.X_OK):
                return os.path.abspath(path)
    return None


def find_binary(binary: Optional[str] = None) -> str:
    """The mock binary to run: `binary` if given, else $ZOHO_MOCK_BINARY, else the one the
    installed package carries, else `zoho-sharing-mock` on PATH (`cargo install` puts it there).
    Raises BinaryNotFoundError with how to build one and point the package at it."""
    explicit = binary or os.environ.get(BINARY_ENV)
    if explicit:
        if not (os.path.isfile(explicit) and os.access(explicit, os.X_OK)):
            source = "binary=" if binary else BINARY_ENV + "="
            raise BinaryNotFoundError(
                f"zoho-sharing-mock: {source}{explicit} is not an executable file. " + _NOT_FOUND
            )
        return os.path.abspath(explicit)
    found = _packaged_binary() or shutil.which(BINARY_NAME)
    if found is None:
        raise BinaryNotFoundError(_NOT_FOUND)
    return found


class Clock:
    """The mock's clock (`/__admin/clock`): every time it writes or compares comes from it."""

    def __init__(self, mock: ZohoMock) -> None:
        self._mock = mock

    def get(self) -> Dict[str, Any]:
        """`{"now": "<ISO 8601>", "frozen": bool}`."""
        return self._mock._admin("GET", "/__admin/clock")

    def freeze(self, now: Union[str, datetime.datetime]) -> Dict[str, Any]:
        """Stop the clock at `now` (ISO 8601 with an offset, or an aware datetime)."""
        if isinstance(now, datetime.datetime):
            if now.tzinfo is None:
                raise ValueError("clock.freeze needs an aware datetime (with tzinfo)")
            now = now.isoformat()
        return self._mock._admin("PUT", "/__admin/clock", {"now": now})

    def advance(self, seconds: int) -> Dict[str, Any]:
        """Move the clock forward (a frozen clock stays frozen, a real one keeps running)."""
        return self._mock._admin("PUT", "/__admin/clock", {"advance_s": seconds})

    def release(self) -> Dict[str, Any]:
        """Back to real time."""
        return self._mock._admin("PUT", "/__admin/clock", {"now": None})


class Org:
    """One org of the mock's state. `data` is the org as the mock answered when it was created
    (users, records, tokens ...), or None for a handle made with `ZohoMock.org(id)`."""

    def __init__(self, mock: ZohoMock, org_id: str, data: Optional[Dict[str, Any]] = None) -> None:
        self._mock = mock
        self.id = org_id
        self.data = data

    def __repr__(self) -> str:
        return f"Org({self.id!r})"

    def tokens(self, label: Optional[str] = None) -> List[Dict[str, Any]]:
        """The org's access tokens now (`GET /__admin/orgs/{id}/tokens`), those labelled `label`
        if given: dicts with access_token, label, user, scopes, expires_at, revoked."""
        path = "/__admin/orgs/" + _segment(self.id) + "/tokens"
        if label is not None:
            path += "?" + urllib.parse.urlencode({"label": label})
        return self._mock._admin("GET", path)["tokens"]

    def token(self, label: str) -> str:
        """The access-token string labelled `label` (a copy of the sandbox has `admin`,
        `noshare`, `standard`, `expired` and one per user: `patricia`, `amelia`, ...). With
        several, the first one not revoked. Raises LookupError naming the labels there are."""
        found = self.tokens(label)
        if not found:
            labels = sorted({t["label"] for t in self.tokens() if t.get("label")})
            raise LookupError(f"org {self.id!r} has no token labelled {label!r}; labels: {labels}")
        live = [t for t in found if not t.get("revoked")]
        return (live or found)[0]["access_token"]

    def create_token(
        self,
        user: str,
        scopes: Sequence[str],
        expires_in: Optional[int] = None,
        label: Optional[str] = None,
    ) -> str:
        """A new access token for `user` (`POST /__admin/tokens`); returns its string."""
        body: Dict[str, Any] = {"org": self.id, "user": user, "scopes": list(scopes)}
        if expires_in is not None:
            body["expires_in"] = expires_in
        if label is not None:
            body["label"] = label
        return self._mock._admin("POST", "/__admin/tokens", body)["access_token"]

    def get(self) -> Dict[str, Any]:
        """The org as stored now (`GET /__admin/orgs/{id}`)."""
        return self._mock._admin("GET", "/__admin/orgs/" + _segment(self.id))

    def delete(self) -> None:
        """Remove the org and everything in it (`DELETE /__admin/orgs/{id}`)."""
        self._mock._admin("DELETE", "/__admin/orgs/" + _segment(self.id))


def _segment(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def _matcher(**keys: Any) -> Dict[str, Any]:
    return {k: v for k, v in keys.items() if v is not None}


def _read_log(path: str) -> str:
    try:
        with open(path, "rb") as log:
            return log.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _read_lines(process: "subprocess.Popen[bytes]", lines: "queue.Queue[Optional[str]]") -> None:
    # Read stdout to the end, so the mock never blocks on a full pipe.
    assert process.stdout is not None
    for raw in process.stdout:
        lines.put(raw.decode("utf-8", "replace").rstrip("\r\n"))
    lines.put(None)


def _stop_process(process: "subprocess.Popen[bytes]", log_path: str) -> str:
    """Stop the mock (SIGTERM: it finishes in-flight requests and exits 0; killed after 10 s),
    then return its log and remove the file."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    text = _read_log(log_path)
    try:
        os.unlink(log_path)
    except OSError:
        pass
    return text


class ZohoMock:
    """The mock binary, started on a free port of 127.0.0.1 (`--port 0`), with helpers for its
    admin API. A context manager: `with ZohoMock() as mock: ...` stops it on the way out;
    otherwise call `stop()` (it is also stopped when this object is collected or the interpreter
    exits). `ZohoMock.connect(url)` gives the same helpers for a mock started elsewhere.

    fixtures: a fixture file to serve instead of the embedded sandbox (`--fixtures`).
    args: more command-line flags (`["--rule-computation-ms", "500"]`).
    binary: the binary to run (default: `find_binary()`).
    admin_token: the `--admin-token` to start it with; admin calls then send it (default:
        $ZOHO_MOCK_ADMIN_TOKEN, which the binary reads too).
    start_timeout: seconds to wait for the `listening on` line.
    env: the binary's environment (default: this process's).
    """

    base_url: str
    """`http://127.0.0.1:PORT`: point the Zoho client's API domain and accounts URL here."""
    tls_base_url: Optional[str]
    """`https://127.0.0.1:PORT` when started with `--tls-port`, else None."""
    binary: Optional[str]
    """The binary that runs (None for `connect`)."""
    clock: Clock

    def __init__(
        self,
        fixtures: Optional[Union[str, "os.PathLike[str]"]] = None,
        args: Sequence[str] = (),
        *,
        binary: Optional[str] = None,
        admin_token: Optional[str] = None,
        start_timeout: float = 30.0,
        env: Optional[Mapping[str, str]] = None,
    ) -> None:
        self.binary = find_binary(binary)
        command = [self.binary, "--host", "127.0.0.1", "--port", "0"]
        if fixtures is not None:
            command += ["--fixtures", os.fspath(fixtures)]
        if admin_token is not None:
            command += ["--admin-token", admin_token]
        command += list(args)
        process_env = dict(os.environ if env is None else env)
        self._client(admin_token or process_env.get("ZOHO_MOCK_ADMIN_TOKEN"))
        # The log (one line per request) goes to a file: a pipe nobody reads would fill up and
        # stall the mock. `log()` reads it through its own descriptor.
        log_fd, self._log_path = tempfile.mkstemp(prefix="zoho-mock-", suffix=".log")
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=log_fd,
                env=process_env,
            )
        except BaseException:
            os.close(log_fd)
            os.unlink(self._log_path)
            raise
        os.close(log_fd)
        self._process: Optional["subprocess.Popen[bytes]"] = process
        # Stops the mock when stop() is called, when this object is collected, or at exit.
        self._finalizer = weakref.finalize(self, _stop_process, process, self._log_path)
        lines: "queue.Queue[Optional[str]]" = queue.Queue()
        self._reader = threading.Thread(target=_read_lines, args=(process, lines), daemon=True)
        self._reader.start()
        self.base_url = self._wait_for_line(lines, "listening on http://", start_timeout)
        tls = any(a == "--tls-port" or a.startswith("--tls-port=") for a in command)
        tls = tls or bool(process_env.get("ZOHO_MOCK_TLS_PORT"))
        self.tls_base_url = (
            self._wait_for_line(lines, "listening on https://", start_timeout) if tls else None
        )

    @classmethod
    def connect(cls, base_url: str, admin_token: Optional[str] = None) -> "ZohoMock":
        """Helpers for a mock that runs already (a sidecar, a container, another process's);
        `stop()` leaves it running."""
        mock = cls.__new__(cls)
        mock.binary = None
        mock.base_url = base_url.rstrip("/")
        mock.tls_base_url = None
        mock._process = None
        mock._client(admin_token or os.environ.get("ZOHO_MOCK_ADMIN_TOKEN"))
        return mock

    def _client(self, admin_token: Optional[str]) -> None:
        self._admin_token = admin_token or None
        self._final_log: Optional[str] = None
        # No proxy: an HTTP(S)_PROXY meant for the internet must not swallow calls to 127.0.0.1.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self.clock = Clock(self)

    def _wait_for_line(self, lines: "queue.Queue[Optional[str]]", prefix: str, timeout: float) -> str:
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            self.stop()
            raise MockStartError(
                f"{self.binary} printed no `{prefix}...` line within {timeout} s; log:\n{self.log()}"
            ) from None
        if line is None:
            self.stop()
            code = self._process.returncode if self._process else None
            raise MockStartError(f"{self.binary} exited with {code} before listening:\n{self.log()}")
        if not line.startswith(prefix):
            self.stop()
            raise MockStartError(f"{self.binary} printed {line!r}, not `{prefix}...`")
        return line[len("listening on ") :]

    # -- lifecycle

    def __enter__(self) -> "ZohoMock":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"ZohoMock({self.base_url!r})"

    @property
    def owned(self) -> bool:
        """True when this object started the binary (and `stop()` stops it)."""
        return self._process is not None

    @property
    def pid(self) -> Optional[int]:
        """The binary's process id (None for `connect`)."""
        return self._process.pid if self._process else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        """Stop the mock this object started (SIGTERM: it finishes the requests in flight and
        exits; killed after 10 s). Safe to call more than once; a no-op after `connect`."""
        if self._process is None:
            return
        if self._finalizer.alive:
            self._final_log = self._finalizer()
        self._reader.join(5)
        if self._process.stdout is not None:
            self._process.stdout.close()

    def log(self) -> str:
        """What the mock wrote to stderr (its request log, any startup error); "" after
        `connect`."""
        if self._final_log is not None:
            return self._final_log
        return _read_log(self._log_path) if self._process else ""

    # -- HTTP

    def _admin(self, method: str, path: str, body: JSON = None) -> Any:
        """One admin call; the decoded JSON answer, or None for an empty one (204)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self._admin_token:
            request.add_header("Authorization", "Bearer " + self._admin_token)
        try:
            with self._opener.open(request, timeout=30) as answer:
                raw = answer.read()
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                decoded: JSON = json.loads(raw)
            except ValueError:
                decoded = raw.decode("utf-8", "replace")
            raise MockError(method, path, error.code, decoded) from None
        return json.loads(raw) if raw else None

    # -- admin helpers

    def health(self) -> Dict[str, Any]:
        return self._admin("GET", "/__admin/health")

    def reset(self) -> None:
        """Back to the startup fixture; clears journal and faults; clock back to real time."""
        self._admin("POST", "/__admin/reset")

    def state(self) -> Dict[str, Any]:
        """The whole state as a fixture document."""
        return self._admin("GET", "/__admin/state")

    def put_state(self, document: Mapping[str, Any]) -> None:
        """Replace the whole state with a fixture document."""
        self._admin("PUT", "/__admin/state", dict(document))

    def new_org(self, org: Optional[Mapping[str, Any]] = None) -> Org:
        """A new org: with no argument a copy of the startup fixture's first org (the sandbox)
        with fresh ids and token strings, labels kept; else the org object given."""
        data = self._admin("POST", "/__admin/orgs", None if org is None else dict(org))
        return Org(self, data["id"], data)

    def org(self, org_id: str) -> Org:
        """A handle on an org that exists already (`zylker` is the sandbox)."""
        return Org(self, org_id)

    def orgs(self) -> List[Dict[str, Any]]:
        """Every org with counts of its users, records and tokens."""
        return self._admin("GET", "/__admin/orgs")["orgs"]

    def requests(
        self,
        method: Optional[str] = None,
        path: Optional[str] = None,
        org: Optional[str] = None,
        status: Optional[int] = None,
        query: Optional[Mapping[str, str]] = None,
        body: JSON = None,
    ) -> List[Dict[str, Any]]:
        """The journal entries matching (`POST /__admin/requests/find`), oldest first: `path` is
        a glob (`*` one segment), `query` decoded parameters, `body` JSON the request body
        contains; every given key must hold."""
        matcher = _matcher(method=method, path=path, org=org, status=status, query=query, body=body)
        return self._admin("POST", "/__admin/requests/find", matcher)["requests"]

    def count(
        self,
        method: Optional[str] = None,
        path: Optional[str] = None,
        org: Optional[str] = None,
        status: Optional[int] = None,
        query: Optional[Mapping[str, str]] = None,
        body: JSON = None,
    ) -> int:
        """How many journal entries match (`POST /__admin/requests/count`); keys as `requests`."""
        matcher = _matcher(method=method, path=path, org=org, status=status, query=query, body=body)
        return self._admin("POST", "/__admin/requests/count", matcher)["count"]

    def clear_requests(self) -> None:
        self._admin("DELETE", "/__admin/requests")

    def fault(
        self,
        path: str,
        method: Optional[str] = None,
        status: Optional[int] = None,
        code: Optional[Union[str, int]] = None,
        message: Optional[str] = None,
        delay_ms: Optional[int] = None,
        times: Optional[int] = None,
        org: Optional[str] = None,
    ) -> int:
        """Add a fault (`POST /__admin/faults`): requests matching `method` (default any) and
        the `path` glob answer `status` with Zoho's envelope for `code`, after `delay_ms`, `times`
        times (default: until removed). Returns the fault id."""
        fault = _matcher(
            path=path,
            method=method,
            status=status,
            code=code,
            message=message,
            delay_ms=delay_ms,
            times=times,
            org=org,
        )
        return self._admin("POST", "/__admin/faults", fault)["id"]

    def faults(self) -> List[Dict[str, Any]]:
        return self._admin("GET", "/__admin/faults")["faults"]

    def remove_fault(self, fault_id: Optional[int] = None) -> None:
        """Remove one fault, or all of them with no id."""
        suffix = "" if fault_id is None else "/" + str(fault_id)
        self._admin("DELETE", "/__admin/faults" + suffix)

    def snapshot(self, name: str, org: Optional[str] = None) -> Dict[str, Any]:
        """Save the whole state, or one org, under `name`: `{"name", "org", "created"}`."""
        return self._admin("POST", "/__admin/snapshots", _matcher(name=name, org=org))

    def restore(self, name: str) -> None:
        """Put a snapshot back (an org snapshot replaces that org only)."""
        self._admin("POST", "/__admin/snapshots/" + _segment(name) + "/restore")

    def snapshots(self) -> List[Dict[str, Any]]:
        return self._admin("GET", "/__admin/snapshots")["snapshots"]

    def delete_snapshot(self, name: str) -> None:
        self._admin("DELETE", "/__admin/snapshots/" + _segment(name))

    def sdk_environment(self) -> Dict[str, str]:
        """What Zoho's Python CRM SDK needs to call the mock:
        `DataCenter.Environment(env["api_url"], env["token_url"], env["api_url"])` (its second
        argument is the token URL, its third the file-upload URL)."""
        return {
            "api_url": self.base_url,
            "accounts_url": self.base_url,
            "token_url": self.base_url + "/oauth/v2/token",
        }

"""The pytest plugin (entry point `pytest11`): fixtures `zoho_mock` and `zoho_org`.

- `zoho_mock`: one ZohoMock (the embedded sandbox) for the test session, stopped at its end.
  Under pytest-xdist the session spans every worker: the controller starts one mock and each
  worker talks to it (`--zoho-mock-per-worker` gives each worker its own instead), so tests
  running in parallel share one server and are kept apart by their orgs. Don't `reset()` or
  `put_state()` a shared mock from a test: that replaces the orgs of tests running beside it.
- `zoho_org`: a fresh copy of the sandbox org for one test (`POST /__admin/orgs`), deleted after
  it. Nothing a request does in one org can read or change another.

Options: `--zoho-mock-fixtures FILE` (or the ini key `zoho_mock_fixtures`) serves that fixture
file instead of the sandbox; `--zoho-mock-arg=ARG` (repeatable; ini `zoho_mock_args`) passes more
flags to the binary. The binary is the one `find_binary()` finds ($ZOHO_MOCK_BINARY, else the one
the package carries).
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional

import pytest

from ._mock import BinaryNotFoundError, MockError, MockStartError, Org, ZohoMock

_URL_KEY = "zoho_mock_url"
_ERROR_KEY = "zoho_mock_error"
# The controller's mock under xdist, per config (a run in a run, pytester, has its own).
_SHARED: Dict[int, ZohoMock] = {}
_FAILED: Dict[int, str] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("zoho-sharing-mock")
    group.addoption(
        "--zoho-mock-fixtures",
        dest="zoho_mock_fixtures",
        default=None,
        help="fixture file the zoho_mock fixture serves instead of the embedded sandbox",
    )
    group.addoption(
        "--zoho-mock-arg",
        dest="zoho_mock_args",
        action="append",
        default=[],
        help="one more flag for the zoho-sharing-mock binary (repeatable: "
        "--zoho-mock-arg=--rule-computation-ms=500)",
    )
    group.addoption(
        "--zoho-mock-per-worker",
        dest="zoho_mock_per_worker",
        action="store_true",
        default=False,
        help="under pytest-xdist, one mock per worker instead of one for the whole run",
    )
    parser.addini("zoho_mock_fixtures", "fixture file for the zoho_mock fixture", default=None)
    parser.addini(
        "zoho_mock_args", "extra flags for the zoho-sharing-mock binary", type="args", default=[]
    )


def _start(config: pytest.Config) -> ZohoMock:
    fixtures: Optional[str] = config.getoption("zoho_mock_fixtures") or (
        config.getini("zoho_mock_fixtures") or None
    )
    args: List[str] = list(config.getini("zoho_mock_args")) + list(
        config.getoption("zoho_mock_args")
    )
    return ZohoMock(fixtures=fixtures, args=args)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist, in the controller, before a worker starts: hand it the shared mock's URL.
    The mock starts with the first worker; a start failure is handed over too, and only fails
    the tests that use the fixture."""
    config = node.config
    if config.getoption("zoho_mock_per_worker"):
        return
    key = id(config)
    if key not in _SHARED and key not in _FAILED:
        try:
            _SHARED[key] = _start(config)
        except (BinaryNotFoundError, MockStartError, OSError) as error:
            _FAILED[key] = str(error)
    if key in _SHARED:
        node.workerinput[_URL_KEY] = _SHARED[key].base_url
    else:
        node.workerinput[_ERROR_KEY] = _FAILED[key]


def pytest_unconfigure(config: pytest.Config) -> None:
    _FAILED.pop(id(config), None)
    mock = _SHARED.pop(id(config), None)
    if mock is not None:
        mock.stop()


@pytest.fixture(scope="session")
def zoho_mock(pytestconfig: pytest.Config) -> Iterator[ZohoMock]:
    """The session's zoho-sharing-mock (under xdist: the controller's, shared by the workers)."""
    workerinput: Dict[str, Any] = getattr(pytestconfig, "workerinput", {})
    if _ERROR_KEY in workerinput:
        raise MockStartError(workerinput[_ERROR_KEY])
    if _URL_KEY in workerinput:
        yield ZohoMock.connect(workerinput[_URL_KEY])
        return
    with _start(pytestconfig) as mock:
        yield mock


@pytest.fixture
def zoho_org(zoho_mock: ZohoMock) -> Iterator[Org]:
    """A fresh copy of the startup fixture's first org (the sandbox `zylker`) for one test:
    fresh ids and token strings, the same labels (`zoho_org.token("admin")`). Deleted after the
    test."""
    org = zoho_mock.new_org()
    yield org
    try:
        org.delete()
    except MockError as error:
        if error.status != 404:  # the test may have deleted it itself
            raise

"""The package's helpers against the real binary: lookup, start and stop, org handles and token
labels, the journal, faults, the clock, snapshots, and the pytest plugin's fixtures.

Tests that change what is mock-wide (the clock, reset, whole-state snapshots) start a mock of
their own (`own_mock`); the others work in their own org of the session's mock, as tests beside
them may run at the same time (pytest-xdist).
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from typing import Any, Iterator, Optional, Tuple

import pytest

import zoho_sharing_mock
from zoho_sharing_mock import (
    BinaryNotFoundError,
    MockError,
    MockStartError,
    Org,
    ZohoMock,
    find_binary,
)
from zoho_sharing_mock import _mock

LEAD = "4150868000001148212"
AMELIA = "4150868000001199001"
SHARE = "/crm/v8/Leads/%s/actions/share" % LEAD
READ_ONLY_AMELIA = {
    "share": [
        {"type": "private", "permission": "read_only", "shared_with": {"type": "users", "id": AMELIA}}
    ]
}
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def call(
    mock: ZohoMock, method: str, path: str, token: str, body: Any = None
) -> Tuple[int, Optional[Any]]:
    """One CRM call with a Zoho token: (status, decoded body or None)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(mock.base_url + path, data=data, method=method)
    request.add_header("Authorization", "Zoho-oauthtoken " + token)
    try:
        with NO_PROXY.open(request, timeout=10) as answer:
            status, raw = answer.status, answer.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    return status, (json.loads(raw) if raw else None)


@pytest.fixture
def own_mock() -> Iterator[ZohoMock]:
    with ZohoMock() as mock:
        yield mock


# ---------------------------------------------------------------- the binary and its process


def test_the_binary_is_the_one_the_package_installed() -> None:
    if os.environ.get("ZOHO_MOCK_BINARY"):
        pytest.skip("ZOHO_MOCK_BINARY overrides the packaged binary")
    packaged = _mock._packaged_binary()
    assert packaged is not None, "the installed distribution lists no zoho-sharing-mock binary"
    assert find_binary() == packaged
    assert os.path.basename(packaged) == "zoho-sharing-mock"
    assert zoho_sharing_mock.__version__ != "0+unknown"


def test_no_binary_says_how_to_build_one_and_point_at_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZOHO_MOCK_BINARY", raising=False)
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(_mock, "_packaged_binary", lambda: None)
    with pytest.raises(BinaryNotFoundError) as raised:
        ZohoMock()
    message = str(raised.value)
    assert "cargo install --locked" in message
    assert "ZOHO_MOCK_BINARY=" in message


def test_a_wrong_override_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    missing = str(tmp_path / "no-such-binary")
    monkeypatch.setenv("ZOHO_MOCK_BINARY", missing)
    with pytest.raises(BinaryNotFoundError, match="ZOHO_MOCK_BINARY=" + re.escape(missing)):
        find_binary()
    with pytest.raises(BinaryNotFoundError, match="binary=" + re.escape(missing)):
        ZohoMock(binary=missing)


def test_a_startup_failure_carries_the_mocks_message(tmp_path) -> None:
    bad = tmp_path / "fixture.json"
    bad.write_text('{"orgs": [{"id": "acme", "users": "nobody"}]}')
    with pytest.raises(MockStartError) as raised:
        ZohoMock(fixtures=bad)
    assert "exited with 2 before listening" in str(raised.value)
    assert str(bad) in str(raised.value)
    assert "$.orgs[0].users" in str(raised.value)


def test_fixtures_and_args_reach_the_binary(tmp_path) -> None:
    fixture = tmp_path / "fixture.json"
    fixture.write_text('{"orgs": [{"id": "acme", "name": "Acme"}]}')
    with ZohoMock(fixtures=fixture, args=["--journal-size", "0"]) as mock:
        assert [o["id"] for o in mock.orgs()] == ["acme"]
        with pytest.raises(MockError) as raised:
            mock.count()
        assert raised.value.status == 409
        assert raised.value.body == {"error": "the journal is off (--journal-size 0)"}


def test_stop_ends_the_process_and_keeps_its_log() -> None:
    mock = ZohoMock()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", mock.base_url), mock.base_url
    assert mock.health()["status"] == "ok"
    assert mock.running and mock.owned and mock.pid
    call(mock, "GET", "/crm/v8/org", "1000.sandbox.admin")
    mock.stop()
    assert not mock.running
    with pytest.raises(urllib.error.URLError):
        NO_PROXY.open(mock.base_url + "/__admin/health", timeout=5)
    mock.stop()  # twice is fine
    assert "/crm/v8/org" in mock.log()


def test_connect_drives_a_running_mock_and_leaves_it_running(zoho_mock: ZohoMock) -> None:
    other = ZohoMock.connect(zoho_mock.base_url + "/")
    assert other.base_url == zoho_mock.base_url
    assert not other.owned and other.pid is None
    assert "zylker" in [o["id"] for o in other.orgs()]
    other.stop()
    assert zoho_mock.health()["status"] == "ok"


def test_under_xdist_the_workers_share_the_controllers_mock(zoho_mock: ZohoMock) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        assert not zoho_mock.owned, "this worker started a mock of its own"
    else:
        assert zoho_mock.owned


def test_sdk_environment(zoho_mock: ZohoMock) -> None:
    assert zoho_mock.sdk_environment() == {
        "api_url": zoho_mock.base_url,
        "accounts_url": zoho_mock.base_url,
        "token_url": zoho_mock.base_url + "/oauth/v2/token",
    }


# ---------------------------------------------------------------- orgs and tokens


def test_an_org_copy_has_fresh_tokens_under_the_sandbox_labels(zoho_org: Org) -> None:
    admin = zoho_org.token("admin")
    assert admin.startswith("1000.") and admin != "1000.sandbox.admin"
    labels = [t["label"] for t in zoho_org.tokens()]
    assert labels == [
        "admin", "noshare", "standard", "expired",
        "patricia", "amelia", "ryan", "olivia", "sophia", "emma", "lucas",
    ]  # fmt: skip
    (amelia,) = zoho_org.tokens("amelia")
    assert amelia["user"] == AMELIA and amelia["access_token"] == zoho_org.token("amelia")
    assert zoho_org.data is not None and zoho_org.data["id"] == zoho_org.id


def test_an_unknown_label_names_the_labels_there_are(zoho_org: Org) -> None:
    with pytest.raises(LookupError, match=r"no token labelled 'nobody'; labels: \['admin', "):
        zoho_org.token("nobody")


def test_create_token_and_find_it_by_label(zoho_mock: ZohoMock, zoho_org: Org) -> None:
    token = zoho_org.create_token(AMELIA, ["ZohoCRM.share.ALL"], expires_in=600, label="amelia-share")
    assert zoho_org.token("amelia-share") == token
    status, _ = call(zoho_mock, "GET", SHARE, token)
    assert status == 403  # Amelia does not own the lead


def test_an_org_is_deleted_and_then_unknown(zoho_mock: ZohoMock) -> None:
    org = zoho_mock.new_org()
    assert org.id in [o["id"] for o in zoho_mock.orgs()]
    org.delete()
    assert org.id not in [o["id"] for o in zoho_mock.orgs()]
    with pytest.raises(MockError) as raised:
        org.delete()
    assert raised.value.status == 404
    assert raised.value.body == {"error": 'no org with id "%s"' % org.id}


def test_new_org_from_an_org_object(zoho_mock: ZohoMock) -> None:
    org = zoho_mock.new_org({"id": "empty-%s" % os.getpid(), "name": "Empty"})
    try:
        assert org.get()["name"] == "Empty"
        assert org.tokens() == []
    finally:
        org.delete()


# ---------------------------------------------------------------- journal


def test_count_and_requests_see_one_org_only(zoho_mock: ZohoMock, zoho_org: Org) -> None:
    other = zoho_mock.new_org()
    try:
        status, answer = call(zoho_mock, "PUT", SHARE, zoho_org.token("admin"), READ_ONLY_AMELIA)
        assert status == 200 and answer["share"][0]["code"] == "SUCCESS"
        share_glob = "/crm/*/Leads/*/actions/share"

        assert zoho_mock.count(method="PUT", path=share_glob, org=zoho_org.id) == 1
        assert zoho_mock.count(method="PUT", path=share_glob, org=other.id) == 0
        assert zoho_mock.count(org=zoho_org.id, body={"share": [{"permission": "read_only"}]}) == 1
        assert zoho_mock.count(org=zoho_org.id, body={"share": [{"permission": "full_access"}]}) == 0
        assert zoho_mock.count(org=zoho_org.id, status=200, method="PUT") == 1

        (entry,) = zoho_mock.requests(org=zoho_org.id)
        assert (entry["method"], entry["path"], entry["status"]) == ("PUT", SHARE, 200)
        assert entry["request_body"] == READ_ONLY_AMELIA
        assert entry["headers"]["authorization"] == "REDACTED"
        assert zoho_mock.requests(org=other.id) == []
    finally:
        other.delete()


def test_query_matcher(zoho_mock: ZohoMock, zoho_org: Org) -> None:
    call(zoho_mock, "GET", "/crm/v8/users?type=CurrentUser", zoho_org.token("admin"))
    assert zoho_mock.count(org=zoho_org.id, path="/crm/*/users", query={"type": "CurrentUser"}) == 1
    assert zoho_mock.count(org=zoho_org.id, path="/crm/*/users", query={"type": "AllUsers"}) == 0


# ---------------------------------------------------------------- faults


def test_a_fault_fires_its_times_in_its_org_only(zoho_mock: ZohoMock, zoho_org: Org) -> None:
    other = zoho_mock.new_org()
    fault_id = zoho_mock.fault(path="/crm/*/users", status=500, times=1, org=zoho_org.id)
    try:
        assert isinstance(fault_id, int)
        (listed,) = [f for f in zoho_mock.faults() if f["id"] == fault_id]
        assert (listed["remaining"], listed["org"]) == (1, zoho_org.id)

        assert call(zoho_mock, "GET", "/crm/v8/users", other.token("admin"))[0] == 200
        assert call(zoho_mock, "GET", "/crm/v8/users", zoho_org.token("admin")) == (
            500,
            {"code": "INTERNAL_ERROR", "details": {}, "message": "Internal Server Error", "status": "error"},
        )
        assert call(zoho_mock, "GET", "/crm/v8/users", zoho_org.token("admin"))[0] == 200
        assert zoho_mock.count(org=zoho_org.id, path="/crm/*/users", status=500) == 1
    finally:
        if fault_id in [f["id"] for f in zoho_mock.faults()]:
            zoho_mock.remove_fault(fault_id)
        other.delete()


def test_a_fault_with_a_query_string_is_refused(zoho_mock: ZohoMock) -> None:
    with pytest.raises(MockError) as raised:
        zoho_mock.fault(path="/crm/*/users?type=AllUsers", status=500)
    assert raised.value.status == 400
    assert raised.value.body == {
        "error": "a fault path matches the path only; query strings are not matched"
    }


def test_remove_every_fault(own_mock: ZohoMock) -> None:
    own_mock.fault(path="/crm/*/users", status=503)
    own_mock.fault(path="/crm/*/org", delay_ms=1)
    assert len(own_mock.faults()) == 2
    own_mock.remove_fault()
    assert own_mock.faults() == []


# ---------------------------------------------------------------- clock


def test_the_clock_freezes_advances_and_releases(own_mock: ZohoMock) -> None:
    assert own_mock.clock.freeze("2026-11-21T09:30:00+00:00") == {
        "frozen": True,
        "now": "2026-11-21T09:30:00+00:00",
    }
    status, _ = call(own_mock, "POST", SHARE, "1000.sandbox.admin", READ_ONLY_AMELIA)
    assert status == 201
    assert own_mock.clock.advance(60)["now"] == "2026-11-21T09:31:00+00:00"
    _, shares = call(own_mock, "GET", SHARE, "1000.sandbox.admin")
    assert shares["share"][0]["shared_time"] == "2026-11-21T09:30:00+00:00"
    assert own_mock.clock.get() == {"frozen": True, "now": "2026-11-21T09:31:00+00:00"}
    assert own_mock.clock.release()["frozen"] is False


def test_the_clock_takes_an_aware_datetime_only(own_mock: ZohoMock) -> None:
    import datetime

    moment = datetime.datetime(2027, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    assert own_mock.clock.freeze(moment)["now"] == "2027-01-02T03:04:05+00:00"
    with pytest.raises(ValueError):
        own_mock.clock.freeze(datetime.datetime(2027, 1, 2))


def test_an_expiring_token_expires_on_the_mocks_clock(own_mock: ZohoMock) -> None:
    own_mock.clock.freeze("2026-11-21T09:30:00+00:00")
    token = own_mock.org("zylker").create_token(AMELIA, ["ZohoCRM.users.READ"], expires_in=60)
    assert call(own_mock, "GET", "/crm/v8/users/" + AMELIA, token)[0] == 200
    own_mock.clock.advance(60)
    status, answer = call(own_mock, "GET", "/crm/v8/users/" + AMELIA, token)
    assert status == 401 and answer["code"] == "INVALID_TOKEN"


# ---------------------------------------------------------------- snapshots


def test_an_org_snapshot_restores_that_org(zoho_mock: ZohoMock, zoho_org: Org) -> None:
    name = "seeded-" + zoho_org.id
    saved = zoho_mock.snapshot(name, org=zoho_org.id)
    try:
        assert (saved["name"], saved["org"]) == (name, zoho_org.id)
        assert name in [s["name"] for s in zoho_mock.snapshots()]
        token = zoho_org.token("admin")
        assert call(zoho_mock, "POST", SHARE, token, READ_ONLY_AMELIA)[0] == 201
        assert call(zoho_mock, "GET", SHARE, token)[0] == 200

        zoho_mock.restore(name)
        assert call(zoho_mock, "GET", SHARE, token) == (204, None)
    finally:
        zoho_mock.delete_snapshot(name)
    assert name not in [s["name"] for s in zoho_mock.snapshots()]
    with pytest.raises(MockError) as raised:
        zoho_mock.restore(name)
    assert raised.value.status == 404


def test_a_whole_state_snapshot_survives_reset(own_mock: ZohoMock) -> None:
    org = own_mock.new_org()
    assert own_mock.snapshot("everything")["org"] is None
    own_mock.reset()
    assert [o["id"] for o in own_mock.orgs()] == ["zylker"]
    own_mock.restore("everything")
    assert [o["id"] for o in own_mock.orgs()] == ["zylker", org.id]
    own_mock.put_state({"orgs": [{"id": "solo"}]})
    assert own_mock.state()["orgs"][0]["id"] == "solo"


# ---------------------------------------------------------------- the pytest plugin


def test_the_plugin_gives_each_test_a_fresh_org_on_one_mock(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        seen = {}

        def test_first(zoho_mock, zoho_org):
            seen["mock"], seen["token"] = zoho_mock.base_url, zoho_org.token("admin")
            assert [o["id"] for o in zoho_mock.orgs()] == ["zylker", zoho_org.id]

        def test_second(zoho_mock, zoho_org):
            assert zoho_mock.base_url == seen["mock"]                 # one mock per session
            assert zoho_org.token("admin") != seen["token"]           # a fresh org per test
            assert [o["id"] for o in zoho_mock.orgs()] == ["zylker", zoho_org.id]  # the first is gone

        def test_deleting_it_in_the_test_is_fine(zoho_org):
            zoho_org.delete()
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:xdist")
    result.assert_outcomes(passed=3)


def test_the_plugin_options_reach_the_binary(pytester: pytest.Pytester) -> None:
    fixture = pytester.path / "acme.json"
    fixture.write_text('{"orgs": [{"id": "acme"}]}')
    pytester.makepyfile(
        """
        import pytest
        from zoho_sharing_mock import MockError

        def test_it(zoho_mock):
            assert [o["id"] for o in zoho_mock.orgs()] == ["acme"]
            with pytest.raises(MockError):
                zoho_mock.count()
        """
    )
    result = pytester.runpytest(
        "-p", "no:cacheprovider", "-p", "no:xdist",
        "--zoho-mock-fixtures", str(fixture), "--zoho-mock-arg=--journal-size=0",
    )  # fmt: skip
    result.assert_outcomes(passed=1)

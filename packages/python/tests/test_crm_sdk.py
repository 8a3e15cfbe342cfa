"""Zoho's official Python CRM SDK 8.0 (PyPI `zohocrmsdk8-0`, unmodified) through the plugin.

Every test gets its own copy of the sandbox org (`zoho_org`) on the session's mock
(`zoho_mock`) and signs the SDK in with that org's `admin` token, so the tests can run in any
order and in parallel (`pytest -p xdist -n 2`): every org holds the same record and rule ids, so
a share or a rule change leaking from one test's org into another's would show in the exact
lists and journal counts asserted here.

SDK quirks met here:
- The SDK hard-codes Zoho's domains in its DataCenter classes; a plain `DataCenter.Environment`
  built from `zoho_mock.sdk_environment()` points the API and the accounts server at the mock
  (its second argument is the token URL).
- Its `Users` model has no `type`, which a v8 `shared_with` target needs: add it as a key value
  (`add_key_value("type", "users")`), as Zoho's own share samples do.
- It logs some errors with a broken format call, which pytest's log capture reports as test
  errors: run with `-p no:logging` (the SDK's own log file is kept in the test's tmp_path).
"""

from __future__ import annotations

import datetime
from typing import Iterator, List, Tuple

import pytest

from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
from zohocrmsdk.src.com.zoho.api.authenticator.store.file_store import FileStore
from zohocrmsdk.src.com.zoho.api.logger import Logger
from zohocrmsdk.src.com.zoho.crm.api.dc.data_center import DataCenter
from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
from zohocrmsdk.src.com.zoho.crm.api.sdk_config import SDKConfig
from zohocrmsdk.src.com.zoho.crm.api.share_records import (
    ActionWrapper,
    BodyWrapper,
    DeleteActionWrapper,
    ResponseWrapper,
    ShareRecord,
    ShareRecordsOperations,
)
from zohocrmsdk.src.com.zoho.crm.api.sharing_rules import ActionWrapper as RulesActionWrapper
from zohocrmsdk.src.com.zoho.crm.api.sharing_rules import ResponseWrapper as RulesWrapper
from zohocrmsdk.src.com.zoho.crm.api.sharing_rules import SharingRulesOperations
from zohocrmsdk.src.com.zoho.crm.api.users import Users
from zohocrmsdk.src.com.zoho.crm.api.util.choice import Choice

from zoho_sharing_mock import Org, ZohoMock

LEAD = 4150868000001148212  # Kevin Patel, owned by Patricia (the admin token's user)
AMELIA = 4150868000001199001
RYAN = 4150868000001199002
# The sandbox's active users besides Patricia, the lead's owner: 13 of them.
OTHER_USERS = [4150868000001199000 + n for n in range(1, 14)]
LEADS_TO_SALES = 2276164000002052006
MANAGER_LEADS = 2276164000002052011
SHARE_PATH = "/crm/v8/Leads/%d/actions/share" % LEAD


def value(x: object) -> object:
    """A Choice's value, or the value itself (the SDK wraps enum-typed fields in Choice)."""
    return x.get_value() if isinstance(x, Choice) else x


def error_of(response) -> Tuple[int, object, object]:
    error = response.get_object()
    assert type(error).__name__ == "APIException", type(error)
    return response.get_status_code(), value(error.get_code()), value(error.get_message())


@pytest.fixture
def crm(zoho_mock: ZohoMock, zoho_org: Org, tmp_path) -> Iterator[Org]:
    """The SDK signed in as the Administrator of this test's org (its `admin` token)."""
    env = zoho_mock.sdk_environment()
    Initializer.initialize(
        environment=DataCenter.Environment(env["api_url"], env["token_url"], env["api_url"]),
        token=OAuthToken(access_token=zoho_org.token("admin")),
        store=FileStore(str(tmp_path / "tokens.csv")),
        sdk_config=SDKConfig(auto_refresh_fields=False, pick_list_validation=False),
        resource_path=str(tmp_path),
        logger=Logger.get_instance(level=Logger.Levels.INFO, file_path=str(tmp_path / "sdk.log")),
    )
    yield zoho_org


def share_item(user_id: int, permission: str, related: bool = False) -> ShareRecord:
    item = ShareRecord()
    target = Users()
    target.set_id(user_id)
    target.add_key_value("type", "users")
    item.set_shared_with(target)
    item.set_permission(permission)
    item.set_share_related_records(related)
    item.set_type(Choice("private"))
    return item


def body(*items: ShareRecord) -> BodyWrapper:
    wrapper = BodyWrapper()
    wrapper.set_share(list(items))
    return wrapper


def successes(response, status: int) -> List[object]:
    assert response is not None, "the SDK could not read the answer (see its log)"
    answer = response.get_object()
    if type(answer).__name__ == "APIException":
        pytest.fail("API error %r" % (error_of(response),))
    assert response.get_status_code() == status
    assert isinstance(answer, ActionWrapper), type(answer)
    return [value(item.get_code()) for item in answer.get_share()]


def shares_now() -> List[Tuple[int, str, bool]]:
    """(user id, permission, share_related_records) of the lead's shares, as the SDK reads them."""
    response = ShareRecordsOperations(LEAD, "Leads").get_shared_record_details()
    if response.get_status_code() == 204:
        return []
    answer = response.get_object()
    assert isinstance(answer, ResponseWrapper), type(answer)
    return [
        (
            s.get_shared_with().get_id(),
            value(s.get_permission()),
            s.get_share_related_records(),
        )
        for s in answer.get_share()
    ]


def test_share_with_two_users_and_read_them_back(zoho_mock: ZohoMock, crm: Org) -> None:
    # The mock's clock is mock-wide, and tests beside this one share the mock: no freezing here
    # (test_helpers.py freezes the clock of a mock of its own).
    start = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    ops = ShareRecordsOperations(LEAD, "Leads")
    created = ops.share_record(
        body(share_item(AMELIA, "read_only"), share_item(RYAN, "read_write", related=True))
    )
    assert successes(created, 201) == ["SUCCESS", "SUCCESS"]

    response = ops.get_shared_record_details()
    assert response.get_status_code() == 200
    shares = response.get_object().get_share()
    # Same time, so the record-only share comes first (spec order).
    assert [(s.get_shared_with().get_id(), s.get_shared_with().get_name()) for s in shares] == [
        (AMELIA, "Amelia Burrows"),
        (RYAN, "Ryan Cole"),
    ]
    assert [value(s.get_permission()) for s in shares] == ["read_only", "read_write"]
    assert [s.get_share_related_records() for s in shares] == [False, True]
    for s in shares:
        assert start <= s.get_shared_time() <= datetime.datetime.now(datetime.timezone.utc)
    assert {s.get_shared_by().get_id() for s in shares} == {4150868000001174048}
    assert zoho_mock.count(method="POST", path="/crm/*/Leads/*/actions/share", org=crm.id) == 1


def test_update_with_one_user_omitted_revokes_that_user(zoho_mock: ZohoMock, crm: Org) -> None:
    ops = ShareRecordsOperations(LEAD, "Leads")
    assert successes(
        ops.share_record(body(share_item(AMELIA, "read_only"), share_item(RYAN, "read_write"))), 201
    ) == ["SUCCESS", "SUCCESS"]

    # PUT replaces the whole set: Amelia, not listed, loses access.
    updated = ops.update_share_permissions(body(share_item(RYAN, "read_only", related=True)))
    assert successes(updated, 200) == ["SUCCESS"]
    assert shares_now() == [(RYAN, "read_only", True)]
    assert zoho_mock.count(method="PUT", path=SHARE_PATH, org=crm.id, status=200) == 1


def test_the_ten_user_limit(zoho_mock: ZohoMock, crm: Org) -> None:
    ops = ShareRecordsOperations(LEAD, "Leads")
    ten, eleventh = OTHER_USERS[:10], OTHER_USERS[10]
    assert successes(ops.share_record(body(*(share_item(u, "read_only") for u in ten))), 201) == [
        "SUCCESS"
    ] * 10

    # An eleventh user through POST's merge: the mock's limit.
    over = ops.share_record(body(share_item(eleventh, "read_only")))
    assert over.get_status_code() == 403
    assert error_of(over) == (403, "LIMIT_EXCEEDED", "The record sharing limit has been reached")
    assert sorted(u for u, _, _ in shares_now()) == ten

    # Eleven users in one PUT (which would replace the set): refused, nothing changes.
    refused = ops.update_share_permissions(body(*(share_item(u, "read_only") for u in OTHER_USERS[:11])))
    assert error_of(refused) == (403, "SHARE_LIMIT_EXCEEDED", "Cannot share a record to more than 10 users.")
    assert sorted(u for u, _, _ in shares_now()) == ten
    assert zoho_mock.count(method="PUT", path=SHARE_PATH, org=crm.id, status=403) == 1


def test_revoke(zoho_mock: ZohoMock, crm: Org) -> None:
    ops = ShareRecordsOperations(LEAD, "Leads")
    successes(ops.share_record(body(share_item(AMELIA, "full_access"))), 201)

    revoked = ops.revoke_shared_record()
    assert revoked.get_status_code() == 200
    answer = revoked.get_object()
    assert isinstance(answer, DeleteActionWrapper), type(answer)
    assert value(answer.get_share().get_code()) == "SUCCESS"
    assert answer.get_share().get_details() == {"id": str(LEAD)}
    assert shares_now() == []  # 204

    again = ops.revoke_shared_record()
    assert error_of(again) == (
        400,
        "BAD_REQUEST",
        "No sharing through this record is available to revoke.",
    )
    assert zoho_mock.count(method="DELETE", path=SHARE_PATH, org=crm.id) == 2


def test_list_and_deactivate_a_data_sharing_rule(zoho_mock: ZohoMock, crm: Org) -> None:
    ops = SharingRulesOperations("Leads")
    listed = ops.get_sharing_rules()
    assert listed.get_status_code() == 200
    rules = listed.get_object()
    assert isinstance(rules, RulesWrapper), type(rules)
    assert [(r.get_id(), r.get_name(), value(r.get_status())) for r in rules.get_sharing_rules()] == [
        (LEADS_TO_SALES, "Leads to Sales", "active"),
        (MANAGER_LEADS, "Manager leads to Sales Reps", "inactive"),
    ]

    answer = ops.deactivate_sharing_rule(LEADS_TO_SALES)
    assert answer.get_status_code() == 200
    wrapper = answer.get_object()
    assert isinstance(wrapper, RulesActionWrapper), type(wrapper)
    (item,) = wrapper.get_sharing_rules()
    assert value(item.get_code()) == "SUCCESS"
    assert value(item.get_message()) == "sharing rule is deactivated successfully"

    (rule,) = ops.get_sharing_rule(LEADS_TO_SALES).get_object().get_sharing_rules()
    assert value(rule.get_status()) == "inactive"
    assert zoho_mock.count(method="DELETE", path="/crm/*/settings/data_sharing/rules/*/actions/activate", org=crm.id) == 1
    # Only this test's org changed: the sandbox org of the same mock keeps its rule active.
    zylker_rules = {r["id"]: r["status"] for r in zoho_mock.org("zylker").get()["sharing_rules"]}
    assert zylker_rules[str(LEADS_TO_SALES)] == "active"

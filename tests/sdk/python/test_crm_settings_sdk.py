"""Zoho's official Python CRM SDK 8.0 (PyPI `zohocrmsdk8-0`), unmodified, against a running mock.

The mock's base URL comes from ZOHO_MOCK_URL (tests/sdk/run-python-sdk.sh starts the binary and
sets it). The state is the embedded sandbox (DESIGN.md §4), reset once before the tests; the SDK
calls are those of spec/crm-settings-and-search.md §10 (worked examples), plus the token flow and
the calls the SDK makes on its own (GET /crm/v8/users?type=CurrentUser and GET /crm/v8/org after
every token, auth-and-errors.md §5, §5b).

The SDK is pointed at the mock through its own public Environment class: a custom
DataCenter.Environment whose API URL, accounts URL and file-upload URL are the mock's base URL.
"""

import contextlib
import datetime
import csv
import os

import pytest
import requests

from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
from zohocrmsdk.src.com.zoho.api.authenticator.store.file_store import FileStore
from zohocrmsdk.src.com.zoho.api.logger import Logger
from zohocrmsdk.src.com.zoho.crm.api import HeaderMap, ParameterMap
from zohocrmsdk.src.com.zoho.crm.api.dc.data_center import DataCenter
from zohocrmsdk.src.com.zoho.crm.api.exception import SDKException
from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
from zohocrmsdk.src.com.zoho.crm.api.profiles import GetProfilesParam, ProfilesOperations
from zohocrmsdk.src.com.zoho.crm.api.profiles import ResponseWrapper as ProfilesWrapper
from zohocrmsdk.src.com.zoho.crm.api.roles import ResponseWrapper as RolesWrapper
from zohocrmsdk.src.com.zoho.crm.api.roles import RolesOperations
from zohocrmsdk.src.com.zoho.crm.api.sdk_config import SDKConfig
from zohocrmsdk.src.com.zoho.crm.api.sharing_rules import (
    Criteria,
    Field,
    FiltersBody,
    SharingRulesOperations,
    SummaryResponseWrapper,
)
from zohocrmsdk.src.com.zoho.crm.api.sharing_rules import ResponseWrapper as RulesWrapper
from zohocrmsdk.src.com.zoho.crm.api.sharing_rules.sharing_rules_operations import (
    SearchSharingRulesParam,
)
from zohocrmsdk.src.com.zoho.crm.api.user_groups import (
    GetGroupsParam,
    GetSourcesParam,
    SourcesCountWrapper,
    SourcesWrapper,
    UserGroupsOperations,
)
from zohocrmsdk.src.com.zoho.crm.api.user_groups import Criteria as GroupCriteria
from zohocrmsdk.src.com.zoho.crm.api.user_groups import Field as GroupField
from zohocrmsdk.src.com.zoho.crm.api.user_groups import ResponseWrapper as GroupsWrapper
from zohocrmsdk.src.com.zoho.crm.api.users import GetUserHeader, GetUsersParam, UsersOperations
from zohocrmsdk.src.com.zoho.crm.api.users import ResponseWrapper as UsersWrapper
from zohocrmsdk.src.com.zoho.crm.api.util.choice import Choice

CEO = 4150868000000026005
MANAGER = 4150868000000026006
SALES_REP = 4150868000000026007
SUPPORT_AGENT = 4150868000000026008
SALES = 4150868000000232001
SUPPORT = 4150868000000232002
MANAGEMENT = 4150868000000232003
PATRICIA = 4150868000001174048
AMELIA = 4150868000001199001
RYAN = 4150868000001199002
OLIVIA = 4150868000001199003
SOPHIA = 4150868000001199005
READ_ONLY = 3602353000000026003
LEADS_RULE = 2276164000002052006
LEADS_INACTIVE_RULE = 2276164000002052011
CONTACTS_RULE = 2276164000002052015
DEALS_RULE = 2276164000002052019


def value(x):
    """A Choice's value, or the value itself (the SDK wraps enum-typed fields in Choice)."""
    return x.get_value() if isinstance(x, Choice) else x


def error_of(response):
    """(status, code, message, details) of an APIException answer."""
    assert response is not None, "the SDK could not read the answer (see the SDK log)"
    error = response.get_object()
    assert type(error).__name__ == "APIException", type(error)
    details = {k: value(v) for k, v in (error.get_details() or {}).items()}
    return (
        response.get_status_code(),
        value(error.get_code()),
        value(error.get_message()),
        details,
    )


def ok(response, wrapper):
    assert response is not None, "the SDK could not read the answer (see the SDK log)"
    body = response.get_object()
    if type(body).__name__ == "APIException":
        pytest.fail("API error %s: %r" % (response.get_status_code(), error_of(response)))
    assert response.get_status_code() == 200
    assert isinstance(body, wrapper), type(body)
    return body


def no_content(response):
    assert response is not None
    assert response.get_status_code() == 204
    assert response.get_object() is None


@pytest.fixture(scope="session")
def base_url():
    url = os.environ.get("ZOHO_MOCK_URL")
    assert url, "ZOHO_MOCK_URL must name the running mock (tests/sdk/run-python-sdk.sh sets it)"
    return url.rstrip("/")


@pytest.fixture(scope="session")
def environment(base_url):
    # The SDK's DataCenter classes hard-code Zoho's domains; an Environment of our own points
    # the API, the accounts server and file uploads at the mock.
    return DataCenter.Environment(base_url, base_url + "/oauth/v2/token", base_url)


@pytest.fixture(scope="session")
def token_file(tmp_path_factory):
    return tmp_path_factory.mktemp("sdk") / "tokens.csv"


@pytest.fixture(scope="session", autouse=True)
def sdk(base_url, environment, token_file, tmp_path_factory):
    """Reset the mock, then sign the SDK in the way its docs show: client id, secret and a
    refresh token, which it exchanges at the accounts server."""
    reply = requests.post(base_url + "/__admin/reset", timeout=10)
    assert reply.status_code == 204, reply.text
    work = tmp_path_factory.mktemp("sdk-work")
    token = OAuthToken(
        client_id="1000.SANDBOXCLIENT",
        client_secret="sandbox-secret",
        refresh_token="1000.sandbox.refresh",
    )
    Initializer.initialize(
        environment=environment,
        token=token,
        store=FileStore(str(token_file)),
        sdk_config=SDKConfig(auto_refresh_fields=False, pick_list_validation=False),
        resource_path=str(work),
        logger=Logger.get_instance(level=Logger.Levels.INFO, file_path=str(work / "sdk.log")),
    )
    return token


@contextlib.contextmanager
def signed_in_as(access_token, environment, sdk):
    """Switch the SDK to another sandbox user's access token, and back afterwards."""
    Initializer.switch_user(environment=environment, token=OAuthToken(access_token=access_token))
    try:
        yield
    finally:
        Initializer.switch_user(environment=environment, token=sdk)


def crit(api_name, comparator, val):
    c = Criteria()
    f = Field()
    f.set_api_name(api_name)
    c.set_field(f)
    c.set_comparator(comparator)
    c.set_value(val)
    return c


def group_name_criterion(comparator, val):
    c = GroupCriteria()
    f = GroupField()
    f.set_api_name("name")
    c.set_field(f)
    c.set_comparator(comparator)
    c.set_value(val)
    return c


def group(operator, members):
    c = Criteria()
    c.set_group_operator(operator)
    c.set_group(members)
    return c


def body(*criteria):
    b = FiltersBody()
    b.set_filters(list(criteria))
    return b


def nested_search():
    """spec §10 (e)."""
    return body(
        group(
            "and",
            [
                crit("shared_to.type", "equal", "groups"),
                group("or", [crit("status", "equal", "active"), crit("name", "like", "manager")]),
            ],
        )
    )


# ---------------------------------------------------------------- sign-in (existing endpoints)


def test_the_refresh_token_sign_in_keys_the_token_store(token_file, base_url):
    # The SDK stored the minted token under the CurrentUser email and the org's zgid, and took
    # api_domain from the token answer.
    with open(token_file, newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 1, rows
    row = rows[0]
    assert row["user_name"] == "patricia@zylker.com:700017001"
    assert row["refresh_token"] == "1000.sandbox.refresh"
    assert row["access_token"].startswith("1000.") and row["access_token"] != "1000.sandbox.admin"
    assert row["api_domain"] == base_url


def test_the_rules_list_still_reads():
    wrapper = ok(SharingRulesOperations("Leads").get_sharing_rules(), RulesWrapper)
    assert [r.get_id() for r in wrapper.get_sharing_rules()] == [LEADS_RULE, LEADS_INACTIVE_RULE]


# ---------------------------------------------------------------- users (spec §6)


def test_get_users_items_carry_reporting_to():
    params = ParameterMap()
    params.add(GetUsersParam.type, "AllUsers")
    wrapper = ok(UsersOperations().get_users(params), UsersWrapper)
    users = {u.get_id(): u for u in wrapper.get_users()}
    assert len(users) == 15
    assert users[PATRICIA].get_key_value("Reporting_To") is None
    amelia_manager = users[AMELIA].get_key_value("Reporting_To")
    assert (amelia_manager.get_id(), amelia_manager.get_name()) == (OLIVIA, "Olivia Grant")
    assert users[SOPHIA].get_profile().get_id() == READ_ONLY
    assert users[SOPHIA].get_profile().get_name() == "Read Only"


def test_get_user_and_whom_they_report_to():
    wrapper = ok(UsersOperations().get_user(RYAN), UsersWrapper)
    (ryan,) = wrapper.get_users()
    assert ryan.get_email() == "ryan@zylker.com"
    assert ryan.get_full_name() == "Ryan Cole"
    assert ryan.get_role().get_id() == SALES_REP
    assert ryan.get_profile().get_name() == "Standard"
    manager = ryan.get_key_value("Reporting_To")
    assert (manager.get_id(), manager.get_name()) == (AMELIA, "Amelia Burrows")
    # SDK 8.0 sends If-Modified-Since when asked; the mock ignores it.
    headers = HeaderMap()
    headers.add(GetUserHeader.if_modified_since, datetime.datetime(2030, 1, 1))
    wrapper = ok(UsersOperations().get_user(RYAN, headers), UsersWrapper)
    assert wrapper.get_users()[0].get_id() == RYAN


def test_get_user_unknown_id():
    assert error_of(UsersOperations().get_user(4150868000009999999)) == (
        400,
        "INVALID_DATA",
        "the id given seems to be invalid",
        {"resource_path_index": 1},
    )


# ---------------------------------------------------------------- roles (spec §3)


def test_get_roles_is_the_role_tree():
    wrapper = ok(RolesOperations().get_roles(), RolesWrapper)
    roles = wrapper.get_roles()
    assert [r.get_name() for r in roles] == ["CEO", "Manager", "Sales Rep", "Support Agent"]
    assert [r.get_id() for r in roles] == [CEO, MANAGER, SALES_REP, SUPPORT_AGENT]
    assert roles[0].get_reporting_to() is None
    parents = [(r.get_reporting_to().get_id(), r.get_reporting_to().get_name()) for r in roles[1:]]
    assert parents == [(CEO, "CEO"), (MANAGER, "Manager"), (MANAGER, "Manager")]
    assert [r.get_share_with_peers() for r in roles] == [False, False, False, True]
    assert [r.get_display_label() for r in roles] == ["CEO", "Manager", "Sales Rep", "Support Agent"]


def test_get_role():
    wrapper = ok(RolesOperations().get_role(SUPPORT_AGENT), RolesWrapper)
    (role,) = wrapper.get_roles()
    assert role.get_name() == "Support Agent"
    assert role.get_share_with_peers() is True


def test_get_role_unknown_id_trips_the_sdk(base_url):
    # The mock answers spec §3.4 row 2 ...
    reply = requests.get(
        base_url + "/crm/v8/settings/roles/4150868000000026099",
        headers={"Authorization": "Zoho-oauthtoken 1000.sandbox.admin"},
        timeout=10,
    )
    assert (reply.status_code, reply.json()["details"]) == (400, {"resource_path_index": 2})
    # ... and SDK 8.0 cannot read it: its roles.APIException details table has entries without
    # a name, so any non-empty `details` raises while parsing (an SDK defect, not the mock's).
    with pytest.raises(SDKException):
        RolesOperations().get_role(4150868000000026099)


def test_roles_are_for_administrators(environment, sdk):
    with signed_in_as("1000.sandbox.amelia", environment, sdk):
        assert error_of(RolesOperations().get_roles()) == (
            403,
            "NO_PERMISSION",
            "Permission denied to read",
            {},
        )


# ---------------------------------------------------------------- user groups (spec §4)


def test_get_groups_with_source_counts():
    params = ParameterMap()
    params.add(GetGroupsParam.include, "sources_count")
    wrapper = ok(UserGroupsOperations().get_groups(params), GroupsWrapper)
    groups = wrapper.get_user_groups()
    assert [g.get_name() for g in groups] == ["Sales", "Support", "Management"]
    assert [g.get_id() for g in groups] == [SALES, SUPPORT, MANAGEMENT]
    counts = [g.get_sources_count() for g in groups]
    assert [c.get_users().get_active() for c in counts] == [4, 0, 1]
    assert [c.get_roles() for c in counts] == [0, 1, 1]
    info = wrapper.get_info()
    assert (info.get_count(), info.get_more_records(), info.get_page(), info.get_per_page()) == (
        3,
        False,
        1,
        200,
    )


def test_get_groups_by_name_and_filters():
    params = ParameterMap()
    params.add(GetGroupsParam.name, "support")
    wrapper = ok(UserGroupsOperations().get_groups(params), GroupsWrapper)
    assert [g.get_name() for g in wrapper.get_user_groups()] == ["Support"]
    assert wrapper.get_user_groups()[0].get_sources_count() is None

    params = ParameterMap()
    params.add(GetGroupsParam.name, "Supp")
    no_content(UserGroupsOperations().get_groups(params))

    # filters is a user_groups.Criteria; the SDK sends it as JSON in the query string.
    params = ParameterMap()
    params.add(GetGroupsParam.filters, group_name_criterion("starts_with", "Supp"))
    wrapper = ok(UserGroupsOperations().get_groups(params), GroupsWrapper)
    assert [g.get_name() for g in wrapper.get_user_groups()] == ["Support"]

    either = GroupCriteria()
    either.set_group_operator(Choice("OR"))  # the SDK accepts only "OR" / "AND" here
    either.set_group(
        [group_name_criterion("starts_with", "Sal"), group_name_criterion("contains", "AGE")]
    )
    params = ParameterMap()
    params.add(GetGroupsParam.filters, either)
    wrapper = ok(UserGroupsOperations().get_groups(params), GroupsWrapper)
    assert [g.get_name() for g in wrapper.get_user_groups()] == ["Sales", "Management"]

    # The SDK types the user-group page parameters as strings.
    params = ParameterMap()
    params.add(GetGroupsParam.per_page, "2")
    params.add(GetGroupsParam.page, "2")
    wrapper = ok(UserGroupsOperations().get_groups(params), GroupsWrapper)
    assert [g.get_name() for g in wrapper.get_user_groups()] == ["Management"]


def test_get_group_with_its_sources():
    wrapper = ok(UserGroupsOperations().get_group(MANAGEMENT), GroupsWrapper)
    (management,) = wrapper.get_user_groups()
    sources = [(value(s.get_type()), s.get_source().get_id(), s.get_source().get_name(), s.get_subordinates())
               for s in management.get_sources()]
    assert sources == [
        ("users", PATRICIA, "Patricia Boyle", False),
        ("roles", MANAGER, "Manager", False),
    ]
    assert management.get_sources_count().get_roles() == 1


def test_get_sources():
    wrapper = ok(UserGroupsOperations().get_sources(MANAGEMENT), SourcesWrapper)
    assert [value(s.get_type()) for s in wrapper.get_sources()] == ["users", "roles"]
    assert wrapper.get_info().get_count() == 2

    params = ParameterMap()
    params.add(GetSourcesParam.type, "roles")
    wrapper = ok(UserGroupsOperations().get_sources(MANAGEMENT, params), SourcesWrapper)
    assert [s.get_source().get_id() for s in wrapper.get_sources()] == [MANAGER]

    params = ParameterMap()
    params.add(GetSourcesParam.type, "territories")
    no_content(UserGroupsOperations().get_sources(MANAGEMENT, params))

    params = ParameterMap()
    params.add(GetSourcesParam.user_type, "active")
    wrapper = ok(UserGroupsOperations().get_sources(SALES, params), SourcesWrapper)
    assert [s.get_source().get_name() for s in wrapper.get_sources()] == [
        "Amelia Burrows",
        "Ryan Cole",
        "Liam Foster",
        "Sophia Hayes",
    ]


def test_get_sources_count():
    wrapper = ok(UserGroupsOperations().get_sources_count(MANAGEMENT), SourcesCountWrapper)
    (counts,) = wrapper.get_sources_count()
    users = counts.get_users()
    assert (users.get_active(), users.get_inactive(), users.get_deleted()) == (1, 0, 0)
    assert (counts.get_roles(), counts.get_groups(), counts.get_territories()) == (1, 0, 0)


def test_get_group_unknown_id():
    assert error_of(UserGroupsOperations().get_group(4150868000000232099)) == (
        400,
        "INVALID_DATA",
        "the id given seems to be invalid",
        {"resource_path_index": 2},
    )


def test_groups_are_for_administrators(environment, sdk):
    with signed_in_as("1000.sandbox.ryan", environment, sdk):
        assert error_of(UserGroupsOperations().get_groups()) == (
            403,
            "NO_PERMISSION",
            "You do not have permission to view the user groups.",
            {},
        )


# ---------------------------------------------------------------- profiles (spec §5)


def test_get_profiles():
    # include_lite_profile is typed Boolean; the SDK writes it as Python does: "True", "False".
    for lite in [None, True, False]:
        params = ParameterMap()
        if lite is not None:
            params.add(GetProfilesParam.include_lite_profile, lite)
        wrapper = ok(ProfilesOperations().get_profiles(params), ProfilesWrapper)
        profiles = wrapper.get_profiles()
        assert [p.get_name() for p in profiles] == ["Administrator", "Standard", "Read Only"]
        assert [p.get_custom() for p in profiles] == [False, False, True]
        assert profiles[2].get_description() == "View every module, change nothing"
        assert [value(p.get_type()) for p in profiles] == ["normal_profile"] * 3
        assert all(p.get_permissions_details() is None for p in profiles)


def test_get_profile_with_its_permissions():
    wrapper = ok(ProfilesOperations().get_profile(READ_ONLY), ProfilesWrapper)
    (profile,) = wrapper.get_profiles()
    details = profile.get_permissions_details()
    assert len(details) == 72
    assert [(d.get_module(), d.get_display_label(), d.get_enabled()) for d in details[:4]] == [
        ("Leads", "View", True),
        ("Leads", "Create", False),
        ("Leads", "Edit", False),
        ("Leads", "Delete", False),
    ]
    assert details[-1].get_name() == "Crm_Implied_Delete_Properties"
    assert details[0].get_id() == "3602353000000100101"


def test_get_profile_unknown_id():
    # SDK 8.0's profiles.APIException has no resource_path_index key: the SDK drops it.
    status, code, message, _ = error_of(ProfilesOperations().get_profile(3602353000000026099))
    assert (status, code, message) == (
        400,
        "INVALID_DATA",
        "the id given seems to be invalid or already deleted",
    )


# ---------------------------------------------------------------- rules search (spec §7)


def test_search_sharing_rules_with_nested_groups():
    wrapper = ok(SharingRulesOperations().search_sharing_rules(nested_search()), RulesWrapper)
    rules = wrapper.get_sharing_rules()
    assert [r.get_id() for r in rules] == [LEADS_RULE, DEALS_RULE]
    assert [r.get_module().get_api_name() for r in rules] == ["Leads", "Deals"]
    assert [value(r.get_shared_to().get_type()) for r in rules] == ["groups", "groups"]
    assert wrapper.get_info().get_count() == 2


def test_search_sharing_rules_of_a_module():
    no_content(SharingRulesOperations("Contacts").search_sharing_rules(nested_search()))
    wrapper = ok(SharingRulesOperations("Deals").search_sharing_rules(nested_search()), RulesWrapper)
    assert [r.get_id() for r in wrapper.get_sharing_rules()] == [DEALS_RULE]


def test_search_sharing_rules_paging():
    params = ParameterMap()
    params.add(SearchSharingRulesParam.per_page, 1)
    params.add(SearchSharingRulesParam.page, 2)
    active = body(crit("status", "equal", "active"))
    wrapper = ok(SharingRulesOperations().search_sharing_rules(active, params), RulesWrapper)
    assert [r.get_id() for r in wrapper.get_sharing_rules()] == [CONTACTS_RULE]
    info = wrapper.get_info()
    assert (info.get_count(), info.get_more_records(), info.get_page(), info.get_per_page()) == (
        1,
        True,
        2,
        1,
    )


def test_search_sharing_rules_by_resource_and_superiors():
    found = ok(
        SharingRulesOperations().search_sharing_rules(
            body(crit("shared_from.resource.id", "in", [MANAGER]), crit("superiors_allowed", "equal", True))
        ),
        RulesWrapper,
    )
    assert [r.get_id() for r in found.get_sharing_rules()] == [LEADS_INACTIVE_RULE]


def test_search_with_a_comparator_the_key_does_not_take():
    response = SharingRulesOperations("Leads").search_sharing_rules(
        body(crit("status", "in", ["active"]))
    )
    assert error_of(response) == (
        400,
        "INVALID_DATA",
        "invalid data",
        {"api_name": "comparator", "json_path": "$.filters[0].comparator"},
    )


def test_filtered_summary():
    response = SharingRulesOperations().search_sharing_rules_summary(
        body(crit("shared_to.resource.id", "in", [str(SUPPORT)]))
    )
    wrapper = ok(response, SummaryResponseWrapper)
    (entry,) = wrapper.get_sharing_rules_summary()
    assert entry.get_module().get_api_name() == "Deals"
    assert entry.get_rule_count() == 1
    assert entry.get_rule_computation_status() is False
    no_content(
        SharingRulesOperations().search_sharing_rules_summary(
            body(crit("shared_to.resource.id", "in", ["4150868000000232099"]))
        )
    )


def test_search_is_for_administrators(environment, sdk):
    with signed_in_as("1000.sandbox.olivia", environment, sdk):
        assert error_of(SharingRulesOperations().search_sharing_rules(nested_search())) == (
            403,
            "NO_PERMISSION",
            "permission denied",
            {},
        )

"""Zoho's official Python CRM SDK 8.0 (PyPI `zohocrmsdk8-0`), unmodified, against the mock:
records and effective access (spec/crm-records-and-access.md).

One user inserts a lead; another reads it before and after it is shared, and before, during and
after a data sharing rule that covers it is active. The mock must already be running; its base
URL comes from `ZOHO_MOCK_URL` (tests/sdk/run-python-sdk.sh starts it and runs this file with the
other CRM SDK tests). Every test starts from the embedded sandbox (`POST /__admin/reset`) and
uses the sandbox's per-user tokens.

The SDK's set-up lives in this file on purpose (no conftest.py), so that it cannot clash with the
settings SDK test that runs with the same SDK.
"""

import json
import os
import urllib.request
from datetime import datetime, timezone

import pytest

from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
from zohocrmsdk.src.com.zoho.api.authenticator.store import FileStore
from zohocrmsdk.src.com.zoho.api.logger import Logger
from zohocrmsdk.src.com.zoho.crm.api import ParameterMap
from zohocrmsdk.src.com.zoho.crm.api.dc.data_center import DataCenter
from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
from zohocrmsdk.src.com.zoho.crm.api.sdk_config import SDKConfig
from zohocrmsdk.src.com.zoho.crm.api.util import Choice
from zohocrmsdk.src.com.zoho.crm.api.users import Users
import zohocrmsdk.src.com.zoho.crm.api.record as records
import zohocrmsdk.src.com.zoho.crm.api.share_records as shares
import zohocrmsdk.src.com.zoho.crm.api.sharing_rules as rules

BASE = os.environ["ZOHO_MOCK_URL"].rstrip("/")

# The sandbox's per-user tokens (DESIGN.md §4 "Tokens for trying access").
TOKENS = {
    "patricia": "1000.sandbox.patricia",
    "amelia": "1000.sandbox.amelia",
    "ryan": "1000.sandbox.ryan",
}
AMELIA = 4150868000001199001
RYAN = 4150868000001199002
SALES_REP_ROLE = 4150868000000026007
SALES_GROUP = 4150868000000232001


def admin(method, path, body=None):
    """One admin API call; the parsed JSON answer, or None for an empty one."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, method=method, data=data,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        text = response.read()
    return json.loads(text) if text else None


def text(value):
    """The SDK wraps enum-like strings (codes, messages) in Choice."""
    return value.get_value() if isinstance(value, Choice) else value


class Sdk:
    """The SDK initialised against the mock, switching between sandbox users."""

    def __init__(self, folder):
        environment = DataCenter.Environment(BASE, BASE + "/oauth/v2/token", BASE)
        # auto_refresh_fields stays off (the SDK's default): with it on, the SDK asks
        # GET /settings/modules first and needs a module list there (see the quirks note).
        config = SDKConfig(auto_refresh_fields=False, pick_list_validation=False)
        Initializer.initialize(
            environment=environment,
            token=OAuthToken(access_token=TOKENS["patricia"]),
            store=FileStore(os.path.join(folder, "tokens.csv")),
            sdk_config=config,
            resource_path=folder,
            logger=Logger.get_instance(level=Logger.Levels.INFO,
                                       file_path=os.path.join(folder, "sdk.log")),
        )

    @staticmethod
    def as_user(name):
        Initializer.switch_user(token=OAuthToken(access_token=TOKENS[name]))

    # ---- records ----

    @staticmethod
    def insert_lead(fields):
        record = records.Record()
        for key, value in fields.items():
            record.add_key_value(key, value)
        body = records.BodyWrapper()
        body.set_data([record])
        body.set_trigger([])
        response = records.RecordOperations("Leads").create_records(body)
        assert response.get_status_code() == 201, response.get_status_code()
        [item] = response.get_object().get_data()
        assert isinstance(item, records.SuccessResponse), vars(item)
        assert text(item.get_code()) == "SUCCESS"
        assert text(item.get_message()) == "record added"
        return int(item.get_details()["id"])

    @staticmethod
    def get_lead(record_id):
        """(status, record or None) of GET /crm/v8/Leads/{id}."""
        response = records.RecordOperations("Leads").get_record(record_id)
        if response.get_status_code() == 204:
            return 204, None
        [record] = response.get_object().get_data()
        return response.get_status_code(), record

    @staticmethod
    def listed_lead_ids():
        params = ParameterMap()
        params.add(records.GetRecordsParam.fields, "Last_Name,Company")
        response = records.RecordOperations("Leads").get_records(params)
        if response.get_status_code() == 204:
            return []
        assert response.get_status_code() == 200
        return [record.get_id() for record in response.get_object().get_data()]

    @staticmethod
    def update_lead(record_id, fields):
        record = records.Record()
        for key, value in fields.items():
            record.add_key_value(key, value)
        body = records.BodyWrapper()
        body.set_data([record])
        response = records.RecordOperations("Leads").update_record(record_id, body)
        [item] = response.get_object().get_data()
        return response.get_status_code(), item

    # ---- record sharing ----

    @staticmethod
    def share_lead_with_user(record_id, user_id, permission):
        target = Users()
        target.set_id(user_id)
        target.add_key_value("type", "users")
        share = shares.ShareRecord()
        share.set_shared_with(target)
        share.set_type(Choice("private"))
        share.set_permission(permission)
        share.set_share_related_records(False)
        body = shares.BodyWrapper()
        body.set_share([share])
        response = shares.ShareRecordsOperations(record_id, "Leads").share_record(body)
        assert response.get_status_code() == 201, response.get_status_code()
        [item] = response.get_object().get_share()
        assert isinstance(item, shares.SuccessResponse), vars(item)

    @staticmethod
    def revoke_lead_shares(record_id):
        response = shares.ShareRecordsOperations(record_id, "Leads").revoke_shared_record()
        assert response.get_status_code() == 200, response.get_status_code()

    @staticmethod
    def lead_share_items(record_id):
        params = ParameterMap()
        params.add(shares.GetSharedRecordDetailsParam.view, "summary")
        response = shares.ShareRecordsOperations(record_id, "Leads").get_shared_record_details(params)
        assert response.get_status_code() == 200, response.get_status_code()
        return response.get_object().get_share()

    # ---- data sharing rules ----

    @staticmethod
    def create_sales_rep_leads_rule():
        """Leads owned by the Sales Rep role, to the Sales Rep role, read only."""
        shared_from = rules.Shared()
        source = rules.Resource()
        source.set_id(SALES_REP_ROLE)
        shared_from.set_resource(source)
        shared_from.set_type(Choice("roles"))
        shared_from.set_subordinates(False)
        shared_to = rules.Shared()
        target = rules.Resource()
        target.set_id(SALES_REP_ROLE)
        shared_to.set_resource(target)
        shared_to.set_type(Choice("roles"))
        shared_to.set_subordinates(False)
        rule = rules.SharingRules()
        rule.set_name("Sales Rep leads to Sales Reps")
        rule.set_type(Choice("Record_Owner_Based"))
        rule.set_permission_type(Choice("read"))
        rule.set_superiors_allowed(False)
        rule.set_shared_from(shared_from)
        rule.set_shared_to(shared_to)
        body = rules.BodyWrapper()
        body.set_sharing_rules([rule])
        response = rules.SharingRulesOperations("Leads").create_sharing_rules(body)
        assert response.get_status_code() == 201, response.get_status_code()
        [item] = response.get_object().get_sharing_rules()
        assert isinstance(item, rules.SuccessResponse), vars(item)
        return int(item.get_details()["id"])

    @staticmethod
    def deactivate_rule(rule_id):
        response = rules.SharingRulesOperations("Leads").deactivate_sharing_rule(rule_id)
        assert response.get_status_code() == 200, response.get_status_code()
        [item] = response.get_object().get_sharing_rules()
        assert text(item.get_message()) == "sharing rule is deactivated successfully"

    @staticmethod
    def activate_rule(rule_id):
        response = rules.SharingRulesOperations("Leads").activate_sharing_rule(rule_id)
        assert response.get_status_code() == 200, response.get_status_code()
        [item] = response.get_object().get_sharing_rules()
        assert text(item.get_message()) == "sharing rule is activated successfully"


def forget_switched_user():
    """The SDK's switch_user keeps the user in a thread-local initializer that a later
    Initializer.initialize does not replace; the CRM SDK tests share one process, so each test
    leaves the SDK as initialize() would find it."""
    Initializer.LOCAL.init = None


@pytest.fixture
def sdk(tmp_path):
    admin("POST", "/__admin/reset")
    admin("PUT", "/__admin/clock", {"now": "2026-11-21T09:30:00+00:00"})
    forget_switched_user()
    yield Sdk(str(tmp_path))
    forget_switched_user()
    admin("PUT", "/__admin/clock", {"now": None})
    admin("POST", "/__admin/reset")


def assert_visible(record, permission, editable):
    assert record.get_key_value("$sharing_permission") == permission
    assert record.get_key_value("$editable") is editable
    assert record.get_key_value("Last_Name") == "Haddad"
    assert record.get_key_value("Company") == "Blue Finch"
    owner = record.get_key_value("Owner")
    # The field metadata (GET /settings/fields) makes the SDK read Owner as a user object.
    assert owner.get_id() == AMELIA
    assert owner.get_email() == "amelia@zylker.com"


def test_a_lead_is_hidden_until_shared_and_hidden_again_when_revoked(sdk):
    sdk.as_user("amelia")
    lead = sdk.insert_lead({"Last_Name": "Haddad", "First_Name": "Omar", "Company": "Blue Finch"})
    status, record = sdk.get_lead(lead)
    assert status == 200
    assert_visible(record, "full_access", True)
    assert record.get_key_value("Created_Time") == datetime(2026, 11, 21, 9, 30, tzinfo=timezone.utc)

    # Ryan is Amelia's peer in a role that does not share with peers.
    sdk.as_user("ryan")
    assert sdk.get_lead(lead) == (204, None)
    assert lead not in sdk.listed_lead_ids()

    sdk.as_user("amelia")
    sdk.share_lead_with_user(lead, RYAN, "read_only")
    [item] = sdk.lead_share_items(lead)
    # spec/crm-records-and-access.md §11: the record's name in the share item.
    assert item.get_shared_through().get_name() == "Omar Haddad"
    # SDK 8.0 types shared_through.id as a string, shared_with.id as an integer.
    assert int(item.get_shared_through().get_id()) == lead

    sdk.as_user("ryan")
    status, record = sdk.get_lead(lead)
    assert status == 200
    assert_visible(record, "read_only", False)
    assert lead in sdk.listed_lead_ids()
    status, item = sdk.update_lead(lead, {"Company": "Red Finch"})
    assert status == 400
    assert isinstance(item, records.APIException)
    assert text(item.get_code()) == "NO_PERMISSION"
    assert text(item.get_message()) == "no permission to perform an action on this record"

    sdk.as_user("amelia")
    sdk.revoke_lead_shares(lead)
    sdk.as_user("ryan")
    assert sdk.get_lead(lead) == (204, None)


def test_a_rule_opens_a_lead_while_active(sdk):
    sdk.as_user("amelia")
    lead = sdk.insert_lead({"Last_Name": "Haddad", "Company": "Blue Finch"})
    sdk.as_user("ryan")
    assert sdk.get_lead(lead) == (204, None)

    sdk.as_user("patricia")
    rule = sdk.create_sales_rep_leads_rule()
    sdk.as_user("ryan")
    status, record = sdk.get_lead(lead)
    assert status == 200
    assert_visible(record, "read_only", False)

    sdk.as_user("patricia")
    sdk.deactivate_rule(rule)
    sdk.as_user("ryan")
    assert sdk.get_lead(lead) == (204, None)
    assert lead not in sdk.listed_lead_ids()

    sdk.as_user("patricia")
    sdk.activate_rule(rule)
    sdk.as_user("ryan")
    status, record = sdk.get_lead(lead)
    assert status == 200
    assert_visible(record, "read_only", False)


def test_the_owner_updates_and_the_change_is_read_back(sdk):
    sdk.as_user("amelia")
    lead = sdk.insert_lead({"Last_Name": "Haddad", "Company": "Blue Finch"})
    admin("PUT", "/__admin/clock", {"now": "2026-11-21T10:00:00+00:00"})
    status, item = sdk.update_lead(lead, {"Company": "Red Finch"})
    assert status == 200
    assert isinstance(item, records.SuccessResponse), vars(item)
    assert text(item.get_message()) == "record updated"
    status, record = sdk.get_lead(lead)
    assert status == 200
    assert record.get_key_value("Company") == "Red Finch"
    assert record.get_key_value("Modified_Time") == datetime(2026, 11, 21, 10, 0, tzinfo=timezone.utc)
    # The SDK asked for the field metadata of Leads before its first record call.
    journal = admin("GET", "/__admin/requests?method=GET&path=/crm/v8/settings/fields")
    asked = [entry for entry in journal["requests"] if "module=Leads" in entry["query"].split("&")]
    assert asked, journal

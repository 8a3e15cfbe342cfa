"""Zoho's official Python v2 Analytics client, unmodified, against the mock.

The client is `AnalyticsClient` from zoho-analytics-connector 1.4.8
(`zoho_analytics_connector.analytics_client_upstream`, CLIENT_VERSION 2.1.0). Its two server
URLs are plain attributes; both point at the mock (spec analytics-v2-sharing.md §13).

Run through tests/sdk/run-python-analytics.sh, which starts the binary and sets
ZOHO_MOCK_BASE_URL.
"""

import os
from urllib.parse import unquote_plus

import pytest
import requests

from zoho_analytics_connector.analytics_client_upstream import AnalyticsClient, ServerError

BASE = os.environ["ZOHO_MOCK_BASE_URL"].rstrip("/")
CLIENT_ID = "1000.SANDBOXCLIENT"
CLIENT_SECRET = "sandbox-secret"
REFRESH = "1000.sandbox.refresh"
ORG = "700017001"
CRM_ORG = "4150868000000017001"
MI = "4150868000002100005"
CAMPAIGN_LEADS = "4150868000002200009"
LEADS_BY_REGION = "4150868000002200010"
CAMPAIGN_PIVOT = "4150868000002200011"
REGIONAL_LEADS = "4150868000002300001"
USERS = {
    "liam": "4150868000001199004",
    "mia": "4150868000001199009",
    "ava": "4150868000001199013",
}
P15 = ["read", "export", "vud", "addRow", "updateRow", "deleteRow", "deleteAllRows",
       "importAppend", "importAddOrUpdate", "importDeleteAllAdd", "importDeleteUpdateAdd",
       "drillDown", "share", "discussion", "insight"]


def permissions(*true):
    return {key: key in true for key in P15}


@pytest.fixture(autouse=True)
def fresh_sandbox():
    assert requests.post(BASE + "/__admin/reset").status_code == 204
    assert requests.put(BASE + "/__admin/clock", json={"now": None}).status_code == 200
    yield


def client(refresh_token=REFRESH):
    ac = AnalyticsClient(CLIENT_ID, CLIENT_SECRET, refresh_token)
    ac.analytics_server_url = BASE
    ac.accounts_server_url = BASE
    return ac


def refresh_token_of(name):
    """A refresh token of a sandbox user: an authorization code from the admin API, exchanged
    at the mock's accounts server, as a real sign-in would do."""
    reply = requests.post(BASE + "/__admin/grant-codes", json={
        "org": "zylker", "client_id": CLIENT_ID, "user": USERS[name],
        "scopes": ["ZohoAnalytics.fullaccess.all"]})
    assert reply.status_code == 201, reply.text
    grant = requests.post(BASE + "/oauth/v2/token", data={
        "grant_type": "authorization_code", "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET, "code": reply.json()["code"],
        "redirect_uri": "http://localhost/callback"}).json()
    return grant["refresh_token"]


def journal(path):
    reply = requests.get(BASE + "/__admin/requests", params={"path": path})
    assert reply.status_code == 200, reply.text
    return reply.json()["requests"]


def workspace():
    return client().get_workspace_instance(ORG, MI)


def test_get_orgs():
    assert client().get_orgs() == [{
        "orgId": "700017001", "orgName": "Zylker Corp", "orgDesc": "",
        "createdBy": "patricia@zylker.com", "createdByZuId": "701174048", "planName": "Premium",
        "isDefault": True, "numberOfworkspaces": 5, "role": "Account Admin"}]
    # The client's first call minted a token: query-string parameters, no Authorization.
    token_calls = journal("/oauth/v2/token")
    assert token_calls[-1]["method"] == "POST"
    assert "grant_type=refresh_token" in token_calls[-1]["query"]
    assert token_calls[-1]["request_body"] is None
    # Discovery calls carry no org header (spec §3).
    orgs = journal("/restapi/v2/orgs")[-1]
    assert "zanalytics-orgid" not in orgs["headers"]
    assert orgs["headers"]["user-agent"] == "Analytics Python Client v2.1.0"


def test_get_workspaces():
    ac = client()
    data = ac.get_workspaces()
    assert [w["workspaceName"] for w in data["ownedWorkspaces"]] == [
        "Sales Analytics", "Support Desk", 'R&D "Q4" <Forecasts> Café', "Marketing Insights"]
    assert [w["workspaceId"] for w in data["sharedWorkspaces"]] == ["4150868000002100003"]
    assert [w["workspaceId"] for w in ac.get_owned_workspaces()][-1] == MI
    assert [w["workspaceName"] for w in ac.get_shared_workspaces()] == ["Amelia's Pipeline"]
    details = ac.get_workspace_details(MI)
    assert details["workspaceName"] == "Marketing Insights"
    assert details["createdTime"] == "1772439300000"
    assert details["orgId"] == ORG


def test_get_views():
    ws = workspace()
    names = [v["viewName"] for v in ws.get_views(config={})]
    assert names == ["Campaign Leads", "Campaign Pivot", "Lead Notes", "Leads by Region",
                     "Marketing Overview"]
    tables = ws.get_views(config={"viewTypes": [0, 2]})
    assert [(v["viewName"], v["viewType"]) for v in tables] == [
        ("Campaign Leads", "Table"), ("Leads by Region", "AnalysisView")]
    # The client sends CONFIG in the query string (quote_plus over json.dumps) and the org header.
    sent = journal(f"/restapi/v2/workspaces/{MI}/views")[-1]
    assert sent["query"] == "CONFIG=%7B%22viewTypes%22%3A+%5B0%2C+2%5D%7D"
    assert sent["headers"]["zanalytics-orgid"] == ORG
    assert sent["request_body"] is None


def test_workspace_admins_get_add_remove():
    ws = workspace()
    assert ws.get_admins() == [{"adminMembers": ["ryan@zylker.com"]}]
    assert ws.add_admins(["liam@zylker.com"], config={}) is None
    assert ws.get_admins() == [{"adminMembers": ["ryan@zylker.com", "liam@zylker.com"]}]
    assert ws.remove_admins(["liam@zylker.com"], config={}) is None
    assert ws.get_admins() == [{"adminMembers": ["ryan@zylker.com"]}]
    with pytest.raises(ServerError) as error:
        ws.add_admins(["ava@zylker.com"], config={})
    assert error.value.errorCode == 7390
    assert error.value.message == "ava@zylker.com is a Viewer and cannot be a Workspace Admin."


def test_share_with_a_user_and_a_group_then_share_info_and_my_permissions():
    ws = workspace()
    assert ws.share_views([CAMPAIGN_PIVOT], ["mia@zylker.com"],
                          {"read": "true", "export": "true"}, config={}) is None
    assert ws.share_views([CAMPAIGN_PIVOT], [], {"read": "true", "vud": "true"},
                          config={"groupIds": [REGIONAL_LEADS]}) is None
    info = ws.get_share_info()
    mia = [u for u in info["userShareInfo"] if u["emailId"] == "mia@zylker.com"]
    assert [v["viewName"] for v in mia[0]["views"]] == ["Campaign Pivot"]
    assert mia[0]["views"][0]["permissions"]["export"] is True
    group = info["groupShareInfo"][0]
    assert group["groupName"] == "Regional Leads"
    assert [v["viewName"] for v in group["views"]] == ["Leads by Region", "Campaign Pivot"]
    assert info["publicShareInfo"] == {} and info["privateLinkShareInfo"] == {}
    # Mia, signed in with her own refresh token, reads her permissions.
    as_mia = client(refresh_token_of("mia"))
    assert as_mia.get_view_instance(ORG, MI, CAMPAIGN_PIVOT).get_my_permissions() == \
        permissions("read", "export")
    # Liam holds Campaign Pivot through Regional Leads only.
    as_liam = client(refresh_token_of("liam"))
    assert as_liam.get_view_instance(ORG, MI, CAMPAIGN_PIVOT).get_my_permissions() == \
        permissions("read", "vud")
    # Ava's Viewer ceiling (spec §12.6).
    as_ava = client(refresh_token_of("ava"))
    assert as_ava.get_view_instance(ORG, MI, CAMPAIGN_LEADS).get_my_permissions() == \
        permissions("read", "export")
    # Remove Mia's share: she can no longer read the view.
    assert ws.remove_share([CAMPAIGN_PIVOT], ["mia@zylker.com"], config={}) is None
    with pytest.raises(ServerError) as error:
        as_mia.get_view_instance(ORG, MI, CAMPAIGN_PIVOT).get_my_permissions()
    assert error.value.errorCode == 7301
    assert error.value.message == \
        "You (Mia Novak) do not have the permission to do this operation. "


def test_a_second_share_of_the_same_view_raises_server_error_7321():
    ws = workspace()
    ws.share_views([CAMPAIGN_PIVOT], ["noah@zylker.com"], {"read": "true"}, config={})
    with pytest.raises(ServerError) as error:
        ws.share_views([CAMPAIGN_PIVOT], ["noah@zylker.com"], {"read": "true"}, config={})
    assert error.value.errorCode == 7321
    assert error.value.message == "The view Campaign Pivot is already shared with noah@zylker.com."


def test_remove_every_share_of_a_user_needs_remove_all_views():
    ws = workspace()
    # remove_share(None, ...) sends no viewIds: 8031 unless the config adds removeAllViews.
    with pytest.raises(ServerError) as error:
        ws.remove_share(None, ["liam@zylker.com"], config={})
    assert error.value.errorCode == 8031
    assert ws.remove_share(None, ["liam@zylker.com"], config={"removeAllViews": True}) is None
    as_liam = client(refresh_token_of("liam"))
    assert as_liam.get_view_instance(ORG, MI, LEADS_BY_REGION).get_my_permissions() == \
        permissions("read", "vud", "drillDown")


def test_groups():
    ws = workspace()
    assert [g["groupName"] for g in ws.get_groups()] == ["Regional Leads"]
    group_id = ws.create_group("EMEA Leads", ["sophia@zylker.com", "noah@zylker.com"], config={})
    # The client turns data.groupId into an int; its own later calls need a string again.
    assert isinstance(group_id, int)
    group_id = str(group_id)
    assert ws.get_group_details(group_id) == {
        "groupId": group_id, "groupName": "EMEA Leads", "groupDesc": "",
        "groupMembers": ["sophia@zylker.com", "noah@zylker.com"]}
    ws.rename_group(group_id, "EMEA", config={})
    ws.add_group_members(group_id, ["liam@zylker.com"], config={})
    ws.remove_group_members(group_id, ["sophia@zylker.com"], config={})
    assert ws.get_group_details(group_id)["groupMembers"] == ["noah@zylker.com", "liam@zylker.com"]
    with pytest.raises(ServerError) as error:
        ws.create_group("emea", ["noah@zylker.com"], config={})
    assert error.value.errorCode == 7282
    ws.delete_group(group_id)
    assert [g["groupName"] for g in ws.get_groups()] == ["Regional Leads"]


def test_org_admins():
    assert client().get_org_instance(ORG).get_admins() == ["mason@zylker.com"]
    with pytest.raises(ServerError) as error:
        client().get_org_instance(CRM_ORG).get_admins()
    assert error.value.errorCode == 7389


def test_a_wrong_org_id_raises_7387():
    with pytest.raises(ServerError) as error:
        client().get_workspace_instance(CRM_ORG, MI).get_share_info()
    assert error.value.errorCode == 7387
    assert error.value.message == "Workspaces does not belongs to current organization."


def test_an_invalid_access_token_is_refreshed_once_and_retried():
    ac = client()
    ac.access_token = "1000.not.a.token"
    assert ac.get_orgs()[0]["orgId"] == ORG
    assert ac.access_token != "1000.not.a.token"
    # A refresh token the accounts server refuses raises the IAM flavour of ServerError.
    bad = client("1000.unknown.refresh")
    with pytest.raises(ServerError) as error:
        bad.get_orgs()
    assert error.value.errorCode == 0
    assert error.value.message.startswith("Exception while generating oauth token.")


def test_routes_the_mock_does_not_model_raise_with_code_0():
    # Org users (/restapi/v2/users) are a route miss: 404 without a body (spec §14).
    with pytest.raises(ServerError) as error:
        client().get_org_instance(ORG).get_users()
    assert error.value.errorCode == 0
    assert error.value.message == ""


def test_the_config_default_argument_quirk():
    """The client's methods take `config={}` as a default and write into it, so keys persist
    between calls of one method in one process (spec §13). This test is the only one in this
    file that relies on the default."""
    ws = workspace()
    ws.share_views([CAMPAIGN_PIVOT], ["noah@zylker.com"], {"read": "true"}, config={})
    ws.remove_share([CAMPAIGN_PIVOT], ["noah@zylker.com"])
    # The second call passes no view ids, yet the first call's viewIds are still in the shared
    # default dict: the request is a targeted removal (8032), not the 8031 of a bare call.
    with pytest.raises(ServerError) as error:
        ws.remove_share(None, ["liam@zylker.com"])
    assert error.value.errorCode == 8032
    assert error.value.message == "The view Campaign Pivot is not shared with liam@zylker.com."
    sent = journal(f"/restapi/v2/workspaces/{MI}/share")[-1]
    assert sent["method"] == "DELETE"
    assert "viewIds" in unquote_plus(sent["query"])

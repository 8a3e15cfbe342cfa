import json
import urllib.request

SHARE = "/crm/v8/Leads/4150868000001148212/actions/share"  # Kevin Patel, a lead of the sandbox
AMELIA = "4150868000001199001"


def test_share_a_lead_with_amelia(zoho_mock, zoho_org):
    # zoho_org: a fresh copy of the sandbox org for this test, its tokens under the same labels.
    body = {"share": [{"type": "private", "permission": "read_only",
                       "shared_with": {"type": "users", "id": AMELIA}}]}
    request = urllib.request.Request(
        zoho_mock.base_url + SHARE, data=json.dumps(body).encode(), method="PUT",
        headers={"Authorization": "Zoho-oauthtoken " + zoho_org.token("admin")})
    with urllib.request.urlopen(request) as answer:
        assert json.load(answer)["share"][0]["code"] == "SUCCESS"

    # The journal, filtered by this test's org: calls of tests beside it never show here.
    assert zoho_mock.count(method="PUT", path="/crm/*/Leads/*/actions/share", org=zoho_org.id) == 1

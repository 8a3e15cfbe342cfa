"""A Python test that runs zoho-sharing-mock as a process, isolated in its own org.

Standard library only. Run it with `python3 examples/python/test_with_mock.py` from anywhere;
it uses the binary named by $ZOHO_MOCK_BIN, else the repository's
target/debug/zoho-sharing-mock (`cargo build`), else target/release/zoho-sharing-mock
(`cargo build --release`, or the README's `cargo run --release`).
"""

import json
import os
import subprocess
import unittest
import urllib.error
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def find_binary():
    """$ZOHO_MOCK_BIN, else the debug build, else the release build of this repository."""
    if os.environ.get("ZOHO_MOCK_BIN"):
        return os.environ["ZOHO_MOCK_BIN"]
    for profile in ("debug", "release"):
        candidate = os.path.join(REPO, "target", profile, "zoho-sharing-mock")
        if os.path.isfile(candidate):
            return candidate
    raise SystemExit(
        "no zoho-sharing-mock binary: run `cargo build --release` (or `cargo build`) first, "
        "or set ZOHO_MOCK_BIN to the binary"
    )


BIN = find_binary()


def call(method, url, body=None, token=None):
    """One HTTP call; returns (status, parsed JSON body or None)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if token:
        request.add_header("Authorization", "Zoho-oauthtoken " + token)
    try:
        with urllib.request.urlopen(request) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    return status, (json.loads(raw) if raw else None)


class ShareWithMock(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # --port 0 picks a free port; the first stdout line says which. Logs go to stderr.
        cls.mock = subprocess.Popen(
            [BIN, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        first_line = cls.mock.stdout.readline().strip()
        assert first_line.startswith("listening on "), first_line
        cls.base = first_line[len("listening on "):]

    @classmethod
    def tearDownClass(cls):
        cls.mock.terminate()
        cls.mock.wait(timeout=10)

    def setUp(self):
        # Each test gets its own copy of the sandbox org, with its own token strings.
        status, org = call("POST", self.base + "/__admin/orgs")
        self.assertEqual(status, 201)
        self.org = org["id"]
        self.token = next(
            t["access_token"] for t in org["tokens"]
            if "ZohoCRM.share.ALL" in t["scopes"] and t["user"] == "4150868000001174048"
            and t["expires_at"] is None
        )

    def tearDown(self):
        call("DELETE", self.base + "/__admin/orgs/" + self.org)

    def test_share_a_lead_and_see_it_in_the_journal(self):
        share_url = self.base + "/crm/v8/Leads/4150868000001148212/actions/share"
        body = {"share": [{"type": "private", "permission": "read_only",
                           "shared_with": {"type": "users", "id": "4150868000001199001"}}]}
        status, answer = call("PUT", share_url, body, self.token)
        self.assertEqual(status, 200)
        self.assertEqual(answer["share"][0]["code"], "SUCCESS")

        status, shares = call("GET", share_url, token=self.token)
        self.assertEqual(status, 200)
        self.assertEqual(shares["share"][0]["shared_with"]["name"], "Amelia Burrows")

        # The journal, filtered by this test's org, holds exactly this test's calls.
        status, journal = call("GET", self.base + "/__admin/requests?org=" + self.org)
        self.assertEqual(status, 200)
        self.assertEqual([r["method"] for r in journal["requests"]], ["PUT", "GET"])
        self.assertEqual(journal["requests"][0]["headers"]["authorization"], "REDACTED")


if __name__ == "__main__":
    unittest.main()

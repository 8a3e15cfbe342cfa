"""zoho-sharing-mock for Python: start the mock binary the package carries and drive its admin API.

    from zoho_sharing_mock import ZohoMock

    with ZohoMock() as mock:            # the embedded sandbox on a free port of 127.0.0.1
        org = mock.new_org()            # a private copy of the sandbox org
        token = org.token("admin")      # its access token labelled "admin"
        ...                             # point your Zoho client at mock.base_url
        assert mock.count(method="PUT", org=org.id) == 1

The pytest plugin (installed with the package) adds the fixtures `zoho_mock` (one mock per test
session) and `zoho_org` (a fresh org per test, deleted after it).
"""

from importlib import metadata as _metadata

from ._mock import (
    JSON,
    BinaryNotFoundError,
    Clock,
    MockError,
    MockStartError,
    Org,
    ZohoMock,
    find_binary,
)

try:
    __version__ = _metadata.version("zoho-sharing-mock")
except _metadata.PackageNotFoundError:  # imported from a source tree, not installed
    __version__ = "0+unknown"

__all__ = [
    "JSON",
    "BinaryNotFoundError",
    "Clock",
    "MockError",
    "MockStartError",
    "Org",
    "ZohoMock",
    "find_binary",
]

"""The URL-source allow-list: which hosts match, and which setting values are refused."""

from __future__ import annotations

import pytest

from airgap.platform.errors import BadRequest
from airgap.platform.settings import Settings, SettingsError
from airgap.platform.url_source import UrlPolicy


def policy(hosts: str) -> UrlPolicy:
    settings = Settings.load([f"Http:UrlSourceHosts={hosts}"])
    return UrlPolicy(settings.url_source_hosts, 1, 100)


def test_exact_and_subdomain_entries():
    p = policy("Files.Corp.Example, *.intranet.example, [::1]")
    assert p.allows("files.corp.example") and p.allows("FILES.corp.example.")
    assert not p.allows("other.corp.example") and not p.allows("corp.example")
    assert p.allows("a.intranet.example") and p.allows("b.a.intranet.example")
    assert not p.allows("intranet.example") and not p.allows("evilintranet.example")
    assert p.allows("::1")
    assert str(p.check("https://files.corp.example:8443/a.pdf?x=1").host) == "files.corp.example"


@pytest.mark.parametrize("url", ["https://evil.example/a.png", "file:///etc/passwd", "gopher://files.corp.example/",
                                 "//files.corp.example/a.png", "http://[::1", "http://files.corp.example@evil.example/a.png",
                                 "http://files.corp.example.evil.example/a.png"])
def test_refused_urls(url):
    with pytest.raises(BadRequest) as caught:
        policy("files.corp.example,::1").check(url)
    assert caught.value.code == "InvalidImageUrl"


def test_off_by_default():
    assert Settings().url_source_hosts == ()
    with pytest.raises(BadRequest, match="Http:UrlSourceHosts"):
        UrlPolicy((), 1, 100).check("http://files.corp.example/a.png")


@pytest.mark.parametrize("value", ["http://files.corp.example", "files.corp.example:8080", "*", "*corp.example",
                                   "files.corp.example/path"])
def test_setting_refuses_urls_ports_and_bare_wildcards(value):
    with pytest.raises(SettingsError, match="Http:UrlSourceHosts"):
        Settings.load([f"Http:UrlSourceHosts={value}"])


def test_error_messages_never_echo_credentials():
    with pytest.raises(BadRequest) as caught:
        policy("files.corp.example").check("gopher://alice:s3cret@files.corp.example/a.png")
    assert "s3cret" not in caught.value.message and "alice" not in caught.value.message

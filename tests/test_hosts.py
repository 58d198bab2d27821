"""hosts.py: the Host header read strictly, and requests naming another host told apart (DNS rebinding)."""

from __future__ import annotations

import pytest

from healthsite.serving.hosts import host_name, is_foreign, is_loopback


@pytest.mark.parametrize(("values", "expected"), [
    ([], ""), ([" "], ""), (["localhost"], "localhost"), (["LocalHost:8000"], "localhost"),
    (["127.0.0.1:80"], "127.0.0.1"), (["[::1]:8000"], "::1"), (["[0:0:0:0:0:0:0:1]"], "::1"),
    (["example.com"], "example.com"), ([" example.com:65535 "], "example.com"),
    (["a", "b"], None), (["a", ""], None), (["example.com:65536"], None), (["example.com:"], None),
    (["[zz::1]"], None), (["[::1"], None), (["a b"], None), (["a/b"], None), (["a@b"], None), ([":80"], None),
])
def test_host_name(values: list[str], expected: str | None) -> None:
    """The host named (lower case, IPv6 in its short form), '' without one, None if malformed or repeated."""
    assert host_name(values) == expected


def test_loopback_names() -> None:
    """localhost and the loopback addresses are this machine's; anything else, or no address at all, is not."""
    assert all(map(is_loopback, ["localhost", "127.0.0.1", "127.5.6.7", "::1"]))
    assert not any(map(is_loopback, ["", "0.0.0.0", "::", "10.0.0.1", "localhost.example.com", "LOCALHOST1"]))


@pytest.mark.parametrize(("host", "server", "expected"), [
    ("evil.example", "127.0.0.1", True), ("192.168.1.2", "::1", True), ("127.0.0.1", "127.0.0.1", False),
    ("localhost", "::1", False), ("", "127.0.0.1", False), ("evil.example", "0.0.0.0", False),
    ("evil.example", "192.168.1.2", False),
])
def test_is_foreign(host: str, server: str, expected: bool) -> None:
    """Only a loopback server refuses hosts of other machines; a request without a Host header is let through."""
    assert is_foreign(host, server) is expected

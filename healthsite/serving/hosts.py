"""The dev server's host checks: the Host header read strictly, and requests naming another host refused."""

from __future__ import annotations

import ipaddress
import re

HOST = re.compile(r"(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._~!$&'()*+,;=%-]+))(?::([0-9]{1,5}))?")


def host_name(values: list[str]) -> str | None:
    """The host a request's Host header names ('' without one), or None if it is malformed or given twice."""
    if not values or len(values) == 1 and not values[0].strip():
        return ""
    found = HOST.fullmatch(values[0].strip()) if len(values) == 1 else None
    if found is None or found.group(3) and int(found.group(3)) > 65535:
        return None
    if found.group(1) is None:
        return found.group(2).lower()
    try:
        return str(ipaddress.IPv6Address(found.group(1)))
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """Whether a host name or address only this machine can reach."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_foreign(host: str, server: str) -> bool:
    """On a loopback server, a request naming another host (browsers always name one): DNS rebinding."""
    return bool(host) and is_loopback(server) and not is_loopback(host)

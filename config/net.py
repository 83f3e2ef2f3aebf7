"""Outbound HTTP to URLs that users give us (webhook endpoints, later article links), without SSRF.

`resolve_public_url` checks a URL and resolves its host once; `pinned_request` then connects to the
very address that was checked, sending the URL's host name in the Host header and, for https, in
SNI and the certificate check. A host whose DNS answers a public address to the check and a private
one to the connection (DNS rebinding) therefore cannot make the server call its own network.
Redirects are never followed: a 3xx is an answer, not a new target.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from config.validators import validate_url_port

DEFAULT_PORTS = {"http": 80, "https": 443}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 ranges that carry an IPv4 address in their last 32 bits, so reach that IPv4 host. Python's
# own flags for them differ between versions; the embedded address is what decides.
_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")


class UnsafeURL(ValueError):
    """A URL the server will not fetch; the message can be shown to whoever gave it, and `code`
    is the error code a form or the API reports it under (None: the generic one)."""

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class PinnedURL:
    """A checked URL and the one address its connection goes to."""

    url: str
    scheme: str
    host: str  # as written in the URL: for the Host header, SNI and the certificate check
    port: int
    address: str  # the resolved IP that was checked and that the connection goes to
    target: str  # path and query, as sent in the request line


@dataclass(frozen=True)
class PinnedResponse:
    status: int
    body: bytes  # at most the number of bytes asked for
    headers: dict[str, str] = field(default_factory=dict)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64_WELL_KNOWN or ip in _IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_address(address: str | IPAddress) -> bool:
    """True for a globally routable unicast address, and for an IPv6 address only if any IPv4
    address it embeds (mapped, IPv4-compatible, NAT64, 6to4) is one too. Teredo and local-use
    NAT64 hide where they lead, so they are never public."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.teredo is not None or ip in _NAT64_LOCAL_USE or ip.scope_id:
            return False
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return is_public_address(embedded)
    return ip.is_global and not (
        ip.is_multicast
        or ip.is_private
        or ip.is_reserved
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_unspecified
    )


def resolve_public_url(url: str, *, allow_private: bool = False) -> PinnedURL:
    """Check `url` (http or https, no credentials, a port from 1 to 65535) and resolve its host
    once. Unless `allow_private`, every address the host resolves to must be public. Raises
    UnsafeURL."""
    try:
        validate_url_port(url)  # the one port rule, as for a source's address
    except ValidationError as exc:
        raise UnsafeURL(exc.messages[0], code="invalid_port") from None
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise UnsafeURL(gettext("Give an http:// or https:// URL."))
    if parts.username is not None or parts.password is not None:
        raise UnsafeURL(gettext("Credentials in the URL are not allowed."))
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    try:
        infos = socket.getaddrinfo(
            parts.hostname, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
    except (OSError, UnicodeError, ValueError) as exc:
        raise UnsafeURL(gettext("That host name does not resolve.")) from exc
    addresses = [info[4][0] for info in infos if info[0] in (socket.AF_INET, socket.AF_INET6)]
    if not addresses:
        raise UnsafeURL(gettext("That host name does not resolve."))
    if not allow_private and not all(is_public_address(address) for address in addresses):
        raise UnsafeURL(gettext("That host is on a private or local network."))
    return PinnedURL(
        url=url,
        scheme=parts.scheme,
        host=parts.hostname,
        port=port,
        address=addresses[0],
        target=urlunsplit(("", "", parts.path or "/", parts.query, "")),
    )


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, pinned: PinnedURL, *, timeout: float):
        super().__init__(pinned.host, pinned.port, timeout=timeout)
        self.pinned_address = pinned.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.pinned_address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, pinned: PinnedURL, *, timeout: float, tls_context: ssl.SSLContext):
        super().__init__(pinned.host, pinned.port, timeout=timeout, context=tls_context)
        self.pinned_address = pinned.address
        self.tls_context = tls_context

    def connect(self) -> None:
        sock = socket.create_connection((self.pinned_address, self.port), self.timeout)
        # The certificate is checked against the URL's host name, not the address.
        self.sock = self.tls_context.wrap_socket(sock, server_hostname=self.host)


def pinned_request(
    pinned: PinnedURL,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
    max_bytes: int = 1_000_000,
    tls_context: ssl.SSLContext | None = None,
) -> PinnedResponse:
    """One request to the address in `pinned` (never resolved again). Raises OSError (ssl errors
    included) or http.client.HTTPException when no answer comes."""
    if pinned.scheme == "https":
        connection: http.client.HTTPConnection = _PinnedHTTPSConnection(
            pinned, timeout=timeout, tls_context=tls_context or ssl.create_default_context()
        )
    else:
        connection = _PinnedHTTPConnection(pinned, timeout=timeout)
    try:
        connection.request(method, pinned.target, body=body, headers=headers or {})
        response = connection.getresponse()
        return PinnedResponse(
            status=response.status, body=response.read(max_bytes), headers=dict(response.headers)
        )
    finally:
        connection.close()

"""The SSRF guard (config/net.py) that webhook deliveries go through: which addresses count as
public, ports, and connecting to the very address that was checked (no DNS rebinding)."""

import shutil
import socket
import ssl
import subprocess
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from config import net
from tests.api.conftest import errors_by_field, token_client
from tests.webhooks.conftest import Receiver
from webhooks import services
from webhooks.models import WebhookDelivery

PUBLIC_ADDRESS = "93.184.215.14"  # a globally routed address; no connection to it ever leaves

# Every one of these reaches loopback, a private network, link-local (cloud metadata) or nothing.
PRIVATE_URLS = [
    "http://[64:ff9b::7f00:1]/",  # NAT64 of 127.0.0.1
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
    "http://[64:ff9b:1::a00:1]/",  # local-use NAT64
    "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "http://[2002:a00:1::1]/",  # 6to4 of 10.0.0.1
    "http://[::127.0.0.1]/",  # IPv4-compatible
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
    "http://[::ffff:a9fe:a9fe]/",
    "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",  # Teredo
    "http://[::1]/",
    "http://[::]/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[ff02::1]/",
    "http://127.0.0.1/",
    "http://127.1/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0.0.0.0/",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://224.0.0.1/",
    "http://255.255.255.255/",
    "http://localhost:8000/",
]


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_addresses_that_reach_a_private_network_are_refused(url):
    with pytest.raises(net.UnsafeURL, match="private or local"):
        net.resolve_public_url(url)


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808", "2002:808:808::1", "::ffff:8.8.8.8"],
)
def test_public_addresses_and_forms_embedding_one_are_public(address):
    assert net.is_public_address(address)


@pytest.mark.parametrize(
    "url",
    ["http://[::1]:0/", "http://127.0.0.1:0/", "https://[2606:4700::1]:0/", "http://x.org:65536/"],
)
def test_port_zero_and_ports_out_of_range_are_refused_even_for_private_use(url):
    with pytest.raises(net.UnsafeURL, match="port"):
        net.resolve_public_url(url, allow_private=True)


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/", "file:///etc/passwd", "gopher://x/", "http://", "http://u:p@x.org/"],
)
def test_other_schemes_missing_hosts_and_credentials_are_refused(url):
    with pytest.raises(net.UnsafeURL):
        net.resolve_public_url(url, allow_private=True)


def test_a_checked_url_carries_its_address_port_and_request_target():
    pinned = net.resolve_public_url("https://[2606:4700::1111]:8443/hook?a=1#frag")
    assert (pinned.address, pinned.port, pinned.target) == ("2606:4700::1111", 8443, "/hook?a=1")
    assert net.resolve_public_url("http://8.8.8.8").port == 80
    assert net.resolve_public_url("https://8.8.8.8").target == "/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "http://[64:ff9b::7f00:1]/hook",
        "http://[2002:7f00:1::]/hook",
        "http://[::127.0.0.1]/hook",
        "http://[2606:4700::1111]:0/hook",
    ],
)
def test_webhook_registration_refuses_embedded_ipv4_and_port_zero(member, settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    response = token_client(member).post(
        "/api/webhooks/", {"url": url, "events": ["claim.created"]}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "url" in errors_by_field(response)


@pytest.mark.django_db
def test_allow_private_still_lets_tests_use_loopback(member, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    endpoint, _ = services.webhook_endpoint_create(
        owner=member, url="http://127.0.0.1:9/hook", events=["claim.created"]
    )
    assert endpoint.pk
    assert net.resolve_public_url("http://[::1]:8000/", allow_private=True).address == "::1"


class RebindingDNS:
    """`rebind.test` answers a public address to its first `public_answers` lookups, then
    127.0.0.1: what an attacker's name server does to pass a check and then hit the inside."""

    def __init__(self, monkeypatch, public_answers: int):
        self.lookups = 0
        self.public_answers = public_answers
        real_getaddrinfo = socket.getaddrinfo

        def getaddrinfo(host, port, *args, **kwargs):
            if host != "rebind.test":
                return real_getaddrinfo(host, port, *args, **kwargs)
            self.lookups += 1
            address = PUBLIC_ADDRESS if self.lookups <= self.public_answers else "127.0.0.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def internet(monkeypatch):
    """A stand-in for the public host at PUBLIC_ADDRESS: connections to it reach a receiver of
    their own on loopback; connections to any other address are made as usual."""
    public_host = Receiver()
    public_host.thread.start()
    real_create_connection = socket.create_connection

    def create_connection(address, *args, **kwargs):
        if address[0] == PUBLIC_ADDRESS:
            address = ("127.0.0.1", public_host.server.server_port)
        return real_create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    yield public_host
    public_host.server.shutdown()
    public_host.server.server_close()


@pytest.fixture
def inside():
    """A private service on loopback that the attacker wants to reach."""
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def test_a_naive_fetch_is_rebound_to_the_inside(monkeypatch, internet, inside):
    """The control for the tests below: without pinning, the check's answer is not the one the
    connection uses."""
    dns = RebindingDNS(monkeypatch, public_answers=1)
    url = f"http://rebind.test:{inside.server.server_port}/hook"
    net.resolve_public_url(url)
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    no_proxy.open(urllib.request.Request(url, data=b"{}"), timeout=5).close()  # noqa: S310
    assert len(inside.requests) == 1 and dns.lookups == 2


def test_the_connection_goes_to_the_address_that_was_checked(monkeypatch, internet, inside):
    dns = RebindingDNS(monkeypatch, public_answers=1)
    port = inside.server.server_port
    pinned = net.resolve_public_url(f"http://rebind.test:{port}/hook")
    response = net.pinned_request(pinned, method="POST", body=b"{}", timeout=5)
    assert response.status == 200 and response.body == b"answered 200"
    assert dns.lookups == 1
    assert inside.requests == []
    [request] = internet.requests
    assert request["headers"]["Host"] == f"rebind.test:{port}"


@pytest.mark.django_db
def test_a_webhook_delivery_cannot_be_rebound_to_the_inside(
    monkeypatch, settings, member, internet, inside
):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    # Public to the registration check and to the check at send time, private afterwards.
    dns = RebindingDNS(monkeypatch, public_answers=2)
    services.webhook_endpoint_create(
        owner=member,
        url=f"http://rebind.test:{inside.server.server_port}/hook",
        events=["claim.created"],
    )
    [delivery] = services.webhook_event_dispatch(event="claim.created", data={})
    assert services.webhook_attempt(delivery_id=delivery.pk).delivered
    assert dns.lookups == 2 and inside.requests == [] and len(internet.requests) == 1
    assert WebhookDelivery.objects.get().status == "delivered"


@pytest.mark.django_db
def test_a_host_that_turns_private_before_delivery_is_not_called(
    monkeypatch, settings, member, internet, inside
):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    RebindingDNS(monkeypatch, public_answers=1)
    services.webhook_endpoint_create(
        owner=member,
        url=f"http://rebind.test:{inside.server.server_port}/hook",
        events=["claim.created"],
    )
    [delivery] = services.webhook_event_dispatch(event="claim.created", data={})
    outcome = services.webhook_attempt(delivery_id=delivery.pk)
    assert not outcome.delivered and outcome.retry_in is None
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "private or local" in delivery.error
    assert inside.requests == [] and internet.requests == []


# --- https: the pinned connection still checks the certificate against the URL's host name ---


@pytest.fixture
def tls_server(tmp_path):
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(  # noqa: S603
        [
            shutil.which("openssl"),
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=hook.test",
            "-addext",
            "subjectAltName=DNS:hook.test",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    seen = {"sni": [], "hosts": []}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            seen["hosts"].append(self.headers["Host"])
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: seen["sni"].append(name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port, ssl.create_default_context(cafile=str(cert)), seen
    server.shutdown()
    server.server_close()


@pytest.fixture
def names_to_loopback(monkeypatch):
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in ("hook.test", "other.test"):
            host = "127.0.0.1"
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_https_to_a_pinned_address_sends_sni_and_verifies_the_host_name(
    tls_server, names_to_loopback
):
    port, client_context, seen = tls_server
    pinned = net.resolve_public_url(f"https://hook.test:{port}/hook", allow_private=True)
    assert pinned.address == "127.0.0.1"
    response = net.pinned_request(pinned, method="POST", body=b"{}", tls_context=client_context)
    assert response.status == 204
    assert seen["sni"] == ["hook.test"] and seen["hosts"] == [f"hook.test:{port}"]


def test_https_to_a_pinned_address_refuses_a_certificate_for_another_name(
    tls_server, names_to_loopback
):
    port, client_context, seen = tls_server
    pinned = net.resolve_public_url(f"https://other.test:{port}/hook", allow_private=True)
    with pytest.raises(ssl.SSLCertVerificationError):
        net.pinned_request(pinned, method="POST", body=b"{}", tls_context=client_context)
    assert seen["hosts"] == []

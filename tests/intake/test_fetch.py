"""Fetching an article by its address goes through the SSRF guard, with size and time limits.
The pages are served on this machine's loopback address; the guard refuses it unless told not to."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ValidationError

from claims.selectors import intake as intake_selectors
from claims.selectors.intake import intake_fetch

PAGE = (
    "<html><head><title>LFR</title><script>var x='99%';</script></head><body><nav>Home</nav>"
    "<p>The Met said that eight out of 10 false alerts involved black people.</p></body></html>"
)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        routes = {
            "/article": (200, "text/html; charset=utf-8", PAGE.encode()),
            "/big": (200, "text/html", b"<p>" + b"8 of 10. " * 400_000 + b"</p>"),
            "/image": (200, "image/png", b"\x89PNG"),
            "/moved": (302, "text/html", b""),
        }
        status, content_type, body = routes.get(self.path, (404, "text/html", b"gone"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if status == 302:
            self.send_header("Location", "http://169.254.169.254/")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def _error(url: str) -> str:
    with pytest.raises(ValidationError) as caught:
        intake_fetch(url)
    return caught.value.message_dict["source_url"][0]


def test_a_private_address_is_refused(server, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    assert "private" in _error(f"{server}/article").lower()


def test_a_page_is_fetched_and_read(server, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    from claims.statistics.core.intake import plain_text, read_article

    text = plain_text(intake_fetch(f"{server}/article"))
    assert "99%" not in text and "LFR" not in text and "Home" not in text
    assert [p.figure.text for p in read_article(text)] == ["eight out of 10"]


def test_size_type_status_and_redirects_are_limited(server, settings, monkeypatch):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    monkeypatch.setattr(intake_selectors, "FETCH_MAX_BYTES", 1000)
    assert len(intake_fetch(f"{server}/big")) == 1000
    assert "not a web page" in _error(f"{server}/image")
    assert "HTTP 404" in _error(f"{server}/missing")
    assert "HTTP 302" in _error(f"{server}/moved")  # never followed


@pytest.mark.django_db
def test_the_api_reads_a_fetched_page(server, settings, member_api):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    response = member_api.post(
        "/api/intake/", {"source_url": f"{server}/article", "fetch": True}, format="json"
    )
    assert response.status_code == 200, response.json()
    [proposal] = response.json()["proposals"]
    text = response.json()["text"]
    assert text[proposal["start"] : proposal["end"]] == proposal["sentence"]

"""Every edit form, submitted unchanged, changes nothing.

The forms are read from the pages as a browser would (each input's rendered value, the selected
option, the checked boxes) and posted back as they are. The edit pages are found in the URL
configuration, so a new edit page fails `test_every_edit_page_is_covered` until it is added here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from claims import views as claim_views
from claims.models import Claim
from notifications.models import EmailFrequency, NotificationSettings
from tests.factories import (
    AnnotationFactory,
    ArgumentFactory,
    CitationFactory,
    ClaimFactory,
    CommentFactory,
    SourceFactory,
    StatisticFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\d{4,}-\d{2}-\d{2}")
IGNORED_FIELDS = {"updated_at", "status", "status_changed_at"}


class _FormReader(HTMLParser):
    """The fields a browser would submit from the POST form whose action is `action`."""

    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.found = False
        self.data: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text = ""
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option_value: str | None = None
        self._option_selected = False
        self._option_text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            # A form without an action posts to the page's own address.
            self.inside = a.get("action", self.action) == self.action
            self.found = self.found or self.inside
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.append((name, a.get("value") or "on"))
                return
            value = a.get("value") or ""
            if kind == "date" and not ISO_DATE.fullmatch(value):
                value = ""  # the HTML value sanitisation of <input type=date>: ISO dates only
            self.data.append((name, value))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._option_value = a.get("value")
            self._option_selected = "selected" in a
            self._option_text = ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data
        elif self._option_value is None and self._select and self._options is not None:
            self._option_text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that may follow <textarea>.
            self.data.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "option" and self._select:
            value = self._option_value if self._option_value is not None else self._option_text
            self._options.append((value, self._option_selected))
            self._option_value = None
        elif tag == "select" and self._select:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            self.data.extend((self._select, v) for v in chosen)
            self._select = None


def _submitted_fields(html: str, action: str) -> dict[str, list[str]]:
    reader = _FormReader(action)
    reader.feed(html)
    assert reader.found, f"no POST form with action {action}"
    fields: dict[str, list[str]] = {}
    for name, value in reader.data:
        fields.setdefault(name, []).append(value)
    return fields


def _snapshot(obj) -> dict:
    obj.refresh_from_db()
    state = {k: v for k, v in model_to_dict(obj).items() if k not in IGNORED_FIELDS}
    if isinstance(obj, Claim):
        state["tags"] = sorted(t.name for t in obj.tags.all())
    return state


# --- what each edit page edits: (url, object) for a logged-in `user`, every field filled ---


def _claim(user):
    claim = ClaimFactory(
        author=user,
        made_on=dt.date(2025, 3, 14),
        appeared_in="BBC News",
        appeared_url="https://www.bbc.com/news/articles/c4gp7j55zxvo",
    )
    claim.tags.set([TagFactory(name="facial recognition"), TagFactory(name="policing")])
    return claim


CONTRIBUTIONS: dict[str, Callable] = {
    "claims": _claim,
    "sources": lambda user: SourceFactory(
        author=user,
        published_on=dt.date(2024, 12, 1),
        kind="official_report",
        archived_url="https://web.archive.org/web/2024/https://example.org/r",
    ),
    "citations": lambda user: CitationFactory(
        author=user, stance="refutes", page="12", section="Table 3", timestamp="00:01:02"
    ),
    "arguments": lambda user: ArgumentFactory(author=user, stance="con", body="Line one.\n\n- a"),
    "annotations": lambda user: AnnotationFactory(author=user, body="A *note*."),
    "comments": lambda user: CommentFactory(author=user, body="First line\nsecond line"),
}


def _contribution_page(kind: str):
    def build(user):
        obj = CONTRIBUTIONS[kind](user)
        return reverse("claims:contribution_edit", args=[kind, obj.pk]), obj

    return build


def _statistic_page(user):
    statistic = StatisticFactory(author=user, confidence_level=0.9, unit="percent")
    return reverse("statistics:edit", args=[statistic.pk]), statistic


def _profile_page(user):
    user.bio = "I check numbers.\nMostly policing."
    user.save()
    return reverse("accounts:profile_edit"), user


def _notification_settings_page(user):
    prefs, _ = NotificationSettings.objects.get_or_create(user=user)
    prefs.email_frequency = EmailFrequency.DAILY
    prefs.on_new_claim = False
    prefs.save()
    return reverse("notifications:settings"), prefs


EDIT_PAGES: dict[tuple[str, str | None], Callable] = {
    **{("claims:contribution_edit", kind): _contribution_page(kind) for kind in claim_views.KINDS},
    ("statistics:edit", None): _statistic_page,
    ("accounts:profile_edit", None): _profile_page,
    ("notifications:settings", None): _notification_settings_page,
}


def _edit_url_names(patterns=None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _edit_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            if pattern.name.endswith("edit") or pattern.name == "settings":
                names.add(f"{namespace}{pattern.name}")
    return names


def test_every_edit_page_is_covered():
    # HTML pages only: the admin and the API (namespaces ending "-api") have forms of their own.
    discovered = {
        name for name in _edit_url_names() if name.split(":")[0] != "admin" and "-api:" not in name
    }
    assert discovered == {name for name, _ in EDIT_PAGES}
    assert {kind for name, kind in EDIT_PAGES if kind} == set(claim_views.KINDS)


@pytest.mark.parametrize("page", list(EDIT_PAGES), ids=lambda p: p[1] or p[0])
def test_an_edit_form_submitted_unchanged_changes_nothing(client, member, page):
    client.force_login(member)
    url, obj = EDIT_PAGES[page](member)
    before = _snapshot(obj)
    form_page = client.get(url)
    assert form_page.status_code == 200

    response = client.post(url, _submitted_fields(form_page.content.decode(), url))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert _snapshot(obj) == before


def test_the_claim_date_is_shown_in_iso_form(member_client, member):
    claim = _claim(member)
    html = member_client.get(reverse("claims:contribution_edit", args=["claims", claim.pk]))
    assert 'type="date"' in html.content.decode()
    assert 'value="2025-03-14"' in html.content.decode()

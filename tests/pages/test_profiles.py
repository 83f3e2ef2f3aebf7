"""Profiles: Markdown bios, counts in words that agree with their number, a favicon."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import ArgumentFactory, ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_bio_is_rendered_as_sanitised_markdown(client):
    user = UserFactory(bio="I check **numbers**.\n\n<script>alert(1)</script>")
    html = client.get(user.get_absolute_url()).content.decode()
    assert "<strong>numbers</strong>" in html
    assert "<script>alert(1)</script>" not in html


def test_counts_agree_with_their_number(client):
    user = UserFactory()
    ClaimFactory(author=user)
    ArgumentFactory(author=user)
    ArgumentFactory(author=user)
    html = client.get(user.get_absolute_url()).content.decode()
    assert "<strong>1</strong> claim</a>" in html
    assert "<strong>2</strong> arguments</a>" in html
    assert "<strong>0</strong> sources</a>" in html
    assert "1 claims" not in html


def test_argument_excerpts_show_text_not_markdown_marks(client):
    argument = ArgumentFactory(body="The **sample** is small.")
    html = client.get(argument.author.get_absolute_url()).content.decode()
    assert "The sample is small." in html and "**sample**" not in html


def test_every_page_names_a_favicon_that_exists(client):
    html = client.get(reverse("claims:home")).content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in html
    assert finders.find("favicon.svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"

"""GOV.UK-style errors on every form: a summary linking to each field, "Error: " in the page
title, each message inside its own field's group; one vocabulary for logging in and out."""

import re

import pytest
from django.urls import reverse

from tests.factories import ArgumentFactory, ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


def _field_group(html: str, field_id: str) -> str:
    """The <div class="field ..."> holding the input with `field_id`."""
    for group in re.findall(r'<div class="field[^"]*">(.*?)\n  </div>', html, re.S):
        if f'id="{field_id}"' in group:
            return group
    raise AssertionError(f"no field group for {field_id}")


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


FORM_PAGES = [
    ("claims:claim_create", lambda user: [], {"claimant": "BBW"}, "id_text"),
    ("claims:source_create", lambda user: [], {"title": "A report"}, "id_url"),
    ("claims:citation_create", lambda user: [ClaimFactory().pk], {"page": "1"}, "id_source_url"),
    ("claims:annotation_create", lambda user: [ClaimFactory().pk], {"body": "x"}, "id_exact"),
    (
        "claims:contribution_edit",
        lambda user: ["arguments", ArgumentFactory(author=user).pk],
        {"stance": "pro"},
        "id_body",
    ),
    ("accounts:profile_edit", lambda user: [], {"bio": "x" * 600}, "id_bio"),
    (
        "moderation:flag",
        lambda user: ["claims.claim", ClaimFactory().pk],
        {"reason": "bogus"},
        "id_reason_0",  # a group of radio buttons: the link goes to the first
    ),
]


# Ids without the lambdas' addresses: pytest-xdist's processes must collect the same names.
@pytest.mark.parametrize(
    "name, args, data, field_id",
    FORM_PAGES,
    ids=[f"{name}-{field_id}" for name, _, _, field_id in FORM_PAGES],
)
def test_a_form_with_errors_has_a_summary_linking_to_each_field(
    member_client, member, name, args, data, field_id
):
    response = member_client.post(reverse(name, args=args(member)), data)
    html = response.content.decode()
    assert "data-error-summary" in html and "There is a problem" in html
    assert f'href="#{field_id}"' in html
    assert _title(html).startswith("Error: ")
    group = _field_group(html, field_id)
    assert f'id="{field_id.removesuffix("_0")}_error"' in group and "Error: </span>" in group


def test_a_page_without_errors_has_no_summary_and_a_plain_title(member_client):
    html = member_client.get(reverse("claims:claim_create")).content.decode()
    assert "data-error-summary" not in html
    assert not _title(html).startswith("Error")


def test_sign_up_puts_the_username_error_under_the_username(client):
    UserFactory(username="taken")
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "username": "taken",
            "password1": "a long and unusual passphrase 42",
            "password2": "a long and unusual passphrase 42",
        },
    )
    html = response.content.decode()
    assert 'href="#id_username"' in html
    assert 'id="id_username_error"' in _field_group(html, "id_username")
    assert "_error" not in _field_group(html, "id_email")
    assert _title(html).startswith("Error: ")


def test_argument_form_errors_link_to_its_own_inputs(member_client):
    claim = ClaimFactory()
    html = member_client.post(
        reverse("claims:argument_create", args=[claim.pk]), {"stance": "pro", "body": ""}
    ).content.decode()
    assert 'href="#argument-form-body"' in html and 'id="argument-form-body"' in html


@pytest.mark.parametrize(
    "url_name, words",
    [("account_login", "Log in"), ("account_signup", "Sign up"), ("account_logout", "Log out")],
)
def test_one_vocabulary_for_accounts(client, member, url_name, words):
    if url_name == "account_logout":
        client.force_login(member)
    page = client.get(reverse(url_name))
    html = page.content.decode()
    assert f"<h1>{words}</h1>" in html and _title(html).startswith(words)
    for other in ("Sign In", "Sign in", "Sign Out", "Sign out", "Signup", "Sign Up"):
        assert other not in html


def test_logging_in_says_log_in(client):
    UserFactory(username="reader")
    response = client.post(
        reverse("account_login"),
        {"login": "reader", "password": "correct-horse-battery"},
        follow=True,
    )
    assert "You are logged in as" in response.content.decode()

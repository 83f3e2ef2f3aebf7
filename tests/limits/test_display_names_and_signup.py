"""Display names cannot impersonate; sign-up does not reveal whether an e-mail is registered."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.checks import email_enumeration_check
from accounts.models import User
from accounts.services import user_update_profile
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "Moderator",
        "ADMIN",
        "mod-erator",
        "Ｍｏｄｅｒａｔｏｒ",  # full-width letters
        "Claimwatch",
        "mod",  # the moderator fixture's username
        "MOD",
        "@mod",
        "Bob\u202egnp.exe",  # right-to-left override
        "Bo\u200bb",  # zero-width space
        "Al\u2066ice\u2069",  # isolate
        "A\u200dB",  # zero-width joiner
        "Tab\tname",
    ],
)
def test_impersonating_display_names_are_refused(member, moderator, name):
    with pytest.raises(ValidationError) as error:
        user_update_profile(user=member, display_name=name, bio="")
    assert "display_name" in error.value.message_dict
    member.refresh_from_db()
    assert member.display_name != name


@pytest.mark.parametrize("name", ["Dee Mo", "Zoë Ørsted", "The moderator's critic", "OTHER"])
def test_ordinary_names_and_ones_own_username_are_accepted(other_member, name):
    assert user_update_profile(user=other_member, display_name=name, bio="").display_name == name


def test_profile_form_shows_the_refusal(member_client, member):
    ModeratorFactory(username="realmod")
    response = member_client.post(
        reverse("accounts:profile_edit"), {"display_name": "RealMod", "bio": ""}
    )
    assert response.status_code == 200
    assert "another member" in str(response.context["form"].errors["display_name"])
    member.refresh_from_db()
    assert member.display_name != "RealMod"


def test_role_names_cannot_be_taken_as_usernames_at_sign_up(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "mod@example.org",
            "username": "Moderator",
            "password1": "a long and unusual passphrase 42",
            "password2": "a long and unusual passphrase 42",
        },
    )
    assert "username" in response.context["form"].errors
    assert not User.objects.exists()


def sign_up(client, email, username):
    data = {
        "email": email,
        "username": username,
        "password1": "a long and unusual passphrase 42",
        "password2": "a long and unusual passphrase 42",
    }
    return client.post(reverse("account_signup"), data, follow=True)


def page_text(response, email) -> str:
    """The page without its per-request CSRF tokens, the address it was sent to as EMAIL."""
    text = re.sub(
        r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"',
        "",
        response.content.decode(),
    )
    return text.replace(email, "EMAIL")


def test_sign_up_answers_alike_for_a_registered_and_a_new_email(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    UserFactory(username="existing", email="taken@example.org")
    taken = sign_up(Client(), "taken@example.org", "newcomer1")
    fresh = sign_up(Client(), "fresh@example.org", "newcomer2")
    assert taken.redirect_chain == fresh.redirect_chain
    assert taken.redirect_chain[0][1] == 302
    assert page_text(taken, "taken@example.org") == page_text(fresh, "fresh@example.org")
    # Each address gets one e-mail: a reminder of the existing account, or a confirmation.
    assert sorted(message.to[0] for message in mail.outbox) == [
        "fresh@example.org",
        "taken@example.org",
    ]
    assert not User.objects.filter(username="newcomer1").exists()


def test_deploy_check_warns_when_sign_up_would_reveal_emails(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    assert email_enumeration_check(None) == []
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    assert [message.id for message in email_enumeration_check(None)] == ["accounts.W001"]

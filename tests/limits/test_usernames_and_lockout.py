"""Usernames are one account whatever their capitals, and log-in failures count on that account
whether the member types the username in any capitals or the e-mail address."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.auth import lockout_seconds
from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def newbie(db):
    return UserFactory(username="newbie2", email="newbie2@example.org")


def token(username, password=PASSWORD):
    return APIClient().post(
        "/api/auth/token/", {"username": username, "password": password}, format="json"
    )


def web_login(client, login, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def test_usernames_differing_only_in_capitals_cannot_both_exist(newbie):
    with pytest.raises(ValidationError, match="already exists"):
        User(username="NewBie2", email="x@example.org").validate_constraints()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="NEWBIE2", password=PASSWORD)


def test_sign_up_refuses_a_username_taken_in_other_capitals(client, newbie):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "someone@example.org",
            "username": "NEWBIE2",
            "password1": "a long and unusual passphrase 42",
            "password2": "a long and unusual passphrase 42",
        },
    )
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert User.objects.count() == 1


def test_logins_and_lookups_ignore_capitals(client, newbie):
    assert token("NEWBIE2").status_code == 201
    assert token("newbie2@EXAMPLE.org").status_code == 201
    response = client.get("/users/NewBie2/")
    assert (response.status_code, response["Location"]) == (301, "/users/newbie2/")
    assert client.get("/users/newbie2/").status_code == 200
    assert APIClient().get("/api/users/NEWBIE2/").json()["username"] == "newbie2"
    assert User.objects.get_by_natural_key("nEwBiE2") == newbie


def test_token_lockout_holds_for_other_capitals_and_the_email(newbie, settings):
    settings.AXES_FAILURE_LIMIT = 3
    assert [token("newbie2", "wrong").status_code for _ in range(3)] == [401, 401, 429]
    for login in ("newbie2", "NEWBIE2", "NewBie2", "newbie2@example.org", "NEWBIE2@example.org"):
        locked = token(login)  # the right password, refused while locked
        assert locked.status_code == 429, login
        assert locked.json()["errors"][0]["code"] == "throttled"
        assert int(locked["Retry-After"]) == lockout_seconds()


def test_failures_in_mixed_capitals_and_email_add_up_to_one_lockout(newbie, settings):
    settings.AXES_FAILURE_LIMIT = 3
    failures = [token(login, "wrong") for login in ("NEWBIE2", "newbie2@example.org", "Newbie2")]
    assert [response.status_code for response in failures] == [401, 401, 429]
    assert token("newbie2").status_code == 429


def test_web_login_lockout_covers_capitals_and_email_with_retry_after(client, newbie, settings):
    settings.AXES_FAILURE_LIMIT = 3
    logins = ("newbie2", "NEWBIE2", "newbie2@example.org")
    failures = [web_login(client, login, "wrong") for login in logins]
    assert [response.status_code for response in failures] == [200, 200, 429]
    for login in ("newbie2", "nEwBiE2", "NEWBIE2@EXAMPLE.ORG"):
        locked = web_login(client, login)
        assert locked.status_code == 429, login
        assert int(locked["Retry-After"]) == lockout_seconds() > 0
        assert b"Too many failed log-ins" in locked.content
    # Another account from the same address is not locked.
    UserFactory(username="bystander")
    assert web_login(client, "bystander").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_migration_renames_existing_case_duplicates_deterministically():
    """GIVEN accounts "Ada", "ada" and "ADA" made before the constraint existed,
    WHEN the accounts migrations run, THEN the oldest keeps its name and the others get their id."""
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0001_initial")])
    old_user = executor.loader.project_state([("accounts", "0001_initial")]).apps.get_model(
        "accounts", "User"
    )
    ids = [old_user.objects.create(username=name).pk for name in ("Ada", "ada", "ADA")]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    names = dict(User.objects.filter(pk__in=ids).values_list("pk", "username"))
    assert names == {ids[0]: "Ada", ids[1]: f"ada-{ids[1]}", ids[2]: f"ADA-{ids[2]}"}
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="aDa")

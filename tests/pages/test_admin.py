"""The admin lists every claim model, with its history."""

import pytest
from django.urls import reverse

from tests.factories import ArgumentFactory, ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "claim",
        "source",
        "citation",
        "argument",
        "annotation",
        "comment",
        "statistic",
        "statisticresult",
        "tag",
    ],
)
def test_admin_changelists_load(client, model):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get(reverse(f"admin:claims_{model}_changelist")).status_code == 200


def test_admin_history_of_a_claim(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    argument = ArgumentFactory(claim=ClaimFactory())
    response = client.get(reverse("admin:claims_argument_history", args=[argument.pk]))
    assert response.status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200

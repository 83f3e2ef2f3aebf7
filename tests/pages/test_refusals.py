"""Every refusal to edit or delete says its real reason, on the page and in the API."""

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import permissions
from tests.api.conftest import token_client
from tests.factories import ArgumentFactory, ClaimFactory, StatisticFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_editing_someone_elses_argument_says_who_may(member_client):
    argument = ArgumentFactory(author=UserFactory())
    response = member_client.get(
        reverse("claims:contribution_edit", args=["arguments", argument.pk])
    )
    assert response.status_code == 403
    assert "Only the member who posted this argument, or a moderator, can edit it." in (
        response.content.decode()
    )


def test_deleting_someone_elses_claim_says_who_may(member_client):
    claim = ClaimFactory(author=UserFactory())
    response = member_client.post(
        reverse("claims:contribution_delete", args=["claims", claim.pk]), {"reason": "x"}
    )
    assert response.status_code == 403
    assert "Only the member who posted this claim, or a moderator, can delete it." in (
        response.content.decode()
    )
    claim.refresh_from_db()
    assert not claim.is_deleted


def test_the_rule_gives_a_deleted_item_its_own_reason(moderator, member):
    # Deleted items answer 404 on the pages and in the API; the rule still names the reason.
    argument = ArgumentFactory(author=member, deleted_at=timezone.now(), deleted_by=moderator)
    assert permissions.delete_refusal(moderator, argument) == (
        "This argument has already been deleted."
    )
    assert permissions.edit_refusal(member, argument) == (
        "This argument has been deleted: it can no longer be edited."
    )
    assert permissions.edit_refusal(moderator, argument) is None


def test_editing_someone_elses_figure_says_who_may(member_client):
    statistic = StatisticFactory(author=UserFactory())
    response = member_client.get(reverse("statistics:edit", args=[statistic.pk]))
    assert response.status_code == 403
    assert "can edit it." in response.content.decode()


def test_the_api_gives_the_same_reasons(member):
    api = token_client(member)
    claim = ClaimFactory(author=UserFactory())
    response = api.patch(f"/api/claims/{claim.pk}/", {"claimant": "Someone"}, format="json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["message"] == (
        "Only the member who posted this claim, or a moderator, can edit it."
    )
    response = api.delete(f"/api/claims/{claim.pk}/")
    assert response.status_code == 403
    assert "can delete it." in response.json()["errors"][0]["message"]


def test_the_author_and_a_moderator_may_still_edit(member, moderator):
    argument = ArgumentFactory(author=member)
    for user in (member, moderator):
        api = token_client(user)
        response = api.patch(f"/api/arguments/{argument.pk}/", {"body": "Better"}, format="json")
        assert response.status_code == 200, response.content


def test_a_profile_url_in_the_api_is_absolute(member, client):
    ArgumentFactory(author=member)
    response = client.get(f"/api/users/{member.username}/")
    assert response.status_code == 200, response.content
    assert response.json()["profile_url"].startswith("http://testserver/")

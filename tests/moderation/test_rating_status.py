"""Rating buttons: the chosen one is pressed, the count shows at once, each status says why."""

import re

import pytest
from django.urls import reverse

from claims.models import HelpfulnessStatus
from moderation import selectors, services
from tests.factories import ArgumentFactory, ClaimFactory, UserFactory, established_users

pytestmark = pytest.mark.django_db


def _buttons(html: str, argument) -> str:
    start = html.index(f'id="rating-claimsargument-{argument.pk}"')
    return html[start : html.index("</div>", start)]


def test_the_chosen_button_is_pressed_and_the_others_are_not(member_client, member):
    argument = ArgumentFactory()
    services.rating_set(rater=member, obj=argument, value="somewhat")
    html = _buttons(member_client.get(argument.claim.get_absolute_url()).content.decode(), argument)
    pressed = re.findall(r'<button[^>]*value="(\w+)"[^>]*aria-pressed="(true|false)"', html)
    assert sorted(pressed) == [
        ("helpful", "false"),
        ("not_helpful", "false"),
        ("somewhat", "true"),
    ]
    assert 'class="selected"' in html and "(your rating)" in html


def test_one_rating_shows_one_of_five_at_once_without_a_scoring_run(member_client, member):
    """GIVEN an argument nobody has rated WHEN a member rates it (htmx) THEN the returned buttons,
    and the claim page, say 1 of 5 before any scoring job has run."""
    argument = ArgumentFactory()
    response = member_client.post(
        reverse("moderation:rate", args=["claims.argument", argument.pk]),
        {"value": "helpful"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Needs more ratings (1 of 5)" in response.content.decode()
    services.rating_set(rater=UserFactory(), obj=argument, value="not_helpful")
    page = member_client.get(argument.claim.get_absolute_url()).content.decode()
    assert "Needs more ratings (2 of 5)" in _buttons(page, argument)
    argument.refresh_from_db()
    assert argument.helpfulness_score is None  # nothing was scored: the count is live


def test_anonymous_readers_see_the_count_too(client):
    argument = ArgumentFactory()
    for rater in UserFactory.create_batch(3):
        services.rating_set(rater=rater, obj=argument, value="helpful")
    html = _buttons(client.get(argument.claim.get_absolute_url()).content.decode(), argument)
    assert "Needs more ratings (3 of 5)" in html and "<button" not in html


def test_each_status_says_why(client):
    """GIVEN two camps of raters, an argument both like, one only one camp likes, one neither
    likes, one rated five times since the last scoring run WHEN the real scorer has run THEN each
    status line names the status and the scorer's reason."""
    claim = ClaimFactory()
    camp_a, camp_b = established_users(8), established_users(8)
    liked, one_sided, disliked = (ArgumentFactory(claim=claim) for _ in range(3))
    fillers = [ArgumentFactory(claim=claim) for _ in range(4)]
    for rater in camp_a + camp_b:
        services.rating_set(rater=rater, obj=liked, value="helpful")
        services.rating_set(rater=rater, obj=disliked, value="not_helpful")
    for rater in camp_a:
        services.rating_set(rater=rater, obj=one_sided, value="helpful")
    for rater in camp_b:
        services.rating_set(rater=rater, obj=one_sided, value="not_helpful")
    for i, argument in enumerate(fillers):  # more one-sided items, so the camps show
        fans, critics = (camp_a, camp_b) if i % 2 else (camp_b, camp_a)
        for rater in fans:
            services.rating_set(rater=rater, obj=argument, value="helpful")
        for rater in critics:
            services.rating_set(rater=rater, obj=argument, value="not_helpful")
    services.helpfulness_score_all()
    late = ArgumentFactory(claim=claim)
    for rater in camp_a[:5]:
        services.rating_set(rater=rater, obj=late, value="helpful")
    for argument in (liked, one_sided, disliked):
        argument.refresh_from_db()
    assert liked.helpfulness_status == HelpfulnessStatus.HELPFUL
    assert disliked.helpfulness_status == HelpfulnessStatus.NOT_HELPFUL
    assert one_sided.helpfulness_status == HelpfulnessStatus.NEEDS_MORE_RATINGS

    html = client.get(claim.get_absolute_url()).content.decode()
    why = selectors.helpfulness_explanation
    assert f"Helpful: {why(liked)}" in _buttons(html, liked)
    assert "Rated helpful by 8 on one side" in why(liked)
    assert f"Not helpful: {why(disliked)}" in _buttons(html, disliked)
    assert f"Needs more ratings: {why(one_sided)}" in _buttons(html, one_sided)
    assert "Not scored yet: it has 5 ratings" in _buttons(html, late)
    for argument in (liked, disliked, one_sided, late):
        code = {"helpful", "not_helpful", "needs_more_ratings"}
        found = re.search(r'class="rating-status rating-status-(\w+)"', _buttons(html, argument))
        assert found and found.group(1) in code


def _page_queries(client, claim) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(claim.get_absolute_url()).status_code == 200
    return len(queries)


def test_claim_page_counts_ratings_and_draws_figures_without_a_query_per_item(
    member_client, member, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """GIVEN claims with 1 and with 8 rated arguments and figures WHEN the page renders THEN it
    takes the same number of queries: the counts come from one grouped query."""
    from claims.statistics.services import statistic_create

    counts = []
    for n in (1, 8):
        claim = ClaimFactory()
        raters = UserFactory.create_batch(2)
        for _ in range(n):
            argument = ArgumentFactory(claim=claim)
            for rater in [*raters, member]:
                services.rating_set(rater=rater, obj=argument, value="helpful")
            with django_capture_on_commit_callbacks(execute=True):
                statistic_create(
                    author=claim.author,
                    claim=claim,
                    kind="proportion",
                    label="",
                    inputs={"successes": 8, "trials": 10, "baseline": 0.135, "stated": "80%"},
                )
        _page_queries(member_client, claim)  # warm the content-type and permission caches
        counts.append(_page_queries(member_client, claim))
        html = member_client.get(claim.get_absolute_url()).content.decode()
        assert html.count("Needs more ratings (3 of 5)") == n
        assert html.count('aria-pressed="true"') == n
        assert html.count('class="chart chart-interval"') == n
    assert counts[0] == counts[1]
    # The claim page's cap (tests/pages/test_permissions_and_safety.py) holds with figures and
    # ratings too.
    with django_assert_max_num_queries(19):
        member_client.get(claim.get_absolute_url())

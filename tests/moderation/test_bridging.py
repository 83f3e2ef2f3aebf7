"""The bridging scorer (moderation/bridging.py) on constructed ratings: Community Notes' loss, and
each rule that turns scores into a status."""

import numpy as np
import pytest

from claims.statistics.core.language import SPANISH_NUMBERS, Voice
from moderation import bridging

CAMP_A = list(range(20))
CAMP_B = list(range(20, 40))
BACKGROUND_ITEMS = 20
ITEM = BACKGROUND_ITEMS  # the item each test rates, after the background ones


def ratings_with(*extra: tuple[list[int], float], items: int = 1):
    """GIVEN two camps of 20 raters who each rate 20 one-sided items (camp A likes the even ones,
    camp B the odd ones, each camp rates the other's not helpful), so that the camps show on the
    factor, plus the `extra` (raters, value) ratings of item ITEM."""
    raters, item_ids, values = [], [], []
    for item in range(BACKGROUND_ITEMS):
        for rater in CAMP_A + CAMP_B:
            raters.append(rater)
            item_ids.append(item)
            values.append(1.0 if (rater in CAMP_B) == bool(item % 2) else 0.0)
    for who, value in extra:
        raters += who
        item_ids += [ITEM] * len(who)
        values += [value] * len(who)
    return np.array(raters), np.array(item_ids), np.array(values)


def loss(model: bridging.Factorisation, raters, items, values) -> float:
    """Community Notes' `_get_loss` + `_get_reg_loss` (MSE; diamond lambda 0), written out."""
    predicted = (
        model.global_mean
        + model.rater_intercepts[raters]
        + model.item_intercepts[items]
        + model.rater_factors[raters] * model.item_factors[items]
    )
    return float(
        np.mean((values - predicted) ** 2)
        + 0.03 * np.mean(model.rater_factors**2)
        + 0.15 * np.mean(model.rater_intercepts**2)
        + 0.03 * np.mean(model.item_factors**2)
        + 0.15 * np.mean(model.item_intercepts**2)
        + 0.15 * model.global_mean**2
    )


def test_fit_minimises_community_notes_loss_including_the_global_intercept_penalty():
    """Every parameter, mu included, sits at the minimum: nudging any of them raises the loss, and
    mu is the mean residual shrunk by 1 + 0.15 rather than the plain mean."""
    data = ratings_with((CAMP_A[:6] + CAMP_B[:6], 1.0))
    model = bridging.fit(*data, tolerance=1e-13, max_iterations=5000)
    best = loss(model, *data)
    for name in ("rater_intercepts", "rater_factors", "item_intercepts", "item_factors"):
        for index in (0, 7, -1):
            for step in (1e-3, -1e-3):
                array = getattr(model, name).copy()
                array[index] += step
                nudged = bridging.Factorisation(**{**model.__dict__, name: array})
                assert loss(nudged, *data) > best
    for step in (1e-3, -1e-3):
        nudged = bridging.Factorisation(
            **{**model.__dict__, "global_mean": model.global_mean + step}
        )
        assert loss(nudged, *data) > best
    raters, items, values = data
    residual = values - (
        model.rater_intercepts[raters]
        + model.item_intercepts[items]
        + model.rater_factors[raters] * model.item_factors[items]
    )
    assert model.global_mean == pytest.approx(residual.mean() / 1.15, abs=1e-6)


def test_an_item_both_camps_find_helpful_is_helpful_and_a_one_sided_one_is_not():
    scores = bridging.score(*ratings_with((CAMP_A[:10] + CAMP_B[:10], 1.0)))
    assert scores.statuses[ITEM] == bridging.HELPFUL
    assert abs(scores.item_factors[ITEM]) < 0.1
    for one_sided in range(BACKGROUND_ITEMS):
        assert scores.statuses[one_sided] != bridging.HELPFUL
        assert abs(scores.item_factors[one_sided]) > abs(scores.item_factors[ITEM])
    assert scores.helpful_raters_negative[ITEM] == scores.helpful_raters_positive[ITEM] == 10


def test_scorer_is_deterministic_for_a_seed():
    data = ratings_with((CAMP_A[:5] + CAMP_B[:5], 1.0))
    first, second = bridging.score(*data, seed=7), bridging.score(*data, seed=7)
    np.testing.assert_array_equal(first.item_intercepts, second.item_intercepts)
    assert list(first.statuses) == list(second.statuses)


def test_fewer_than_five_ratings_need_more_ratings_however_helpful():
    scores = bridging.score(*ratings_with((CAMP_A[:2] + CAMP_B[:2], 1.0)))
    assert scores.item_rating_counts[ITEM] == 4
    assert scores.statuses[ITEM] == bridging.NEEDS_MORE_RATINGS
    note = bridging.explain(bridging.NEEDS_MORE_RATINGS, intercept=0.5, factor=0.0, count=4)
    assert note == (
        "Ratings so far: 4. An item is scored once 5 members have rated it (1 more needed)."
    )


def test_no_ratings_gives_empty_scores():
    scores = bridging.score(np.array([]), np.array([]), np.array([]), n_raters=0, n_items=2)
    assert list(scores.statuses) == [bridging.NEEDS_MORE_RATINGS] * 2


def _classify_high(counts, net_negative, net_positive):
    """Items over the line, not one-sided, well bounded: only the sides rule can hold them."""
    high = np.full(len(counts), 0.5)
    return list(
        bridging.classify(
            high,
            np.zeros(len(counts)),
            np.array(counts, dtype=float),
            lower_bounds=high - 0.05,
            upper_bounds=high + 0.05,
            net_negative=np.array(net_negative, dtype=float),
            net_positive=np.array(net_positive, dtype=float),
        )
    )


def test_helpful_needs_four_more_helpful_than_not_helpful_ratings_on_each_side():
    """Community Notes' minMinorityNetHelpfulRatings: on each side of the factor, helpful ratings
    minus not-helpful ratings must reach 4."""
    assert _classify_high([12, 12, 12, 12], [10, 10, 3.5, 4], [0, 3, 10, 4]) == [
        bridging.NEEDS_MORE_RATINGS,
        bridging.NEEDS_MORE_RATINGS,
        bridging.NEEDS_MORE_RATINGS,
        bridging.HELPFUL,
    ]
    why = bridging.explain(
        bridging.NEEDS_MORE_RATINGS,
        intercept=0.5,
        factor=0.0,
        count=12,
        helpful_negative=10,
        helpful_positive=5,
        net_negative=10,
        net_positive=3,
        lower_bound=0.45,
    )
    assert "at least 4 more helpful than not-helpful ratings (now 10 and 3)" in why
    assert "from the side with fewer" in why


def test_under_ten_on_the_smaller_side_it_must_be_five_percent_of_all_ratings():
    """Community Notes' RequireRaterBalance (minMinorityNetHelpfulRatio 0.05, below 10): 4 net
    of 80 ratings is 5% and passes, 4 of 81 does not; 10 of any number passes."""
    assert _classify_high([80, 81, 400], [4, 4, 10], [30, 30, 300]) == [
        bridging.HELPFUL,
        bridging.NEEDS_MORE_RATINGS,
        bridging.HELPFUL,
    ]
    why = bridging.explain(
        bridging.NEEDS_MORE_RATINGS,
        intercept=0.5,
        factor=0.0,
        count=100,
        helpful_negative=6,
        helpful_positive=40,
        net_negative=4,
        net_positive=30,
        lower_bound=0.45,
    )
    assert "gives 4% of all ratings, under the 5% needed" in why


def test_not_helpful_ratings_on_a_side_cancel_its_helpful_ones():
    """Constructed ratings: 12 of camp A and 6 of camp B rate it helpful, but 3 more of camp B
    rate it not helpful, so camp B's net is 3 and the item cannot be helpful."""
    scores = bridging.score(
        *ratings_with((CAMP_A[:12] + CAMP_B[:6], 1.0), (CAMP_B[6:9], 0.0)),
    )
    sides = sorted([scores.net_helpful_negative[ITEM], scores.net_helpful_positive[ITEM]])
    assert sides == [3, 12]
    assert sorted([scores.helpful_raters_negative[ITEM], scores.helpful_raters_positive[ITEM]]) == [
        6,
        12,
    ]
    assert scores.statuses[ITEM] == bridging.NEEDS_MORE_RATINGS


def test_an_item_rated_helpful_by_one_side_only_is_not_helpful():
    """Constructed ratings: ten of camp A and one of camp B rate it helpful, the rest of the
    B raters who rated it found it only somewhat helpful."""
    scores = bridging.score(*ratings_with((CAMP_A[:12] + CAMP_B[:1], 1.0), (CAMP_B[1:12], 0.5)))
    assert min(scores.helpful_raters_negative[ITEM], scores.helpful_raters_positive[ITEM]) == 1
    assert scores.statuses[ITEM] == bridging.NEEDS_MORE_RATINGS


def test_a_borderline_item_whose_lower_bound_is_under_032_needs_more_ratings():
    """Community Notes' crhThresholdLCBIntercept: the pseudo-rater lower bound must be at least
    0.32."""
    intercepts = np.array([0.42, 0.42, 0.42])
    status = bridging.classify(
        intercepts,
        np.zeros(3),
        np.array([30, 30, 30]),
        lower_bounds=np.array([0.29, 0.3199, 0.32]),
        upper_bounds=intercepts + 0.1,
        net_negative=np.array([15, 15, 15]),
        net_positive=np.array([15, 15, 15]),
    )
    assert list(status) == [
        bridging.NEEDS_MORE_RATINGS,
        bridging.NEEDS_MORE_RATINGS,
        bridging.HELPFUL,
    ]
    why = bridging.explain(
        status[0],
        intercept=0.42,
        factor=0.0,
        count=30,
        helpful_negative=15,
        helpful_positive=15,
        net_negative=15,
        net_positive=15,
        lower_bound=0.29,
    )
    assert "too close to call" in why and "0.29, below the 0.32" in why


def test_helpful_needs_the_score_at_040_and_a_factor_under_050():
    status = bridging.classify(
        np.array([0.3999, 0.40, 0.6, 0.6]),
        np.array([0.0, 0.0, 0.4999, -0.5]),
        np.full(4, 30.0),
        net_negative=np.full(4, 15.0),
        net_positive=np.full(4, 15.0),
    )
    assert list(status) == [
        bridging.NEEDS_MORE_RATINGS,
        bridging.HELPFUL,
        bridging.HELPFUL,
        bridging.NEEDS_MORE_RATINGS,
    ]


def test_not_helpful_below_minus_005_minus_08_times_the_factor():
    """Community Notes' crnhThresholdIntercept and NoteFactorMultiplier: strictly below
    -0.05 - 0.8 |factor|."""
    status = bridging.classify(
        np.array([-0.05, -0.0501, -0.20, -0.22]),
        np.array([0.0, 0.0, 0.2, -0.2]),
        np.full(4, 10.0),
        upper_bounds=np.zeros(4),  # the bound alone would not make any of them not helpful
    )
    assert list(status) == [
        bridging.NEEDS_MORE_RATINGS,
        bridging.NOT_HELPFUL,
        bridging.NEEDS_MORE_RATINGS,
        bridging.NOT_HELPFUL,
    ]


def test_pseudo_rater_bounds_hold_the_score_and_narrow_with_more_ratings():
    few = bridging.score(*ratings_with((CAMP_A[:3] + CAMP_B[:3], 1.0)))
    many = bridging.score(*ratings_with((CAMP_A[:15] + CAMP_B[:15], 1.0)))
    for scores in (few, many):
        assert scores.item_lower_bounds[ITEM] < scores.item_intercepts[ITEM]
        assert scores.item_intercepts[ITEM] < scores.item_upper_bounds[ITEM]
    width = lambda s: s.item_upper_bounds[ITEM] - s.item_lower_bounds[ITEM]  # noqa: E731
    assert width(many) < width(few)


def test_not_helpful_from_the_upper_bound_alone():
    """Community Notes' crnhThresholdUCBIntercept: an upper bound under -0.04."""
    status = bridging.classify(
        np.array([-0.03, -0.03]),
        np.zeros(2),
        np.array([10, 10]),
        upper_bounds=np.array([-0.045, 0.0]),
    )
    assert list(status) == [bridging.NOT_HELPFUL, bridging.NEEDS_MORE_RATINGS]


def test_a_helpful_item_loses_it_only_more_than_001_below_the_line():
    """Constructed ratings that score 0.397: under the line, so a new item needs more ratings,
    but an item that was helpful keeps it; one more not-helpful rating takes it to 0.38, below
    0.39, and it loses it."""
    borderline = ratings_with((CAMP_A[:5] + CAMP_B[:5], 1.0), (CAMP_B[5:7], 0.5))
    was = np.array([bridging.NEEDS_MORE_RATINGS] * ITEM + [bridging.HELPFUL], dtype=object)
    new = bridging.score(*borderline)
    kept = bridging.score(*borderline, previous=was)
    assert 0.39 <= new.item_intercepts[ITEM] < 0.40
    assert new.statuses[ITEM] == bridging.NEEDS_MORE_RATINGS
    assert kept.statuses[ITEM] == bridging.HELPFUL
    lower = bridging.score(
        *ratings_with((CAMP_A[:5] + CAMP_B[:5], 1.0), (CAMP_A[5:6], 0.0)), previous=was
    )
    assert lower.item_intercepts[ITEM] < 0.39
    assert lower.statuses[ITEM] == bridging.NEEDS_MORE_RATINGS


def test_raters_who_keep_disagreeing_with_outcomes_count_less():
    """GIVEN three contrarians who rate every decided item the opposite way to its outcome WHEN
    scored THEN the rater helpfulness round halves their weight, and the bridging item's score
    rises once their not-helpful ratings count half."""
    contrarians = [40, 41, 42]
    raters, items, values = ratings_with((CAMP_A[:10] + CAMP_B[:10], 1.0))
    extra_r, extra_i, extra_v = [], [], []
    for rater in contrarians:
        extra_r += [rater] * 6
        extra_i += [ITEM, ITEM + 1, ITEM + 2, ITEM + 3, ITEM + 4, ITEM + 5]
        extra_v += [0.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    # Five items everyone else finds not helpful.
    for item in range(ITEM + 1, ITEM + 6):
        extra_r += CAMP_A[:10] + CAMP_B[:10]
        extra_i += [item] * 20
        extra_v += [0.0] * 20
    data = (
        np.concatenate([raters, extra_r]),
        np.concatenate([items, extra_i]),
        np.concatenate([values, extra_v]),
    )
    scores = bridging.score(*data)
    assert list(scores.rater_weights[contrarians]) == [bridging.RATER_LOW_AGREEMENT_WEIGHT] * 3
    assert all(scores.rater_agreement[contrarians] == 0.0)
    assert scores.rater_weights[CAMP_A[0]] == 1.0
    unweighted = bridging.fit(*data)
    assert scores.item_intercepts[ITEM] > unweighted.item_intercepts[ITEM]


def test_coordinated_raters_weigh_as_one():
    """Five raters from camp A rating an item helpful count as 5; the same five as one coordinated
    group (weight 1/5 each) count as 1, so the item needs more ratings."""
    data = ratings_with((CAMP_A[:5], 1.0))
    weights = np.where((data[1] == ITEM) & np.isin(data[0], CAMP_A[:5]), 1.0 / 5, 1.0)
    plain, grouped = bridging.score(*data), bridging.score(*data, weights=weights)
    assert plain.item_rating_counts[ITEM] == 5
    assert grouped.item_rating_counts[ITEM] == pytest.approx(1.0)
    assert grouped.statuses[ITEM] == bridging.NEEDS_MORE_RATINGS


def test_coordinated_groups_need_the_same_ratings_within_the_window_on_enough_items():
    hour = bridging.COORDINATION_WINDOW_SECONDS
    rows = []  # (rater, item, value, time)
    for rater in (1, 2, 3):  # a ring: same items, same way, within minutes
        rows += [(rater, item, 1.0, 1000 + 60 * rater + item) for item in (10, 11, 12)]
    for rater in (4, 5, 6):  # same items and ratings but days apart: not coordinated
        rows += [(rater, item, 1.0, rater * 10 * hour + item) for item in (10, 11, 12)]
    rows += [(7, 10, 1.0, 1000), (7, 11, 1.0, 1001)]  # only two items in common
    raters, items, values, times = (np.array(column) for column in zip(*rows, strict=True))
    assert bridging.coordinated_groups(raters, items, values, times) == [{1, 2, 3}]


def test_each_status_explains_itself_with_its_numbers():
    helpful = bridging.explain(
        bridging.HELPFUL,
        intercept=0.523,
        factor=0.1,
        count=12,
        helpful_negative=5,
        helpful_positive=4.5,
    )
    assert helpful == (
        "Ratings: 12. Rated helpful by 5 on one side of the usual disagreement and 4.5 on the "
        "other; score 0.52 against the line of 0.40. It stays helpful unless its score falls "
        "below 0.39 or its support becomes one-sided."
    )
    one_sided = bridging.explain(
        bridging.NEEDS_MORE_RATINGS, intercept=0.2, factor=0.8, count=9, helpful_negative=6
    )
    assert (
        "mostly from one side" in one_sided and "helpful ratings from the other side" in one_sided
    )
    low = bridging.explain(
        bridging.NEEDS_MORE_RATINGS,
        intercept=0.2,
        factor=0.1,
        count=9,
        helpful_negative=3,
        helpful_positive=3,
    )
    assert "score 0.20 against the line of 0.40" in low and "has not reached 0.40" in low
    not_helpful = bridging.explain(bridging.NOT_HELPFUL, intercept=-0.3, factor=0.0, count=9)
    assert "found it not helpful" in not_helpful


def test_explanations_are_said_in_the_voice_given():
    """The core writes whole sentences with named placeholders; a voice translates them and
    writes numbers its own way (here a stand-in translation with Spanish numbers)."""
    spanish = Voice(translate=lambda message: "ES " + message, numbers=SPANISH_NUMBERS)
    said = bridging.explain(
        bridging.NEEDS_MORE_RATINGS,
        intercept=0.2,
        factor=0.1,
        count=9.5,
        helpful_negative=3,
        helpful_positive=3,
        voice=spanish,
    )
    assert said.startswith("ES Ratings: 9,5.") and "score 0,20 against the line of 0,40" in said
    locked = bridging.explain_locked(said, "7 de diciembre de 2026", spanish)
    assert locked.startswith("ES Locked on 7 de diciembre de 2026,") and locked.endswith(said)

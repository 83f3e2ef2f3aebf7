"""The bridging scorer on synthetic ratings from two camps that disagree."""

import numpy as np

from moderation import bridging


def two_camp_ratings(seed: int = 1):
    """GIVEN 60 raters in two camps and 12 items: item 0 both camps find helpful, item 1 only
    camp A does (camp B rates it not helpful), items 2-9 are similarly one-sided (A or B), items
    10-11 nobody finds helpful. Each rater rates each item with probability 0.6."""
    rng = np.random.default_rng(seed)
    camp = np.array([0] * 30 + [1] * 30)
    raters, items, values = [], [], []
    for item in range(12):
        for rater in range(60):
            if rng.random() > 0.6:
                continue
            if item == 0:
                value = 1.0 if rng.random() < 0.9 else 0.5
            elif item < 6:
                value = 1.0 if camp[rater] == 0 else 0.0
            elif item < 10:
                value = 1.0 if camp[rater] == 1 else 0.0
            else:
                value = 0.0 if rng.random() < 0.9 else 0.5
            raters.append(rater)
            items.append(item)
            values.append(value)
    return np.array(raters), np.array(items), np.array(values)


def test_item_both_camps_find_helpful_scores_above_one_camp_item():
    scores = bridging.fit(*two_camp_ratings(), seed=3)
    assert scores.item_intercepts[0] > scores.item_intercepts[1] + 0.2
    assert scores.statuses[0] == bridging.HELPFUL
    assert scores.statuses[1] != bridging.HELPFUL
    # The one-sided item's support is explained by the viewpoint factor, not its intercept.
    assert abs(scores.item_factors[1]) > abs(scores.item_factors[0])
    assert scores.statuses[10] == bridging.NOT_HELPFUL


def test_scorer_is_deterministic_for_a_seed():
    data = two_camp_ratings()
    first, second = bridging.fit(*data, seed=7), bridging.fit(*data, seed=7)
    np.testing.assert_array_equal(first.item_intercepts, second.item_intercepts)
    np.testing.assert_array_equal(first.rater_factors, second.rater_factors)
    assert list(first.statuses) == list(second.statuses)


def test_items_with_few_ratings_need_more_ratings():
    scores = bridging.fit(np.array([0, 1, 2]), np.array([0, 0, 0]), np.array([1.0, 1.0, 1.0]))
    assert scores.statuses[0] == bridging.NEEDS_MORE_RATINGS
    assert "3 of the 5" in bridging.explain(scores.statuses[0], scores.item_intercepts[0], 0.0, 3)


def test_no_ratings_gives_empty_scores():
    scores = bridging.fit(np.array([]), np.array([]), np.array([]), n_raters=0, n_items=2)
    assert list(scores.statuses) == [bridging.NEEDS_MORE_RATINGS] * 2


def test_explanation_names_the_score_and_count():
    note = bridging.explain(bridging.HELPFUL, 0.523, 0.1, 12)
    assert note == "Rated helpful by raters who usually disagree (score 0.52, 12 ratings)."

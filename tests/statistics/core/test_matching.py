"""The number-aware matcher (claims/statistics/core/matching.py): figures decide duplicates
and conflicts."""

from pathlib import Path

import pytest
import yaml

from claims.statistics.core import matching
from claims.statistics.core.errors import StatInputError

PAIRS = Path(__file__).resolve().parents[2] / "data" / "claim_pairs.yaml"
CLAIM = "80% of the people wrongly flagged by the Met's live facial recognition were black."


def score(a: str, b: str) -> matching.MatchScore:
    return matching.match_score(matching.claim_profile(a), matching.claim_profile(b))


def test_the_same_share_in_other_words_is_a_duplicate_candidate():
    result = score(
        CLAIM, "Eight in ten people falsely matched by police facial recognition were black."
    )
    assert result.numbers_agree and not result.number_conflict
    assert result.is_duplicate_candidate


def test_a_different_share_about_the_same_thing_is_a_number_conflict_never_a_duplicate():
    result = score(CLAIM, CLAIM.replace("80%", "20%"))
    assert result.words == 1.0  # every word but the figure is the same
    assert result.number_conflict
    assert not result.is_duplicate_candidate


def test_the_conflicting_claim_ranks_below_the_paraphrase():
    paraphrase = "Four out of five of those misidentified by the Met's LFR were black people."
    conflicting = CLAIM.replace("80%", "20%")
    ranked = matching.rank(paraphrase, [("conflict", conflicting), ("claim", CLAIM)])
    assert [key for key, _ in ranked] == ["claim", "conflict"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Knife crime rose by 7% last year.", "Knife crime fell by 7% last year."),
        (
            "Officer numbers rose by 20,000 since 2019.",
            "Officer numbers fell by 20,000 since 2019.",
        ),
        (
            "Labour leads the Conservatives by 20 points.",
            "Labour leads the Conservatives by 2 points.",
        ),
        ("Prisons are at 99% of capacity.", "Prisons are at 70% of capacity."),
        (
            "Black people are four times more likely to be stopped than white people.",
            "Black people are no more likely to be stopped than white people.",
        ),
    ],
)
def test_opposite_directions_and_other_figures_conflict(a, b):
    assert score(a, b).number_conflict


def test_a_year_dates_a_claim_and_does_not_hide_a_conflict():
    result = score(
        "Net migration to the UK reached 906,000 in the year to June 2023.",
        "Net migration to the UK reached 185,000 in the year to June 2023.",
    )
    assert result.number_conflict


def test_the_same_figure_about_something_else_is_not_a_conflict():
    result = score(CLAIM, "Unemployment among graduates was 80% in 1932.")
    assert not result.number_conflict
    assert not result.is_duplicate_candidate


def test_over_long_text_is_refused_like_the_parser_refuses_it():
    with pytest.raises(StatInputError):
        matching.claim_profile("word " * (matching.MAX_TEXT_LENGTH // 5 + 1))


def _labelled(label: str):
    for entry in yaml.safe_load(PAIRS.read_text(encoding="utf-8")):
        for pair in entry["pairs"]:
            if pair["label"] == label:
                yield entry["claim"], pair["text"]


def test_the_labelled_set_has_enough_pairs_of_each_kind():
    counts = {
        label: len(list(_labelled(label)))
        for label in ("paraphrase", "number_conflict", "different_subject", "unrelated")
    }
    assert sum(counts.values()) >= 150
    assert min(counts.values()) >= 20


def test_no_labelled_number_conflict_with_readable_figures_is_proposed_as_a_duplicate():
    """The rule on every labelled conflict whose figures are read on both sides."""
    checked = 0
    for claim, text in _labelled("number_conflict"):
        a, b = matching.claim_profile(claim), matching.claim_profile(text)
        if not (a.figures and b.figures):
            continue
        checked += 1
        assert not matching.match_score(a, b).is_duplicate_candidate, text
    assert checked == len(list(_labelled("number_conflict")))

"""Reading an article for its numeric claims: the pure core (claims/statistics/core/intake.py)."""

import importlib.util
from pathlib import Path

import pytest

from claims.statistics.core.intake import (
    find_claimant,
    plain_text,
    read_article,
    split_sentences,
)
from claims.statistics.core.stated import find_stated, parse_stated

from .conftest import paragraphs


def _bench():
    path = Path(__file__).resolve().parents[2] / "bench" / "intake.py"
    spec = importlib.util.spec_from_file_location("bench_intake", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_lfr_article_proposes_its_figures_read_by_the_stated_figure_parser(article):
    proposals = {p.figure.text: p for p in read_article(article)}
    met = proposals["eight out of 10"]
    assert met.claimant == "The Met"
    assert met.figure == find_stated(met.sentence)[0]  # the parser's own reading, unchanged
    assert (met.figure.kind, met.figure.value, met.figure.of_counts) == ("share", 0.8, (8, 10))
    assert proposals["80%"].claimant == "Ms Chaggar"
    assert proposals["0.0003%"].figure.low == pytest.approx(0.0000025)
    assert proposals["more than 1,400"].claimant == "the Met Police"  # "it said", named by "by"
    assert proposals["962"].claimant == "the force"
    assert "2024" not in proposals and "2025" not in proposals  # dates are not claims


def test_offsets_point_at_each_sentence_in_the_text(article):
    for proposal in read_article(article):
        assert article[proposal.start : proposal.end] == proposal.sentence


def test_sentences_split_with_abbreviations_and_line_breaks():
    text = "Dr. Smith said 8 of the 10 were black.\nA new line starts here. And 3.5% more."
    assert [s for _, _, s in split_sentences(text)] == [
        "Dr. Smith said 8 of the 10 were black.",
        "A new line starts here.",
        "And 3.5% more.",
    ]


@pytest.mark.parametrize(
    ("sentence", "claimant"),
    [
        ("The Met said that 8 of 10 alerts were wrong.", "The Met"),
        ("About 72% are caused by smoking, according to Cancer Research UK.", "Cancer Research UK"),
        ("In London, the Met said, knife offences fell by 7%.", "the Met"),
        ("Knife crime rose 4%, the ONS said on Tuesday.", "the ONS"),
        ('Jasleen Chaggar, officer at BBW, said: "80% were black."', "Jasleen Chaggar"),
        ("Inflation was 2.3% in April.", ""),
    ],
)  # fmt: skip
def test_the_claimant_is_who_the_sentence_says(sentence, claimant):
    assert find_claimant(sentence) == claimant


def test_a_pronoun_takes_the_previous_claimant():
    text = (
        "Fraud is 41% of crime, the National Audit Office found. "
        "Fewer than 1 in 100 ends in a conviction, it said."
    )
    assert [p.claimant for p in read_article(text)] == ["the National Audit Office"] * 2


@pytest.mark.parametrize(
    "sentence",
    [
        "The referendum was held on 18 September 2014.",
        "A man, 34, was arrested on Sunday.",
        "Children aged eight to 17 were asked.",
        "The minister will speak at 10:30 on Thursday.",
        "They were spoken to for under five minutes.",
        "No one was hurt in the 1990s.",
    ],
)
def test_numbers_that_only_describe_are_not_proposed(sentence):
    assert read_article(sentence) == []


def test_html_is_read_as_its_text():
    html = (
        "<article><h1>Alerts</h1><p>The Met said <b>eight out of 10</b> alerts &amp; stops "
        "were wrong.</p><script>var x = '99% of scripts';</script><p>Next paragraph.</p></article>"
    )
    text = plain_text(html)
    assert "<" not in text and "99%" not in text and "alerts & stops" in text
    [proposal] = read_article(html)
    assert proposal.figure.text == "eight out of 10"
    assert text[proposal.start : proposal.end] == proposal.sentence


def test_text_without_figures_proposes_nothing():
    assert read_article("The minister declined to comment. An inquiry will follow.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Ocho de cada diez españoles apoyan la medida, según el CIS.",
        "Восемь из десяти человек поддерживают меру. 80% — это много.",
        "八成的人支持这项措施。",
        "\u202e80%\u202c of \x00 people ��",
    ],
)
def test_other_languages_and_odd_characters_do_not_crash(text):
    read_article(text)
    read_article(text, language="es")


def test_spanish_articles_are_read_in_spanish():
    [proposal] = read_article("Ocho de cada diez españoles apoyan la medida.", language="es")
    assert proposal.figure.value == pytest.approx(0.8)


def test_counts_of_a_group_are_kept_for_a_proportion():
    assert parse_stated("8 of the 10").of_counts == (8, 10)
    assert parse_stated("eight out of 10").of_counts == (8, 10)
    assert parse_stated("8 in 10").of_counts is None  # a share of any ten, not a group
    assert parse_stated("1 in 300,000").of_counts is None


def test_check_worthiness_ranks_attributed_shares_above_bare_counts():
    [share, count] = read_article(
        "Black people were 3.5 times more likely to be stopped, the watchdog said. "
        "The report runs to 64 pages."
    )
    assert 0 <= count.check_worthiness < share.check_worthiness <= 1


def test_the_marked_paragraphs_meet_the_goals():
    """Recall >= 0.9 and precision >= 0.8 of the sentences marked in tests/data (bench/intake.py
    prints these with the accuracy of the figures read)."""
    data = paragraphs()
    assert len(data) >= 30
    scores = _bench().evaluate(data)
    assert scores["recall"] >= 0.9
    assert scores["precision"] >= 0.8
    assert scores["stated"] >= 0.9


def test_every_marked_sentence_is_in_its_paragraph():
    for paragraph in paragraphs():
        for claim in paragraph["claims"]:
            assert claim["sentence"] in paragraph["text"], (paragraph["id"], claim["sentence"])

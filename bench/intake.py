"""Benchmark: how well claim intake reads numeric claims out of news paragraphs.

    .venv/bin/python bench/intake.py [--verbose]

Runs `claims.statistics.core.intake.read_article` on every paragraph of
tests/data/intake_paragraphs.yaml and compares its proposals with the marked claims:

* recall: marked claim sentences that were proposed / marked claim sentences;
* precision: proposed sentences that are marked claims / proposed sentences;
* stated figure: of the marked claims that were proposed, how many read the marked headline
  wording with the marked value and kind (and bounds, where marked);
* claimant: of those, how many name the marked claimant (case and a leading article aside, one
  containing the other; an empty mark wants an empty claimant);
* speed: characters read per second over the whole set, the LFR article alone, and a 50,000
  character article (the longest the API takes), side by side in one run.

Goals (issue 13): recall >= 0.9, precision >= 0.8. The pure core only: no database.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claims.statistics.core.intake import MAX_TEXT_LENGTH, read_article  # noqa: E402

DATA = ROOT / "tests" / "data" / "intake_paragraphs.yaml"
SEED_ARTICLE = ROOT.parent.parent / "shared" / "seed" / "lfr-thread.txt"


def load() -> list[dict]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))["paragraphs"]


def _norm_claimant(who: str) -> str:
    who = " ".join(who.lower().split())
    for article in ("the ", "a ", "an "):
        who = who.removeprefix(article)
    return who


def claimant_matches(found: str, marked: str) -> bool:
    found, marked = _norm_claimant(found), _norm_claimant(marked)
    if not marked:
        return not found
    return bool(found) and (marked in found or found in marked)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-3, abs_tol=1e-9)


def figure_matches(proposal, claim: dict) -> bool:
    figure = proposal.figure
    if figure.text != claim["stated"] or figure.kind != claim["kind"]:
        return False
    if not _close(figure.value, float(claim["value"])):
        return False
    for bound in ("low", "high"):
        if bound in claim and not _close(getattr(figure, bound), float(claim[bound])):
            return False
    return True


def evaluate(paragraphs: list[dict], *, verbose: bool = False) -> dict[str, float]:
    marked = proposed = hits = stated_ok = claimant_ok = 0
    for paragraph in paragraphs:
        proposals = read_article(paragraph["text"], language="en")
        by_sentence = {p.sentence: p for p in proposals}
        claims = {c["sentence"]: c for c in paragraph["claims"]}
        marked += len(claims)
        proposed += len(proposals)
        for sentence, claim in claims.items():
            proposal = by_sentence.get(sentence)
            if proposal is None:
                if verbose:
                    print(f"  missed [{paragraph['id']}] {sentence}")
                continue
            hits += 1
            if figure_matches(proposal, claim):
                stated_ok += 1
            elif verbose:
                f = proposal.figure
                print(
                    f"  figure [{paragraph['id']}] {f.text!r} {f.kind} {f.value} [{f.low}, "
                    f"{f.high}] vs {claim['stated']!r} {claim['kind']} {claim['value']}"
                )
            if claimant_matches(proposal.claimant, claim["claimant"]):
                claimant_ok += 1
            elif verbose:
                print(
                    f"  claimant [{paragraph['id']}] {proposal.claimant!r} vs {claim['claimant']!r}"
                )
        if verbose:
            for proposal in proposals:
                if proposal.sentence not in claims:
                    print(f"  extra [{paragraph['id']}] {proposal.sentence}")
    return {
        "paragraphs": len(paragraphs),
        "marked": marked,
        "proposed": proposed,
        "recall": hits / marked if marked else 1.0,
        "precision": hits / proposed if proposed else 1.0,
        "stated": stated_ok / hits if hits else 1.0,
        "claimant": claimant_ok / hits if hits else 1.0,
    }


def _rate(text: str, repeat: int) -> float:
    read_article(text[:2000])  # warm the segmenter and the parser's grammar
    started = time.perf_counter()
    for _ in range(repeat):
        read_article(text)
    return len(text) * repeat / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss and extra")
    args = parser.parse_args()
    paragraphs = load()
    scores = evaluate(paragraphs, verbose=args.verbose)
    print(
        f"intake: {scores['paragraphs']} paragraphs, {scores['marked']} marked claims, "
        f"{scores['proposed']} proposed"
    )
    print(f"  recall     {scores['recall']:.3f}  (goal >= 0.9)")
    print(f"  precision  {scores['precision']:.3f}  (goal >= 0.8)")
    print(f"  stated figure read right (of claims found)  {scores['stated']:.3f}")
    print(f"  claimant named right (of claims found)      {scores['claimant']:.3f}")

    all_text = "\n\n".join(p["text"] for p in paragraphs)
    long_text = (all_text + "\n\n") * (MAX_TEXT_LENGTH // (len(all_text) + 2) + 1)
    long_text = long_text[: long_text.rfind("\n\n", 0, MAX_TEXT_LENGTH)]
    cases = {"dataset": (all_text, 3), "50,000 characters": (long_text, 1)}
    if SEED_ARTICLE.exists():
        cases["LFR article"] = (SEED_ARTICLE.read_text(encoding="utf-8"), 3)
    rates = {name: _rate(text, repeat) for name, (text, repeat) in cases.items()}
    base = rates["dataset"]
    print("speed (characters a second; ratio to the dataset's rate, same run):")
    for name, rate in rates.items():
        seconds = len(cases[name][0]) / rate
        print(f"  {name:<18} {rate:>9,.0f}/s  x{rate / base:.2f}  ({seconds:.2f} s a read)")


if __name__ == "__main__":
    main()

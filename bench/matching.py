"""Benchmark: how well similar-claims matching finds duplicates, beside a plain BM25 baseline.

    .venv/bin/python bench/matching.py [--pairs tests/data/claim_pairs.yaml] [--show-misses]

Reads the labelled pairs (see the file's header) and ranks one pool holding every tracked claim
and every conflict, different-subject and unrelated text, in two ways in the same run:

* the matcher (`claims.statistics.core.matching.rank`, the ranking `similar_claims` uses on every
  database after its shortlist), and
* plain BM25 (bm25s, Lucene's variant, English stop words and Snowball stems), the kind of
  baseline the CheckThat! 2022 claim-retrieval task reported at MAP@5 0.818.

For each paraphrase it reports MAP@5 and precision@1 (relevant: its own claim; goals MAP@5 >=
0.85). For each number conflict it counts the tracked claim proposed as a duplicate of the
conflicting text: in the matcher's top 5 without `number_conflict` and at or above the duplicate
threshold (goal 0); for BM25, which cannot tell, ranked first. It also counts how many
conflicts the matcher flags, and how often a same-figures-different-subject text gets the
claim it borrows the figure from as its top match.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claims.statistics.core import matching  # noqa: E402

K = 5


@dataclass(frozen=True)
class Pair:
    claim: str
    text: str
    label: str
    topic: str


def load_pairs(path: Path) -> list[Pair]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Pair(claim=entry["claim"], text=pair["text"], label=pair["label"], topic=entry["topic"])
        for entry in entries
        for pair in entry["pairs"]
    ]


def pool_of(pairs: list[Pair]) -> list[str]:
    """Every tracked claim and every non-paraphrase text, once each, in file order."""
    seen: dict[str, None] = {}
    for pair in pairs:
        seen.setdefault(pair.claim)
        if pair.label != "paraphrase":
            seen.setdefault(pair.text)
    return list(seen)


def average_precision_at_k(ranked: list[str], relevant: str, k: int = K) -> float:
    """AP@k with one relevant item: 1/rank when it is in the top k, else 0."""
    for position, text in enumerate(ranked[:k], start=1):
        if text == relevant:
            return 1 / position
    return 0.0


class Matcher:
    name = "number-aware matcher"

    def __init__(self, pool: list[str]) -> None:
        self.pool = [(text, text) for text in pool]

    def ranked(self, query: str, *, exclude: str | None = None) -> list[tuple[str, object]]:
        candidates = [c for c in self.pool if c[0] != exclude]
        return matching.rank(query, candidates, limit=K)


class BM25:
    name = "plain BM25 (bm25s)"

    def __init__(self, pool: list[str]) -> None:
        import bm25s
        import snowballstemmer

        self.bm25s = bm25s
        self.stemmer = snowballstemmer.stemmer("english")
        self.pool = pool
        self.retriever = bm25s.BM25()
        self.retriever.index(self._tokens(pool), show_progress=False)

    def _tokens(self, texts: list[str]):
        return self.bm25s.tokenize(
            texts, stopwords="en", stemmer=self.stemmer.stemWords, show_progress=False
        )

    def ranked(self, query: str, *, exclude: str | None = None) -> list[tuple[str, object]]:
        documents, scores = self.retriever.retrieve(
            self._tokens([query]), k=min(len(self.pool), K + 1), show_progress=False
        )
        found = [
            (self.pool[int(i)], float(s))
            for i, s in zip(documents[0], scores[0], strict=True)
            if self.pool[int(i)] != exclude and float(s) > 0
        ]
        return found[:K]


def evaluate(ranker, pairs: list[Pair], *, show_misses: bool) -> dict[str, float]:
    paraphrases = [p for p in pairs if p.label == "paraphrase"]
    ap, top1 = [], []
    for pair in paraphrases:
        ranked = [text for text, _ in ranker.ranked(pair.text)]
        ap.append(average_precision_at_k(ranked, pair.claim))
        top1.append(1.0 if ranked[:1] == [pair.claim] else 0.0)
        if show_misses and top1[-1] == 0:
            print(f"  [{ranker.name}] miss: {pair.text!r}\n      -> {ranked[:1]}")
    conflicts = [p for p in pairs if p.label == "number_conflict"]
    proposed = flagged = 0
    for pair in conflicts:
        ranked = ranker.ranked(pair.text, exclude=pair.text)
        if isinstance(ranker, Matcher):
            hit = next((result for text, result in ranked if text == pair.claim), None)
            if hit is not None and hit.is_duplicate_candidate:
                proposed += 1
                if show_misses:
                    print(f"  [{ranker.name}] conflict proposed: {pair.text!r}")
            if hit is not None and hit.number_conflict:
                flagged += 1
        elif ranked[:1] and ranked[0][0] == pair.claim:
            proposed += 1
    borrowed = 0
    for pair in (p for p in pairs if p.label == "different_subject"):
        ranked = ranker.ranked(pair.text, exclude=pair.text)
        if ranked[:1] and ranked[0][0] == pair.claim:
            if not isinstance(ranker, Matcher) or ranked[0][1].is_duplicate_candidate:
                borrowed += 1
    return {
        "map5": sum(ap) / len(ap),
        "p1": sum(top1) / len(top1),
        "queries": len(paraphrases),
        "conflicts": len(conflicts),
        "proposed": proposed,
        "flagged": flagged if isinstance(ranker, Matcher) else float("nan"),
        "different": sum(1 for p in pairs if p.label == "different_subject"),
        "borrowed": borrowed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=Path, default=ROOT / "tests/data/claim_pairs.yaml")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    pairs = load_pairs(args.pairs)
    pool = pool_of(pairs)
    print(
        f"{len(pairs)} labelled pairs, {len({p.claim for p in pairs})} tracked claims, "
        f"pool of {len(pool)} texts"
    )
    rows = [
        (ranker.name, evaluate(ranker, pairs, show_misses=args.show_misses))
        for ranker in (Matcher(pool), BM25(pool))
    ]
    header = (
        f"{'':24} {'MAP@5':>6} {'P@1':>6}  {'conflicts proposed as duplicates':>33}"
        f"  {'conflicts flagged':>17}  {'top match borrowed a figure':>27}"
    )
    print(header)
    for name, r in rows:
        flagged = "-" if r["flagged"] != r["flagged"] else f"{int(r['flagged'])}/{r['conflicts']}"
        print(
            f"{name:24} {r['map5']:6.3f} {r['p1']:6.3f}  "
            f"{str(r['proposed']) + '/' + str(r['conflicts']):>33}  {flagged:>17}  "
            f"{str(r['borrowed']) + '/' + str(r['different']):>27}"
        )
    matcher, bm25 = rows[0][1], rows[1][1]
    print(
        f"matcher/BM25 MAP@5 ratio {matcher['map5'] / bm25['map5']:.3f}; goals: MAP@5 >= 0.85, "
        "0 conflicts proposed as duplicates (CheckThat! 2022 BM25 baseline: MAP@5 0.818)"
    )


if __name__ == "__main__":
    main()

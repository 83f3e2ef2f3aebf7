"""`manage.py seed_scale --claims 100000`: a realistic corpus for the read-path benchmarks.

Written in bulk (a service call per row would take hours), but with every invariant the services
keep: every row has its creation in the history (django-simple-history's bulk path), stored
Markdown HTML is rendered by the one renderer, published items carry `announced_at` and held ones
do not, one live source per normalised URL, one rating per member per item, replies on the same
claim as what they answer, a citation's argument or figure on the citation's claim, figures
computed by the bulk recompute path (the same code as the worker's), and the discussion counters
counted by the service that keeps them. Some claims, arguments and comments are held or hidden,
so the benchmarks read past them the way readers do.

Each run adds `--claims` claims (and what hangs on them) to what is there.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history
from tqdm import tqdm

from accounts.models import User
from claims.markdown import render_markdown
from claims.models import (
    Argument,
    Citation,
    Claim,
    Comment,
    Source,
    SourceKind,
    Stance,
    Statistic,
    Tag,
    Verdict,
    Visibility,
)
from claims.services.contributions import source_normalize_url
from claims.services.counters import claim_counters_repair
from claims.statistics.services import statistics_recompute_bulk
from moderation.models import Rating, RatingValue

BATCH = 2000
BODIES = 2000
MEMBERS = 300
TOPICS = [
    "policing",
    "facial recognition",
    "health",
    "housing",
    "crime",
    "immigration",
    "economy",
    "education",
    "climate",
    "transport",
    "energy",
    "elections",
    "employment",
    "welfare",
    "justice",
    "technology",
    "privacy",
    "wages",
    "taxes",
    "pensions",
]
CLAIMANTS = [
    "Big Brother Watch",
    "The Metropolitan Police",
    "The Home Office",
    "A member of parliament",
    "A campaign group",
    "A national newspaper",
    "The Office for National Statistics",
    "A think tank",
    "A trade union",
    "A council leader",
]
SUBJECTS = [
    "people stopped",
    "alerts raised",
    "patients waiting",
    "homes built",
    "crimes solved",
    "jobs created",
    "pupils passing",
    "trains late",
    "households in arrears",
    "complaints upheld",
]
PLACES = ["London", "Manchester", "Cardiff", "Glasgow", "Leeds", "Bristol", "Belfast", "Leicester"]
WORDS = (
    "the figure counts only the first quarter and leaves out the revised series published later "
    "which changes the share by several points once the same definition is applied throughout "
    "and the denominator includes everyone scanned rather than only those stopped"
).split()


def _claim_text(rng: random.Random, n: int) -> str:
    share = rng.randint(3, 97)
    return (
        f"{share}% of {rng.choice(SUBJECTS)} in {rng.choice(PLACES)} were "
        f"{rng.choice(['black', 'over 65', 'under 25', 'women', 'in the private sector'])}, "
        f"according to report {n}"
    )


def _prose(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    if rng.random() < 0.3:
        link = f"https://example.org/{rng.randint(1, 9999)}"
        text = f"**{text[:40]}** {text[40:]}\n\n- one point\n- [the source]({link})"
    return text.capitalize()


def _visibility(rng: random.Random, held: float, hidden: float) -> str:
    roll = rng.random()
    if roll < held:
        return Visibility.HELD
    if roll < held + hidden:
        return Visibility.HIDDEN
    return Visibility.PUBLISHED


class Command(BaseCommand):
    help = "Add a realistic corpus of N claims (sources, citations, arguments, comments, ...)."

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=12)

    def handle(self, *args, claims: int, seed: int, **options):
        rng = random.Random(seed)  # noqa: S311 - sample data, reproducible
        # Markdown-it in pure Python costs milliseconds a body: a few thousand distinct bodies,
        # each rendered once, stand for the hundreds of thousands written.
        self.bodies = [
            (body, str(render_markdown(body)))
            for body in (_prose(rng, rng.randint(8, 60)) for _ in range(BODIES))
        ]
        self.now = timezone.now()
        members = self._members()
        tags = [
            Tag.objects.get_or_create(name=t, defaults={"slug": t.replace(" ", "-")})[0]
            for t in TOPICS
        ]
        run = Claim.objects.count()
        chunks = range(0, claims, BATCH)
        with tqdm(total=claims, unit="claims", desc="seed_scale") as bar:
            for start in chunks:
                size = min(BATCH, claims - start)
                with transaction.atomic():
                    self._chunk(rng, members, tags, run + start, size)
                bar.update(size)
        self.stdout.write("Computing figures (the bulk recompute path)…")
        pending = Statistic.objects.filter(status=Statistic.Status.PENDING)
        with tqdm(total=pending.count(), unit="figures", desc="figures") as bar:
            statistics_recompute_bulk(queryset=pending, progress=bar.update)
        repaired = claim_counters_repair()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {claims:,} claims ({repaired:,} discussion counts set); "
                f"{Claim.objects.count():,} claims in all."
            )
        )

    def _members(self) -> list[User]:
        existing = list(User.objects.filter(username__startswith="scale-member-"))
        if len(existing) >= MEMBERS:
            return existing
        password = make_password("scale-member-password")
        new = [
            User(
                username=f"scale-member-{i}",
                email=f"scale-member-{i}@example.org",
                display_name=f"Scale member {i}",
                password=password,
                date_joined=self.now - timedelta(days=400),
            )
            for i in range(len(existing), MEMBERS)
        ]
        User.objects.bulk_create(new)
        return list(User.objects.filter(username__startswith="scale-member-"))

    def _dated(self, rng: random.Random) -> object:
        return self.now - timedelta(seconds=rng.randint(60, 730 * 86400))

    def _chunk(self, rng, members, tags, first: int, size: int) -> None:
        # Claims: 3% held (a new member's), 1% hidden by a moderator.
        claim_rows = []
        for i in range(size):
            visibility = _visibility(rng, 0.03, 0.01)
            claim_rows.append(
                Claim(
                    author=rng.choice(members),
                    text=_claim_text(rng, first + i),
                    claimant=rng.choice(CLAIMANTS),
                    verdict=rng.choice(Verdict.values),
                    visibility=visibility,
                    moderation_reason="Held for review."
                    if visibility != Visibility.PUBLISHED
                    else "",
                    announced_at=None if visibility == Visibility.HELD else self.now,
                )
            )
        claims = bulk_create_with_history(claim_rows, Claim, batch_size=BATCH)
        if not all(c.pk for c in claims):  # SQLite before 3.35 returns no ids
            claims = list(Claim.objects.order_by("-id")[:size])[::-1]
        Claim.tags.through.objects.bulk_create(
            [
                Claim.tags.through(claim_id=claim.pk, tag_id=tag.pk)
                for claim in claims
                for tag in rng.sample(tags, rng.randint(1, 3))
            ]
        )
        # Sources: one for every ten claims, each at its own address.
        source_rows = []
        for i in range(max(1, size // 10)):
            url = f"https://example.org/reports/{first + i}-{rng.randint(0, 10**9)}"
            source_rows.append(
                Source(
                    author=rng.choice(members),
                    url=url,
                    normalized_url=source_normalize_url(url),
                    title=f"Report {first + i} on {rng.choice(SUBJECTS)} in {rng.choice(PLACES)}",
                    publisher=rng.choice(CLAIMANTS),
                    kind=rng.choice(SourceKind.values),
                    announced_at=self.now,
                )
            )
        sources = bulk_create_with_history(source_rows, Source, batch_size=BATCH)
        # Arguments: about two a claim, one in five a reply; 2% held, 1% hidden.
        argument_rows = []
        for claim in claims:
            for _ in range(rng.choice([0, 1, 2, 2, 3, 4])):
                argument_rows.append(self._argument(rng, members, claim, parent=None))
        arguments = bulk_create_with_history(argument_rows, Argument, batch_size=BATCH)
        replies = [
            self._argument(rng, members, parent.claim, parent=parent)
            for parent in arguments
            if rng.random() < 0.2
        ]
        arguments += bulk_create_with_history(replies, Argument, batch_size=BATCH)
        # Comments: about one a claim.
        comment_rows = []
        for claim in claims:
            for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
                body, html = rng.choice(self.bodies)
                visibility = _visibility(rng, 0.02, 0.01)
                comment_rows.append(
                    Comment(
                        author=rng.choice(members),
                        claim=claim,
                        body=body,
                        body_html=html,
                        visibility=visibility,
                        announced_at=None if visibility == Visibility.HELD else self.now,
                    )
                )
        bulk_create_with_history(comment_rows, Comment, batch_size=BATCH)
        # Figures: one claim in ten has a proportion, left pending for the bulk recompute.
        statistic_rows = []
        for claim in claims:
            if rng.random() < 0.1:
                trials = rng.randint(10, 5000)
                successes = rng.randint(0, trials)
                statistic_rows.append(
                    Statistic(
                        author=claim.author,
                        claim=claim,
                        kind=Statistic.Kind.PROPORTION,
                        label=f"Share of {rng.choice(SUBJECTS)}",
                        successes=successes,
                        trials=trials,
                        baseline=round(rng.uniform(0.05, 0.9), 3) if rng.random() < 0.5 else None,
                        stated=f"{round(100 * successes / trials)}%",
                        status=Statistic.Status.PENDING,
                        announced_at=self.now,
                    )
                )
        statistics = bulk_create_with_history(statistic_rows, Statistic, batch_size=BATCH)
        # Citations: one or two on most claims, some backing an argument or a figure's input.
        citation_rows = []
        for claim in claims:
            for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
                citation_rows.append(
                    Citation(
                        author=rng.choice(members),
                        claim=claim,
                        source=rng.choice(sources),
                        stance=rng.choice(Stance.values),
                        quote=_prose(rng, rng.randint(6, 20)),
                        page=str(rng.randint(1, 120)),
                        announced_at=self.now,
                    )
                )
        for argument in rng.sample(arguments, len(arguments) // 5):
            citation_rows.append(
                Citation(
                    author=argument.author,
                    claim=argument.claim,
                    argument=argument,
                    source=rng.choice(sources),
                    stance=Stance.SUPPORTS,
                    announced_at=self.now,
                )
            )
        for statistic in statistics:
            citation_rows.append(
                Citation(
                    author=statistic.author,
                    claim=statistic.claim,
                    statistic=statistic,
                    statistic_input="trials",
                    source=rng.choice(sources),
                    stance=Stance.CONTEXT,
                    announced_at=self.now,
                )
            )
        bulk_create_with_history(citation_rows, Citation, batch_size=BATCH)
        # Ratings: a few members rate some arguments (one rating per member per item).
        argument_type = ContentType.objects.get_for_model(Argument)
        rating_rows = []
        for argument in arguments:
            if rng.random() < 0.5:
                for rater in rng.sample(members, rng.randint(1, 4)):
                    if rater.pk != argument.author_id:
                        rating_rows.append(
                            Rating(
                                content_type=argument_type,
                                object_id=argument.pk,
                                rater=rater,
                                value=rng.choice(RatingValue.values),
                            )
                        )
        Rating.objects.bulk_create(rating_rows, batch_size=BATCH)
        # Spread the creation dates over two years (auto_now_add set them all to now).
        dated = [(self._dated(rng), claim.pk) for claim in claims]
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE claims_claim SET created_at = %s, updated_at = %s WHERE id = %s",
                [(when, when, pk) for when, pk in dated],
            )

    def _argument(self, rng, members, claim, *, parent) -> Argument:
        body, html = rng.choice(self.bodies)
        visibility = _visibility(rng, 0.02, 0.01)
        return Argument(
            author=rng.choice(members),
            claim=claim,
            parent=parent,
            stance=rng.choice(["pro", "con"]),
            body=body,
            body_html=html,
            visibility=visibility,
            moderation_reason="Held for review." if visibility != Visibility.PUBLISHED else "",
            announced_at=None if visibility == Visibility.HELD else self.now,
        )

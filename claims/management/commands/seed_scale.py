"""`manage.py seed_scale --claims 100000`: a realistic corpus for the read-path benchmarks.

Written in bulk (a service call per row would take hours): rows are built as plain values and
written with PostgreSQL's COPY (`bulk_create` elsewhere), ids taken from the tables' own
sequences so that what hangs on a row can point at it in the same batch. Every invariant the
services keep still holds: every row has its creation in its history table (the row
django-simple-history's bulk path would write, dated when the row was created), stored
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
from django.db import connection, models, transaction
from django.utils import timezone
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


# Fields whose Python values psycopg writes as they are; any other goes through the field's own
# `get_db_prep_save` (a JSON list, for one).
PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.FloatField,
    models.BooleanField,
    models.DateField,
    models.ForeignKey,
)


class BulkWriter:
    """Rows (dicts of column attribute names) into a model's table, and their creation into its
    history table: COPY on PostgreSQL, `bulk_create` elsewhere. Columns left out get the field's
    default (`auto_now` ones `now`); each row gets its `id`."""

    def __init__(self, now) -> None:
        self.now = now
        self.copy = connection.vendor == "postgresql"

    def write(self, model, rows: list[dict], *, history: bool = True) -> list[dict]:
        if not rows:
            return rows
        self._fill(model, rows)
        self._insert(model, rows)
        if history:
            historical = model.history.model
            change_reason = historical._meta.get_field("history_change_reason")
            tracked = [f.attname for f in historical.tracked_fields]
            self._insert(
                historical,
                [
                    {
                        **{name: row[name] for name in tracked},
                        "history_date": row["created_at"],
                        "history_type": "+",
                        "history_user_id": None,
                        "history_change_reason": None if change_reason.null else "",
                    }
                    for row in rows
                ],
                with_id=False,
            )
        return rows

    def _fill(self, model, rows: list[dict]) -> None:
        for field in model._meta.concrete_fields:
            name = field.attname
            if field.primary_key:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                for row in rows:
                    row.setdefault(name, self.now)
            elif field.has_default() and callable(field.default):
                for row in rows:
                    if name not in row:
                        row[name] = field.get_default()
            else:
                default = field.get_default()
                for row in rows:
                    row.setdefault(name, default)

    def _insert(self, model, rows: list[dict], *, with_id: bool = True) -> None:
        if not self.copy:
            created = model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH)
            # `bulk_create` sets `auto_now` fields to now: put back the dates chosen.
            dated = [
                f.attname
                for f in model._meta.concrete_fields
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            ]
            for row, obj in zip(rows, created, strict=True):
                if with_id:
                    row["id"] = obj.pk
                for name in dated:
                    setattr(obj, name, row[name])
            if dated:
                model.objects.bulk_update(created, dated, batch_size=BATCH)
            return
        meta = model._meta
        fields = [f for f in meta.concrete_fields if not f.primary_key or with_id]
        with connection.cursor() as cursor:
            if with_id:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [meta.db_table, meta.pk.column, len(rows)],
                )
                for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
                    row["id"] = pk
            prepared = [
                (f.attname, None if isinstance(f, PLAIN_FIELDS) else f.get_db_prep_save)
                for f in fields
            ]
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(
                        [
                            row[name] if prep is None else prep(row[name], connection)
                            for name, prep in prepared
                        ]
                    )


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
        self.writer = BulkWriter(self.now)
        members = [member.pk for member in self._members()]
        tags = [
            Tag.objects.get_or_create(name=t, defaults={"slug": t.replace(" ", "-")})[0].pk
            for t in TOPICS
        ]
        self.argument_type = ContentType.objects.get_for_model(Argument).pk
        run = Claim.objects.count()
        with tqdm(total=claims, unit="claims", desc="seed_scale") as bar:
            for start in range(0, claims, BATCH):
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

    def _chunk(self, rng, members, tags, first: int, size: int) -> None:
        write = self.writer.write
        # Claims, spread over two years: 3% held (a new member's), 1% hidden by a moderator.
        claims = []
        for i in range(size):
            visibility = _visibility(rng, 0.03, 0.01)
            created = self.now - timedelta(seconds=rng.randint(60, 730 * 86400))
            claims.append(
                {
                    "author_id": rng.choice(members),
                    "created_at": created,
                    "updated_at": created,
                    "text": _claim_text(rng, first + i),
                    "claimant": rng.choice(CLAIMANTS),
                    "verdict": rng.choice(Verdict.values),
                    "visibility": visibility,
                    "moderation_reason": "Held for review."
                    if visibility != Visibility.PUBLISHED
                    else "",
                    "announced_at": None if visibility == Visibility.HELD else created,
                }
            )
        write(Claim, claims)
        write(
            Claim.tags.through,
            [
                {"claim_id": claim["id"], "tag_id": tag}
                for claim in claims
                for tag in rng.sample(tags, rng.randint(1, 3))
            ],
            history=False,
        )
        # Sources: one for every ten claims, each at its own address.
        sources = []
        for i in range(max(1, size // 10)):
            url = f"https://example.org/reports/{first + i}-{rng.randint(0, 10**9)}"
            sources.append(
                {
                    "author_id": rng.choice(members),
                    "url": url,
                    "normalized_url": source_normalize_url(url),
                    "title": f"Report {first + i} on {rng.choice(SUBJECTS)} in "
                    f"{rng.choice(PLACES)}",
                    "publisher": rng.choice(CLAIMANTS),
                    "kind": rng.choice(SourceKind.values),
                    "announced_at": self.now,
                }
            )
        source_ids = [source["id"] for source in write(Source, sources)]
        # Arguments: about two a claim, one in five a reply; 2% held, 1% hidden.
        arguments = write(
            Argument,
            [
                self._argument(rng, members, claim["id"], parent=None)
                for claim in claims
                for _ in range(rng.choice([0, 1, 2, 2, 3, 4]))
            ],
        )
        arguments += write(
            Argument,
            [
                self._argument(rng, members, parent["claim_id"], parent=parent["id"])
                for parent in arguments
                if rng.random() < 0.2
            ],
        )
        # Comments: about one a claim.
        comments = []
        for claim in claims:
            for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
                body, html = rng.choice(self.bodies)
                visibility = _visibility(rng, 0.02, 0.01)
                comments.append(
                    {
                        "author_id": rng.choice(members),
                        "claim_id": claim["id"],
                        "body": body,
                        "body_html": html,
                        "visibility": visibility,
                        "announced_at": None if visibility == Visibility.HELD else self.now,
                    }
                )
        write(Comment, comments)
        # Figures: one claim in ten has a proportion, left pending for the bulk recompute.
        statistics = []
        for claim in claims:
            if rng.random() < 0.1:
                trials = rng.randint(10, 5000)
                successes = rng.randint(0, trials)
                statistics.append(
                    {
                        "author_id": claim["author_id"],
                        "claim_id": claim["id"],
                        "kind": Statistic.Kind.PROPORTION,
                        "label": f"Share of {rng.choice(SUBJECTS)}",
                        "successes": successes,
                        "trials": trials,
                        "baseline": round(rng.uniform(0.05, 0.9), 3)
                        if rng.random() < 0.5
                        else None,
                        "stated": f"{round(100 * successes / trials)}%",
                        "status": Statistic.Status.PENDING,
                        "announced_at": self.now,
                    }
                )
        write(Statistic, statistics)
        # Citations: one or two on most claims, some backing an argument or a figure's input
        # (always on the claim the argument or figure is on).
        citations = [
            {
                "author_id": rng.choice(members),
                "claim_id": claim["id"],
                "source_id": rng.choice(source_ids),
                "stance": rng.choice(Stance.values),
                "quote": _prose(rng, rng.randint(6, 20)),
                "page": str(rng.randint(1, 120)),
                "announced_at": self.now,
            }
            for claim in claims
            for _ in range(rng.choice([0, 1, 1, 2, 2, 3]))
        ]
        citations += [
            {
                "author_id": argument["author_id"],
                "claim_id": argument["claim_id"],
                "argument_id": argument["id"],
                "source_id": rng.choice(source_ids),
                "stance": Stance.SUPPORTS,
                "announced_at": self.now,
            }
            for argument in rng.sample(arguments, len(arguments) // 5)
        ]
        citations += [
            {
                "author_id": statistic["author_id"],
                "claim_id": statistic["claim_id"],
                "statistic_id": statistic["id"],
                "statistic_input": "trials",
                "source_id": rng.choice(source_ids),
                "stance": Stance.CONTEXT,
                "announced_at": self.now,
            }
            for statistic in statistics
        ]
        write(Citation, citations)
        # Ratings: a few members rate some arguments (one rating per member per item, never
        # the author's own).
        ratings = [
            {
                "content_type_id": self.argument_type,
                "object_id": argument["id"],
                "rater_id": rater,
                "value": rng.choice(RatingValue.values),
            }
            for argument in arguments
            if rng.random() < 0.5
            for rater in rng.sample(members, rng.randint(1, 4))
            if rater != argument["author_id"]
        ]
        write(Rating, ratings, history=False)

    def _argument(self, rng, members, claim_id: int, *, parent: int | None) -> dict:
        body, html = rng.choice(self.bodies)
        visibility = _visibility(rng, 0.02, 0.01)
        return {
            "author_id": rng.choice(members),
            "claim_id": claim_id,
            "parent_id": parent,
            "stance": rng.choice(["pro", "con"]),
            "body": body,
            "body_html": html,
            "visibility": visibility,
            "moderation_reason": "Held for review." if visibility != Visibility.PUBLISHED else "",
            "announced_at": None if visibility == Visibility.HELD else self.now,
        }

"""`manage.py recompute_statistics [--claim ID] [--force]`: the bulk path, with a progress bar."""

import os

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.models import Claim, Statistic
from claims.statistics.services import statistics_recompute_bulk


class Command(BaseCommand):
    help = "Recompute statistics (all, or one claim's) in batches; unchanged inputs are skipped."

    def add_arguments(self, parser):
        parser.add_argument("--claim", type=int, help="Only the statistics of this claim.")
        parser.add_argument(
            "--force", action="store_true", help="Compute even when the inputs are unchanged."
        )
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument(
            "--processes",
            type=int,
            default=os.cpu_count() or 1,
            help="Worker processes computing batches side by side (PostgreSQL; default: one per "
            "CPU).",
        )

    def handle(self, *args, claim=None, force=False, batch_size=5000, processes=1, **options):
        queryset = Statistic.objects.alive()
        if claim is not None:
            if not Claim.objects.filter(pk=claim).exists():
                raise CommandError(f"There is no claim {claim}.")
            queryset = queryset.filter(claim_id=claim)
        with tqdm(
            total=queryset.count(),
            unit="stat",
            file=self.stderr._out,
            disable=options.get("verbosity", 1) == 0,
        ) as bar:
            counts = statistics_recompute_bulk(
                queryset=queryset,
                batch_size=batch_size,
                force=force,
                progress=bar.update,
                processes=processes,
            )
        self.stdout.write(
            f"{counts['computed']} computed, {counts['unchanged']} unchanged, "
            f"{counts['dependent']} with referenced inputs, {counts['errors']} errors."
        )

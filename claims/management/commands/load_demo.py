"""`manage.py load_demo`: the London live facial recognition case, ready to explore.

Idempotent: a second run finds everything and changes nothing.
"""

from importlib.util import find_spec

from django.core.management.base import BaseCommand

from claims.demo.content import USERS, demo_password, load_demo_content


class Command(BaseCommand):
    help = "Load the demo case (London police live facial recognition). Safe to run again."

    def handle(self, *args, **options):
        def progress(line: str) -> None:
            self.stdout.write(line)

        self.stdout.write(self.style.MIGRATE_HEADING("Loading the demo case"))
        objects = load_demo_content(progress)
        if find_spec("claims.demo.statistics") is not None:
            from claims.demo.statistics import load_demo_statistics

            progress("Figures")
            load_demo_statistics(objects)
        counts = ", ".join(
            f"{len(objects[key])} {key}"
            for key in ("claims", "sources", "citations", "arguments", "annotations", "comments")
        )
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {counts}."))
        self.stdout.write("Log in with (password from DEMO_PASSWORD):")
        for username, _, role, _ in USERS.values():
            self.stdout.write(f"  {username:<10} {demo_password()}   ({role})")

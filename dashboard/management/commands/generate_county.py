"""Fill the database with a synthetic county (bench/county.py) for benchmarks and demonstrations."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.county import FULL_SIZE, CountyRefused, Sizes, generate_county


class Command(BaseCommand):
    help = (
        "Generate a synthetic county: children, cases, plans, referrals, concerns, tool runs, conferences and "
        "chronology entries in the proportions of docs/domain.md (150,000 children make 25,000 cases and 1,000,000 entries), "
        "with five years of history. Everyone in it is invented."
    )

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=15_000, help=f"Children in the county (default 15,000; the design size is {FULL_SIZE:,}).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed: the same seed on an empty database makes the same county.")
        parser.add_argument("--years", type=int, default=5, help="Years of history up to today (at least 3, so past quarters have figures).")
        parser.add_argument("--append", action="store_true", help="Add a county to a database that already has cases.")
        parser.add_argument("--force", action="store_true", help="Allow generating when DEBUG is off.")

    def handle(self, *args, children, seed, years, append, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("generate_county fills the database with invented children; run it with DEBUG=true or --force.")
        if children < 100:
            raise CommandError("--children must be at least 100.")
        if years < 3:
            raise CommandError("--years must be at least 3 (the dashboard's trend needs 8 past quarters, with plans started before them).")
        sizes = Sizes.for_children(children)
        self.stdout.write(
            f"Generating {sizes.children:,} children, {sizes.cases:,} cases, {sizes.plans:,} plans, {sizes.referrals:,} referrals, "
            f"{sizes.concerns:,} concerns, {sizes.conferences:,} conferences, {sizes.chronology:,} chronology entries..."
        )
        started = time.monotonic()
        try:
            made = generate_county(children=children, seed=seed, years=years, append=append, log=lambda line: self.stdout.write(f"  {line}"))
        except CountyRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.0f} s:"))
        for table, count in made.items():
            self.stdout.write(f"  {table:<32} {count:>10,}")

"""Shared by the insights commands: run one job and say what it did."""

import time

from django.core.management.base import BaseCommand


class JobCommand(BaseCommand):
    noun = "rows"

    def report(self, job, **kwargs) -> None:
        started = time.perf_counter()
        count = job(**kwargs)
        self.stdout.write(self.style.SUCCESS(f"{count} {self.noun} in {time.perf_counter() - started:.1f} s"))

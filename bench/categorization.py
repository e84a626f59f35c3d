"""Categorisation benchmark: accuracy on held-out data as a user corrects more, and time per transaction.

    python bench/categorization.py [--users 20] [--history 1500] [--held-out 500] [--seed 7]

Each synthetic user has a realistic history: well-known merchants (some filed the user's own way,
e.g. Costco as shopping), local merchants no keyword knows, and noisy bank descriptions
(prefixes, store numbers, cities, dates). The model learns from the first N transactions as if the
user had categorised or corrected each; accuracy is measured on the user's last transactions,
which it never saw. Pure core only (no database), the same code the services call.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from finance.categorization import Categorizer, NaiveBayes  # noqa: E402
from finance.demo.synthetic import MERCHANTS, SUBSCRIPTIONS, UTILITIES, noisy_description  # noqa: E402

SLUGS = ["groceries", "dining", "transport", "housing", "utilities", "entertainment", "shopping", "health",
         "personal_care", "travel", "subscriptions", "education", "insurance", "fees", "gifts", "cash", "income",
         "transfer", "other"]  # fmt: skip
SYSTEM_IDS = {slug: number for number, slug in enumerate(SLUGS, start=1)}
LOCAL_MERCHANTS = [
    ("MARIOS DELI", "dining"), ("CORNER BODEGA", "groceries"), ("SUNRISE YOGA STUDIO", "health"),
    ("GREENLEAF FARMSTAND", "groceries"), ("KIM'S DRY CLEANING", "personal_care"), ("PARKWAY GARAGE", "transport"),
    ("THE BOOK NOOK", "education"), ("HOLLOW TREE TAVERN", "dining"), ("BRIGHTSIDE DENTAL", "health"),
    ("RIVERSIDE LAUNDROMAT", "personal_care"), ("LUCKY NAIL SPA", "personal_care"), ("ACE HARDWARE", "housing"),
    ("PAWS & CLAWS PET", "shopping"), ("METRO CYCLE REPAIR", "transport"), ("OAKWOOD BUTCHER", "groceries"),
]  # fmt: skip
# A person's own way of filing well-known merchants, unlike the built-in keywords.
QUIRKS = [("COSTCO WHSE", "shopping"), ("UBER *TRIP", "travel"), ("AMAZON.COM*MK3", "groceries"),
          ("TARGET", "groceries"), ("STARBUCKS", "entertainment"), ("SHELL OIL", "travel")]  # fmt: skip


def user_merchants(rng: random.Random) -> list[tuple[str, str, float]]:
    """(merchant, the user's category, how often) for one person."""
    known = [(name, slug) for slug, entries in MERCHANTS.items() for name, _, _ in entries]
    known += [(name, "subscriptions") for name, _ in SUBSCRIPTIONS] + [(name, "utilities") for name, _, _ in UTILITIES]
    chosen = rng.sample(known, 22) + rng.sample(LOCAL_MERCHANTS, 8)
    quirks = dict(rng.sample(QUIRKS, 3))
    return [(name, quirks.get(name, slug), rng.paretovariate(1.2)) for name, slug in chosen]


def history(rng: random.Random, size: int) -> list[tuple[str, str, str]]:
    merchants = user_merchants(rng)
    weights = [weight for _, _, weight in merchants]
    picks = rng.choices(merchants, weights=weights, k=size)
    return [(name, noisy_description(rng, name), slug) for name, slug, _ in picks]


def accuracy(categorizer: Categorizer, lines) -> float:
    right = sum(
        categorizer.categorize(merchant=merchant, description=text).category_id == SYSTEM_IDS[slug]
        for merchant, text, slug in lines
    )
    return right / len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--history", type=int, default=1500)
    parser.add_argument("--held-out", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    steps = [n for n in (0, 5, 10, 25, 50, 100, 200, 400, 1000) if n <= args.history - args.held_out]
    curve: dict[int, list[float]] = {n: [] for n in steps}
    categorize_times: list[float] = []
    learn_times: list[float] = []
    for user in range(args.users):
        rng = random.Random(f"{args.seed}:{user}")
        lines = history(rng, args.history)
        training, held_out = lines[: -args.held_out], lines[-args.held_out :]
        model, taught = NaiveBayes(), 0
        for n in steps:
            for merchant, text, slug in training[taught:n]:
                started = time.perf_counter()
                model.learn(merchant=merchant, description=text, category=str(SYSTEM_IDS[slug]))
                learn_times.append(time.perf_counter() - started)
            taught = n
            categorizer = Categorizer(rules=[], model=model if n else None, system_ids=SYSTEM_IDS)
            curve[n].append(accuracy(categorizer, held_out))
        for merchant, text, _ in held_out:
            started = time.perf_counter()
            categorizer.categorize(merchant=merchant, description=text)
            categorize_times.append(time.perf_counter() - started)

    print(f"Categorisation accuracy on held-out data ({args.users} users, last {args.held_out} transactions each)")
    print(f"{'corrections':>12} {'mean accuracy':>14} {'min':>6} {'max':>6}")
    for n in steps:
        label = f"{n}" + (" (keywords only)" if n == 0 else "")
        print(f"{label:>12} {statistics.mean(curve[n]):>14.1%} {min(curve[n]):>6.1%} {max(curve[n]):>6.1%}")
    for name, times in (("categorise", categorize_times), ("learn one", learn_times)):
        ordered = sorted(times)
        p50, p95 = ordered[len(ordered) // 2], ordered[int(len(ordered) * 0.95)]
        print(f"{name:>12}: p50 {p50 * 1e6:.1f} µs, p95 {p95 * 1e6:.1f} µs per transaction ({len(ordered)} calls)")


if __name__ == "__main__":
    main()

"""Categorisation benchmark: accuracy on held-out bank lines as a person labels more, and time per transaction.

    python bench/categorization.py [--repeats 5] [--seed 7]
    python bench/categorization.py --dev      # choose settings by cross-validation on training rows only

The data set is bench/data/bank_lines_generated.csv (bench/data/bank_lines_generate.py) and
bench/data/bank_lines_handwritten.csv (typed by hand): statement lines of US, UK, German, Dutch,
Indonesian and French banks with the category a person would choose. Three held-out figures:

- rows: a random 30% of all lines is held out; the person labels N of the other lines;
- merchants: 30% of the merchants (every line of them) is held out, so no test merchant was labelled;
- hand-written: the model learns from N generated lines and is tested on the hand-typed lines,
  text unlike the generator's templates and mostly other merchants.

Each is measured for the full categoriser (the labels remembered per merchant, then the model when
confident, then the built-in keywords) and for a plain multinomial naive Bayes over words, the
baseline. Pure core only (no database): the same code the services call.
"""

import argparse
import csv
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from sklearn.feature_extraction.text import CountVectorizer  # noqa: E402
from sklearn.naive_bayes import MultinomialNB  # noqa: E402

from finance.categorization import linear  # noqa: E402
from finance.categorization.core import Categorizer, Learned  # noqa: E402
from finance.categorization.memory import merchant_key  # noqa: E402
from finance.categorization.training import Labelled, memory_build, model_fit  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
SLUGS = ["groceries", "dining", "transport", "housing", "utilities", "entertainment", "shopping", "health",
         "personal_care", "travel", "subscriptions", "education", "insurance", "fees", "gifts", "cash", "income",
         "transfer", "other"]  # fmt: skip
SYSTEM_IDS = {slug: number for number, slug in enumerate(SLUGS, start=1)}
STEPS = (50, 100, 300, 1000)
KINDS = {"debit": "expense", "credit": "income"}


def load(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    for row in rows:
        kind = KINDS[row["direction"]]
        if row["category"] == "transfer":
            kind = "transfer"  # banks do not say; Spendwise knows its own transfers
        row["line"] = Labelled(
            row["merchant"], row["description"], kind, Decimal(row["amount"]), str(SYSTEM_IDS[row["category"]])
        )
    return rows


def categorizer_for(lines: list[Labelled]) -> Categorizer:
    learned = Learned(memory=memory_build(lines), model=model_fit(lines)) if lines else None
    return Categorizer(rules=[], system_ids=SYSTEM_IDS, learned=learned)


def key_of(line: Labelled) -> str:
    return merchant_key(merchant=line.merchant, description=line.description, kind=line.kind)


def accuracy(categorizer: Categorizer, lines: list[Labelled]) -> float:
    right = sum(
        str(
            categorizer.categorize(
                merchant=x.merchant, description=x.description, kind=x.kind, amount=x.amount
            ).category_id
        )
        == x.label
        for x in lines
    )
    return right / len(lines)


def naive_bayes_accuracy(training: list[Labelled], test: list[Labelled]) -> float:
    words = CountVectorizer(token_pattern=r"(?u)\b[^\W\d_]{2,}\b")
    matrix = words.fit_transform([f"{x.merchant} {x.description}" for x in training])
    model = MultinomialNB(alpha=0.5).fit(matrix, [x.label for x in training])
    predicted = model.predict(words.transform([f"{x.merchant} {x.description}" for x in test]))
    return sum(p == x.label for p, x in zip(predicted, test, strict=True)) / len(test)


def split_rows(rows, rng):
    shuffled = rows[:]
    rng.shuffle(shuffled)
    cut = int(len(shuffled) * 0.3)
    return shuffled[cut:], shuffled[:cut]


def split_merchants(rows, rng):
    merchants = sorted({row["merchant_key"] for row in rows})
    held = set(rng.sample(merchants, int(len(merchants) * 0.3)))
    training = [row for row in rows if row["merchant_key"] not in held]
    rng.shuffle(training)
    return training, [row for row in rows if row["merchant_key"] in held]


def split_handwritten(rows, rng):
    training = [row for row in rows if row["origin"] == "generated"]
    rng.shuffle(training)
    return training, [row for row in rows if row["origin"] == "handwritten"]


SPLITS = {"rows": split_rows, "merchants": split_merchants, "hand-written": split_handwritten}


def curve(rows, repeats: int, seed: int) -> None:
    print(f"Accuracy on held-out lines ({len(rows)} lines, mean of {repeats} splits; min-max in brackets)")
    print(
        "labelled merchant: the categoriser on the held-out lines of merchants among the labelled lines (share of lines)"
    )
    header = f"{'held out':>13} {'labelled':>8} {'categoriser':>20} {'naive Bayes':>20} {'labelled merchant':>24} {'new merchant':>13}"
    print(header)
    for name, split in SPLITS.items():
        for n in STEPS:
            ours, baseline, seen, unseen, share = [], [], [], [], []
            for repeat in range(repeats):
                training, test = split(rows, random.Random(f"{seed}:{name}:{repeat}"))
                if n > len(training):
                    break
                taught, held = [r["line"] for r in training[:n]], [r["line"] for r in test]
                categorizer = categorizer_for(taught)
                ours.append(accuracy(categorizer, held))
                baseline.append(naive_bayes_accuracy(taught, held))
                known = {r["merchant_key"] for r in training[:n]}
                old = [r["line"] for r in test if r["merchant_key"] in known]
                new = [r["line"] for r in test if r["merchant_key"] not in known]
                share.append(len(old) / len(held))
                if old:
                    seen.append(accuracy(categorizer, old))
                if new:
                    unseen.append(accuracy(categorizer, new))
            if ours:
                old_part = f"{statistics.mean(seen):.1%} ({statistics.mean(share):.0%})" if seen else "-"
                new_part = f"{statistics.mean(unseen):.1%}" if unseen else "-"
                print(f"{name:>13} {n:>8} {show(ours):>20} {show(baseline):>20} {old_part:>24} {new_part:>13}")
        keywords = accuracy(categorizer_for([]), [r["line"] for r in split(rows, random.Random(seed))[1]])
        print(f"{name:>13} {0:>8} {keywords:>12.1%} (keywords only)")


def show(values: list[float]) -> str:
    return f"{statistics.mean(values):.1%} ({min(values):.0%}-{max(values):.0%})"


def timing(rows, seed: int) -> None:
    training, test = split_rows(rows, random.Random(seed))
    for n in (300, 1000):
        taught = [r["line"] for r in training[:n]]
        started = time.perf_counter()
        model_fit(taught)
        print(f"fit on {n} labelled lines: {(time.perf_counter() - started) * 1000:.0f} ms")
    categorizer = categorizer_for([r["line"] for r in training[:1000]])
    memory = categorizer.learned.memory
    remembered = [r["line"] for r in test if memory.recall(key_of(r["line"]))]
    modelled = [r["line"] for r in test if not memory.recall(key_of(r["line"]))]
    for label, lines in (("merchant remembered", remembered), ("model decides", modelled)):
        times, cpu = [], []
        for _ in range(5):
            for x in lines:
                started, started_cpu = time.perf_counter(), time.thread_time()
                categorizer.categorize(merchant=x.merchant, description=x.description, kind=x.kind, amount=x.amount)
                cpu.append(time.thread_time() - started_cpu)
                times.append(time.perf_counter() - started)
        print(f"categorise one ({label}, {len(times)} calls): wall {percentiles(times)}; CPU {percentiles(cpu)}")


def percentiles(times: list[float]) -> str:
    """p50 and p99 in µs. CPU time leaves out the waits of a busy machine (another process had the core)."""
    ordered = sorted(times)
    return f"p50 {ordered[len(ordered) // 2] * 1e6:.0f} µs, p99 {ordered[int(len(ordered) * 0.99)] * 1e6:.0f} µs"


def dev(rows, seed: int) -> None:
    """5-fold cross-validation inside the training part of the rows and merchants splits: the test parts are never read."""
    print(f"{'alpha':>6} {'threshold':>9} {'rows (cv)':>10} {'merchants (cv)':>15}")
    for c in (3e-5, 1e-4, 3e-4):
        for threshold in (0.6, 0.7, 0.8):
            linear.REGULARISATION = c
            scores = []
            for split in (split_rows, split_merchants):
                training = split(rows, random.Random(seed))[0][:300]
                folds = [training[i::5] for i in range(5)]
                fold_scores = []
                for i, fold in enumerate(folds):
                    taught = [r["line"] for j, other in enumerate(folds) if j != i for r in other]
                    if split is split_merchants:  # hold out the fold's merchants from its training
                        merchants = {r["merchant_key"] for r in fold}
                        taught = [
                            r["line"]
                            for j, other in enumerate(folds)
                            if j != i
                            for r in other
                            if r["merchant_key"] not in merchants
                        ]
                    categorizer = Categorizer(
                        rules=[], system_ids=SYSTEM_IDS, threshold=threshold,
                        learned=Learned(memory=memory_build(taught), model=model_fit(taught)),
                    )  # fmt: skip
                    fold_scores.append(accuracy(categorizer, [r["line"] for r in fold]))
                scores.append(statistics.mean(fold_scores))
            print(f"{c:>6} {threshold:>9} {scores[0]:>10.1%} {scores[1]:>15.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dev", action="store_true", help="cross-validate settings on training rows only")
    args = parser.parse_args()
    rows = load("bank_lines_generated.csv") + load("bank_lines_handwritten.csv")
    if args.dev:
        dev(rows, args.seed)
        return
    curve(rows, args.repeats, args.seed)
    timing(rows, args.seed)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The synthetic survey of issue 17: one CSV file of N respondents.

    python3 tests/bench/survey/generate.py ROWS [--out DIR] [--force]

Writes DIR/survey-<ROWS>.csv (DIR: build/bench-survey) and next to it
survey-<ROWS>.stamp, which names the generator's version, its seed and the
file's SHA-256. A file whose stamp matches is reused; any other is written
anew. Prints the path of the CSV file.

The file is the same on every run and every machine: the only source of
chance is Python's Mersenne Twister (random.random(), whose sequence for a
seed Python guarantees), and every transformation of it (Box-Muller for the
grades, cumulative weights for the categories) is written out here rather
than left to library functions whose algorithm may change.

The shape (issue 17): id; groep; and for each of 5 tasks a grade with a
decimal comma (1 to 10, one decimal), a yes/no ("ja"/"nee") and a bin of
hours per week ("<5", "5-10", ">10"), in columns "task.cijfer",
"task.past" and "task.uren"; ";" separates the cells, as Dutch Excel
writes them. 2% of the answer cells are empty (a missing answer); id and
groep are never empty. The rows end in "\\n".
"""

import argparse
import hashlib
import math
import os
import random
import sys
from pathlib import Path

# Raise when the output changes in any way: a stamp of another version makes
# the runner write the file anew.
VERSION = 1
SEED = 17
ROOT = Path(__file__).resolve().parent.parent.parent.parent
DEFAULT_OUT = ROOT / "build" / "bench-survey"
MISSING = 0.02
GROUPS = [("po", 0.45), ("vo", 0.35), ("mbo", 0.20)]
BINS = ["<5", "5-10", ">10"]
# Per task: (id, mean grade, sd of the grades, P(ja), weights of the bins).
# The weights differ enough that no sample of 10 000 or more has a tie for
# the modal bin.
TASKS = [
    ("intake", 7.1, 1.4, 0.72, (0.50, 0.35, 0.15)),
    ("overleg", 6.4, 1.8, 0.55, (0.25, 0.48, 0.27)),
    ("toetsing", 5.8, 2.0, 0.38, (0.20, 0.30, 0.50)),
    ("advies", 7.6, 1.1, 0.81, (0.60, 0.30, 0.10)),
    ("registratie", 5.2, 1.6, 0.29, (0.30, 0.44, 0.26)),
]
QUESTIONS = ["cijfer", "past", "uren"]


def header():
    cells = ["id", "groep"]
    for task, *_ in TASKS:
        cells += ["{}.{}".format(task, q) for q in QUESTIONS]
    return ";".join(cells)


def pick(u, labels, weights):
    """The label whose cumulative weight first exceeds u (0 <= u < 1)."""
    total = 0.0
    for label, w in zip(labels, weights):
        total += w
        if u < total:
            return label
    return labels[-1]


def grade(rng, mean, sd):
    """A grade from 1,0 to 10,0 with one decimal: a normal draw (Box-Muller),
    rounded to tenths, clamped to the scale, written with a decimal comma."""
    u1 = 1.0 - rng.random()   # in (0, 1]: log(u1) is defined
    u2 = rng.random()
    z = math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
    tenths = int(math.floor((mean + sd * z) * 10 + 0.5))
    tenths = min(100, max(10, tenths))
    return "{},{}".format(tenths // 10, tenths % 10)


def rows(n):
    """The lines of the file, the header first."""
    rng = random.Random(SEED)
    yield header()
    groups = [g for g, _ in GROUPS]
    group_weights = [w for _, w in GROUPS]
    for i in range(1, n + 1):
        cells = [str(i), pick(rng.random(), groups, group_weights)]
        for _, mean, sd, p_yes, bin_weights in TASKS:
            # each answer drawn whether or not its cell stays empty, so the
            # answers do not shift when MISSING changes
            g = grade(rng, mean, sd)
            yes = "ja" if rng.random() < p_yes else "nee"
            hours = pick(rng.random(), BINS, bin_weights)
            for value in (g, yes, hours):
                cells.append("" if rng.random() < MISSING else value)
        yield ";".join(cells)


def label(n):
    """100000 -> "100k", 1000000 -> "1M"."""
    if n % 1000000 == 0:
        return "{}M".format(n // 1000000)
    if n % 1000 == 0:
        return "{}k".format(n // 1000)
    return str(n)


def stamp_text(n, digest):
    return "generator {} seed {} rows {} sha256 {}\n".format(VERSION, SEED, n, digest)


def ensure(n, out=DEFAULT_OUT, force=False):
    """The path of the file of n rows, written when it is missing or was
    written by another version of this generator."""
    out = Path(out)
    csv = out / "survey-{}.csv".format(label(n))
    stamp = out / "survey-{}.stamp".format(label(n))
    if not force and csv.exists() and stamp.exists():
        words = stamp.read_text(encoding="utf-8").split()
        if words[:6] == ["generator", str(VERSION), "seed", str(SEED), "rows", str(n)] \
                and len(words) == 8 and csv.stat().st_size > 0:
            return csv
    out.mkdir(parents=True, exist_ok=True)
    tmp = csv.with_suffix(".csv.tmp")
    digest = hashlib.sha256()
    with open(tmp, "wb") as f:
        chunk = []
        for line in rows(n):
            chunk.append(line)
            if len(chunk) == 10000:
                data = ("\n".join(chunk) + "\n").encode("utf-8")
                digest.update(data)
                f.write(data)
                chunk = []
        if chunk:
            data = ("\n".join(chunk) + "\n").encode("utf-8")
            digest.update(data)
            f.write(data)
    os.replace(tmp, csv)
    stamp.write_text(stamp_text(n, digest.hexdigest()), encoding="utf-8")
    return csv


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", type=int, help="respondents (rows after the header)")
    parser.add_argument("--out", default=str(DEFAULT_OUT),
                        help="directory (default build/bench-survey)")
    parser.add_argument("--force", action="store_true",
                        help="write the file even when its stamp matches")
    opts = parser.parse_args()
    if opts.rows < 1:
        parser.error("rows must be at least 1")
    print(ensure(opts.rows, opts.out, opts.force))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Seeds the fuzz corpora from the repository (make fuzz runs this).

    python3 tests/fuzz/seed.py CORPUS_DIR TARGET...

For each target, writes the seed inputs into CORPUS_DIR/TARGET, each file
named by the SHA-1 of its contents, as libFuzzer names the inputs it adds:
seeding twice adds nothing, and what libFuzzer found in earlier runs stays.

    program, fmt, lint   every .kader file under tests/ (but tests/bench/,
                         which are meant to run long), examples/, stdlib/
    csv                  every .csv file under tests/ and examples/
    claim                the label of every claim and quantifier declared
                         under tests/, examples/, stdlib/ and docs/, each with
                         a few of the value and n selector bytes that
                         tests/fuzz/fuzz_claim.c reads first
    every target         its findings, tests/fuzz/findings/TARGET-*.input
"""

import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
KADER_DIRS = ["tests", "examples", "stdlib"]
LABEL_RE = re.compile(rb'^\s*(?:claim|quantifier)\s+\w+\s+"((?:[^"\\\n]|\\.)*)"', re.M)
# byte 0: the value, byte 1: n and scale (see fuzz_claim.c)
CLAIM_SELECTORS = [b"\x00\x00", b"\x01\x02", b"\x02\x02", b"\x03\x03", b"\x09\x01"]


def files(dirs, suffix):
    for d in dirs:
        for path in sorted((ROOT / d).rglob("*" + suffix)):
            if "bench" not in path.relative_to(ROOT).parts:   # meant to run long
                yield path


def kader_seeds():
    for path in files(KADER_DIRS, ".kader"):
        yield path.read_bytes()


def csv_seeds():
    for path in files(["tests", "examples"], ".csv"):
        yield path.read_bytes()


def claim_seeds():
    labels = set()
    for path in list(files(KADER_DIRS, ".kader")) + list(files(["docs"], ".md")):
        for m in LABEL_RE.finditer(path.read_bytes()):
            labels.add(re.sub(rb"\\(.)", rb"\1", m.group(1)))
    for label in sorted(labels):
        for selector in CLAIM_SELECTORS:
            yield selector + label


SEEDS = {"program": kader_seeds, "fmt": kader_seeds, "lint": kader_seeds,
         "csv": csv_seeds, "claim": claim_seeds}


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    corpus = Path(sys.argv[1])
    for target in sys.argv[2:]:
        if target not in SEEDS:
            sys.exit(f"seed.py: no seeds for the target {target!r}")
        out = corpus / target
        out.mkdir(parents=True, exist_ok=True)
        added = 0
        findings = sorted((ROOT / "tests" / "fuzz" / "findings").glob(f"{target}-*.input"))
        for data in [*SEEDS[target](), *(p.read_bytes() for p in findings)]:
            path = out / hashlib.sha1(data).hexdigest()
            if not path.exists():
                path.write_bytes(data)
                added += 1
        total = sum(1 for _ in out.iterdir())
        print(f"seed: {target}: {added} new seeds, {total} inputs in {out}")


if __name__ == "__main__":
    main()

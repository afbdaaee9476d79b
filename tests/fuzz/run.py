#!/usr/bin/env python3
"""Runs the libFuzzer targets (make fuzz runs this after building them).

    python3 tests/fuzz/run.py BUILD_DIR SECONDS TARGET...

Each target BUILD_DIR/bin/fuzz_TARGET runs for SECONDS on its corpus
BUILD_DIR/corpus/TARGET (seeded by seed.py; what it finds is added there),
with inputs up to 1 MB, from the empty directory BUILD_DIR/work (a sandboxed
model may read only there). Its output goes to BUILD_DIR/logs/TARGET.log;
a line per target gives the figures (executions, per second, cov, ft).

An input that crashes, leaks, hangs (-timeout) or runs out of memory is
kept in BUILD_DIR/artifacts/TARGET/, and the command that reproduces it is
printed. The exit status is 1 when any target found something.

Extra libFuzzer options come from the environment, FUZZ_FLAGS (e.g.
"-fork=1 -ignore_crashes=1" to go on after a crash, or a smaller -max_len).
"""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
MAX_LEN = 1 << 20
TIMEOUT = 30          # seconds one input may take
SHOWN = 5             # found inputs listed per target (a -fork run keeps going)
DICTS = {"csv": "csv.dict", "claim": "claim.dict"}  # the rest: kader.dict
# The claim target keeps one state for every input, whose heap grows and
# shrinks with the collector, so libFuzzer's check for leaks after each
# input would run a full LeakSanitizer scan nearly every time (50 times
# slower). The program target runs the same library code in fresh states,
# with that check.
OPTIONS = {"claim": ["-detect_leaks=0"]}

STATS_RE = re.compile(r"^#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+)")
FORK_STATS_RE = re.compile(r"^#(\d+): cov: (\d+) ft: (\d+)")
FINAL_RE = re.compile(r"^stat::(\w+):\s+(\d+)")


def figures(log):
    """Executions, executions per second, cov and ft from a libFuzzer log."""
    execs = speed = cov = ft = None
    for line in log.splitlines():
        m = STATS_RE.match(line) or FORK_STATS_RE.match(line)
        if m:
            execs, cov, ft = int(m.group(1)), int(m.group(2)), int(m.group(3))
        m = FINAL_RE.match(line)
        if m and m.group(1) == "number_of_executed_units":
            execs = int(m.group(2))
        if m and m.group(1) == "average_exec_per_sec":
            speed = int(m.group(2))
    return execs, speed, cov, ft


def run_target(build, seconds, target):
    binary = build / "bin" / f"fuzz_{target}"
    corpus = build / "corpus" / target
    artifacts = build / "artifacts" / target
    work = build / "work"
    logs = build / "logs"
    for d in (artifacts, work, logs):
        d.mkdir(parents=True, exist_ok=True)
    cmd = [str(binary), f"-max_total_time={seconds}", f"-max_len={MAX_LEN}",
           f"-timeout={TIMEOUT}", f"-dict={ROOT / 'tests' / 'fuzz' / DICTS.get(target, 'kader.dict')}",
           f"-artifact_prefix={artifacts}/", "-print_final_stats=1"]
    cmd += OPTIONS.get(target, []) + shlex.split(os.environ.get("FUZZ_FLAGS", ""))
    cmd.append(str(corpus))
    log_path = logs / f"{target}.log"
    print(f"fuzz: {target} for {seconds} s (log: {log_path})", flush=True)
    before = set(artifacts.iterdir())
    with open(log_path, "w") as log:
        rc = subprocess.run(cmd, cwd=work, stdout=log, stderr=subprocess.STDOUT).returncode
    text = log_path.read_text(errors="replace")
    execs, speed, cov, ft = figures(text)
    if speed is None and execs:   # -fork=N prints no final figures
        speed = execs // seconds
    if cov is None:   # stopped while reading the corpus
        print(f"fuzz: {target}: {execs or 0} executions, no coverage figures yet")
    else:
        print(f"fuzz: {target}: {execs} executions, {speed} per second, cov {cov}, ft {ft}")
    found = sorted(set(artifacts.iterdir()) - before)
    for artifact in found[:SHOWN]:
        print(f"fuzz: {target} found something: {artifact}")
        print(f"  reproduce: (cd {work.relative_to(ROOT)} && "
              f"../bin/fuzz_{target} ../artifacts/{target}/{artifact.name})")
    if len(found) > SHOWN:
        print(f"fuzz: {target}: and {len(found) - SHOWN} more in {artifacts}")
    if rc != 0 and not found:
        print(f"fuzz: {target} stopped with exit status {rc}; see {log_path}")
    return rc == 0 and not found


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    build = Path(sys.argv[1]).resolve()
    seconds = int(sys.argv[2])
    failed = [t for t in sys.argv[3:] if not run_target(build, seconds, t)]
    if failed:
        print(f"fuzz: something was found by {', '.join(failed)}")
        sys.exit(1)
    print("fuzz: nothing found")


if __name__ == "__main__":
    main()

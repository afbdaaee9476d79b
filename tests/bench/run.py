#!/usr/bin/env python3
"""Benchmarks: the same programs in Kader, Lua 5.4 and Python 3.

    python3 tests/bench/run.py [--runs N] [--kader PATH] [--markdown] [NAME...]

For every benchmark (tests/bench/NAME.kader, NAME.lua, NAME.py) the three
interpreters run in turn, N times each (default 5), and the median wall-clock
time counts. The three must print the same numbers (compared as numbers, so
"2.0" and "2" agree). Kader runs with --locale en. A language whose
interpreter is missing is skipped with a note. --markdown prints the table as
Markdown, for docs/performance.md. Exits with 1 when a program failed or the
outputs disagree.
"""

import argparse
import math
import os
import re
import shlex
import shutil
import statistics
import subprocess
import tempfile
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BENCH = Path("tests") / "bench"
BENCHMARKS = ["fib", "loop", "strings", "fields", "sort", "units"]
# Monte Carlo: Kader against Squiggle (@quri/squiggle-lang 0.10.0, which
# make bench installs into build/squiggle) and plain Lua; CPU time and peak
# memory, and the printed mean, p5 and p95 within 2% (other generators).
MONTECARLO = "montecarlo"
SQUIGGLE = Path("build") / "squiggle" / "node_modules" / ".bin" / "squiggle"
SAMPLES_AGREE = 0.02
TIMEOUT = 600
NUMBER_RE = re.compile(r"-?\d[\d,_]*(?:\.\d+)?(?:[eE][-+]?\d+)?")


def numbers(output):
    """The numbers printed, in order ("1,234" from Kader's en locale is
    1234: a comma there only groups thousands)."""
    return [float(n.replace(",", "").replace("_", ""))
            for n in NUMBER_RE.findall(output)]


def agree(a, b):
    return len(a) == len(b) and all(
        math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9) for x, y in zip(a, b))


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def version(argv):
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        text = (p.stdout + p.stderr).strip()
        if not text or p.returncode != 0:
            return None
        return text.split("\n")[0].split("  ")[0]
    except (OSError, subprocess.TimeoutExpired):
        return None


GNU_TIME = shutil.which("time") if os.path.exists("/usr/bin/time") else None


def time_run(argv):
    """Runs argv once from the root. Returns (seconds, stdout, error,
    peak resident memory in MB or None). The memory comes from GNU time
    (/usr/bin/time -f %M), which measures its own child; the rusage of a
    child of this Python process would include Python's own memory."""
    with tempfile.NamedTemporaryFile(mode="r") as mem_f:
        prefix = [GNU_TIME, "-f", "%M", "-o", mem_f.name] if GNU_TIME else []
        start = time.perf_counter()
        try:
            p = subprocess.run(prefix + argv, cwd=ROOT,
                               stdin=subprocess.DEVNULL, capture_output=True,
                               timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return None, "", "timed out after {} s".format(TIMEOUT), None
        seconds = time.perf_counter() - start
        text = mem_f.read().strip().split("\n")[-1]
    mb = int(text) / 1024.0 if text.isdigit() else None
    out = p.stdout.decode("utf-8", "replace")
    if p.returncode != 0:
        err = p.stderr.decode("utf-8", "replace").strip().split("\n")
        return None, out, "exit {}: {}".format(p.returncode, " / ".join(
            err[:3])), None
    return seconds, out, None, mb


def cpu_run(argv, env=None):
    """Runs argv once from the root under GNU time: (CPU seconds, user plus
    system; stdout; error; peak resident MB)."""
    if not GNU_TIME:
        return None, "", "GNU time is missing (apt-get install time)", None
    with tempfile.NamedTemporaryFile(mode="r") as f:
        try:
            p = subprocess.run([GNU_TIME, "-f", "%U %S %M", "-o", f.name] + argv,
                               cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True,
                               timeout=TIMEOUT, env=env)
        except subprocess.TimeoutExpired:
            return None, "", "timed out after {} s".format(TIMEOUT), None
        fields = f.read().strip().split("\n")[-1].split()
    out = p.stdout.decode("utf-8", "replace")
    if p.returncode != 0 or len(fields) != 3:
        err = p.stderr.decode("utf-8", "replace").strip().split("\n")
        return None, out, "exit {}: {}".format(p.returncode, " / ".join(err[:3])), None
    return float(fields[0]) + float(fields[1]), out, None, int(fields[2]) / 1024.0


def montecarlo(opts, kader, lua, markdown):
    """The Monte Carlo benchmark: one table row per program."""
    programs = [("kader", [kader, "--locale", "en", (BENCH / "montecarlo.kader").as_posix()], None)]
    notes = []
    squiggle = ROOT / SQUIGGLE
    node = shutil.which("node")
    if node and squiggle.exists():
        env = dict(os.environ, SAMPLE_COUNT="1000000")
        programs.append(("squiggle", [node, str(squiggle), "run",
                                      (BENCH / "montecarlo.squiggle").as_posix()], env))
    else:
        notes.append("squiggle not installed in {} (make bench installs it with npm): skipped"
                     .format(SQUIGGLE))
    if lua:
        programs.append(("lua", [lua, (BENCH / "montecarlo.lua").as_posix()], None))
    cpu, mem, outs, problems = {}, {}, {}, []
    for run in range(max(opts.runs, 1)):
        for name, argv, env in programs:
            if outs.get(name, "") is None:
                continue
            seconds, out, error, mb = cpu_run(argv, env)
            if error:
                problems.append("montecarlo ({}): {}".format(name, error))
                outs[name] = None
                continue
            outs.setdefault(name, out)
            cpu.setdefault(name, []).append(seconds)
            mem.setdefault(name, []).append(mb)
        progress("  montecarlo run {}/{}".format(run + 1, opts.runs))
    progress(" " * 40)
    base = numbers(outs.get("kader") or "")
    for name, out in outs.items():
        got = numbers(out or "")
        if out and (len(got) != len(base) or any(
                abs(x - y) > SAMPLES_AGREE * abs(y) for x, y in zip(got, base))):
            problems.append("montecarlo: {} printed {}, kader {} (more than 2% apart)"
                            .format(name, got, base))
    # the thesis's whole cost model, 10 000 000 samples: Kader alone
    thesis = []
    for run in range(max(opts.runs, 1)):
        seconds, out, error, mb = cpu_run([kader, "--locale", "en",
                                           (BENCH / "montecarlo_thesis.kader").as_posix()])
        if error:
            problems.append("montecarlo_thesis: {}".format(error))
            break
        thesis.append((seconds, mb))
    med = {n: statistics.median(v) for n, v in cpu.items() if outs.get(n)}
    peak = {n: max(v) for n, v in mem.items() if outs.get(n)}
    header = ["program", "kader cpu s", "squiggle cpu s", "lua cpu s", "squiggle/kader",
              "lua/kader", "kader MB", "squiggle MB", "lua MB", "squiggle MB/kader MB"]
    k = med.get("kader")
    row = ["montecarlo", fmt_seconds(k), fmt_seconds(med.get("squiggle")),
           fmt_seconds(med.get("lua")), fmt_ratio(med.get("squiggle"), k),
           fmt_ratio(med.get("lua"), k)] + \
          ["-" if peak.get(n) is None else "{:.1f}".format(peak[n])
           for n in ("kader", "squiggle", "lua")] + \
          [fmt_ratio(peak.get("squiggle"), peak.get("kader"))]
    rows = [row]
    if thesis:
        rows.append(["montecarlo_thesis", fmt_seconds(statistics.median(t for t, _ in thesis)),
                     "-", "-", "-", "-", "{:.1f}".format(max(m for _, m in thesis)), "-", "-", "-"])
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
        for r in rows:
            print("| " + " | ".join(r) + " |")
    else:
        widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
        for r in [header] + rows:
            print("  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i])
                            for i, c in enumerate(r)))
    print()
    print("Median CPU time (user + system) of {} runs each. montecarlo: 1 000 000 samples "
          "of the sum of three lognormal costs; montecarlo_thesis: 10 000 000 samples of "
          "the thesis's cost model with six PERT items.".format(opts.runs))
    for n in notes:
        print("note: " + n)
    return problems


def progress(text):
    if sys.stderr.isatty():
        print(text, file=sys.stderr, end="\r", flush=True)


def fmt_seconds(s):
    return "-" if s is None else "{:.3f}".format(s)


def fmt_ratio(a, b):
    return "-" if a is None or b is None or b == 0 else "{:.2f}".format(a / b)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help="benchmarks to run (default: all)")
    parser.add_argument("--runs", type=int, default=5,
                        help="runs per language (default 5); the median "
                        "counts")
    parser.add_argument("--kader", default="./kader",
                        help="the interpreter (default ./kader)")
    parser.add_argument("--markdown", action="store_true",
                        help="print the table as Markdown")
    opts = parser.parse_args()
    command = "python3 " + " ".join(shlex.quote(a) for a in sys.argv)

    kader = os.path.abspath(opts.kader) if os.sep in opts.kader \
        else shutil.which(opts.kader) or os.path.abspath(opts.kader)
    names = opts.names or BENCHMARKS + [MONTECARLO]
    for name in names:
        if name not in BENCHMARKS + [MONTECARLO]:
            parser.error("unknown benchmark {} (there are: {})".format(
                name, ", ".join(BENCHMARKS + [MONTECARLO])))
    run_montecarlo = MONTECARLO in names
    names = [n for n in names if n != MONTECARLO]

    languages = []   # (column, argv prefix, file extension)
    notes = []
    if os.access(kader, os.X_OK):
        languages.append(("kader", [kader, "--locale", "en"], "kader"))
    else:
        notes.append("kader not found at {} (run `make` first): "
                     "skipped".format(opts.kader))
    lua = shutil.which("lua5.4")
    if lua:
        languages.append(("lua", [lua], "lua"))
    else:
        notes.append("lua5.4 not found (apt-get install lua5.4): skipped")
    python = shutil.which("python3") or sys.executable
    languages.append(("python", [python], "py"))
    for note in notes:
        print("note: " + note, file=sys.stderr)

    times = {}     # (name, column) -> median seconds or None
    memory = {}    # (name, column) -> largest peak memory (MB) or None
    problems = []
    for name in names:
        samples = {col: [] for col, _, _ in languages}
        peaks = {col: [] for col, _, _ in languages}
        outputs = {}
        for run in range(max(opts.runs, 1)):
            for col, argv, ext in languages:
                if col in outputs and outputs[col] is None:
                    continue   # failed before: do not try again
                path = (BENCH / "{}.{}".format(name, ext)).as_posix()
                seconds, out, error, mb = time_run(argv + [path])
                if error:
                    problems.append("{} ({}): {}".format(name, col, error))
                    outputs[col] = None
                    continue
                if col not in outputs:
                    outputs[col] = out
                elif not agree(numbers(out), numbers(outputs[col])):
                    problems.append("{} ({}): output changed between runs"
                                    .format(name, col))
                samples[col].append(seconds)
                peaks[col].append(mb)
            progress("  {} run {}/{}".format(name, run + 1, opts.runs))
        for col, _, _ in languages:
            ok = outputs.get(col) is not None and samples[col]
            times[name, col] = statistics.median(samples[col]) if ok else None
            known = [m for m in peaks[col] if m is not None]
            memory[name, col] = max(known) if ok and known else None
        printed = [(col, out) for col, out in outputs.items() if out]
        if any(not agree(numbers(out), numbers(printed[0][1]))
               for _, out in printed[1:]):
            problems.append("{}: the outputs disagree: {}".format(
                name, ", ".join("{} {!r}".format(col, out.strip())
                                for col, out in printed)))
    progress(" " * 40)

    if not names:
        return 1 if montecarlo(opts, kader, lua, opts.markdown) else 0
    header = ["benchmark", "kader s", "lua s", "python s", "kader/lua",
              "kader/python", "kader MB", "lua MB", "python MB"]
    rows = []
    for name in names:
        k = times.get((name, "kader"))
        lu = times.get((name, "lua"))
        py = times.get((name, "python"))
        mem = [memory.get((name, col)) for col in ("kader", "lua", "python")]
        rows.append([name, fmt_seconds(k), fmt_seconds(lu), fmt_seconds(py),
                     fmt_ratio(k, lu), fmt_ratio(k, py)] +
                    ["-" if m is None else "{:.1f}".format(m) for m in mem])

    if opts.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        print()
    else:
        widths = [max(len(r[i]) for r in rows + [header])
                  for i in range(len(header))]
        for row in [header] + rows:
            print("  ".join(cell.ljust(widths[0]) if i == 0
                            else cell.rjust(widths[i])
                            for i, cell in enumerate(row)))
        print()

    versions = []
    if lua:
        versions.append(version([lua, "-v"]))
    versions.append(version([python, "--version"]))
    if any(col == "kader" for col, _, _ in languages):
        versions.insert(0, version([kader, "--version"]))
    details = [
        "Median of {} runs each, wall-clock time, the three run in turn."
        .format(opts.runs),
        "Machine: {}, {} CPUs ({}).".format(
            cpu_model(), os.cpu_count(), sys.platform),
        "Interpreters: {}.".format("; ".join(v for v in versions if v)),
        "Command: `{}`".format(command) if opts.markdown
        else "Command: {}".format(command),
    ]
    for line in details + ["note: " + n for n in notes]:
        print(line)
    if run_montecarlo:
        print()
        problems += montecarlo(opts, kader, lua, opts.markdown)
    if problems:
        print()
        for p in problems:
            print("PROBLEM: " + p)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

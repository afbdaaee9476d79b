#!/usr/bin/env python3
"""The survey benchmark of issue 17: Kader against R and pandas on one CSV.

    python3 tests/bench/survey/run.py [--rows 100k,1M] [--runs N]
        [--kader PATH] [--timeout S] [--markdown] [TOOL...]

For each size (default 100k and 1M rows; 10M on request) the synthetic
survey is generated once (generate.py, under build/bench-survey/, reused
while the generator's version matches), and the same job runs in each tool:
per task the n, the mean with its 95% interval (Student's t), the share of
"ja" and the modal bin of hours. The tools (TOOL: kader, aggregate, fread,
pandas; default all):

  kader      survey.kader: responses with csv: and the stdlib statistics
  aggregate  survey_aggregate.R: R read.csv + aggregate (r-base-core)
  fread      survey_fread.R: data.table::fread on one thread (r-cran-data.table)
  pandas     survey_pandas.py: pandas.read_csv (python3-pandas)

A tool that is not installed is skipped with a note (`make bench` installs
them as root). Each program runs N times (default 3 at 100k rows, 1 from 1M
on); the median CPU time (user + system), wall time and peak resident
memory count, all taken from the child's own rusage (os.wait4). Every
program must print the same figures: n and the modal bin exactly, the other
numbers within one unit of their sixth decimal. A disagreement, a failed run
or a run that changes its output is a PROBLEM, and the exit status is 1.

A program still running after --timeout seconds (600) is stopped. When a
smaller size was measured, the row then gives the time extrapolated linearly
from it, marked as such.

The ratios are Kader's figure over the tool's (kader/fread 2.00: Kader took
twice the CPU). At 1M rows the issue's targets are checked and printed
(missing them is not a failure: they are what the work aims at).
"""

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
import generate  # noqa: E402  (tests/bench/survey/generate.py)
import run as bench  # noqa: E402  (tests/bench/run.py: formatting, machine)

SURVEY = Path("tests") / "bench" / "survey"
TOOLS = ["kader", "aggregate", "fread", "pandas"]
TITLES = {
    "kader": "Kader (responses with csv:)",
    "aggregate": "R read.csv + aggregate",
    "fread": "data.table fread, 1 thread",
    "pandas": "pandas",
}
PACKAGES = {
    "aggregate": "r-base-core",
    "fread": "r-cran-data.table",
    "pandas": "python3-pandas",
}
DEFAULT_ROWS = ["100k", "1M"]
# the last digit printed (six decimals) may differ: rounding of values
# that differ in their 15th digit, and t quantiles from GSL and R
TOLERANCE = 1.000001e-6
TIMEOUT = 600


def parse_rows(text):
    """"100k" -> 100000, "1M" -> 1000000, "2500" -> 2500."""
    t = text.strip()
    factor = 1
    if t[-1:] in ("k", "K"):
        factor, t = 1000, t[:-1]
    elif t[-1:] in ("m", "M"):
        factor, t = 1000000, t[:-1]
    if not t.isdigit() or int(t) == 0:
        raise ValueError("'{}' is not a number of rows (100k, 1M, 2500)".format(text))
    return int(t) * factor


def measure(argv, timeout):
    """Runs argv once from the root. Returns a dict: cpu (user + system s),
    wall (s), mb (peak resident memory), out (stdout) and error (None, or
    what went wrong). CPU and memory are the child's own rusage, taken with
    os.wait4, so this Python process is not counted."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        p = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL,
                             stdout=out, stderr=err)
        timed_out = threading.Event()

        def stop():
            timed_out.set()
            p.kill()

        timer = threading.Timer(timeout, stop)
        timer.start()
        try:
            _, status, usage = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read().decode("utf-8", "replace")
        errors = err.read().decode("utf-8", "replace").strip().split("\n")
    result = {"cpu": usage.ru_utime + usage.ru_stime, "wall": wall,
              "mb": usage.ru_maxrss / 1024.0, "out": text, "error": None}
    if timed_out.is_set():
        result["error"] = "timed out after {} s".format(timeout)
        result["timed_out"] = True
    elif p.returncode != 0:
        result["error"] = "exit {}: {}".format(p.returncode, " / ".join(errors[-3:]))
    return result


def figures(out):
    """The printed lines as (task, n, [mean, lo, hi, share], modal bin), or
    a text saying what is wrong with them."""
    rows = []
    for line in out.strip().split("\n"):
        cells = line.split("\t")
        if len(cells) != 7:
            return "'{}' is not task, n, mean, lo, hi, share, modal bin".format(line)
        try:
            rows.append((cells[0], int(cells[1]), [float(c) for c in cells[2:6]], cells[6]))
        except ValueError:
            return "'{}' has a cell that is not a number".format(line)
    if len(rows) != 5:
        return "{} lines instead of one for each of the 5 tasks".format(len(rows))
    return rows


def differences(a, b):
    """Where two programs' figures differ (empty when they agree)."""
    names = ["mean", "lo", "hi", "share"]
    found = []
    for (ta, na, xa, ma), (tb, nb, xb, mb) in zip(a, b):
        if ta != tb:
            found.append("task {} against {}".format(ta, tb))
            continue
        if na != nb:
            found.append("{}: n {} against {}".format(ta, na, nb))
        for name, x, y in zip(names, xa, xb):
            if abs(x - y) > TOLERANCE:
                found.append("{}: {} {:.6f} against {:.6f}".format(ta, name, x, y))
        if ma != mb:
            found.append("{}: modal bin {} against {}".format(ta, ma, mb))
    return found


def available(tools, kader):
    """{tool: argv prefix (the data file follows)} and notes on the others."""
    found, notes = {}, []
    if "kader" in tools:
        if os.access(kader, os.X_OK):
            found["kader"] = [kader, "--locale", "en", (SURVEY / "survey.kader").as_posix()]
        else:
            notes.append("kader not found at {} (run `make` first): skipped".format(kader))
    rscript = shutil.which("Rscript")
    for tool, script in (("aggregate", "survey_aggregate.R"), ("fread", "survey_fread.R")):
        if tool not in tools:
            continue
        if not rscript:
            notes.append("{}: Rscript not found (apt-get install {}): skipped"
                         .format(TITLES[tool], PACKAGES[tool]))
            continue
        if tool == "fread" and subprocess.run(
                [rscript, "--vanilla", "-e",
                 "quit(status = if (requireNamespace('data.table', quietly = TRUE)) 0 else 1)"],
                capture_output=True).returncode != 0:
            notes.append("{}: the R package data.table is missing (apt-get install {}): skipped"
                         .format(TITLES[tool], PACKAGES[tool]))
            continue
        found[tool] = [rscript, "--vanilla", (SURVEY / script).as_posix()]
    if "pandas" in tools:
        # Debian's python3-pandas is for /usr/bin/python3, which need not be
        # the python3 first on the PATH (pyenv)
        pythons = [p for p in (shutil.which("python3"), "/usr/bin/python3", sys.executable)
                   if p and os.access(p, os.X_OK)]
        python = next((p for p in pythons if subprocess.run(
            [p, "-c", "import pandas"], capture_output=True).returncode == 0), None)
        if python is None:
            notes.append("pandas not installed (apt-get install python3-pandas): skipped")
        else:
            found["pandas"] = [python, (SURVEY / "survey_pandas.py").as_posix()]
    return found, notes


def versions(found):
    """The versions of the tools that run, as one line."""
    parts = []

    def ask(argv):
        try:
            p = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return None
        text = (p.stdout + p.stderr).strip()
        return text.split("\n")[0] if p.returncode == 0 and text else None

    if "kader" in found:
        parts.append(ask([found["kader"][0], "--version"]))
    if "aggregate" in found or "fread" in found:
        rscript = (found.get("aggregate") or found.get("fread"))[0]
        parts.append(ask([rscript, "--vanilla", "-e", "cat(R.version.string)"]))
        if "fread" in found:
            dt = ask([rscript, "--vanilla", "-e",
                      "cat('data.table', as.character(packageVersion('data.table')))"])
            parts.append(dt)
    if "pandas" in found:
        parts.append(ask([found["pandas"][0], "-c",
                          "import pandas, sys; print('pandas', pandas.__version__, "
                          "'(Python', sys.version.split()[0] + ')')"]))
    return "; ".join(p for p in parts if p)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tools", nargs="*", metavar="TOOL",
                        help="tools to run: {} (default: all)".format(", ".join(TOOLS)))
    parser.add_argument("--rows", default=",".join(DEFAULT_ROWS),
                        help="sizes, separated by commas (default 100k,1M; 10M on request)")
    parser.add_argument("--runs", type=int, default=None,
                        help="runs per program (default 3 below 1M rows, 1 from 1M on); "
                        "the median counts")
    parser.add_argument("--kader", default="./kader", help="the interpreter (default ./kader)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT,
                        help="seconds a run may take (default {})".format(TIMEOUT))
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    opts = parser.parse_args()
    command = "python3 " + " ".join(shlex.quote(a) for a in sys.argv)
    for t in opts.tools:
        if t not in TOOLS:
            parser.error("unknown tool {} (there are: {})".format(t, ", ".join(TOOLS)))
    tools = opts.tools or TOOLS
    try:
        sizes = sorted({parse_rows(x) for x in opts.rows.split(",") if x.strip()})
    except ValueError as e:
        parser.error(str(e))
    if opts.runs is not None and opts.runs < 1:
        parser.error("--runs must be at least 1")
    kader = os.path.abspath(opts.kader) if os.sep in opts.kader \
        else shutil.which(opts.kader) or os.path.abspath(opts.kader)

    found, notes = available(tools, kader)
    for note in notes:
        print("note: " + note, file=sys.stderr)
    problems = []
    results = {}      # (rows, tool) -> {cpu, wall, mb, runs} or {error, ...}
    sizes_of = {}     # rows -> (file, MB)
    for rows in sizes:
        progress("  generating {} rows".format(generate.label(rows)))
        path = generate.ensure(rows)
        sizes_of[rows] = (path, path.stat().st_size / 1e6)
        runs = opts.runs or (3 if rows < 1000000 else 1)
        samples = {t: [] for t in found}
        outputs = {}
        for run in range(runs):
            for tool, argv in found.items():
                if outputs.get(tool, "") is None:
                    continue   # failed before: not again
                progress("  {} rows: {} run {}/{}   ".format(generate.label(rows), tool,
                                                            run + 1, runs))
                r = measure(argv + [str(path)], opts.timeout)
                if r["error"]:
                    outputs[tool] = None
                    results[rows, tool] = {"error": r["error"],
                                           "timed_out": r.get("timed_out", False)}
                    if not r.get("timed_out"):
                        problems.append("{} rows, {}: {}".format(generate.label(rows),
                                                                 tool, r["error"]))
                    continue
                got = figures(r["out"])
                if isinstance(got, str):
                    problems.append("{} rows, {}: {}".format(generate.label(rows), tool, got))
                    outputs[tool] = None
                    continue
                if tool in outputs and differences(got, outputs[tool]):
                    problems.append("{} rows, {}: the output changed between runs"
                                    .format(generate.label(rows), tool))
                outputs.setdefault(tool, got)
                samples[tool].append(r)
        for tool in found:
            if outputs.get(tool) and samples[tool]:
                s = samples[tool]
                results[rows, tool] = {
                    "cpu": statistics.median(x["cpu"] for x in s),
                    "wall": statistics.median(x["wall"] for x in s),
                    "mb": statistics.median(x["mb"] for x in s),
                    "runs": len(s)}
        base_tool = "kader" if outputs.get("kader") else next(
            (t for t in found if outputs.get(t)), None)
        for tool in found:
            if tool != base_tool and outputs.get(tool) and base_tool:
                for d in differences(outputs[tool], outputs[base_tool]):
                    problems.append("{} rows: {} and {} disagree: {}".format(
                        generate.label(rows), tool, base_tool, d))
    progress(" " * 50)

    print_table(opts, sizes, found, results, sizes_of)
    print_targets(opts, sizes, results)
    print()
    runs = "{} runs".format(opts.runs) if opts.runs else "3 runs below 1M rows, 1 from 1M on"
    print("Median of {} (each tool in turn); CPU is user + system time, memory the "
          "peak resident set, both from the child's rusage.".format(runs))
    print("The ratios are Kader's figure over the tool's.")
    print("Machine: {}, {} CPUs ({}).".format(bench.cpu_model(), os.cpu_count(), sys.platform))
    print("Tools: {}.".format(versions(found)))
    print(("Command: `{}`" if opts.markdown else "Command: {}").format(command))
    for rows in sizes:
        path, mb = sizes_of[rows]
        print("Data: {} ({:.1f} MB), {}".format(
            path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path, mb,
            (path.with_suffix(".stamp")).read_text(encoding="utf-8").strip()))
    for note in notes:
        print("note: " + note)
    if problems:
        print()
        for p in problems:
            print("PROBLEM: " + p)
        return 1
    return 0


def extrapolated(results, sizes, rows, tool):
    """The CPU and wall time of a run that timed out, extrapolated linearly
    from the largest smaller size measured, or None."""
    smaller = [s for s in sizes if s < rows and "cpu" in results.get((s, tool), {})]
    if not smaller:
        return None
    s = max(smaller)
    r = results[s, tool]
    return {"cpu": r["cpu"] * rows / s, "wall": r["wall"] * rows / s, "from": s}


def print_table(opts, sizes, found, results, sizes_of):
    header = ["rows", "tool", "CPU s", "wall s", "peak MB", "kader/tool CPU",
              "kader/tool MB"]
    table = []
    for rows in sizes:
        k = results.get((rows, "kader"), {})
        k_cpu = k.get("cpu")
        mark = ""
        if k_cpu is None and k.get("timed_out"):
            guess = extrapolated(results, sizes, rows, "kader")
            k_cpu = guess and guess["cpu"]
            mark = " (extrapolated)" if guess else ""
        for tool in found:
            r = results.get((rows, tool), {})
            label = "{} ({:.1f} MB)".format(generate.label(rows), sizes_of[rows][1])
            if "cpu" in r:
                table.append([label, TITLES[tool], "{:.2f}".format(r["cpu"]),
                              "{:.2f}".format(r["wall"]), "{:.0f}".format(r["mb"]),
                              bench.fmt_ratio(k_cpu, r["cpu"]) + mark if tool != "kader" else "1",
                              bench.fmt_ratio(k.get("mb"), r["mb"]) if tool != "kader" else "1"])
            elif r.get("timed_out"):
                guess = extrapolated(results, sizes, rows, tool)
                text = "> {:.0f} (timed out)".format(opts.timeout)
                if guess:
                    text += "; ~{:.0f} extrapolated from {}".format(
                        guess["cpu"], generate.label(guess["from"]))
                table.append([label, TITLES[tool], text, "-", "-", "-", "-"])
            else:
                table.append([label, TITLES[tool], "failed", "-", "-", "-", "-"])
    if opts.markdown:
        print("| " + " | ".join(header) + " |")
        print("|---|---|" + "|".join(["---:"] * (len(header) - 2)) + "|")
        for row in table:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(r[i]) for r in table + [header]) for i in range(len(header))]
        for row in [header] + table:
            print("  ".join(c.ljust(widths[i]) if i < 2 else c.rjust(widths[i])
                            for i, c in enumerate(row)))


# (rows, tool, what, figure, bound, strict): Kader's figure over the tool's
# must be at most (strict: below) the bound
TARGETS = [
    (1000000, "aggregate", "CPU at least 10x less than R read.csv + aggregate", "cpu", 0.10, False),
    (1000000, "fread", "CPU less than data.table fread on one thread", "cpu", 1.0, True),
    (1000000, "fread", "peak memory at most 1/3 of fread's", "mb", 1 / 3, False),
]


def print_targets(opts, sizes, results):
    lines = []
    for rows, tool, what, figure, bound, strict in TARGETS:
        if rows not in sizes:
            continue
        k = results.get((rows, "kader"), {})
        t = results.get((rows, tool), {})
        if figure not in t:
            lines.append([what, "{:.2f}".format(bound), "-", "not measured"])
            continue
        value = k.get(figure)
        mark = ""
        if value is None and k.get("timed_out") and figure == "cpu":
            guess = extrapolated(results, sizes, rows, "kader")
            value = guess and guess["cpu"]
            mark = " (extrapolated)"
        if value is None:
            lines.append([what, "{:.2f}".format(bound), "-", "not measured"])
            continue
        ratio = value / t[figure]
        met = ratio < bound if strict else ratio <= bound
        lines.append([what, ("< {:.2f}" if strict else "<= {:.2f}").format(bound),
                      "{:.2f}{}".format(ratio, mark), "met" if met else "not met"])
    if 10000000 in sizes:
        k = results.get((10000000, "kader"), {})
        lines.append(["10M rows within 2 GB", "<= 2048 MB",
                      "{:.0f} MB".format(k["mb"]) if "mb" in k else "-",
                      ("met" if k["mb"] <= 2048 else "not met") if "mb" in k else "not measured"])
    if not lines:
        return
    print()
    print("Targets of issue 17 at 1M rows (kader/tool):")
    header = ["target", "bound", "measured", ""]
    if opts.markdown:
        print()
        print("| " + " | ".join(header) + " |")
        print("|---|---:|---:|---|")
        for line in lines:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(r[i]) for r in lines + [header]) for i in range(len(header))]
        for line in lines:
            print("  " + "  ".join(c.ljust(widths[i]) for i, c in enumerate(line)))


def progress(text):
    bench.progress(text)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The Kader test runner.

    python3 tests/run.py [--kader PATH] [--unit-dir DIR] [--filter TEXT] [-v]

Runs, from the repository root:

1. Language tests: every tests/**/*.kader except under tests/bench/, as
   `KADER --locale L FILE ARGS` (FILE relative to the root, stdin empty).
2. Documentation examples: every ```kader block in docs/*.md and README.md,
   written to build/doc-tests/DOC.N.kader and run the same way
   (```kader-norun blocks are skipped).
3. Command-line cases: every tests/*_cases.py (a list CASES).
4. REPL sessions: tests/repl_sessions.py, driven on a pseudo-terminal by
   tests/repl_harness.py; each check is one case, named "repl SESSION".
5. Unit tests: every executable DIR/test_* (cmocka), default build/tests.

Directives, in comments anywhere in a test:

    # locale: en                 run with --locale en (default nl)
    # format: md                 run with --format md (text by default)
    # args: a b c                program arguments
    # flags: --allow-ffi         options for kader itself (before FILE)
    # expect: TEXT               the next line of stdout is TEXT (after code
                                 on the same line, or alone on its line)
    # expect error: MSG          exit 2; the first stderr line starts with
                                 FILE:LINE: (LINE = this comment's line) and
                                 contains "error: MSG"
    # expect error @L:C: MSG     the same, at FILE:L:C:
    # expect runtime error: MSG  (and @L:C:) the same with exit 1 and
                                 "runtime error: MSG"
    # expect stderr: TEXT        some stderr line contains TEXT
    # expect exit: N             the exit code is N

Every expectation is one test case. Without an error or exit expectation
the exit code must be 0. A test file without expectations is a failure (a
test that cannot fail is not a test); a module that only exists to be
imported by other tests can say `# expect exit: 0`. A documentation block
without expectations is one case that passes when it exits with 0.

When a line holds several "# expect", the last one counts, so a "#" inside
a string earlier on the line does no harm. The runner ends with exactly one
line, "N passed, N failed", and exits with 1 when anything failed.
"""

import argparse
import os
import re
import shlex
import signal
import subprocess
import sys
import concurrent.futures
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A case that runs longer hangs. A collection on every allocation
# (KADER_GC_STRESS) makes each run of kader many times slower, the standard
# library's load above all, so the limit grows with it.
TIMEOUT = 300 if os.environ.get("KADER_GC_STRESS") else 60
DOC_TEST_DIR = Path("build") / "doc-tests"

EXPECT_RE = re.compile(r"# expect\b")
STDOUT_RE = re.compile(r"^:(.*)$")
ERROR_RE = re.compile(r"^\s+(runtime\s+)?error(?:\s*@(\d+):(\d+))?\s*:(.*)$")
STDERR_RE = re.compile(r"^\s+stderr:(.*)$")
EXIT_RE = re.compile(r"^\s+exit:\s*(-?\d+)\s*$")
LOCALE_RE = re.compile(r"#\s*locale:\s*(\S+)")
FORMAT_RE = re.compile(r"#\s*format:\s*(\S+)")
ARGS_RE = re.compile(r"#\s*args:(.*)$")
FLAGS_RE = re.compile(r"#\s*flags:(.*)$")
ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# A sanitizer's report (make asan). UBSan says "file.c:L:C: runtime error:",
# which a Kader runtime error ("file.kader:L:C: ...") never matches.
SANITIZER_RE = re.compile(
    r"ERROR: (Address|Leak|Memory|Thread)Sanitizer|"
    r"SUMMARY: (Address|Leak|UndefinedBehavior|Memory|Thread)Sanitizer|"
    r"\.(c|h|inc):\d+:\d+: runtime error: ")
# Not anchored: cmocka writes the summary to stderr and the rest to stdout,
# so in the merged output it may follow other text on a line.
CMOCKA_PASSED_RE = re.compile(r"\[  PASSED  \] (\d+) test")
CMOCKA_FAILED_RE = re.compile(r"\[  FAILED  \] (\d+) test\(s\), listed below")
CMOCKA_OK_RE = re.compile(r"^\[       OK \] (.+)$")
CMOCKA_FAILED_NAME_RE = re.compile(r"^\[  (?:FAILED|ERROR)   ?\] (.+)$")


def strip_text(text):
    """Expected text: one space after the colon is layout, the rest counts."""
    if text.startswith(" "):
        text = text[1:]
    return text.rstrip()


def show(text):
    return repr(text)


def excerpt(text, limit=8, empty="(nothing on stderr)"):
    lines = text.rstrip("\n").split("\n") if text.strip() else []
    out = ["    " + line for line in lines[:limit]]
    if len(lines) > limit:
        out.append("    ... ({} more lines)".format(len(lines) - limit))
    return "\n".join(out) if out else "    " + empty


def sanitizer_report(text):
    """The sanitizer's report in `text` (from its first line), or None."""
    m = SANITIZER_RE.search(text)
    if not m:
        return None
    start = text.rfind("\n", 0, m.start()) + 1
    lines = [l for l in text[start:].split("\n") if l.strip()]
    return excerpt("\n".join(lines), limit=30)


def signal_name(returncode):
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return "signal {}".format(-returncode)


class Expectations:
    """What a test file says about its own run."""

    def __init__(self):
        self.locale = "nl"
        self.format = None
        self.args = []
        self.flags = []
        self.stdout = []    # (line, text)
        self.errors = []    # (line, runtime, at, message); at = (L, C) or None
        self.stderr = []    # (line, text)
        self.exits = []     # (line, code)
        self.malformed = []  # (line, text)

    def count(self):
        return (len(self.stdout) + len(self.errors) + len(self.stderr)
                + len(self.exits) + len(self.malformed))


def parse(source):
    exp = Expectations()
    for number, line in enumerate(source.split("\n"), start=1):
        matches = list(EXPECT_RE.finditer(line))
        if matches:
            rest = line[matches[-1].end():]
            m = STDOUT_RE.match(rest)
            if m:
                exp.stdout.append((number, strip_text(m.group(1))))
                continue
            m = ERROR_RE.match(rest)
            if m:
                at = (int(m.group(2)), int(m.group(3))) if m.group(2) else None
                exp.errors.append((number, bool(m.group(1)), at,
                                   m.group(4).strip()))
                continue
            m = STDERR_RE.match(rest)
            if m:
                exp.stderr.append((number, m.group(1).strip()))
                continue
            m = EXIT_RE.match(rest)
            if m:
                exp.exits.append((number, int(m.group(1))))
                continue
            exp.malformed.append((number, line[matches[-1].start():].strip()))
            continue
        m = LOCALE_RE.search(line)
        if m:
            exp.locale = m.group(1)
        m = FORMAT_RE.search(line)
        if m:
            exp.format = m.group(1)
        m = ARGS_RE.search(line)
        if m:
            exp.args = shlex.split(m.group(1))
        m = FLAGS_RE.search(line)
        if m:
            exp.flags = shlex.split(m.group(1))
    return exp


class Result:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.lines = []   # what to print, in order

    def ok(self, where, what, verbose):
        self.passed += 1
        if verbose:
            self.lines.append("PASS {}: {}".format(where, what))

    def fail(self, where, what, detail=None):
        self.failed += 1
        self.lines.append("FAIL {}: {}".format(where, what))
        if detail:
            self.lines.append(detail)


def run_process(argv, env=None, merge=False, stdin=None):
    """Runs argv from the root with empty stdin (or the bytes given).
    Returns (code, stdout, stderr, timed_out); code < 0 is a signal. With
    merge, stderr goes into stdout (in the order it was written) and the
    stderr returned is empty."""
    try:
        proc = subprocess.Popen(argv, cwd=ROOT,
                                stdin=subprocess.DEVNULL if stdin is None
                                else subprocess.PIPE,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT if merge
                                else subprocess.PIPE,
                                env=env, start_new_session=True)
    except OSError as e:
        return None, "", "cannot run {}: {}".format(argv[0], e.strerror), False
    timed_out = False
    try:
        out, err = proc.communicate(input=stdin, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        timed_out = True
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            proc.kill()
        out, err = proc.communicate()
    return (proc.returncode, out.decode("utf-8", "replace"),
            (err or b"").decode("utf-8", "replace"), timed_out)


def run_kader_test(kader, path, source, verbose, shown=None, line_map=None):
    """Runs one test file (path relative to the root) and judges it.

    `shown` names the test in messages (default: path); line_map(n) gives a
    second location for line n (where a documentation block came from)."""
    res = Result()
    exp = parse(source)
    name = shown or path

    def where(line):
        loc = "{}:{}".format(name, line)
        if line_map:
            loc += " ({})".format(line_map(line))
        return loc

    if exp.count() == 0 and line_map is None:
        res.fail(name, "has no expectations (a test that cannot fail is "
                 "not a test)")
        return res

    # The interpreter's command line is `kader [options] FILE [ARGS...]`.
    argv = [kader, "--locale", exp.locale] + (
        ["--format", exp.format] if exp.format else []) + exp.flags + [
        path] + exp.args
    code, out, err, timed_out = run_process(argv)
    out = ANSI_RE.sub("", out)
    err = ANSI_RE.sub("", err)
    err_lines = err.split("\n")
    first_err = err_lines[0].rstrip() if err.strip() else ""

    if code is None:
        problem = err
    elif timed_out:
        problem = "timed out after {} s (killed)".format(TIMEOUT)
    elif code < 0:
        problem = "crashed ({})".format(signal_name(code))
    else:
        problem = None
    got_exit = problem or "exit {}".format(code)

    err_shown = []

    def err_detail():
        """stderr, shown with the first failure of the file only."""
        if err_shown:
            return None
        err_shown.append(True)
        return excerpt(err)

    for line, text in exp.malformed:
        res.fail(where(line), "cannot read this expectation: {}".format(text))

    # stdout, line by line
    out_lines = out.split("\n")
    if out_lines and out_lines[-1] == "":
        out_lines.pop()
    for i, (line, text) in enumerate(exp.stdout):
        if i < len(out_lines):
            got = out_lines[i].rstrip()
            if got == text:
                res.ok(where(line), show(text), verbose)
            else:
                res.fail(where(line), "expected {}, got {}".format(
                    show(text), show(got)))
        else:
            detail = err_detail() if (problem or code != 0) else None
            res.fail(where(line), "expected {}, got no more output ({})"
                     .format(show(text), got_exit), detail)
    if len(out_lines) > len(exp.stdout) and exp.count() > 0:
        extra = out_lines[len(exp.stdout):]
        line = exp.stdout[-1][0] if exp.stdout else 1
        res.fail(where(line), "{} more output line(s) than expected, "
                 "the first: {}".format(len(extra), show(extra[0].rstrip())))

    # errors: the first line of stderr
    for i, (line, runtime, at, message) in enumerate(exp.errors):
        kind = "runtime error" if runtime else "error"
        want_code = 1 if runtime else 2
        if at:
            prefix = "{}:{}:{}:".format(path, at[0], at[1])
        else:
            prefix = "{}:{}:".format(path, line)
        tag = kind + ":" if runtime else ": error:"
        wanted = "{} {}".format(kind, show(message)) if message else kind
        wanted += " at " + prefix.rstrip(":")
        if i > 0:
            res.fail(where(line), "only one error can be expected per file")
        elif problem:
            res.fail(where(line), "expected {}, got {}".format(
                wanted, problem), err_detail())
        elif code != want_code:
            res.fail(where(line), "expected {} (exit {}), got exit {}".format(
                wanted, want_code, code), err_detail())
        elif not first_err.startswith(prefix):
            res.fail(where(line), "expected {}, got {}".format(
                wanted, show(first_err)), err_detail())
        elif tag not in first_err or (
                message and "{} {}".format(tag, message) not in first_err):
            res.fail(where(line), "expected {}, got {}".format(
                wanted, show(first_err)), err_detail())
        else:
            res.ok(where(line), wanted, verbose)

    for line, text in exp.stderr:
        if any(text in l for l in err_lines):
            res.ok(where(line), "stderr has {}".format(show(text)), verbose)
        else:
            res.fail(where(line), "expected {} on stderr, got:".format(
                show(text)), excerpt(err))

    for line, want in exp.exits:
        if problem:
            res.fail(where(line), "expected exit {}, got {}".format(
                want, problem), err_detail())
        elif code != want:
            res.fail(where(line), "expected exit {}, got exit {}".format(
                want, code), err_detail())
        else:
            res.ok(where(line), "exit {}".format(want), verbose)

    if not exp.errors and not exp.exits:
        if problem:
            res.fail(where(1) if line_map else name, problem, err_detail())
        elif code != 0:
            res.fail(where(1) if line_map else name,
                     "expected exit 0, got exit {}".format(code), err_detail())
        elif exp.count() == 0:
            res.ok(where(1), "exit 0", verbose)

    report = sanitizer_report(err)
    if report:
        res.fail(name, "sanitizer report on stderr", report)
    return res


def language_tests():
    tests = []
    for p in sorted((ROOT / "tests").rglob("*.kader")):
        rel = p.relative_to(ROOT)
        if rel.parts[:2] == ("tests", "bench"):
            continue
        tests.append(rel.as_posix())
    return tests


FENCE_RE = re.compile(r"^(\s*)(`{3,})\s*([^`\s]*)")


def doc_blocks():
    """Yields (doc path, block number, first line, source) for every
    ```kader block of docs/*.md and README.md."""
    docs = sorted((ROOT / "docs").glob("*.md"))
    if (ROOT / "README.md").exists():
        docs.append(ROOT / "README.md")
    for doc in docs:
        lines = doc.read_text(encoding="utf-8").split("\n")
        number = 0
        i = 0
        while i < len(lines):
            m = FENCE_RE.match(lines[i])
            if not m:
                i += 1
                continue
            fence, info = m.group(2), m.group(3)
            start = i + 1
            j = start
            while j < len(lines) and not re.match(
                    r"^\s*" + fence + r"`*\s*$", lines[j]):
                j += 1
            if info == "kader":
                number += 1
                yield (doc.relative_to(ROOT).as_posix(), number, start + 1,
                       "\n".join(lines[start:j]) + "\n")
            i = j + 1


def run_doc_test(kader, doc, number, first_line, source, verbose):
    path = (DOC_TEST_DIR / "{}.{}.kader".format(Path(doc).name, number))
    (ROOT / path).write_text(source, encoding="utf-8")
    return run_kader_test(kader, path.as_posix(), source, verbose,
                          line_map=lambda n: "{}:{}".format(
                              doc, first_line + n - 1))


def run_unit_test(binary, verbose):
    res = Result()
    env = dict(os.environ)
    env["CMOCKA_MESSAGE_OUTPUT"] = "stdout"
    code, text, err, timed_out = run_process([binary], env=env, merge=True)
    passed = failed = 0
    summary = False
    failed_names = []
    for line in text.split("\n"):
        m = CMOCKA_PASSED_RE.search(line)
        if m:
            passed += int(m.group(1))
            summary = True
            continue
        m = CMOCKA_FAILED_RE.search(line)
        if m:
            failed += int(m.group(1))
            summary = True
            continue
        m = CMOCKA_FAILED_NAME_RE.match(line)
        if (m and not m.group(1).startswith("---")
                and m.group(1) not in failed_names):
            failed_names.append(m.group(1))
        m = CMOCKA_OK_RE.match(line)
        if m and verbose:
            res.lines.append("PASS {}: {}".format(binary, m.group(1)))
    res.passed += passed
    if code is None:
        res.fail(binary, err)
        return res
    if timed_out:
        res.fail(binary, "timed out after {} s (killed)".format(TIMEOUT),
                 excerpt(text, 20, "(no output)"))
        return res
    report = sanitizer_report(text)
    if code < 0:
        res.fail(binary, "crashed ({})".format(signal_name(code)),
                 excerpt(text, 20, "(no output)"))
    elif report:
        res.fail(binary, "sanitizer report", report)
    elif not summary:
        res.fail(binary, "exit {} without a cmocka summary".format(code),
                 excerpt(text, 20, "(no output)"))
    elif code != 0 and failed == 0:
        res.fail(binary, "exit {} although cmocka reported no failure"
                 .format(code), excerpt(text, 20, "(no output)"))
    for i in range(failed):
        name = failed_names[i] if i < len(failed_names) else "?"
        res.fail(binary, name,
                 excerpt(_test_output(text, name), 20, "(no output)"))
    return res


def _test_output(text, name):
    """The lines cmocka printed while running test `name`."""
    lines = text.split("\n")
    start = None
    for i, line in enumerate(lines):
        if line.startswith("[ RUN      ] ") and line[13:].strip() == name:
            start = i
        elif start is not None and line.rstrip().endswith("] " + name):
            return "\n".join(lines[start:i + 1])
    return text


def run_on_terminal(argv, env_extra):
    """Runs argv with stdout and stderr on a pseudo-terminal (as a user at a
    terminal sees it). Returns (code, output)."""
    import pty
    env = dict(os.environ)
    env.pop("NO_COLOR", None)   # only the case decides about colour
    env.update(env_extra)
    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL,
                            stdout=slave, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    code = proc.wait(timeout=TIMEOUT)
    return code, b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


def case_name(case):
    """How a command-line case is named (and filtered on)."""
    if "command" in case:
        return "cli " + " ".join(case["command"])
    return "cli " + " ".join(case["args"])


def run_cli_case(kader, case, verbose, build="build"):
    """One case of tests/cli_cases.py: the command line tool as a user runs
    it (options, -e, stdin, exit codes). A case with "command" instead of
    "args" runs that whole argv (another program, such as the embedding
    example), with BUILD standing for the build directory."""
    res = Result()
    if "command" in case:
        argv = [a.replace("BUILD", build).replace("KADER", kader)
                for a in case["command"]]
    else:
        argv = [kader] + [a.replace("KADER", kader) for a in case["args"]]
    stdin = case.get("stdin")
    if case.get("tty"):
        code, out = run_on_terminal(argv, case.get("env", {}))
        err, timed_out = "", False
    else:
        env = None
        if "env" in case:
            env = dict(os.environ)
            env.update(case["env"])
        code, out, err, timed_out = run_process(
            argv, env=env, stdin=stdin.encode() if stdin is not None else None)
    if "command" in case:
        name = "cli: " + " ".join(argv)
    else:
        name = "cli: kader " + " ".join(case["args"])
    problems = []
    if timed_out:
        problems.append("timed out")
    if code != case.get("exit", 0):
        problems.append("exit {} (expected {})".format(code, case.get("exit", 0)))
    if "stdout" in case and out != case["stdout"]:
        problems.append("stdout {!r} (expected {!r})".format(out, case["stdout"]))
    for key, got in (("stdout_file", out), ("stderr_file", err)):
        if key not in case:
            continue
        golden = ROOT / case[key]
        want = golden.read_text(encoding="utf-8") if golden.exists() else None
        if want != got:
            # show the first line that differs
            w = (want or "").split("\n")
            g = got.split("\n")
            line = next((i for i in range(max(len(w), len(g)))
                         if i >= len(w) or i >= len(g) or w[i] != g[i]), 0)
            a = w[line] if line < len(w) else ""
            b = g[line] if line < len(g) else ""
            col = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]),
                       min(len(a), len(b)))
            start = max(0, col - 60)   # show where they part, not a whole JSON line
            problems.append("{} differs from {} at line {}, column {}: expected "
                            "{!r}, got {!r}".format(key[:6], case[key], line + 1,
                                                   col + 1, a[start:col + 60],
                                                   b[start:col + 60]))
    for text in case.get("stdout_has", []):
        if text not in out:
            problems.append("stdout lacks {!r}".format(text))
    for text in case.get("stdout_lacks", []):
        if text in out:
            problems.append("stdout has {!r}".format(text))
    for text in case.get("stderr_has", []):
        if text not in err:
            problems.append("stderr lacks {!r}".format(text))
    report = sanitizer_report(err)
    if report and "command" in case:
        problems.append("sanitizer report on stderr")
        err = report
    if problems:
        res.fail(name, "; ".join(problems), excerpt(err) if err else None)
    else:
        res.ok(name, "as expected", verbose)
    return res


def repl_sessions():
    """The sessions of tests/repl_sessions.py (which imports the harness)."""
    tests = str(ROOT / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    import repl_sessions as sessions
    return sessions.SESSIONS


def run_repl_session(kader, session, verbose):
    """One REPL session: each check is one case, named "repl NAME"."""
    import repl_harness
    res = Result()
    where = "repl " + session["name"]
    try:
        cases = repl_harness.run_session(session, kader=kader, root=str(ROOT))
    except Exception as e:   # a broken harness or session is a failure
        res.fail(where, "the session could not run: {!r}".format(e))
        return res
    if not cases:
        res.fail(where, "has no checks (a test that cannot fail is not a test)")
    for case in cases:
        if case.ok:
            res.ok(where, case.what + (" ({})".format(case.note)
                                       if case.note else ""), verbose)
        else:
            res.fail(where, case.what, case.detail)
    return res


def main():
    parser = argparse.ArgumentParser(description="Runs the Kader tests.")
    parser.add_argument("--kader", default="./kader",
                        help="the interpreter (default ./kader)")
    parser.add_argument("--unit-dir", default="build/tests",
                        help="where the unit test binaries are "
                        "(default build/tests)")
    parser.add_argument("--filter", default="",
                        help="only tests whose path contains this text")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="list the passes too")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="tests run at once (default: number of CPUs)")
    opts = parser.parse_args()

    # Paths given on the command line are relative to where we were started;
    # everything runs from the root.
    kader = opts.kader
    if os.sep in kader or os.path.exists(kader):
        kader = os.path.relpath(os.path.abspath(kader), ROOT)
        if os.sep not in kader:
            kader = os.path.join(".", kader)
    unit_dir = Path(os.path.abspath(opts.unit_dir))
    # BUILD in a case's "command": the build directory of the binaries under
    # test, the one that holds the unit tests (build/tests -> build,
    # build/asan/tests -> build/asan)
    build = os.path.relpath(unit_dir.parent, ROOT)
    os.chdir(ROOT)

    jobs = []   # callables returning a Result, in the order they print

    for path in language_tests():
        if opts.filter in path:
            jobs.append(lambda p=path: run_kader_test(
                kader, p, (ROOT / p).read_text(encoding="utf-8",
                                               errors="replace"),
                opts.verbose))

    blocks = list(doc_blocks())
    if blocks:
        (ROOT / DOC_TEST_DIR).mkdir(parents=True, exist_ok=True)
        for old in (ROOT / DOC_TEST_DIR).glob("*.kader"):
            old.unlink()
    for doc, number, first, source in blocks:
        name = "{}.{}.kader".format(Path(doc).name, number)
        if opts.filter in name or opts.filter in doc:
            jobs.append(lambda a=(doc, number, first, source): run_doc_test(
                kader, *a, opts.verbose))

    # command-line cases: every tests/*_cases.py defines a list CASES
    import importlib.util
    for cases_file in sorted((ROOT / "tests").glob("*_cases.py")):
        spec = importlib.util.spec_from_file_location(cases_file.stem, cases_file)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for case in module.CASES:
            if opts.filter in case_name(case):
                jobs.append(lambda c=case: run_cli_case(kader, c, opts.verbose,
                                                        build))

    # REPL sessions on a pseudo-terminal: tests/repl_sessions.py, driven by
    # tests/repl_harness.py; filtered on "repl NAME"
    for session in repl_sessions():
        if opts.filter in "repl " + session["name"]:
            jobs.append(lambda s=session: run_repl_session(kader, s,
                                                           opts.verbose))

    if unit_dir.is_dir():
        for binary in sorted(unit_dir.glob("test_*")):
            rel = os.path.relpath(binary, ROOT)
            if (binary.is_file() and os.access(binary, os.X_OK)
                    and opts.filter in rel):
                jobs.append(lambda b=rel: run_unit_test(
                    b if os.sep in b else os.path.join(".", b), opts.verbose))

    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max(opts.jobs, 1)) as pool:
        for res in pool.map(lambda job: job(), jobs):
            passed += res.passed
            failed += res.failed
            for line in res.lines:
                print(line, flush=True)
    print("{} passed, {} failed".format(passed, failed), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

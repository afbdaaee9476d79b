"""A pseudo-terminal harness for Kader's interactive REPL (stdlib only).

A session (see tests/repl_sessions.py) starts `kader` on a pseudo-terminal
and drives it like a person at a keyboard: it sends text and keys, waits
for the output to settle, and checks what appeared. Every check is one
test case.

    import repl_harness
    cases = repl_harness.run_session(session, kader="./kader", root=ROOT)
    # cases: a list of Case(ok, what, detail)

The "screen text" of a step is what the REPL wrote after the step was sent,
with ANSI escape sequences, \\r, bells and backspaces removed. Checks look
at the screen text of their own step, so an echo of earlier input never
satisfies them.

Waiting: after a step that ends with Enter the harness waits until a prompt
("> " or "... ") ends the step's output, or the process ends; after any
other step until no new bytes came for QUIET seconds. Either way there is an
overall limit (STEP_TIMEOUT), so a hung REPL fails instead of hanging.
"""

import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

QUIET = 0.15          # seconds without output that count as "settled"
STEP_TIMEOUT = 30.0   # the most one step may take (a sanitizer build on a
                      # busy machine needs seconds for a loop of millions)
EXIT_TIMEOUT = 5.0    # how long to wait for the process to end
GRACE = 1.5           # how long a quiet step waits for the text it expects

# ESC [ ... final (CSI), ESC ] ... BEL (OSC), other two- and three-byte ESCs
ANSI_RE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|"
                     r"\x1b[()#][0-9A-Za-z]|\x1b[=>78DEHMc]")
SGR_RE = re.compile(r"\x1b\[[0-9;]*m")
PROMPTS = ("> ", "... ")

# Keys, for readable sessions
TAB, ENTER, CTRL_C, CTRL_D, CTRL_R = "\t", "\r", "\x03", "\x04", "\x12"
UP, DOWN = "\x1b[A", "\x1b[B"
RESTART = {"restart": True}   # a step: the next process, same state dir


def screen(raw):
    """The text a reader sees, roughly: escapes, \\r, bells and backspaces
    removed."""
    text = ANSI_RE.sub("", raw)
    return re.sub(r"[\r\x07\x08]", "", text)


class Emulator:
    """Just enough of a terminal to know what the input line looks like:
    readline redraws only what changed (going from "let b = 2" to
    "let a = 1" in the history it writes "a = 1"), so the bytes of a step
    alone do not say what the line shows. Handles text, \r \n \b \t and
    the cursor and erase sequences readline uses; ignores the rest."""

    CSI_RE = re.compile(r"\x1b\[([0-?]*)[ -/]*([@-~])")
    OTHER_RE = re.compile(r"\x1b\][^\x07]*\x07|\x1b[()#][0-9A-Za-z]|"
                          r"\x1b[^\[\]()#]")

    def __init__(self):
        self.lines = [[]]
        self.row = self.col = 0

    def _line(self):
        while self.row >= len(self.lines):
            self.lines.append([])
        line = self.lines[self.row]
        while len(line) < self.col:
            line.append(" ")
        return line

    def feed(self, text):
        i = 0
        while i < len(text):
            c = text[i]
            if c == "\x1b":
                m = self.CSI_RE.match(text, i)
                if m:
                    self._csi(m.group(1), m.group(2))
                    i = m.end()
                    continue
                m = self.OTHER_RE.match(text, i)
                i = m.end() if m else i + 1
                continue
            i += 1
            if c == "\r":
                self.col = 0
            elif c == "\n":
                self.row += 1
                self._line()
            elif c == "\b":
                self.col = max(0, self.col - 1)
            elif c == "\t":
                self.col = (self.col // 8 + 1) * 8
            elif c < " " or c == "\x7f":
                pass
            else:
                line = self._line()
                if self.col < len(line):
                    line[self.col] = c
                else:
                    line.append(c)
                self.col += 1

    def _csi(self, params, final):
        args = [int(a) if a.isdigit() else 0 for a in params.split(";")]
        n = max(args[0], 1) if args else 1
        if params.startswith("?"):
            return
        line = self._line()
        if final == "A":
            self.row = max(0, self.row - n)
        elif final == "B":
            self.row += n
        elif final == "C":
            self.col += n
        elif final == "D":
            self.col = max(0, self.col - n)
        elif final == "G":
            self.col = n - 1
        elif final == "K":
            mode = args[0] if args else 0
            if mode == 0:
                del line[self.col:]
            elif mode == 1:
                line[:self.col + 1] = [" "] * min(len(line), self.col + 1)
            else:
                line.clear()
        elif final == "J":
            if not args or args[0] == 0:
                del line[self.col:]
                del self.lines[self.row + 1:]
        elif final == "P":
            del line[self.col:self.col + n]
        elif final == "@":
            line[self.col:self.col] = [" "] * n
        self._line()

    def input_area(self):
        """The lines from the last one that starts with a prompt (or
        readline's search prompt) to the end: what the user is editing."""
        texts = ["".join(l).rstrip() for l in self.lines]
        start = 0
        for i, t in enumerate(texts):
            if t.startswith(("> ", "... ", "(reverse-i-search)")) or \
                    t in (">", "..."):
                start = i
        return "\n".join(texts[start:]).rstrip("\n")


def step(send="", has=(), lacks=(), line=(), ends=None, exit=None,
         within=None, sgr=None, history_has=(), history_once=(),
         history_count=None, wait=None, until=None, shows=()):
    """One step of a session: send `send`, wait, then check.

    shows         text(s) the input line (the lines from the last prompt on,
                  as a terminal shows them) contains: for completion and
                  history recall, where readline redraws only what changed
    has           text(s) the step's screen text contains
    lacks         text(s) it does not contain
    line          text(s) that are a whole line of the screen text
    ends          the screen text ends with this (a prompt: "> ", "... ")
    exit          the process ends with this exit code
    within        the first text of `has` appears within this many seconds
                  of sending (the measured time is reported)
    sgr           True/False: the raw output has / has no colour escape
    history_has   text(s) that are a whole line of the history file
    history_once  the same, and the line occurs exactly once
    history_count the history file has this many lines
    wait          seconds to sleep after sending, before waiting to settle
    until         "prompt" or "quiet" (default: "prompt" after Enter)
    """
    as_tuple = lambda x: (x,) if isinstance(x, str) else tuple(x)
    return {"send": send, "has": as_tuple(has), "lacks": as_tuple(lacks),
            "line": as_tuple(line), "ends": ends, "exit": exit,
            "within": within, "sgr": sgr,
            "history_has": as_tuple(history_has),
            "history_once": as_tuple(history_once),
            "history_count": history_count, "wait": wait, "until": until,
            "shows": as_tuple(shows)}


class Case:
    def __init__(self, ok, what, detail=None, note=None):
        self.ok = ok
        self.what = what
        self.detail = detail    # the relevant screen excerpt, on failure
        self.note = note        # a measurement worth reporting


def excerpt(text, limit=12):
    lines = text.rstrip("\n").split("\n") if text.strip() else []
    if len(lines) > limit:
        lines = ["... ({} lines before)".format(len(lines) - limit)] + \
            lines[-limit:]
    return "\n".join("    | " + l for l in lines) if lines else \
        "    (no output)"


# A tiny launcher: the child becomes a session leader (start_new_session)
# and takes the terminal on stdin as its controlling terminal, so that
# Ctrl-C on the terminal sends SIGINT, as in a real terminal. (Popen rather
# than pty.fork: the runner is multi-threaded.)
LAUNCHER = ("import fcntl, os, sys, termios\n"
            "fcntl.ioctl(0, termios.TIOCSCTTY, 0)\n"
            "os.execv(sys.argv[1], sys.argv[1:])\n")


class Terminal:
    def __init__(self, argv, env, cwd, rows=40, cols=200):
        import pty
        import struct
        import fcntl
        import termios
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ,
                    struct.pack("HHHH", rows, cols, 0, 0))
        self.proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER] + argv, cwd=cwd, env=env,
            stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
            close_fds=True)
        os.close(slave)
        self.raw = ""          # everything read, decoded
        self._bytes = b""
        self.emulator = Emulator()
        self._fed = 0          # how much of raw the emulator has seen
        self.eof = False

    def _read(self, timeout):
        """Reads what is available within timeout; False at end of output."""
        if self.eof:
            return False
        r, _, _ = select.select([self.master], [], [], timeout)
        if not r:
            return True
        try:
            data = os.read(self.master, 65536)
        except OSError:   # EIO: the other side is closed
            data = b""
        if not data:
            self.eof = True
            return False
        self._bytes += data
        # decode only whole characters
        try:
            self.raw = self._bytes.decode("utf-8")
        except UnicodeDecodeError as e:
            if e.start >= len(self._bytes) - 3:
                self.raw = self._bytes[:e.start].decode("utf-8", "replace")
            else:
                self.raw = self._bytes.decode("utf-8", "replace")
        return True

    def input_area(self):
        self.emulator.feed(self.raw[self._fed:])
        self._fed = len(self.raw)
        return self.emulator.input_area()

    def send(self, text):
        os.write(self.master, text.encode("utf-8"))

    def wait(self, start, until, watch=None, watch_times=None, sent_at=None,
             need=(), shows=()):
        """Waits until the output since raw offset `start` settles. `watch`
        texts get the time they first appeared recorded in watch_times.
        In "quiet" mode a pause counts only once the `need` texts are on
        the screen, or after GRACE seconds (a slow machine is not a
        failure; a missing text costs GRACE)."""
        begun = time.monotonic()
        deadline = begun + STEP_TIMEOUT
        last_len, last_change = len(self._bytes), begun
        while time.monotonic() < deadline:
            alive = self._read(0.02)
            now = time.monotonic()
            out = self.raw[start:]
            if watch:
                scr = screen(out)
                for w in watch:
                    if w not in watch_times and w in scr:
                        watch_times[w] = now - sent_at
            if not alive:
                return True
            if len(self._bytes) != last_len:
                last_len, last_change = len(self._bytes), now
            scr = screen(out)
            if until == "prompt":
                if scr.endswith(PROMPTS) and now - last_change > 0.03:
                    return True
            elif now - last_change > QUIET and (
                    now - begun > GRACE or (
                        all(t in scr for t in need) and
                        all(t in self.input_area() for t in shows))):
                return True
        return False

    def wait_exit(self, timeout=EXIT_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._read(0.02)
            code = self.proc.poll()
            if code is not None and self.eof:
                return code
            if code is not None:
                # drain what is left
                while self._read(0.02) and not self.eof:
                    pass
                return code
        return None

    def close(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                self.proc.kill()
            self.proc.wait()
        try:
            os.close(self.master)
        except OSError:
            pass


def session_env(session, state):
    env = dict(os.environ)
    for name in ("NO_COLOR", "INPUTRC", "KADER_LOCALE"):
        env.pop(name, None)
    env.update({"TERM": "xterm", "HOME": state, "XDG_STATE_HOME": state,
                "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
    if not session.get("color"):
        env["NO_COLOR"] = "1"
    env.update(session.get("env", {}))
    return env


def history_lines(state):
    path = os.path.join(state, "kader", "history")
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().split("\n")[:-1]
    except OSError:
        return None


def run_session(session, kader="./kader", root="."):
    """Runs one session; returns a list of Case."""
    if "pipe" in session:
        return run_piped(session, kader, root)
    cases = []
    name = session["name"]
    state = tempfile.mkdtemp(prefix="kader-repl-")
    try:
        seed = session.get("history")
        if seed is not None:
            os.makedirs(os.path.join(state, "kader"), exist_ok=True)
            with open(os.path.join(state, "kader", "history"), "w",
                      encoding="utf-8") as f:
                f.write(seed)
        argv = [kader] + list(session.get("args", []))
        env = session_env(session, state)
        term = Terminal(argv, env, root)
        try:
            # the start: until the first prompt (a model may print first)
            term.wait(0, "prompt")
            for number, st in enumerate(session["steps"], start=1):
                if st.get("restart"):
                    code = term.wait_exit()
                    if code is None:
                        cases.append(Case(False, "step {}: the REPL did not "
                                          "end before the restart".format(
                                              number), excerpt(
                                                  screen(term.raw))))
                    term.close()
                    term = Terminal(argv, env, root)
                    term.wait(0, "prompt")
                    continue
                cases.extend(run_step(term, number, st, state))
        finally:
            term.close()
    finally:
        shutil.rmtree(state, ignore_errors=True)
    return cases


def describe(st):
    shown = st["send"].replace("\r", "⏎").replace("\t", "⇥").replace(
        "\x03", "^C").replace("\x04", "^D").replace("\x12", "^R").replace(
        "\x1b[A", "↑").replace("\x1b[B", "↓")
    return repr(shown)


def run_step(term, number, st, state):
    cases = []
    start = len(term.raw)
    sent_at = time.monotonic()
    if st["send"]:
        term.send(st["send"])
    if st["wait"]:
        time.sleep(st["wait"])
    until = st["until"] or ("prompt" if st["send"].endswith("\r")
                            else "quiet")
    if st["exit"] is not None:
        until = "exit"
    watch_times = {}
    watch = st["has"][:1] if st["within"] else None
    settled = True
    code = None
    if until == "exit":
        code = term.wait_exit()
    else:
        settled = term.wait(start, until, watch, watch_times, sent_at,
                            need=st["has"], shows=st["shows"])
    raw = term.raw[start:]
    scr = screen(raw)
    where = "step {} {}".format(number, describe(st))
    detail = excerpt(scr)
    if not settled:
        cases.append(Case(False, "{}: no {} within {} s".format(
            where, "prompt" if until == "prompt" else "pause in the output",
            STEP_TIMEOUT), detail))
    for text in st["has"]:
        if text in scr:
            if st["within"] and text == st["has"][0]:
                took = watch_times.get(text)
                if took is None or took > st["within"]:
                    cases.append(Case(False, "{}: {!r} took longer than {} s"
                                      .format(where, text, st["within"]),
                                      detail))
                else:
                    cases.append(Case(True, "{}: {!r} within {} s".format(
                        where, text, st["within"]),
                        note="{!r} after {:.1f} ms".format(
                            text, took * 1000)))
            else:
                cases.append(Case(True, "{}: has {!r}".format(where, text)))
        else:
            cases.append(Case(False, "{}: expected {!r} on the screen".format(
                where, text), detail))
    if st["shows"]:
        area = term.input_area()
        for text in st["shows"]:
            ok = text in area
            cases.append(Case(ok, "{}: the line {} {!r}".format(
                where, "shows" if ok else "does not show", text),
                None if ok else "    the input line now:\n" + excerpt(area)))
    for text in st["lacks"]:
        cases.append(Case(text not in scr, "{}: {} {!r}".format(
            where, "lacks" if text not in scr else "unexpected", text),
            None if text not in scr else detail))
    lines = [l.rstrip() for l in scr.split("\n")]
    for text in st["line"]:
        ok = text in lines
        cases.append(Case(ok, "{}: {} line {!r}".format(
            where, "has" if ok else "expected a", text),
            None if ok else detail))
    if st["ends"] is not None:
        ok = scr.endswith(st["ends"])
        cases.append(Case(ok, "{}: {} with {!r}".format(
            where, "ends" if ok else "expected the screen to end", st["ends"]),
            None if ok else detail))
    if st["sgr"] is not None:
        got = bool(SGR_RE.search(raw))
        ok = got == st["sgr"]
        cases.append(Case(ok, "{}: {} colour escape{}".format(
            where, "a" if st["sgr"] else "no", "" if ok else
            " expected; raw output {!r}".format(raw[:200]))))
    if st["exit"] is not None:
        ok = code == st["exit"]
        cases.append(Case(ok, "{}: exit {}{}".format(
            where, st["exit"], "" if ok else ", got {}".format(
                "no exit within {} s".format(EXIT_TIMEOUT) if code is None
                else "exit {}".format(code))), None if ok else detail))
    if st["history_has"] or st["history_once"] or \
            st["history_count"] is not None:
        hist = history_lines(state)
        shown = excerpt("\n".join(hist or []))
        for text in st["history_has"] + st["history_once"]:
            once = text in st["history_once"]
            n = (hist or []).count(text)
            ok = n == 1 if once else n >= 1
            cases.append(Case(ok, "{}: history file has {!r}{}{}".format(
                where, text, " once" if once else "",
                "" if ok else " (found {} times)".format(n)),
                None if ok else shown))
        if st["history_count"] is not None:
            n = len(hist or [])
            ok = n == st["history_count"]
            cases.append(Case(ok, "{}: history file has {} entries{}".format(
                where, st["history_count"],
                "" if ok else ", got {}".format(n)), None if ok else shown))
    return cases


def run_piped(session, kader, root):
    """A session without a terminal: stdin is a pipe."""
    cases = []
    name = session["name"]
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    try:
        proc = subprocess.run([kader] + list(session.get("args", [])),
                              cwd=root, env=env,
                              input=session["pipe"].encode("utf-8"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=STEP_TIMEOUT)
        out = proc.stdout.decode("utf-8", "replace")
        err = proc.stderr.decode("utf-8", "replace")
        code = proc.returncode
    except subprocess.TimeoutExpired:
        return [Case(False, "piped: timed out after {} s".format(
            STEP_TIMEOUT))]
    detail = excerpt(out + ("\n[stderr]\n" + err if err else ""))
    if "stdout" in session:
        ok = out == session["stdout"]
        cases.append(Case(ok, "piped: stdout is {!r}{}".format(
            session["stdout"], "" if ok else ", got {!r}".format(out)),
            None if ok else detail))
    for text in session.get("lacks", ()):
        ok = text not in out
        cases.append(Case(ok, "piped: stdout lacks {!r}".format(text),
                          None if ok else detail))
    ok = code == session.get("exit", 0)
    cases.append(Case(ok, "piped: exit {}{}".format(
        session.get("exit", 0), "" if ok else ", got {}".format(code)),
        None if ok else detail))
    return cases

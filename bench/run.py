"""Time the installed ``autoalliances`` command as separate processes.

    python bench/run.py                        # start-up, then sizes 1000,10000,100000; 10 runs
    python bench/run.py --quick                # 3 runs, sizes 1000,10000
    python bench/run.py --only startup         # one section: startup or scale
    python bench/run.py --sizes 1000000 --only scale --timeout 120
    python bench/run.py --json bench.json      # also write every figure as JSON
    python bench/run.py --reference /other/venv/bin/autoalliances   # wall clock against another install

Run it with the interpreter of the environment the project is installed in:
the command timed is the ``autoalliances`` script next to ``sys.executable``,
and ``python -c pass`` run by the same interpreter is the start-up baseline.
Every wall-clock figure is the median of interleaved runs (the cases take
turns, so a noisy machine slows them alike). Peak memory is the child's
maximum resident set size from ``os.wait4`` (POSIX systems only).

Sections (see the README section "Performance"):

- **start-up**, bundled facts, warm cache: ``deals --year 2025 --format
  json``, ``company BMW``, ``--help``, ``--version``, completion of ``company
  BM``, ``matrix`` and ``timeline``, as wall-clock medians and as multiples of
  ``python -c pass``; and, when ``valgrind`` is on PATH, each one's instruction
  count under callgrind (one run each: the count hardly varies) as a multiple
  of ``python -c pass``'s. With ``--reference EXE`` the same cases of another
  installation (today's version, say) are timed in the same rounds, so the
  wall-clock ratios can be compared in one run.
- **scale**, for each generated set of N deals (``bench/generate.py``, added
  on top of the bundled facts with ``--facts``):
  - cold build: the first query with an empty cache folder (time, peak RSS);
  - one-file edit: with the cache warm, one deal's title in one fact file is
    changed (and changed back on the next run, and restored at the end), and
    the next query, which rebuilds, is timed;
  - warm: every command below, cache built, in interleaved rounds;
  - the growth exponent k of each figure between consecutive sizes
    (time ∝ N^k, k = ln(t2/t1) / ln(N2/N1)); 10,000 → 100,000 is the target.

A case that runs longer than ``--timeout`` seconds (``--build-timeout`` for
the cold build and the rebuild) is killed, reported as ``> T s (timeout)`` and
not tried again at larger sizes; the run goes on. A case whose first run is
slow gets fewer runs, so that it takes about ``--budget`` seconds per size;
the table says how many runs each figure is the median of.

Every child gets the same fixed environment (no variable of the caller's
except PATH and HOME; ``COLUMNS=120``, ``LC_ALL=C.UTF-8``, ``TZ=UTC``,
``PYTHONHASHSEED=0``, ``AUTOALLIANCES_CACHE_DIR`` in a temporary folder),
stdin from /dev/null and stdout to a file (not a terminal).

Generated sets are kept in ``bench/.data/`` (not tracked) and reused while
the generator's version and seed are unchanged; a set of a million deals
takes about 0.9 GB of disk (and its cache and SQLite export as much again).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (bench/generate.py, next to this file)

QUERY_COMPANY = generate.QUERY_COMPANY
QUERY_YEAR = str(generate.QUERY_YEAR)
SHOW_ID = "syn-deal-000042"
SEARCH_TEXT = "lidar camera"  # two words next to each other in about 2% of the descriptions
EDIT_FILE = Path("deals") / "deals-0000.yaml"
EDIT_ID = "syn-deal-000000"  # one of the query's deals, so the rebuilt answer shows the edit
EDIT_MARK = " (edited by bench/run.py)"
COLUMNS = "120"

# --- targets ---------------------------------------------------------------------------
# Start-up: instructions as a multiple of ``python -c pass`` (callgrind).
TARGET_INSTRUCTIONS = {
    "deals-json": 7.0,
    "company": 11.0,
    "help": 7.0,
    "version": 1.5,
    "completion": 3.0,
    "matrix": 11.0,
    "timeline": 11.0,
}
WALL_TOLERANCE = 1.05  # "no worse than the reference": candidate ratio ≤ 1.05 × the reference's (noise)
TARGET_EXPONENT = 1.15  # every command, 10,000 → 100,000 deals
TARGET_MATRIX_S = {10_000: 3.0}  # matrix, every format, under 3 s at 10,000 deals
TARGET_COLD_RSS_MIB = {100_000: 250.0, 1_000_000: 400.0}
TARGET_EDIT_S = {100_000: 3.0}
TARGET_WARM_DEALS_S = {100_000: 1.0}
EXPONENT_SPAN = (10_000, 100_000)

BARE_PARSE = """\
import os, sys, yaml
for root in sys.argv[1:]:
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if not x.startswith(".")]
        for name in files:
            if name.endswith((".yaml", ".yml")) and not name.startswith("."):
                with open(os.path.join(d, name), encoding="utf-8") as f:
                    yaml.load(f, Loader=yaml.CSafeLoader)
"""


# --- running children ------------------------------------------------------------------


def child_env(cache: Path | None = None, **extra: str) -> dict[str, str]:
    """The same environment for every child: nothing of the caller's but PATH and HOME.

    No PYTHONDONTWRITEBYTECODE (every start would recompile the package, which
    is not what an installed program does), no terminal, a fixed width.
    """
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": os.environ.get("HOME", "/"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
        "COLUMNS": COLUMNS,
        "LINES": "50",
        "PYTHONHASHSEED": "0",
    }
    if cache is not None:
        env["AUTOALLIANCES_CACHE_DIR"] = str(cache)
    env.update(extra)
    return env


# The children are started by a small helper process, not by this one: Linux
# counts the memory of the process that forks into the child's peak RSS (the
# child is a copy until it execs), and this process is larger than the
# ``python -c pass`` being measured. The helper imports only built-in modules
# (``-S``: no site), so it stays below any Python child it starts; it times
# each child and reports (exit code, seconds, ru_maxrss, timed out) from
# ``os.wait4``. A child that outlives its timeout is killed with its process
# group; so is the running child when the helper is interrupted.
SPAWNER = r"""
import os, sys, time, marshal, signal
child = [0]
late = [False]
def kill():
    if child[0]:
        try:
            os.killpg(child[0], signal.SIGKILL)
        except OSError:
            pass
def on_alarm(signum, frame):
    late[0] = True
    kill()
def on_stop(signum, frame):
    kill()
    os._exit(130)
signal.signal(signal.SIGALRM, on_alarm)
signal.signal(signal.SIGINT, on_stop)
signal.signal(signal.SIGTERM, on_stop)
def readn(n):
    b = b""
    while len(b) < n:
        c = os.read(0, n - len(b))
        if not c:
            sys.exit(0)
        b += c
    return b
while True:
    cmd, env, out, err, timeout = marshal.loads(readn(int.from_bytes(readn(8), "little")))
    fo = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    fe = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    acts = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0), (os.POSIX_SPAWN_DUP2, fo, 1), (os.POSIX_SPAWN_DUP2, fe, 2)]
    late[0] = False
    t0 = time.perf_counter()
    pid = os.posix_spawn(cmd[0], cmd, env, file_actions=acts, setpgroup=0)
    child[0] = pid
    if timeout:
        signal.setitimer(signal.ITIMER_REAL, timeout)
    _, status, ru = os.wait4(pid, 0)
    t1 = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, 0)
    child[0] = 0
    os.close(fo)
    os.close(fe)
    r = marshal.dumps((os.waitstatus_to_exitcode(status), t1 - t0, ru.ru_maxrss, late[0]))
    os.write(1, len(r).to_bytes(8, "little") + r)
"""


class Spawner:
    def __init__(self) -> None:
        self.p = subprocess.Popen([sys.executable, "-S", "-c", SPAWNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=child_env())

    def run(self, cmd: list[str], env: dict[str, str], out: str, err: str, timeout: float | None) -> tuple[int, float, int, bool]:
        import marshal

        msg = marshal.dumps((cmd, env, out, err, float(timeout or 0)))
        assert self.p.stdin and self.p.stdout
        self.p.stdin.write(len(msg).to_bytes(8, "little") + msg)
        self.p.stdin.flush()
        n = int.from_bytes(self.p.stdout.read(8), "little")
        if not n:
            raise SystemExit("the helper process that starts the children died")
        rc, seconds, maxrss, late = marshal.loads(self.p.stdout.read(n))
        return rc, seconds, maxrss // 1024 if sys.platform == "darwin" else maxrss, late  # KiB

    def close(self) -> None:
        if self.p.stdin:
            self.p.stdin.close()
        self.p.wait()


@dataclass
class Result:
    seconds: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    digests: set[str] = field(default_factory=set)
    out_bytes: int = 0
    timed_out: float | None = None  # the timeout it exceeded
    error: str | None = None
    skipped: str | None = None  # why it was not run

    @property
    def ok(self) -> bool:
        return bool(self.seconds) and self.timed_out is None and self.error is None

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.ok else None

    @property
    def rss_mib(self) -> float | None:
        return max(self.rss_kib) / 1024 if self.rss_kib and self.ok else None

    def as_json(self) -> dict[str, object]:
        return {
            "median_s": self.median,
            "runs_s": [round(s, 6) for s in self.seconds],
            "peak_rss_mib": None if self.rss_mib is None else round(self.rss_mib, 1),
            "stdout_bytes": self.out_bytes,
            "timed_out_after_s": self.timed_out,
            "error": self.error,
            "skipped": self.skipped,
        }


@dataclass
class Case:
    key: str
    label: str
    cmd: list[str]
    env: dict[str, str]
    before: Callable[[], None] | None = None  # run before each run, untimed (emptying the cache...)
    after: Callable[[Case, Path], str | None] | None = None  # checks each run's stdout (untimed): an error or None
    stdout: str | None = None  # a path instead of the capture file (/dev/null)
    timeout: float | None = None
    keep: bool = False  # keep the last run's stdout as text (small outputs only)
    result: Result = field(default_factory=Result)
    text: str | None = None


class Runner:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.spawner = Spawner()

    def close(self) -> None:
        self.spawner.close()

    def once(self, case: Case, record: bool = True) -> float | None:
        """Run *case* once; return its seconds, or None when it failed or timed out (then recorded)."""
        if case.before is not None:
            case.before()
        out = case.stdout or str(self.work / "stdout")
        err = self.work / "stderr"
        rc, seconds, rss, late = self.spawner.run(case.cmd, case.env, out, str(err), case.timeout)
        r = case.result
        if late:
            r.timed_out = case.timeout
            print(f"\n  {case.label}: killed after {case.timeout:g} s (timeout)", file=sys.stderr)
            return None
        if rc != 0:
            tail = err.read_text("utf-8", "replace")[-2000:]
            r.error = f"exit {rc}"
            print(f"\n  {case.label}: exit {rc}\n  $ {' '.join(case.cmd)}\n{tail}", file=sys.stderr)
            return None
        if case.stdout is None:
            if case.keep:
                case.text = Path(out).read_text("utf-8", "replace")
            h = hashlib.sha1()
            with open(out, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
            r.out_bytes = os.path.getsize(out)
            if record:
                r.digests.add(h.hexdigest())
            problem = case.after(case, Path(out)) if case.after is not None else None
            if problem:
                r.error = problem
                print(f"\n  {case.label}: {problem}", file=sys.stderr)
                return None
        if record:
            r.seconds.append(seconds)
            r.rss_kib.append(rss)
        return seconds


def interleaved(runner: Runner, cases: list[Case], runs: int, warmup: int, label: str, budget: float | None = None) -> None:
    """Warm-up runs, then timed rounds in which the cases take turns.

    With *budget*, a case whose first (warm-up) run took t seconds gets
    max(1, budget // t) timed runs at most; a first run of a second or more
    counts as a timed run (warming up a slow command changes nothing).
    """
    planned: dict[int, int] = {}
    for c in cases:
        if c.result.skipped:
            continue
        print(f"\r  {label}: warm-up {c.label}" + " " * 20, end="", file=sys.stderr, flush=True)
        first = runner.once(c)
        if first is None:
            continue
        if budget is None or first < 1.0:  # a warm-up run: not counted
            c.result.seconds.pop()
            c.result.rss_kib.pop()
            for _ in range(warmup - 1):
                if runner.once(c, record=False) is None:
                    break
        n = runs if budget is None else max(1, min(runs, int(budget // max(first, 1e-3))))
        planned[id(c)] = n
    for i in range(max(planned.values(), default=0)):
        print(f"\r  {label}: run {i + 1}/{max(planned.values())}" + " " * 30, end="", file=sys.stderr, flush=True)
        for c in cases if i % 2 == 0 else cases[::-1]:  # every other round backwards: no case always follows the same one
            if id(c) in planned and c.result.timed_out is None and c.result.error is None and len(c.result.seconds) < planned[id(c)]:
                runner.once(c)
    print(file=sys.stderr)


# --- start-up --------------------------------------------------------------------------


def callgrind(runner: Runner, valgrind: str, case: Case) -> int | None:
    """Instructions executed by one run of *case* under callgrind (None if it failed)."""
    c = Case(case.key, case.label, [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *case.cmd], case.env, timeout=600)
    if runner.once(c, record=False) is None:
        return None
    text = (runner.work / "stderr").read_text("utf-8", "replace")
    m = re.search(r"Collected\s*:\s*(\d+)", text)
    return int(m.group(1)) if m else None


def shebang_python(script: Path) -> Path | None:
    try:
        first = script.read_bytes().split(b"\n", 1)[0]
    except OSError:
        return None
    if not first.startswith(b"#!"):
        return None
    parts = first[2:].decode(errors="replace").split()
    return Path(parts[0]) if parts else None


def startup_cases(exe: Path, ep: Path, cache: Path, tag: str = "") -> list[Case]:
    env = child_env(cache)
    comp = child_env(cache, _AUTOALLIANCES_COMPLETE="complete_bash", COMP_WORDS="autoalliances company BM", COMP_CWORD="2")
    cases = [
        Case("python", "`python -c pass`", [str(exe), "-c", "pass"], env),
        Case("deals-json", "`deals --year 2025 --format json`", [str(ep), "deals", "--year", "2025", "--format", "json"], env),
        Case("company", "`company BMW`", [str(ep), "company", "BMW"], env),
        Case("help", "`--help`", [str(ep), "--help"], env),
        Case("version", "`--version`", [str(ep), "--version"], env),
        Case("completion", "completion of `company BM`", [str(ep)], comp, keep=True),
        Case("matrix", "`matrix`", [str(ep), "matrix"], env),
        Case("timeline", "`timeline`", [str(ep), "timeline"], env),
    ]
    for c in cases:
        c.label += tag
    return cases


def run_startup(runner: Runner, a: argparse.Namespace, exe: Path, ep: Path, report: Report) -> None:
    cases = startup_cases(exe, ep, runner.work / "cache-bundled")
    for c in cases:
        c.timeout = a.timeout
    ref_cases: list[Case] = []
    if a.reference:
        ref = Path(a.reference).resolve()
        ref_py = shebang_python(ref) or exe
        ref_cases = startup_cases(ref_py, ref, runner.work / "cache-reference", " (reference)")
        if ref_py.resolve() == exe.resolve():
            ref_cases = ref_cases[1:]  # the same interpreter: one baseline for both
        for c in ref_cases:
            c.timeout = a.timeout
    print("start-up (bundled facts, warm cache)", file=sys.stderr)
    ref_of = {c.key: c for c in ref_cases}
    # each reference case right after the candidate's, so both see the same moment of the machine
    order = [x for c in cases for x in (c, ref_of.get(c.key)) if x is not None]
    interleaved(runner, order, a.runs, a.warmup, "start-up")
    by = {c.key: c for c in cases}
    ref_by = {c.key: c for c in ref_cases}
    if a.reference and "python" not in ref_by:
        ref_by["python"] = by["python"]
    completions = []
    if by["completion"].text is not None and by["completion"].result.ok:
        completions = [ln for ln in by["completion"].text.splitlines() if ln.strip()]

    counts: dict[str, int | None] = {}
    ref_counts: dict[str, int | None] = {}
    valgrind = shutil.which("valgrind")
    if valgrind and not a.no_callgrind:
        print("start-up: instructions under callgrind (one run each)", file=sys.stderr)
        for c in cases:
            print(f"\r  callgrind: {c.label}" + " " * 30, end="", file=sys.stderr, flush=True)
            counts[c.key] = callgrind(runner, valgrind, c) if c.result.ok else None
        for c in ref_cases:
            print(f"\r  callgrind: {c.label}" + " " * 30, end="", file=sys.stderr, flush=True)
            ref_counts[c.key] = callgrind(runner, valgrind, c) if c.result.ok else None
        print(file=sys.stderr)
    if a.reference and "python" not in ref_counts:
        ref_counts["python"] = counts.get("python")
    base_wall = by["python"].result.median
    base_ir = counts.get("python")
    baseline = json.loads(Path(a.baseline).read_text()) if a.baseline else None
    base_ratios: dict[str, float | None] = {}
    base_ir_ratios: dict[str, float | None] = {}
    if baseline:
        for bc in baseline.get("startup", {}).get("cases", []):
            base_ratios[bc["key"]] = bc.get("wall_ratio")
            base_ir_ratios[bc["key"]] = bc.get("instructions_ratio")

    rows = []
    out = []
    for c in cases:
        med = c.result.median
        ratio = med / base_wall if med is not None and base_wall and c.key != "python" else None
        ir = counts.get(c.key)
        ir_ratio = ir / base_ir if ir and base_ir and c.key != "python" else None
        limit = TARGET_INSTRUCTIONS.get(c.key)
        rc = ref_by.get(c.key)
        ref_ratio = None
        if rc is not None and c.key != "python" and rc.result.median and ref_by["python"].result.median:
            ref_ratio = rc.result.median / ref_by["python"].result.median
        ref_ir, ref_ir0 = ref_counts.get(c.key), ref_counts.get("python")
        ref_ir_ratio = ref_ir / ref_ir0 if ref_ir and ref_ir0 and c.key != "python" else None
        note = ""
        if c.key == "completion":
            note = f" ({len(completions)}: {', '.join(completions[:3])})" if completions else " (no completions)"
        row = [
            c.label + note,
            fmt_ms(c.result),
            fmt_x(ratio),
        ]
        if a.reference:
            row += [fmt_x(ref_ratio)]
        if a.baseline:
            row += [fmt_x(base_ratios.get(c.key))]
        row += [
            f"{ir / 1e6:.0f} M" if ir else ("–" if valgrind and not a.no_callgrind else "no valgrind"),
            fmt_x(ir_ratio),
        ]
        if a.reference:
            row += [fmt_x(ref_ir_ratio)]
        if a.baseline:
            row += [fmt_x(base_ir_ratios.get(c.key))]
        row += [
            f"≤ {limit:g}×" if limit else "–",
            "–" if limit is None else met(None if ir_ratio is None else ir_ratio <= limit),
        ]
        rows.append(row)
        if limit is not None:
            report.target(f"start-up instructions: {c.label}", "not measured" if ir_ratio is None else fmt_x(ir_ratio) + " `python -c pass`", f"≤ {limit:g}×", None if ir_ratio is None else ir_ratio <= limit)
        for name, other in (("reference", ref_ratio), ("baseline", base_ratios.get(c.key))):
            if other is not None and ratio is not None:
                report.target(
                    f"start-up wall clock vs {name}: {c.label}",
                    f"{ratio:.2f}× vs {other:.2f}×",
                    f"≤ {name}'s ratio (×{WALL_TOLERANCE:g} for noise)",
                    ratio <= other * WALL_TOLERANCE,
                )
        out.append({
            "key": c.key,
            "label": c.label,
            **c.result.as_json(),
            "wall_ratio": ratio,
            "reference_wall_ratio": ref_ratio,
            "reference": rc.result.as_json() if rc is not None else None,
            "reference_instructions": ref_ir,
            "reference_instructions_ratio": ref_ir_ratio,
            "instructions": ir,
            "instructions_ratio": ir_ratio,
            "instructions_target": limit,
        })
    header = ["case", "wall ms", "wall × python"]
    if a.reference:
        header += ["reference wall × python"]
    if a.baseline:
        header += ["baseline wall × python"]
    header += ["instructions", "instructions × python"]
    if a.reference:
        header += ["reference instructions × python"]
    if a.baseline:
        header += ["baseline instructions × python"]
    header += ["target (instructions × python)", "met"]
    report.section(
        "Start-up: bundled facts, warm cache",
        f"wall clock: median of {a.runs} interleaved runs; instructions: "
        + ("one run each under `valgrind --tool=callgrind`" if counts else "not counted (valgrind not installed, or --no-callgrind)")
        + "; × python = multiple of `python -c pass` by the same interpreter"
        + (f"; reference: {a.reference}" if a.reference else "")
        + (f"; baseline: {a.baseline}" if a.baseline else ""),
        header,
        rows,
    )
    if not a.reference and not a.baseline:
        report.notes.append(
            "Wall clock against today's version: give `--reference EXE` (today's autoalliances installed in another "
            "environment, timed in the same rounds) or `--baseline JSON` (a `--json` file of an earlier run)."
        )
    report.data["startup"] = {"runs": a.runs, "valgrind": bool(valgrind and not a.no_callgrind), "completions": completions, "cases": out}


# --- scale -----------------------------------------------------------------------------


def ensure_set(data: Path, deals: int) -> Path | None:
    """The generated set for *deals* in data/<deals>, regenerated when the generator changed (None: no room)."""
    folder = data / str(deals)
    stamp = data / f"{deals}.stamp"
    restore_edit(data, deals)
    want = f"generator {generate.GENERATOR_VERSION} seed {generate.SEED} per-file {generate.RECORDS_PER_FILE}\n"
    if not (folder.is_dir() and stamp.is_file() and stamp.read_text() == want):
        data.mkdir(parents=True, exist_ok=True)
        need = deals * generate.BYTES_PER_DEAL
        free = shutil.disk_usage(data).free
        print(f"  generating {deals:,} deals in {folder} (about {need / 2**20:,.0f} MiB; {free / 2**20:,.0f} MiB free) ...", file=sys.stderr, flush=True)
        if free < need * 1.1:
            return None
        if free < need * 3:
            print("  warning: the cache and the SQLite export need about as much again each", file=sys.stderr)
        stamp.unlink(missing_ok=True)
        t0 = time.perf_counter()
        total = deals + max(5, deals // 1000) + 2 * max(20, deals // 25)

        shown = [0.0]

        def progress(key: str, written: int) -> None:
            if time.perf_counter() - shown[0] >= 2:  # a line every 2 s at most
                shown[0] = time.perf_counter()
                print(f"\r  generating: {key} {written:,}" + " " * 10, end="", file=sys.stderr, flush=True)

        generate.write_set(deals, folder, progress=progress if total > 20_000 else None)
        print(f"\r  generated {deals:,} deals in {time.perf_counter() - t0:.1f} s" + " " * 20, file=sys.stderr)
        stamp.write_text(want)
    return folder


def restore_edit(data: Path, deals: int) -> None:
    """Put back the file the one-file-edit case changed, if a run was interrupted."""
    backup = data / f"{deals}.edit-backup"
    if backup.is_file():
        target = data / str(deals) / EDIT_FILE
        if target.is_file():
            target.write_bytes(backup.read_bytes())
        backup.unlink()


class Editor:
    """Changes one deal's title in one fact file, back and forth, and restores the file."""

    def __init__(self, data: Path, deals: int) -> None:
        self.data, self.deals = data, deals
        self.path = data / str(deals) / EDIT_FILE
        self.original = self.path.read_bytes()
        text = self.original.decode("utf-8")
        m = re.search(rf'^- id: {EDIT_ID}\n  title: "(.*)"$', text, re.M)
        if not m:
            raise SystemExit(f"{self.path}: no title of {EDIT_ID} to edit")
        self.edited = (text[: m.end(1)] + EDIT_MARK + text[m.end(1) :]).encode("utf-8")
        self.is_edited = False

    def toggle(self) -> None:
        backup = self.data / f"{self.deals}.edit-backup"
        if not backup.exists():
            backup.write_bytes(self.original)
        self.is_edited = not self.is_edited
        self.path.write_bytes(self.edited if self.is_edited else self.original)

    def check(self, case: Case, out: Path) -> str | None:
        if (EDIT_MARK in out.read_text("utf-8", "replace")) != self.is_edited:
            return "the answer does not show the edit (no rebuild?)"
        return None

    def restore(self) -> None:
        self.path.write_bytes(self.original)
        self.is_edited = False
        restore_edit(self.data, self.deals)


def warm_commands(ep: Path, facts: list[str], work: Path) -> list[tuple[str, str, list[str], str | None]]:
    """(key, label, arguments, stdout path or None) of each warm case."""
    db = str(work / "export.db")
    return [
        ("deals-year", "`deals --year 2025 --json`", ["deals", "--year", "2025", "--json"], None),
        ("deals-query", f"`deals --company {QUERY_COMPANY} --year {QUERY_YEAR} --json`", ["deals", "--company", QUERY_COMPANY, "--year", QUERY_YEAR, "--json"], None),
        ("company", f"`company {QUERY_COMPANY}`", ["company", QUERY_COMPANY], None),
        ("search", f"`search \"{SEARCH_TEXT}\"`", ["search", SEARCH_TEXT], None),
        ("show", f"`show {SHOW_ID} --json`", ["show", SHOW_ID, "--json"], None),
        ("matrix", "`matrix`", ["matrix"], None),
        ("matrix-csv", "`matrix --format csv`", ["matrix", "--format", "csv"], None),
        ("matrix-json", "`matrix --format json`", ["matrix", "--format", "json"], None),
        ("timeline", "`timeline`", ["timeline"], None),
        ("graph", "`graph`", ["graph"], None),
        ("export-sqlite", "`export sqlite FILE --force`", ["export", "sqlite", db, "--force"], None),
        ("export-json", "`export json -` (to /dev/null)", ["export", "json", "-"], os.devnull),
    ]


@dataclass
class Row:
    """One line of the scale table: a figure at every size."""

    key: str
    label: str
    unit: str  # "s" or "MiB" or ""
    cells: dict[int, Result | float | int | None] = field(default_factory=dict)
    rss: bool = False  # the figure is the peak RSS of the Result

    def value(self, n: int) -> float | None:
        v = self.cells.get(n)
        if isinstance(v, Result):
            return v.rss_mib if self.rss else v.median
        return None if v is None else float(v)

    def lower_bound(self, n: int) -> float | None:
        """The timeout a case exceeded: its time is at least that."""
        v = self.cells.get(n)
        return v.timed_out if isinstance(v, Result) and not self.rss else None


def exponent(row: Row, n1: int, n2: int) -> tuple[float | None, str]:
    """(k, text) with time ∝ n^k between n1 and n2; a timeout at n2 gives a lower bound."""
    t1, t2 = row.value(n1), row.value(n2)
    if t1 and t2:
        k = math.log(t2 / t1) / math.log(n2 / n1)
        return k, f"{k:.2f}"
    lb = row.lower_bound(n2)
    if t1 and lb:
        k = math.log(lb / t1) / math.log(n2 / n1)
        return k, f"≥ {k:.2f}"
    return None, "–"


def fitted_exponent(row: Row, sizes: list[int]) -> float | None:
    """The least-squares slope of ln(figure) against ln(N) over every size with a figure."""
    pts = [(math.log(n), math.log(v)) for n in sizes if (v := row.value(n))]
    if len(pts) < 3:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)


def run_scale(runner: Runner, a: argparse.Namespace, exe: Path, ep: Path, report: Report) -> None:
    sizes = a.sizes
    rows: dict[str, Row] = {}

    def row(key: str, label: str, unit: str, rss: bool = False) -> Row:
        if key not in rows:
            rows[key] = Row(key, label, unit, rss=rss)
        return rows[key]

    given_up: dict[str, str] = {}  # key -> why (a timeout at a smaller size)
    bundled = bundled_facts_dir(exe)
    sizes_json: dict[str, object] = {}
    for n in sizes:
        label = f"{n:,}"
        data = ensure_set(a.data, n)
        if data is None:
            report.warn(f"{label} deals: not enough free disk space in {a.data} for the set (about {n * generate.BYTES_PER_DEAL / 2**20:,.0f} MiB); size skipped")
            continue
        nfiles, nbytes = generate.set_size(data)
        row("files", "fact files (generated)", "").cells[n] = nfiles
        row("disk", "fact files on disk", "MiB").cells[n] = nbytes / 2**20
        facts = ["--facts", str(data)]
        query = ["deals", "--company", QUERY_COMPANY, "--year", QUERY_YEAR, "--json", *facts]
        cache = runner.work / f"cache-{n}"
        env = child_env(cache)
        size_json: dict[str, object] = {"fact_files": nfiles, "fact_bytes": nbytes}
        sizes_json[str(n)] = size_json

        if a.bare_parse:
            bare = Case("bare", "bare parse", [str(exe), "-c", BARE_PARSE, str(bundled), str(data)], child_env(), timeout=a.build_timeout)
            print(f"{label} deals: bare parse", file=sys.stderr)
            interleaved(runner, [bare], a.runs, 0, f"{label} bare", a.budget)
            row("bare", "bare parse of the files (`yaml.CSafeLoader`)", "s").cells[n] = bare.result
            size_json["bare_parse"] = bare.result.as_json()

        # cold build
        def empty_cache(d: Path = cache) -> None:
            shutil.rmtree(d, ignore_errors=True)

        cold = Case("cold", "cold build", [str(ep), *query], env, before=empty_cache, timeout=a.build_timeout)
        if "cold" in given_up:
            cold.result.skipped = given_up["cold"]
        else:
            print(f"{label} deals: cold build", file=sys.stderr)
            cold_runs = cold_budget_runs(runner, cold, a)
            if cold.result.timed_out:
                given_up["cold"] = f"timed out at {label}"
            elif cold.result.ok:
                print(f"  cold build: {len(cold_runs)} run(s)", file=sys.stderr)
        row("cold", "cold build: first query, empty cache", "s").cells[n] = cold.result
        row("cold-rss", "cold build: peak RSS", "MiB", rss=True).cells[n] = cold.result
        size_json["cold"] = cold.result.as_json()
        if not cold.result.ok:
            why = "no cache: the cold build " + ("was skipped" if cold.result.skipped else "failed")
            row("edit", "rebuild after editing one file", "s").cells[n] = Result(skipped=why)
            for key, lab, *_ in warm_commands(ep, facts, runner.work):
                row(key, lab, "s").cells[n] = Result(skipped=given_up.get(key, why))
            continue
        cache_bytes = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file())
        row("cache-disk", "cache on disk", "MiB").cells[n] = cache_bytes / 2**20
        size_json["cache_bytes"] = cache_bytes
        cold_answer = set(cold.result.digests)

        # one-file edit, then the rebuild
        editor = Editor(a.data, n)
        edit = Case("edit", "rebuild after a one-file edit", [str(ep), *query], env, before=editor.toggle, after=editor.check, timeout=a.build_timeout)
        if "edit" in given_up:
            edit.result.skipped = given_up["edit"]
        else:
            print(f"{label} deals: one-file edit, rebuild", file=sys.stderr)
            try:
                cold_budget_runs(runner, edit, a)
            finally:
                editor.restore()
            if edit.result.timed_out:
                given_up["edit"] = f"timed out at {label}"
        row("edit", "rebuild after editing one file", "s").cells[n] = edit.result
        row("edit-rss", "rebuild after editing one file: peak RSS", "MiB", rss=True).cells[n] = edit.result
        size_json["edit"] = edit.result.as_json()

        # warm the cache again (the file is back as generated), check the answer
        rewarm = Case("rewarm", "query after restoring the file", [str(ep), *query], env, timeout=a.build_timeout)
        if runner.once(rewarm, record=True) is None:
            print(f"  {label}: the cache could not be rebuilt; no warm cases", file=sys.stderr)
            continue
        if rewarm.result.digests != cold_answer:
            report.warn(f"{label} deals: the answer after restoring the edited file differs from the cold build's")

        # warm commands
        cases = []
        for key, lab, args, stdout in warm_commands(ep, facts, runner.work):
            c = Case(key, lab, [str(ep), *args, *facts], env, stdout=stdout, timeout=a.timeout)
            if key in given_up:
                c.result.skipped = given_up[key]
            cases.append(c)
        print(f"{label} deals: warm", file=sys.stderr)
        interleaved(runner, cases, a.runs, a.warmup, f"{label} warm", a.budget)
        (runner.work / "export.db").unlink(missing_ok=True)
        warm_json = {}
        for c in cases:
            if c.result.timed_out:
                given_up[c.key] = f"timed out at {label}"
            if c.stdout is None and len(c.result.digests) > 1:
                report.warn(f"{label} deals: {c.label}: the output differs between runs")
            if c.key == "deals-query" and c.result.ok and c.result.digests != cold_answer:
                report.warn(f"{label} deals: the warm answer of the query differs from the cold build's")
            row(c.key, c.label, "s").cells[n] = c.result
            warm_json[c.key] = {"label": c.label, **c.result.as_json()}
        size_json["warm"] = warm_json

    # --- the table ---
    pairs = list(itertools.pairwise(sizes))
    fit = len(sizes) >= 3
    header = ["figure", *[f"{n:,}" for n in sizes], *[f"k {short(n1)}→{short(n2)}" for n1, n2 in pairs], *(["k fit"] if fit else []), "target", "met"]
    table = []
    exps: dict[str, dict[str, float | None]] = {}
    for r in rows.values():
        cells = [f"{r.label} ({r.unit})" if r.unit else r.label]
        for n in sizes:
            cells.append(fmt_cell(r, n, a.runs))
        exps[r.key] = {}
        for n1, n2 in pairs:
            k, text = exponent(r, n1, n2) if r.key not in ("files", "disk", "cache-disk") else (None, "–")
            exps[r.key][f"{n1}-{n2}"] = k
            cells.append(text)
        if fit:
            k = fitted_exponent(r, sizes) if r.key not in ("files", "disk", "cache-disk") else None
            exps[r.key]["fit"] = k
            cells.append("–" if k is None else f"{k:.2f}")
        cells += scale_targets(r, sizes, report)
        table.append(cells)
    report.section(
        "Scale: generated sets on top of the bundled facts",
        f"median of up to {a.runs} runs (the warm cases interleaved; fewer runs where the first took long, "
        f"about {a.budget:g} s per case and size: (n=…) gives the number); k = growth exponent, time ∝ N^k between two sizes"
        + ("; k fit: least squares over every size with a figure" if fit else "")
        + "; "
        f"timeout {a.timeout:g} s per command, {a.build_timeout:g} s per build",
        header,
        table,
    )
    report.data["scale"] = {"sizes": sizes, "runs": a.runs, "budget_s": a.budget, "timeout_s": a.timeout, "build_timeout_s": a.build_timeout, "by_size": sizes_json, "exponents": exps}


def cold_budget_runs(runner: Runner, case: Case, a: argparse.Namespace) -> list[float]:
    """Timed runs of a build, as many as fit the budget (at least one, at most --runs)."""
    first = runner.once(case)
    if first is None:
        return []
    n = max(1, min(a.runs, int(a.budget // max(first, 1e-3))))
    for i in range(n - 1):
        print(f"\r  {case.label}: run {i + 2}/{n}" + " " * 20, end="", file=sys.stderr, flush=True)
        if runner.once(case) is None:
            break
    if n > 1:
        print(file=sys.stderr)
    return case.result.seconds


def short(n: int) -> str:
    for div, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n % div == 0:
            return f"{n // div}{suffix}"
    return f"{n:,}"


def scale_targets(r: Row, sizes: list[int], report: Report) -> tuple[str, str]:
    """The targets of one scale row: (limits, met or not of each) and each one added to the report."""
    texts: list[str] = []
    oks: list[bool | None] = []

    def add(name: str, figure: str, limit: str, ok: bool | None) -> None:
        texts.append(limit)
        oks.append(ok)
        report.target(name, figure, limit, ok)

    warm = r.key not in ("files", "disk", "cache-disk", "bare", "cold", "cold-rss", "edit", "edit-rss")
    if warm:
        n1, n2 = EXPONENT_SPAN
        name, limit = f"growth {short(n1)}→{short(n2)}: {r.label}", f"k ≤ {TARGET_EXPONENT:g} ({short(n1)}→{short(n2)})"
        k, text = exponent(r, n1, n2) if n1 in sizes and n2 in sizes else (None, "not measured")
        if k is None and isinstance(r.cells.get(n1), Result) and r.cells[n1].timed_out:  # type: ignore[union-attr]
            text = f"timed out at {short(n1)}"
        if k is None:
            add(name, text, limit, None)
        elif text.startswith("≥"):  # a lower bound: only a miss is known
            add(name, f"k {text} (timeout)", limit, False if k > TARGET_EXPONENT else None)
        else:
            add(name, f"k {text}", limit, k <= TARGET_EXPONENT)

    def per_size(limits: dict[int, float], unit: str, strict: bool = False) -> None:
        for n, limit in limits.items():
            if n not in sizes:
                add(f"{r.label} at {n:,}", "not measured", f"{'<' if strict else '≤'} {limit:g} {unit} at {short(n)}", None)
                continue
            v = r.value(n)
            lb = r.lower_bound(n)
            if v is None and lb is not None:
                add(f"{r.label} at {n:,}", f"> {lb:g} {unit} (timeout)", f"{'<' if strict else '≤'} {limit:g} {unit} at {short(n)}", False if lb >= limit else None)
                continue
            ok = None if v is None else (v < limit if strict else v <= limit)
            add(f"{r.label} at {n:,}", "not measured" if v is None else f"{v:.3g} {unit}", f"{'<' if strict else '≤'} {limit:g} {unit} at {short(n)}", ok)

    if r.key.startswith("matrix"):
        per_size(TARGET_MATRIX_S, "s", strict=True)
    elif r.key == "cold-rss":
        per_size(TARGET_COLD_RSS_MIB, "MiB")
    elif r.key == "edit":
        per_size(TARGET_EDIT_S, "s")
    elif r.key == "deals-year":
        per_size(TARGET_WARM_DEALS_S, "s")
    if not texts:
        return "–", "–"
    return "; ".join(texts), "; ".join(met(o) for o in oks)


def bundled_facts_dir(exe: Path) -> str:
    """The bundled facts folder of the installed package (asked of the installed interpreter)."""
    code = (
        "import importlib.util, pathlib; s = importlib.util.find_spec('autoalliances'); "
        "p = pathlib.Path(list(s.submodule_search_locations)[0]); "
        "print(p / 'facts' if (p / 'facts').is_dir() else p.parent / 'facts')"
    )
    return subprocess.run([str(exe), "-c", code], capture_output=True, text=True, env=child_env(), check=True).stdout.strip()


# --- output ----------------------------------------------------------------------------


def fmt_x(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}×"


def met(ok: bool | None) -> str:
    return "not measured" if ok is None else ("yes" if ok else "**no**")


def fmt_ms(r: Result) -> str:
    if r.timed_out:
        return f"> {r.timed_out * 1000:.0f} (timeout)"
    if r.error:
        return r.error
    return "–" if r.median is None else f"{r.median * 1000:.0f}"


def fmt_s(s: float) -> str:
    return f"{s:.3f}" if s < 1 else f"{s:.2f}" if s < 10 else f"{s:.1f}"


def fmt_cell(r: Row, n: int, runs: int) -> str:
    v = r.cells.get(n)
    if v is None:
        return "–"
    if not isinstance(v, Result):
        return f"{v:,.1f}" if isinstance(v, float) else f"{v:,}"
    if v.skipped:
        return f"skipped ({v.skipped})"
    if v.timed_out:
        return f"> {v.timed_out:g} s (timeout)"
    if v.error:
        return v.error
    x = r.value(n)
    if x is None:
        return "–"
    text = f"{x:.1f}" if r.rss else fmt_s(x)
    if not r.rss and len(v.seconds) < runs:
        text += f" (n={len(v.seconds)})"
    return text


class Report:
    def __init__(self) -> None:
        self.sections: list[tuple[str, str, list[str], list[list[str]]]] = []
        self.targets: list[tuple[str, str, str, bool | None]] = []
        self.data: dict[str, object] = {}
        self.notes: list[str] = []

    def section(self, title: str, note: str, header: list[str], rows: list[list[str]]) -> None:
        self.sections.append((title, note, header, rows))

    def warn(self, text: str) -> None:
        print(f"\n  warning: {text}", file=sys.stderr)
        self.notes.append(f"Warning: {text}.")
        self.data.setdefault("warnings", []).append(text)  # type: ignore[union-attr]

    def target(self, name: str, figure: str, limit: str, ok: bool | None) -> None:
        self.targets.append((name, figure, limit, ok))

    def print(self, info: str) -> None:
        print()
        print(info)
        for title, note, header, rows in self.sections:
            print()
            print(f"### {title}")
            print()
            print(note)
            print()
            table(header, rows)
        if self.targets:
            print()
            print("### Targets")
            print()
            known = [t for t in self.targets if t[3] is not None]
            unknown = [t for t in self.targets if t[3] is None]
            if known:
                table(["target", "figure", "limit", "met"], [[n, f, lim, met(ok)] for n, f, lim, ok in known])
                print()
            yes = sum(1 for t in known if t[3])
            print(f"{yes} of {len(self.targets)} targets met, {len(known) - yes} not met, {len(unknown)} not measured")
            if unknown:
                print()
                print("Not measured in this run: " + "; ".join(n + (f" ({f})" if f != "not measured" else "") for n, f, _, _ in unknown) + ".")
        for note in self.notes:
            print()
            print(note)


def table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=False)) + " |"  # noqa: E731
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))


def machine_info(exe: Path) -> tuple[str, dict[str, object]]:
    def version(pkg: str) -> str:
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return "not installed"

    try:
        import yaml

        libyaml = "with libyaml" if getattr(yaml, "__with_libyaml__", False) else "without libyaml"
    except ImportError:
        libyaml = ""
    vg = shutil.which("valgrind")
    vg_version = subprocess.run([vg, "--version"], capture_output=True, text=True).stdout.strip() if vg else "not installed"
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    info = {
        "date_utc": f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M}",
        "python": platform.python_version(),
        "executable": str(exe),
        "autoalliances": version("autoalliances"),
        "typer": version("typer"),
        "click": version("click"),
        "rich": version("rich"),
        "PyYAML": f"{version('PyYAML')} {libyaml}".strip(),
        "cpus": os.cpu_count(),
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        "valgrind": vg_version,
        "load_average_at_start": load,
    }
    text = (
        f"{info['date_utc']} UTC · autoalliances {info['autoalliances']} · Python {info['python']} · "
        f"typer {info['typer']} · " + (f"click {info['click']} · " if info["click"] != "not installed" else "") + f"rich {info['rich']} · PyYAML {info['PyYAML']} · "
        f"{info['cpus']} CPUs · {info['system']} · {vg_version} · "
        f"load average {' '.join(f'{x:.2f}' for x in load) if load else '?'} at the start"
    )
    return text, info


def parse_sizes(text: str) -> list[int]:
    return sorted({int(s.strip().replace("_", "")) for s in text.split(",") if s.strip()})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark the installed autoalliances command.")
    ap.add_argument("--quick", action="store_true", help="3 runs and sizes 1000,10000 unless given")
    ap.add_argument("--sizes", help="comma-separated numbers of deals (default 1000,10000,100000), e.g. 1000,10000 or 1000000")
    ap.add_argument("--runs", type=int, help="timed runs per case (default 10; 3 with --quick)")
    ap.add_argument("--warmup", type=int, default=2, help="untimed runs per case first (default 2)")
    ap.add_argument("--only", choices=("startup", "scale"), help="run one section only")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds a command may take before it is killed (default 60)")
    ap.add_argument("--build-timeout", type=float, default=900.0, help="seconds a cold build or rebuild may take (default 900)")
    ap.add_argument("--budget", type=float, default=60.0, help="about this many seconds of runs per scale case and size (default 60)")
    ap.add_argument("--bare-parse", action="store_true", help="also time a bare parse of each set's files with yaml.CSafeLoader")
    ap.add_argument("--reference", metavar="EXE", help="another installed autoalliances script, timed in the same start-up rounds")
    ap.add_argument("--baseline", metavar="JSON", help="a previous --json output: compare the start-up wall-clock ratios with it")
    ap.add_argument("--no-callgrind", action="store_true", help="skip the instruction counts even if valgrind is installed")
    ap.add_argument("--json", metavar="PATH", type=Path, help="also write every figure to PATH as JSON")
    ap.add_argument("--data", type=Path, default=HERE / ".data", help="where generated sets are kept")
    a = ap.parse_args(argv)
    a.runs = a.runs or (3 if a.quick else 10)
    a.sizes = parse_sizes(a.sizes or ("1000,10000" if a.quick else "1000,10000,100000"))

    exe = Path(sys.executable)
    ep = exe.parent / ("autoalliances.exe" if os.name == "nt" else "autoalliances")
    if not ep.exists():
        raise SystemExit(f"{ep} not found: install the project into this environment (pip install .)")
    info_text, info = machine_info(exe)
    report = Report()
    report.data["machine"] = info
    report.data["settings"] = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(a).items()}
    work = Path(tempfile.mkdtemp(prefix="autoalliances-bench-"))
    runner = Runner(work)
    t0 = time.perf_counter()
    try:
        if a.only in (None, "startup"):
            run_startup(runner, a, exe, ep, report)
        if a.only in (None, "scale"):
            run_scale(runner, a, exe, ep, report)
    finally:
        runner.close()
        shutil.rmtree(work, ignore_errors=True)
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    info["load_average_at_end"] = load
    info["total_seconds"] = round(time.perf_counter() - t0, 1)
    info_text += f", {' '.join(f'{x:.2f}' for x in load) if load else '?'} at the end; {info['total_seconds']:.0f} s in all"
    report.data["targets"] = [{"target": n, "figure": f, "limit": lim, "met": ok} for n, f, lim, ok in report.targets]
    report.print(info_text)
    if a.json:
        a.json.write_text(json.dumps(report.data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nfigures written to {a.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

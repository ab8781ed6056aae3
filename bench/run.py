"""Time the installed ``autoalliances`` command as separate processes.

    python bench/run.py                    # sizes 1000,10000,100000, 10 runs each
    python bench/run.py --quick            # 3 runs, sizes 1000,10000
    python bench/run.py --sizes 10000 --runs 20

Run it with the interpreter of the environment the project is installed in:
the command timed is the ``autoalliances`` script next to ``sys.executable``,
and ``python -c pass`` run by the same interpreter is the start-up baseline.
Every figure is the median of interleaved runs (baseline and candidate take
turns, so a noisy machine slows both alike). Peak memory is the child's
maximum resident set size from ``os.wait4`` (POSIX systems only).

What is measured (see the README section "Performance"):

- start-up, bundled facts, warm cache: ``deals --year 2025 --format json``,
  ``company BMW``, ``--help`` and shell completion of a company name, against
  ``python -c pass``;
- per synthetic set of N deals (``bench/generate.py``, added on top of the
  bundled facts with ``--facts``):
  - cold: the first query with an empty cache directory, against a bare
    parse of the same files with ``yaml.load(f, Loader=yaml.CSafeLoader)``
    in a separate process;
  - warm: ``deals --company syn-auto-0007 --year 2024 --format json`` and
    ``show syn-deal-000042 --json`` with the cache built, against the
    bundled JSON query above (measured again, interleaved);
  - peak memory of the warm deals query.

Generated sets are kept in ``bench/.data/`` (not tracked) and reused while
the generator's version and seed are unchanged.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile

from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (bench/generate.py, next to this file)

QUERY_COMPANY = generate.QUERY_COMPANY
QUERY_YEAR = str(generate.QUERY_YEAR)
SHOW_ID = "syn-deal-000042"

# Targets: (ratio limit, what the ratio is taken against).
TARGET_BUNDLED_JSON = 8.0
TARGET_COMPANY = 10.0
TARGET_HELP = 10.0
TARGET_COMPLETION = 1.25  # "about the JSON query's time"
TARGET_COLD = {10_000: 1.3}
TARGET_WARM = {10_000: 1.5, 100_000: 3.0}
TARGET_RSS_MIB = {10_000: 100.0}

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


@dataclass
class Result:
    ms: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    outputs: set[str] = field(default_factory=set)
    last_stdout: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.ms)

    @property
    def rss_mib(self) -> float:
        return max(self.rss_kib) / 1024 if self.rss_kib else float("nan")


@dataclass
class Case:
    name: str
    cmd: list[str]
    env: dict[str, str]
    before: object = None  # callable run before each (untimed), e.g. emptying the cache
    result: Result = field(default_factory=Result)


def child_env(cache: Path | None = None, **extra: str) -> dict[str, str]:
    """The caller's environment minus our own variables and PYTHONDONTWRITEBYTECODE.

    PYTHONDONTWRITEBYTECODE=1 would make every start recompile the package,
    which is not what an installed program does.
    """
    env = {k: v for k, v in os.environ.items() if "AUTOALLIANCES" not in k and k != "PYTHONDONTWRITEBYTECODE"}
    if cache is not None:
        env["AUTOALLIANCES_CACHE_DIR"] = str(cache)
    env.update(extra)
    return env


# The children are started by a small helper process, not by this one: Linux
# counts the memory of the process that forks into the child's peak RSS (the
# child is a copy until it execs), and this process is larger than the
# ``python -c pass`` being measured. The helper imports only built-in modules
# (``-S``: no site), so it stays below any Python child it starts; it times
# each child and reports (exit code, seconds, ru_maxrss) from ``os.wait4``.
SPAWNER = r"""
import os, sys, time, marshal
def readn(n):
    b = b""
    while len(b) < n:
        c = os.read(0, n - len(b))
        if not c:
            sys.exit(0)
        b += c
    return b
while True:
    cmd, env, out, err = marshal.loads(readn(int.from_bytes(readn(8), "little")))
    fo = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    fe = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    acts = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0), (os.POSIX_SPAWN_DUP2, fo, 1), (os.POSIX_SPAWN_DUP2, fe, 2)]
    t0 = time.perf_counter()
    pid = os.posix_spawn(cmd[0], cmd, env, file_actions=acts)
    _, status, ru = os.wait4(pid, 0)
    t1 = time.perf_counter()
    os.close(fo)
    os.close(fe)
    r = marshal.dumps((os.waitstatus_to_exitcode(status), t1 - t0, ru.ru_maxrss))
    os.write(1, len(r).to_bytes(8, "little") + r)
"""


class Spawner:
    def __init__(self) -> None:
        self.p = subprocess.Popen([sys.executable, "-S", "-c", SPAWNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=child_env())

    def run(self, cmd: list[str], env: dict[str, str], out: str, err: str) -> tuple[int, float, int]:
        import marshal

        msg = marshal.dumps((cmd, env, out, err))
        assert self.p.stdin and self.p.stdout
        self.p.stdin.write(len(msg).to_bytes(8, "little") + msg)
        self.p.stdin.flush()
        n = int.from_bytes(self.p.stdout.read(8), "little")
        if not n:
            raise SystemExit("the helper process that starts the children died")
        rc, seconds, maxrss = marshal.loads(self.p.stdout.read(n))
        return rc, seconds, maxrss // 1024 if sys.platform == "darwin" else maxrss  # KiB

    def close(self) -> None:
        if self.p.stdin:
            self.p.stdin.close()
        self.p.wait()


_spawner: Spawner | None = None
_outdir: Path | None = None


def run_once(case: Case) -> None:
    if callable(case.before):
        case.before()
    assert _spawner is not None and _outdir is not None
    out, err = _outdir / "stdout", _outdir / "stderr"
    rc, seconds, rss = _spawner.run(case.cmd, case.env, str(out), str(err))
    stdout = out.read_text("utf-8", "replace")
    if rc != 0:
        raise SystemExit(f"{case.name}: exit {rc}\n$ {' '.join(case.cmd)}\n{err.read_text('utf-8', 'replace')}")
    case.result.ms.append(seconds * 1000)
    case.result.rss_kib.append(rss)
    case.result.outputs.add(stdout)
    case.result.last_stdout = stdout


def interleaved(cases: list[Case], runs: int, warmup: int, label: str) -> None:
    for _ in range(warmup):
        for c in cases:
            run_once(c)
    for c in cases:  # warm-up runs are not counted
        c.result = Result()
    for i in range(runs):
        print(f"\r  {label}: run {i + 1}/{runs}", end="", file=sys.stderr, flush=True)
        for c in cases:
            run_once(c)
    print(file=sys.stderr)


def ensure_set(data: Path, deals: int) -> Path:
    """The generated set for *deals* in data/<deals>, regenerated when the generator changed."""
    folder = data / str(deals)
    stamp = data / f"{deals}.stamp"
    want = f"generator {generate.GENERATOR_VERSION} seed {generate.SEED} per-file {generate.RECORDS_PER_FILE}\n"
    if not (folder.is_dir() and stamp.is_file() and stamp.read_text() == want):
        print(f"  generating {deals:,} deals in {folder} ...", file=sys.stderr, flush=True)
        generate.write_set(deals, folder)
        stamp.write_text(want)
    return folder


def fmt_ratio(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}×"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark the installed autoalliances command.")
    ap.add_argument("--quick", action="store_true", help="3 runs and sizes 1000,10000 unless given")
    ap.add_argument("--sizes", help="comma-separated numbers of deals (default 1000,10000,100000)")
    ap.add_argument("--runs", type=int, help="timed runs per case (default 10; 3 with --quick)")
    ap.add_argument("--warmup", type=int, default=2, help="untimed runs per case first (default 2)")
    ap.add_argument("--data", type=Path, default=HERE / ".data", help="where generated sets are kept")
    a = ap.parse_args(argv)
    runs = a.runs or (3 if a.quick else 10)
    sizes = [int(s.replace("_", "").replace(",", "")) for s in (a.sizes or ("1000,10000" if a.quick else "1000,10000,100000")).split(",") if s]

    exe = Path(sys.executable)
    ep = exe.parent / ("autoalliances.exe" if os.name == "nt" else "autoalliances")
    if not ep.exists():
        raise SystemExit(f"{ep} not found: install the project into this environment (pip install -e .)")
    from autoalliances.cache import bundled_facts_dir

    bundled = bundled_facts_dir()
    work = Path(tempfile.mkdtemp(prefix="autoalliances-bench-"))
    rows: list[list[str]] = []
    global _spawner, _outdir
    _outdir = work
    _spawner = Spawner()

    def row(name: str, res: Result | None, ratio: float | None, base: str, limit: float | None, rss_limit: float | None = None, note: str = "") -> None:
        met = "–"
        target = "–"
        if limit is not None:
            target = f"≤ {limit:g}×"
            met = "yes" if ratio is not None and ratio <= limit else "no"
        if rss_limit is not None:
            target = (target + ", " if limit is not None else "") + f"RSS ≤ {rss_limit:g} MiB"
            ok = res is not None and res.rss_mib <= rss_limit and met != "no"
            met = "yes" if ok else "no"
        rows.append([
            name + (f" ({note})" if note else ""),
            f"{res.median:.0f}" if res else "–",
            fmt_ratio(ratio),
            base,
            target,
            met,
            f"{res.rss_mib:.1f}" if res else "–",
        ])

    try:
        # --- start-up, bundled facts --------------------------------------------------
        bcache = work / "cache-bundled"
        py = Case("python -c pass", [str(exe), "-c", "pass"], child_env())
        bjson = Case("bundled json", [str(ep), "deals", "--year", "2025", "--format", "json"], child_env(bcache))
        company = Case("company BMW", [str(ep), "company", "BMW"], child_env(bcache))
        helpc = Case("--help", [str(ep), "--help"], child_env(bcache))
        comp_env = child_env(bcache, _AUTOALLIANCES_COMPLETE="complete_bash", COMP_WORDS="autoalliances company BM", COMP_CWORD="2")
        complete = Case("completion", [str(ep)], comp_env)
        print("start-up (bundled facts, warm cache)", file=sys.stderr)
        interleaved([py, bjson, company, helpc, complete], runs, a.warmup, "start-up")
        base_py = py.result.median
        completions = [ln for ln in complete.result.last_stdout.splitlines() if ln.strip()]
        row("`python -c pass` (same interpreter)", py.result, None, "–", None)
        row("bundled: `deals --year 2025 --format json`", bjson.result, bjson.result.median / base_py, "python -c pass", TARGET_BUNDLED_JSON)
        row("bundled: `company BMW` (table)", company.result, company.result.median / base_py, "python -c pass", TARGET_COMPANY)
        row("`--help`", helpc.result, helpc.result.median / base_py, "python -c pass", TARGET_HELP)
        row(
            "completion: `company BM<TAB>`",
            complete.result,
            complete.result.median / bjson.result.median,
            "bundled JSON query",
            TARGET_COMPLETION,
            note=f"{len(completions)} completions" + (": " + ", ".join(completions[:5]) if completions else ""),
        )

        # --- synthetic sets ------------------------------------------------------------
        for n in sizes:
            data = ensure_set(a.data, n)
            nfiles = sum(1 for _, _, fs in os.walk(data) for f in fs if f.endswith(".yaml"))
            query = ["deals", "--company", QUERY_COMPANY, "--year", QUERY_YEAR, "--format", "json", "--facts", str(data)]

            cold_cache = work / f"cache-cold-{n}"

            def empty_cache(d: Path = cold_cache) -> None:
                shutil.rmtree(d, ignore_errors=True)

            bare = Case(f"bare parse {n}", [str(exe), "-c", BARE_PARSE, str(bundled), str(data)], child_env())
            cold = Case(f"cold {n}", [str(ep), *query], child_env(cold_cache), before=empty_cache)
            print(f"{n:,} deals: cold", file=sys.stderr)
            interleaved([bare, cold], runs, 1, f"{n:,} cold")

            warm_cache = work / f"cache-warm-{n}"
            base = Case("bundled json", bjson.cmd, bjson.env)
            warm = Case(f"warm {n}", [str(ep), *query], child_env(warm_cache))
            show = Case(f"show {n}", [str(ep), "show", SHOW_ID, "--json", "--facts", str(data)], child_env(warm_cache))
            print(f"{n:,} deals: warm", file=sys.stderr)
            interleaved([base, warm, show], runs, a.warmup, f"{n:,} warm")
            # Every run printed the same answer, cold and warm, and the warm runs reused one cache file.
            for c in (cold, warm, show):
                if len(c.result.outputs) != 1:
                    raise SystemExit(f"{c.name}: output differs between runs")
            if cold.result.outputs != warm.result.outputs:
                raise SystemExit(f"{n}: cold and warm output differ")
            cache_files = [p.name for p in warm_cache.iterdir()]
            if len(cache_files) != 1:
                raise SystemExit(f"{n}: expected one cache file, found {cache_files}")
            found = len(json.loads(warm.result.last_stdout))

            label = f"{n:,}"
            row(f"{label}: bare parse, {nfiles} + bundled files", bare.result, None, "–", None)
            row(
                f"{label}: cold query (empty cache)",
                cold.result,
                cold.result.median / bare.result.median,
                f"bare parse {label}",
                TARGET_COLD.get(n),
            )
            row(f"{label}: bundled JSON query (baseline)", base.result, None, "–", None)
            row(
                f"{label}: warm `deals --company {QUERY_COMPANY} --year {QUERY_YEAR} --format json`",
                warm.result,
                warm.result.median / base.result.median,
                "bundled JSON query",
                TARGET_WARM.get(n),
                TARGET_RSS_MIB.get(n),
                note=f"{found} deals",
            )
            row(
                f"{label}: warm `show {SHOW_ID} --json`",
                show.result,
                show.result.median / base.result.median,
                "bundled JSON query",
                TARGET_WARM.get(n),
            )
    finally:
        _spawner.close()
        shutil.rmtree(work, ignore_errors=True)

    def version(pkg: str) -> str:
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return "not installed"

    print()
    print(
        f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC · Python {platform.python_version()} · "
        f"typer {version('typer')} · rich {version('rich')} · PyYAML {version('PyYAML')} · "
        f"{os.cpu_count()} CPUs · {platform.system()} {platform.machine()} · "
        f"median of {runs} interleaved runs"
    )
    print()
    header = ["case", "median ms", "ratio", "baseline", "target", "met", "peak RSS MiB"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))
    missed = [r[0] for r in rows if r[5] == "no"]
    print()
    print("all targets met" if not missed else "missed: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())

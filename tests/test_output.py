"""Output that cannot be written, and output for terminals: pipes, full disks, encodings, pager, colour.

Most of it needs a real process (a closed descriptor, /dev/full, a terminal),
so the installed program is run as the user runs it.
"""

from __future__ import annotations

import errno
import json
import os
import pty
import re
import select
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from autoalliances.cli import app
from autoalliances.errors import OutputError

EXE = str(Path(sys.executable).parent / "autoalliances")

RUNS = [
    ["deals"],
    ["deals", "--format", "json"],
    ["deals", "--format", "jsonl"],
    ["deals", "--format", "csv"],
    ["deals", "--format", "markdown"],
    ["company", "BMW"],
    ["show", "bmw"],
    ["matrix"],
    ["timeline"],
    ["graph"],
    ["validate"],
    ["--help"],
    ["deals", "--help"],
]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AUTOALLIANCES_", "PAGER"))}
    return {**env, "AUTOALLIANCES_CACHE_DIR": str(tmp_path / "cache"), **extra}


@pytest.mark.parametrize("args", RUNS, ids=" ".join)
def test_a_reader_that_left_is_a_quiet_exit_0(tmp_path: Path, args: list[str]) -> None:
    """`| head`: the read end is closed before the program writes a byte, so every write fails with EPIPE."""
    read, write_end = os.pipe()
    os.close(read)
    try:
        r = subprocess.run([EXE, *args], stdout=write_end, stderr=subprocess.PIPE, text=True, env=_env(tmp_path), timeout=60)
    finally:
        os.close(write_end)
    assert r.returncode == 0, r.stderr
    assert "Error" not in r.stderr and "Traceback" not in r.stderr  # notes (timeline's count) may stay


def test_table_through_head_exits_0(tmp_path: Path) -> None:
    r = subprocess.run(["bash", "-c", f"set -o pipefail; '{EXE}' deals | head -3"], capture_output=True, text=True, env=_env(tmp_path), timeout=60)
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout.count("\n") == 3


@pytest.mark.parametrize("args", [["deals"], ["deals", "--json"], ["deals", "--format", "csv"], ["company", "BMW"], ["--help"]], ids=" ".join)
def test_closed_stdout_is_exit_4_with_a_message(tmp_path: Path, args: list[str]) -> None:
    cmd = " ".join(f"'{a}'" for a in [EXE, *args]) + " >&-"
    r = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, env=_env(tmp_path), timeout=60)
    assert (r.returncode, r.stderr) == (4, "Error: cannot write output: standard output is closed\n")


@pytest.mark.parametrize("args", [["deals"], ["deals", "--json"], ["deals", "--format", "markdown"], ["company", "BMW"], ["--help"]], ids=" ".join)
def test_full_disk_is_exit_4_with_a_message(tmp_path: Path, args: list[str]) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        r = subprocess.run([EXE, *args], stdout=full, stderr=subprocess.PIPE, text=True, env=_env(tmp_path), timeout=60)
    assert (r.returncode, r.stderr) == (4, "Error: cannot write output: No space left on device\n")


def test_closed_stdout_does_not_hand_its_descriptor_to_the_cache(tmp_path: Path) -> None:
    """With fd 1 closed, the cache database must not be opened as fd 1 and receive the output."""
    r = subprocess.run(["bash", "-c", f"'{EXE}' deals --json >&-"], capture_output=True, text=True, env=_env(tmp_path), timeout=60)
    assert r.returncode == 4
    r = subprocess.run([EXE, "deals", "--json"], capture_output=True, text=True, env=_env(tmp_path), timeout=60)
    assert r.returncode == 0 and json.loads(r.stdout)  # the cache is whole


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_json_in_an_encoding_without_the_characters_uses_escapes(tmp_path: Path, encoding: str) -> None:
    utf8 = subprocess.run([EXE, "deals", "--json"], capture_output=True, env=_env(tmp_path), timeout=60)
    narrow = subprocess.run([EXE, "deals", "--json"], capture_output=True, env=_env(tmp_path, PYTHONIOENCODING=encoding), timeout=60)
    assert narrow.returncode == 0 and narrow.stderr == b""
    text = narrow.stdout.decode(encoding)
    assert "\\u2026" in text or "\\u2019" in text  # characters beyond the encoding, escaped
    assert json.loads(text) == json.loads(utf8.stdout.decode("utf-8"))
    lines = subprocess.run([EXE, "deals", "--format", "jsonl"], capture_output=True, env=_env(tmp_path, PYTHONIOENCODING=encoding), timeout=60)
    assert [json.loads(x) for x in lines.stdout.decode(encoding).splitlines()] == json.loads(utf8.stdout)


@pytest.mark.parametrize("args", [["deals"], ["company", "BMW"], ["deals", "--format", "csv"], ["deals", "--format", "markdown"], ["graph"], ["--help"]], ids=" ".join)
def test_text_in_an_encoding_without_the_characters_uses_replacements(tmp_path: Path, args: list[str]) -> None:
    r = subprocess.run([EXE, *args], capture_output=True, env=_env(tmp_path, PYTHONIOENCODING="ascii"), timeout=60)
    assert (r.returncode, r.stderr) == (0, b"")
    assert r.stdout.isascii() and r.stdout.strip()


def test_errors_on_stderr_survive_a_narrow_encoding(tmp_path: Path) -> None:
    r = subprocess.run([EXE, "company", "Bä×"], capture_output=True, env=_env(tmp_path, PYTHONIOENCODING="ascii"), timeout=60)
    assert r.returncode == 2 and b"unknown company" in r.stderr and b"Traceback" not in r.stderr


# --- the stream itself (imported in each test: tests/ runs against older builds too) ----------------------------------------------------------------------------


class _Failing:
    encoding = "utf-8"

    def __init__(self, error: OSError) -> None:
        self.error = error

    def write(self, text: str) -> int:
        raise self.error

    def flush(self) -> None:
        pass

    def fileno(self) -> int:
        raise OSError("no descriptor")


def test_output_turns_write_errors_into_output_error() -> None:
    from autoalliances.render.writers import Output

    out = Output(_Failing(OSError(errno.ENOSPC, "No space left on device")), "stdout")
    with pytest.raises(OutputError, match=r"^cannot write output: No space left on device$"):
        out.write("x")
    out.write("more")  # dropped: the error is reported once


def test_output_drops_everything_after_the_reader_left() -> None:
    from autoalliances.render.writers import Output

    out = Output(_Failing(BrokenPipeError(errno.EPIPE, "Broken pipe")), "stdout")
    assert out.write("x") == 1
    assert out.gone
    out.flush()


def test_stderr_errors_are_silent() -> None:
    from autoalliances.render.writers import Output

    Output(_Failing(OSError(errno.EIO, "I/O error")), "stderr").write("x")
    Output(None, "stderr").write("x")


def test_output_refuses_bytes_as_a_text_stream_does() -> None:
    from autoalliances.render.writers import Output

    # click asks "is this a binary stream?" by writing b"" to it.
    with pytest.raises(TypeError):
        Output(sys.stderr, "stdout").write(b"")  # type: ignore[arg-type]


# --- pager ----------------------------------------------------------------------------------------


def _in_terminal(args: list[str], env: dict[str, str], rows: int = 10) -> tuple[int, str]:
    """Run with stdout and stdin on a pseudo-terminal; returns (exit code, what the terminal got)."""
    master, slave = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, 100, 0, 0))
    p = subprocess.Popen([EXE, *args], stdin=slave, stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    got = b""
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            p.kill()
            raise AssertionError("no output for 30 s: the program hangs")
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's other side is closed
            break
        if not chunk:
            break
        got += chunk
    os.close(master)
    assert p.stderr is not None
    err = p.stderr.read().decode()
    code = p.wait(timeout=30)
    assert err == "", err
    return code, got.decode("utf-8", "replace")


def test_long_output_in_a_terminal_goes_through_the_pager(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    env = _env(tmp_path, AUTOALLIANCES_PAGER=f"cat > '{paged}'", TERM="xterm-256color")
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    code, screen = _in_terminal(["deals"], env)
    assert code == 0
    text = paged.read_text(encoding="utf-8")
    assert "15 deals" in text and "\x1b[" in text  # colours kept for less -R
    assert "15 deals" not in screen


def test_pager_falls_back_to_pager_variable_and_less_settings(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    env = _env(tmp_path, PAGER=f"env > '{paged}.env'; cat > '{paged}'", TERM="xterm")
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    code, _ = _in_terminal(["deals", "--json"], env)
    assert code == 0
    assert json.loads(paged.read_text(encoding="utf-8"))
    assert "LESS=FRX" in Path(f"{paged}.env").read_text(encoding="utf-8")


@pytest.mark.parametrize("how", ["--no-pager", "empty", "short"])
def test_no_pager_when_asked_or_when_it_fits(tmp_path: Path, how: str) -> None:
    paged = tmp_path / "paged.txt"
    env = _env(tmp_path, AUTOALLIANCES_PAGER="" if how == "empty" else f"cat > '{paged}'", TERM="xterm")
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    args = ["deals", "--year", "2025", *(["--no-pager"] if how == "--no-pager" else [])]
    code, screen = _in_terminal(args, env, rows=200 if how == "short" else 10)
    assert code == 0
    assert "3 deals" in screen
    assert not paged.exists()


def test_never_a_pager_when_stdout_is_not_a_terminal(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    r = subprocess.run([EXE, "deals"], capture_output=True, text=True, env=_env(tmp_path, AUTOALLIANCES_PAGER=f"cat > '{paged}'", LINES="5"), timeout=60)
    assert r.returncode == 0 and "15 deals" in r.stdout
    assert not paged.exists()


def test_a_pager_that_cannot_run_is_reported_and_the_output_printed(tmp_path: Path) -> None:
    env = _env(tmp_path, AUTOALLIANCES_PAGER="no-such-pager-anywhere", TERM="xterm")
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    master, slave = pty.openpty()
    p = subprocess.Popen([EXE, "deals", "--color", "never"], stdin=slave, stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    got = b""
    while select.select([master], [], [], 30)[0]:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        got += chunk
    os.close(master)
    assert p.wait(timeout=30) == 0
    assert p.stderr is not None
    err = p.stderr.read().decode()
    assert "cannot run the pager 'no-such-pager-anywhere'; printing directly" in err
    assert "15 deals" in got.decode()


# --- colour ---------------------------------------------------------------------------------------

_COLOUR = re.compile(r"\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;)")


def test_color_always_never_and_the_environment(runner, fixture_only, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR")
    assert "\x1b[" not in runner.invoke(app, ["deals"]).stdout  # auto, in a pipe: plain
    assert _COLOUR.search(runner.invoke(app, ["deals", "--color", "always"]).stdout)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert _COLOUR.search(runner.invoke(app, ["deals"]).stdout)  # FORCE_COLOR colours a pipe
    assert "\x1b" not in runner.invoke(app, ["deals", "--color", "never"]).stdout
    monkeypatch.setenv("NO_COLOR", "1")
    out = runner.invoke(app, ["deals"]).stdout
    assert "\x1b[1m" in out and not _COLOUR.search(out)  # NO_COLOR: bold stays, colours go
    assert _COLOUR.search(runner.invoke(app, ["deals", "--color", "always"]).stdout)  # the option wins
    r = runner.invoke(app, ["validate", "--color", "never"])
    assert r.exit_code == 0 and "\x1b" not in r.stdout + r.stderr


# --- export targets -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sqlite", "json"])
def test_force_never_replaces_a_fifo_or_a_device(runner, fixture_only, tmp_path: Path, kind: str) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for target in (fifo, Path("/dev/null")):
        r = runner.invoke(app, ["export", kind, str(target), "--force"])
        assert r.exit_code == 4, r.stderr
        assert "not a regular file, and is never replaced" in r.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == ["fifo"]  # no temporary file left


@pytest.mark.parametrize("kind", ["sqlite", "json"])
def test_a_file_size_limit_is_exit_4_and_leaves_nothing(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))\n"
        "from autoalliances.cli import main\n"
        f"sys.argv = ['autoalliances', 'export', {kind!r}, {str(out / ('facts.' + kind))!r}]\n"
        "main()\n"
    )
    warm = subprocess.run([EXE, "deals", "--json"], capture_output=True, env=_env(tmp_path), timeout=60)
    assert warm.returncode == 0  # the cache is built first, without the limit
    # Coverage (CI measures subprocesses) would write its data under the same limit, and fail.
    quiet = {k: v for k, v in _env(tmp_path).items() if not k.startswith("COVERAGE_")}
    # cwd: not the checkout, so `python -c` imports the installed package, as EXE does (the same cache)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=quiet, timeout=60, cwd=tmp_path)
    assert r.returncode == 4, r.stderr
    assert r.stderr.startswith(f"Error: cannot write {out / ('facts.' + kind)}: ")
    assert "Traceback" not in r.stderr
    assert list(out.iterdir()) == []


def test_a_cold_query_under_a_file_size_limit_answers_from_memory(tmp_path: Path) -> None:
    """No cache can be written (a full disk, a file size limit): the store is built in memory,
    temporary tables included, and the answer is the same as ever."""
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))\n"
        "from autoalliances.cli import main\n"
        "sys.argv = ['autoalliances', 'deals', '--json']\n"
        "main()\n"
    )
    quiet = {k: v for k, v in _env(tmp_path).items() if not k.startswith("COVERAGE_")}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=quiet, timeout=120, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    normal = subprocess.run([EXE, "deals", "--json", "--no-cache"], capture_output=True, text=True, env=_env(tmp_path), timeout=60)
    assert json.loads(r.stdout) == json.loads(normal.stdout) and len(json.loads(r.stdout)) > 0


def test_a_250_byte_file_name_can_be_exported(runner, fixture_only, tmp_path: Path) -> None:
    for kind in ("sqlite", "json"):
        name = "f" * (250 - len(kind) - 1) + "." + kind
        assert len(name.encode()) == 250
        r = runner.invoke(app, ["export", kind, str(tmp_path / name)])
        assert r.exit_code == 0, r.stderr
        assert (tmp_path / name).stat().st_size > 0


def test_help_and_usage_mention_the_options(runner) -> None:
    out = runner.invoke(app, ["deals", "--help"], env={"COLUMNS": "160"}).stdout
    for option in ("--raw-cells", "--color", "--no-pager"):
        assert option in out
    r = runner.invoke(app, ["deals", "--color", "sometimes"])
    assert r.exit_code == 2



def test_json_is_compact_in_a_pipe_and_indented_on_a_terminal(runner, monkeypatch) -> None:
    from autoalliances.render import writers

    piped = runner.invoke(app, ["deals", "--json"]).stdout
    assert piped.count("\n") == 1 and piped.startswith('[{"type":"deal","id":')
    assert json.loads(piped)

    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(writers, "stdout", Terminal)
    assert writers.dumps({"a": [1, 2]}) == '{\n  "a": [\n    1,\n    2\n  ]\n}'
    assert writers.dumps({"a": [1, 2]}, indent=None) == '{"a":[1,2]}'
    monkeypatch.undo()
    assert writers.dumps({"a": [1, 2], "b": "x"}) == '{"a":[1,2],"b":"x"}'

"""Real SPARQL servers for the remote-store tests, each on 127.0.0.1, on free ports, with its own
temporary data directory, stopped by its PID (also when a test fails).

- Oxigraph server: the ``oxigraph`` binary of the PyPI package ``oxigraph`` (next to the venv's python).
- Virtuoso Open Source: Debian's ``virtuoso-opensource`` (``virtuoso-t``). A new database gets the
  ``dba`` account with password ``dba``; updates go to the digest-authenticated endpoints
  (``/sparql-auth``, ``/sparql-graph-crud-auth``), so no grant to the anonymous ``SPARQL`` user is needed.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

START_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Server:
    name: str
    url: str
    """``--store`` URL (flavour, credentials, host and port)."""
    pid: int
    log: Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def oxigraph_binary() -> str | None:
    local = Path(sys.executable).parent / "oxigraph"
    return str(local) if local.is_file() else shutil.which("oxigraph")


def virtuoso_binary() -> str | None:
    return shutil.which("virtuoso-t")


def _wait_until_up(process: subprocess.Popen[bytes], probe: str, log: Path, name: str) -> None:
    """Poll ``probe`` until it answers 200; fail with the log's tail if the server exits or times out."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode} at start-up:\n{_tail(log)}")
        try:
            if httpx.get(probe, timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{name} did not answer {probe} within {START_TIMEOUT_S:.0f} s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 20) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT_S)


@contextmanager
def _running(argv: list[str], cwd: Path, log: Path, probe: str, name: str) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        _wait_until_up(process, probe, log, name)
        yield process
    finally:
        _stop(process)


@contextmanager
def oxigraph_server(workdir: Path) -> Iterator[Server]:
    binary = oxigraph_binary()
    assert binary, "no oxigraph binary"
    port = free_port()
    log = workdir / "oxigraph.log"
    argv = [binary, "serve", "--location", str(workdir / "data"), "--bind", f"127.0.0.1:{port}"]
    probe = f"http://127.0.0.1:{port}/query?query=ASK%7B%7D"
    with _running(argv, workdir, log, probe, "oxigraph server") as process:
        yield Server("oxigraph", f"oxigraph+http://127.0.0.1:{port}", process.pid, log)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 400
"""


@contextmanager
def virtuoso_server(workdir: Path) -> Iterator[Server]:
    binary = virtuoso_binary()
    assert binary, "no virtuoso-t binary"
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = workdir / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=workdir, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    log = workdir / "virtuoso.out"
    argv = [binary, "+foreground", "+configfile", str(ini)]
    probe = f"http://127.0.0.1:{http_port}/sparql?query=ASK%7B%7D"
    with _running(argv, workdir, log, probe, "virtuoso-t") as process:
        yield Server("virtuoso", f"virtuoso+http://dba:dba@127.0.0.1:{http_port}", process.pid, log)

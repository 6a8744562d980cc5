"""``kg site`` on the command line: exit codes, output directory handling, base path."""

from __future__ import annotations

import contextlib
import io
import os
import stat
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture()
def build_dir(tmp_path: Path) -> Path:
    """A build directory holding the hand-written graph as ``dataset.nq``."""
    store = ox.Store()
    store.load((DATA / "mini.trig").read_text(encoding="utf-8"), format=ox.RdfFormat.TRIG)
    build = tmp_path / "build"
    build.mkdir()
    (build / "dataset.nq").write_bytes(store.dump(format=ox.RdfFormat.N_QUADS))
    return build


def run(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["site", *args])
    return code, err.getvalue()


def test_default_out_is_build_site_and_rebuilds_replace_it(build_dir: Path) -> None:
    code, err = run(str(build_dir))
    assert code == 0, err
    site = build_dir / "site"
    assert (site / "index.html").is_file() and (site / "bureau" / "130634-ybj.html").is_file()
    assert "pages" in err
    (site / "stale.html").write_text("old", encoding="utf-8")
    assert run(str(build_dir))[0] == 0
    assert not (site / "stale.html").exists()
    assert not [p for p in build_dir.iterdir() if p.name.startswith(".site.")]  # no staging left behind


def test_base_path_reaches_the_404_page(build_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert run(str(build_dir), "--out", str(out), "--base-path", "/budget/")[0] == 0
    assert 'href="/budget/static/site.css"' in (out / "404.html").read_text(encoding="utf-8")
    assert "<loc>https://budget-kg.org/budget/index.html</loc>" in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_missing_build_is_a_usage_error(tmp_path: Path) -> None:
    code, err = run(str(tmp_path / "nowhere"))
    assert code == 2 and "dataset.nq" in err


def test_refuses_to_replace_a_directory_it_did_not_make(build_dir: Path, tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    code, err = run(str(build_dir), "--out", str(precious))
    assert code == 2 and "not a site made by kg site" in err
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_parallel_rendering_writes_the_same_site(build_dir: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert run(str(build_dir), "--out", str(one))[0] == 0
    assert run(str(build_dir), "--out", str(two), "--jobs", "2")[0] == 0
    files_one = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    files_two = sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert files_one == files_two and len(files_one) > 40
    for rel in files_one:
        assert (one / rel).read_bytes() == (two / rel).read_bytes(), rel
    assert run(str(build_dir), "--out", str(two), "--jobs", "0")[0] == 2


def test_rebuild_links_unchanged_files_and_rewrites_changed_ones(build_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run(str(build_dir), "--out", str(out))[0] == 0
    page = out / "bureau" / "130634-ybj.html"
    kept = page.stat().st_ino
    expected = (out / "search.html").read_bytes()
    (out / "search.html").write_bytes(expected.replace(b"<main", b"<main data-edited"))  # same path, new bytes
    dump = out / "dumps" / "dataset.nq"
    dump_inode = dump.stat().st_ino
    assert run(str(build_dir), "--out", str(out))[0] == 0
    assert page.stat().st_ino == kept  # byte-identical: the previous file, linked into the new site
    assert dump.stat().st_ino == dump_inode  # copied build files too
    assert (out / "search.html").read_bytes() == expected  # changed: written afresh
    assert page.stat().st_nlink == 1  # the previous site is gone
    fresh = tmp_path / "fresh"
    assert run(str(build_dir), "--out", str(fresh))[0] == 0
    for rel in (p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()):
        assert (out / rel).read_bytes() == (fresh / rel).read_bytes(), rel


def test_default_jobs_fork_only_for_big_sites() -> None:
    from kg.site.build import PARALLEL_MIN_PAGES, default_jobs

    assert default_jobs(PARALLEL_MIN_PAGES - 1) == 1
    assert default_jobs(PARALLEL_MIN_PAGES) >= 1


def _flags(path: Path) -> int | None:
    """The ext2/3/4 inode flags of ``path`` (``lsattr``), or None where there are none to read."""
    import fcntl
    import struct

    from kg.site.build import _GET_FLAGS

    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        return struct.unpack("i", fcntl.ioctl(fd, _GET_FLAGS, struct.pack("i", 0)))[0]
    except OSError:
        return None
    finally:
        os.close(fd)


def test_top_directory_flag_is_set_and_cleared(tmp_path: Path) -> None:
    from kg.site.build import _TOPDIR_FL, _set_top_directory_flag

    if not _set_top_directory_flag(tmp_path, True):
        pytest.skip("no ext2/3/4 inode flags here")
    flags = _flags(tmp_path)
    assert flags is not None and flags & _TOPDIR_FL
    assert _set_top_directory_flag(tmp_path, False)
    assert not _flags(tmp_path) & _TOPDIR_FL


def test_site_keeps_no_flag_nor_temporary_directory_and_usual_modes(build_dir: Path, tmp_path: Path) -> None:
    """Top-level directories are made under random names and renamed (kg.site.build.Writer.top): the
    site shows none of that, and its directories have the modes ``os.makedirs`` gives."""
    from kg.site.build import _TOPDIR_FL

    out = tmp_path / "site"
    assert run(str(build_dir), "--out", str(out))[0] == 0
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]
    flags = _flags(out)
    assert flags is None or not flags & _TOPDIR_FL
    umask = os.umask(0)
    os.umask(umask)
    tops = [p for p in out.iterdir() if p.is_dir()]
    assert {"bureau", "static"} <= {p.name for p in tops}
    for directory in tops:
        assert stat.S_IMODE(directory.stat().st_mode) == 0o777 & ~umask, directory

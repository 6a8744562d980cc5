"""``build_site``: a build directory → the static site. The only module here that writes files.

Everything is rendered into a staging directory beside ``out`` which then replaces ``out`` in one
rename, so readers never see half a site and a failed build leaves the previous one in place.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import secrets
import shutil
import stat
import struct
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pyoxigraph as ox

from kg.errors import UsageError
from kg.io import read_json, usable_cpus
from kg.site.graph import DEFAULT_BASE, VOID, QuadIndex, SiteGraph, load_build, parse_build, select
from kg.site.home import home_page
from kg.site.pages import (
    SiteData,
    description,
    jsonld_text,
    not_found_page,
    read_validation,
    resource_page,
    search_page,
    turtle_text,
    validation_page,
)
from kg.site.paths import HOME, QUERY_PAGE, relative_href, twin_paths
from kg.site.render import STATIC, environment, render_page
from kg.site.search import search_entries, search_script
from kg.site.sections import (
    SECTION_BUILDERS,
    SIMILARITY_PRESENT,
    compare_page,
    home_sections,
    query_results,
    warm,
)
from kg.site.sitemap import site_url, sitemap_files

MARKER = ".kg-site"

#: Files of the build directory copied into ``dumps/`` and offered on the home page.
DUMPS = ("dataset.nq", "dataset.trig", "dataset.jsonld", "ontology.ttl", "codes.ttl", "void.ttl",
         "budget_lines.csv", "datapackage.json", "links.json")


@dataclass(frozen=True)
class SiteResult:
    out: Path
    pages: int
    """HTML pages written (resource pages and the fixed ones)."""
    resources: int
    """Resource pages (each also has ``.ttl`` and ``.jsonld`` twins)."""


def site_files(data: SiteData, env: jinja2.Environment, base_path: str = "/",
               downloads: tuple[tuple[str, str], ...] = (), report_href: str = "") -> Iterator[tuple[str, str]]:
    """Every generated text file as (path below the site root, content). Pure."""
    yield from resource_files(data, env, [p for p in data.pages if p != HOME])
    yield from fixed_files(data, env, base_path, downloads, report_href)


def resource_files(data: SiteData, env: jinja2.Environment, pages: Iterable[str]) -> Iterator[tuple[str, str]]:
    """The page and twins of each resource page in ``pages``."""
    for page in pages:
        triples = description(data, page)
        jsonld = jsonld_text(triples)
        ttl_path, jsonld_path = twin_paths(page)
        yield page, render_page(env, resource_page(data, page, jsonld))
        yield ttl_path, turtle_text(triples)
        yield jsonld_path, jsonld


def fixed_files(data: SiteData, env: jinja2.Environment, base_path: str = "/",
                downloads: tuple[tuple[str, str], ...] = (), report_href: str = "") -> Iterator[tuple[str, str]]:
    """Home, search, validation, comparison and 404 pages, the search index and the sitemap."""
    root_url = site_url(data.graph.base, base_path)
    yield HOME, render_page(env, home_page(data, downloads, home_sections(data, HOME),
                                           query_href=relative_href(HOME, QUERY_PAGE)))
    yield "search.html", render_page(env, search_page(data))
    yield "validation.html", render_page(env, validation_page(data, report_href))
    compare = compare_page(data)
    if compare is not None:
        yield "compare.html", render_page(env, compare)
    yield "404.html", render_page(env, not_found_page(data, base_path))
    yield "search-index.js", search_script(search_entries(data.graph, sorted(data.placed)))
    html_pages = [HOME, "search.html", "validation.html", *(["compare.html"] if compare else []),
                  *(p for p in data.pages if p != HOME)]
    yield from sitemap_files(root_url, html_pages)


def site_data(store: ox.Store, base_iri: str | None = None, validation: Mapping | None = None,
              files: Iterable[str] = ()) -> SiteData:
    """Index ``store`` for the site; the base IRI defaults to the build's ``void:uriSpace``."""
    if base_iri is None:
        spaces = sorted(row["s"].value for row in select(store, f"SELECT ?s {{ ?d <{VOID}uriSpace> ?s }}"))
        base_iri = spaces[0] if spaces else DEFAULT_BASE
    files = frozenset(files)
    return SiteData(SiteGraph(store, base_iri), findings=read_validation(validation),
                    extra_nav=extra_nav(files, bool(select(store, SIMILARITY_PRESENT))),
                    section_builders=SECTION_BUILDERS, files=files)


def extra_nav(files: frozenset[str], similarity: bool) -> tuple[tuple[str, str], ...]:
    """The optional pages of the navigation: the comparison (when ``kg analyze`` drew its figure or
    wrote bureau similarities) and the query page (when its assets exist)."""
    items: list[tuple[str, str]] = []
    if "figures/area-profile.svg" in files or similarity:
        items.append(("compare", "compare.html"))
    if (STATIC / "query" / "index.html").is_file():
        items.append(("query", "static/query/index.html"))
    return tuple(items)


def build_files(build_dir: Path) -> dict[str, Path]:
    """The build's files the site carries, by their path in the site: dumps, the validation stage's
    HTML report, and the pictures ``kg analyze`` drew."""
    files = {f"dumps/{name}": build_dir / name for name in DUMPS if (build_dir / name).is_file()}
    report_html = build_dir / "validation" / "report.html"
    if report_html.is_file():
        files[REPORT_HTML] = report_html
    analysis = build_dir / "analysis"
    if analysis.is_dir():
        files.update({f"figures/{p.name}": p for p in sorted(analysis.glob("*.svg"))})
    return files


def build_site(build_dir: Path, out: Path | None = None, base_path: str = "/", base_iri: str | None = None,
               validation: Mapping | None = None, jobs: int | None = None) -> SiteResult:
    """Render the site of ``build_dir`` (``dataset.nq`` …) into ``out`` (default ``build_dir/site``)."""
    out = out if out is not None else build_dir / "site"
    _check_out(out)
    report_json = build_dir / "validation" / "report.json"
    if validation is None and report_json.is_file():
        validation = read_json(report_json)
    files = build_files(build_dir)
    return write_site(load_site_data(build_dir, base_iri, validation, files), out, base_path, files, jobs=jobs)


def load_site_data(build_dir: Path, base_iri: str | None = None, validation: Mapping | None = None,
                   files: Iterable[str] = ()) -> SiteData:
    """The build's :class:`SiteData`, its batched queries run, without a store: made by two forked
    processes at once (where ``fork`` exists) and handed over pickled.

    One loads the store and runs the batched SPARQL queries (:func:`kg.site.sections.query_results`);
    the other parses the same files into the :class:`~kg.site.graph.QuadIndex` and lists the pages.
    Both halves are serial work done before any page renders (at 1,000 documents 19 s and 12 s CPU,
    pickling included): one process doing both left a core idle for half a minute.
    Processes, not the parent: the store's millions of small allocations share the C heap with
    objects that outlive it, so dropping it leaves most of its pages resident (at 100 documents 91 of
    its 92 MiB), which forked workers would copy; a child's heap goes away with it. The index's
    lookup table is keyed by ``hash(str)``, salted per interpreter: valid here because the children
    are forked from this process."""
    files = frozenset(files)
    if "fork" not in multiprocessing.get_all_start_methods():
        return _ready_site_data(build_dir, base_iri, validation, files)
    with forked_processes(2) as pool:
        queried = pool.submit(_query_build, build_dir)
        indexed = pool.submit(_index_build, build_dir, base_iri, validation, files)
        data = indexed.result()
        results, similarity = queried.result()
    data.extra_nav = extra_nav(files, similarity)
    data.cache.update(results)
    warm(data)  # the index's part (usage counts came with it) and the navigation
    return data


def _ready_site_data(build_dir: Path, base_iri: str | None, validation: Mapping | None,
                     files: frozenset[str]) -> SiteData:
    data = site_data(load_build(build_dir), base_iri, validation, files=files)
    warm(data)
    data.graph.detach()
    return data


def _query_build(build_dir: Path) -> tuple[dict[str, object], bool]:
    """The batched SPARQL results of the build's store, and whether it holds bureau similarities."""
    store = load_build(build_dir)
    return query_results(store), bool(select(store, SIMILARITY_PRESENT))


def _index_build(build_dir: Path, base_iri: str | None, validation: Mapping | None,
                 files: frozenset[str]) -> SiteData:
    """:class:`SiteData` over a quad index parsed from the build's files (no store), with its usage
    counts; the base IRI defaults to the build's ``void:uriSpace`` as in :func:`site_data`."""
    index = QuadIndex(parse_build(build_dir))
    if base_iri is None:
        spaces = sorted(index.objects_of(VOID + "uriSpace"))
        base_iri = spaces[0] if spaces else DEFAULT_BASE
    graph = SiteGraph(None, base_iri, index=index)
    graph.usage()
    return SiteData(graph, findings=read_validation(validation), section_builders=SECTION_BUILDERS, files=files)


REPORT_HTML = "dumps/validation-report.html"


def write_site(data: SiteData, out: Path, base_path: str = "/", files: Mapping[str, Path] | None = None,
               jobs: int | None = None) -> SiteResult:
    """Write the site of ``data`` into ``out`` (replacing it); ``files`` (site path → source) are copied.

    ``jobs`` > 1 renders resource pages in that many forked processes (where ``fork`` exists); the
    output is the same file for file. ``None`` (the default) uses every available core for sites of
    :data:`PARALLEL_MIN_PAGES` pages or more, where forking pays for itself.
    """
    _check_out(out)
    files = dict(files or {})
    downloads = tuple((path.rsplit("/", 1)[-1], path) for path in files
                      if path.startswith("dumps/") and path != REPORT_HTML)
    report_href = REPORT_HTML if REPORT_HTML in files else ""
    previous = out if (out / MARKER).is_file() else None
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        env = environment()
        pages = [p for p in data.pages if p != HOME]
        jobs = default_jobs(len(pages)) if jobs is None else jobs
        writer = Writer(staging, previous)
        spread = _set_top_directory_flag(staging, True)
        # the resource pages' top-level directories exist before any worker forks (see Writer.top)
        for top in sorted({page.partition("/")[0] for page in pages if "/" in page}):
            writer.top(top)
        # batched query results computed once (inherited by forked workers), then the store is
        # dropped: pages read the graph's flat quad index, which forked workers share uncopied
        warm(data)
        data.graph.detach()
        release_free_memory()
        with _few_full_collections():
            html = _write_pages(data, env, writer, pages, jobs, base_path, downloads, report_href, files)
        if spread:
            _set_top_directory_flag(staging, False)  # the site leaves as it always did: no flag of ours
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return SiteResult(out=out, pages=html, resources=len(pages))


def _write_pages(data: SiteData, env: jinja2.Environment, writer: Writer, pages: list[str], jobs: int,
                 base_path: str, downloads: tuple[tuple[str, str], ...], report_href: str,
                 files: Mapping[str, Path]) -> int:
    """Every page, twin and copied file into ``writer``; the number of HTML pages."""
    if jobs > 1 and len(pages) > jobs and "fork" in multiprocessing.get_all_start_methods():
        return _write_in_parallel(data, env, writer, pages, jobs,
                                  lambda: _write_fixed(data, env, writer, base_path, downloads, report_href, files))
    html = writer.write_all(resource_files(data, env, pages))
    return html + _write_fixed(data, env, writer, base_path, downloads, report_href, files)


#: Young-generation collections between two full ones while pages render (Python's default is 10).
FULL_COLLECTION_EVERY = 1_000


@contextmanager
def _few_full_collections() -> Iterator[None]:
    """Rarer full garbage collections while rendering (forked workers inherit the setting).

    The graph's caches of pyoxigraph terms (all tracked by the collector) grow page by page, and
    Python runs a full pass whenever a quarter more objects have survived than after the last one:
    at 100 documents that was a dozen passes of 0.2 s per 7,000 pages, a third of the rendering.
    Garbage of the pages themselves dies young, in the collections that still run."""
    young, middle, full = gc.get_threshold()
    gc.set_threshold(young, middle, max(full, FULL_COLLECTION_EVERY))
    try:
        yield
    finally:
        gc.set_threshold(young, middle, full)


#: Fewest resource pages for which the default ``jobs`` forks workers (below it, forking costs more).
PARALLEL_MIN_PAGES = 2_000


def default_jobs(pages: int) -> int:
    """Every core this process may run on, for a site big enough to be worth forking for."""
    return 1 if pages < PARALLEL_MIN_PAGES else usable_cpus()


def _write_fixed(data: SiteData, env: jinja2.Environment, writer: Writer, base_path: str,
                 downloads: tuple[tuple[str, str], ...], report_href: str, files: Mapping[str, Path]) -> int:
    """The fixed pages, the static assets, the copied build files and the marker; HTML pages written."""
    html = writer.write_all(fixed_files(data, env, base_path, downloads, report_href))
    for source in sorted(p for p in STATIC.rglob("*") if p.is_file()):
        writer.copy(f"static/{source.relative_to(STATIC).as_posix()}", source)
    for path, source in files.items():
        writer.copy(path, source)
    writer.write(MARKER, "generated by kg site; this directory is replaced on every build\n")
    return html


class Writer:
    """Writes the files of a new site below ``staging``.

    A file byte-identical to the same path of the ``previous`` site is hard-linked from it instead
    of written: most files of a rebuild are unchanged, and a link costs neither the data write nor,
    when the previous site is deleted after the swap, freeing its blocks (slow on a disk mounted
    with ``discard``). The previous site is only read, so it stays complete until the swap.
    """

    def __init__(self, staging: Path, previous: Path | None = None) -> None:
        self.staging = str(staging)
        self.previous = str(previous) if previous is not None else None
        self.made: set[str] = {""}

    def write_all(self, items: Iterable[tuple[str, str]]) -> int:
        """Write (path, text) items; the number of HTML pages among them."""
        html = 0
        for path, text in items:
            self.write(path, text)
            html += path.endswith(".html")
        return html

    def write(self, path: str, text: str) -> None:
        self._put(path, text.encode("utf-8"))

    def copy(self, path: str, source: Path) -> None:
        """Copy ``source`` to ``path`` (linked from the previous site when that copy is identical)."""
        self._directory(path)
        target = os.path.join(self.staging, path)
        if not self._link_previous(path, target, lambda old: _same_file_content(old, source)):
            shutil.copyfile(source, target)

    def _link_previous(self, path: str, target: str, identical: Callable[[str], bool]) -> bool:
        """Hard-link ``path`` of the previous site to ``target`` when ``identical`` says its bytes are
        the new ones; false when there is no previous site, the bytes differ or linking failed."""
        if self.previous is None:
            return False
        old = os.path.join(self.previous, path)
        return identical(old) and _link(old, target)

    def _put(self, path: str, data: bytes) -> None:
        self._directory(path)
        target = os.path.join(self.staging, path)
        if self._link_previous(path, target, lambda old: _holds(old, data)):
            return
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)

    def top(self, name: str) -> None:
        """Make the top-level directory ``name`` under a random name, then rename it.

        Where the staging directory carries ext4's "top of hierarchy" flag (:func:`write_site`),
        the Orlov allocator places each new subdirectory in the least-used block group it finds
        from a starting point hashed from the subdirectory's *name*: under its fixed name
        (``budget``) every build would start in the same group, the one the previous build's
        deletion has just freed (see :func:`_set_top_directory_flag`). A random name makes the
        starting point random; the rename moves the name, not the inode."""
        if name in self.made:
            return
        temporary = os.path.join(self.staging, f".{secrets.token_hex(8)}.tmp")
        os.mkdir(temporary)
        try:
            os.rename(temporary, os.path.join(self.staging, name))
        except OSError:
            os.rmdir(temporary)
            if not os.path.isdir(os.path.join(self.staging, name)):
                raise
        self.made.add(name)

    def _directory(self, path: str) -> None:
        parent = path.rpartition("/")[0]
        if parent not in self.made:
            self.top(parent.partition("/")[0])
            os.makedirs(os.path.join(self.staging, parent), exist_ok=True)
            while parent not in self.made:
                self.made.add(parent)
                parent = parent.rpartition("/")[0]


def _holds(path: str, data: bytes) -> bool:
    """Whether the regular file ``path`` holds exactly ``data``."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        return os.read(fd, len(data) + 1) == data
    except OSError:
        return False
    finally:
        os.close(fd)


def _same_file_content(path: str, source: Path, chunk: int = 1 << 20) -> bool:
    """Whether the regular file ``path`` has the content of ``source``."""
    try:
        if os.lstat(path).st_size != source.stat().st_size or not stat.S_ISREG(os.lstat(path).st_mode):
            return False
        with open(path, "rb") as a, open(source, "rb") as b:
            while True:
                block = a.read(chunk)
                if block != b.read(chunk):
                    return False
                if not block:
                    return True
    except OSError:
        return False


def _link(old: str, new: str) -> bool:
    """Hard-link ``old`` as ``new``; false where links are refused (other file system, link limit)."""
    try:
        os.link(old, new, follow_symlinks=False)
    except OSError:
        return False
    return True


@contextmanager
def forked_processes(count: int) -> Iterator[ProcessPoolExecutor]:
    """``count`` forked worker processes, shut down without ``terminate``.

    Not ``multiprocessing.Pool``: leaving its ``with`` block terminates it, and terminating while a
    task is still queued or running (a load that failed in one process while the other ran) could
    hang for ever in ``Pool._terminate_pool`` (its task thread waiting for the queue's lock; seen in
    about 1 of 200 failed loads). A worker that dies also leaves a ``Pool`` waiting for ever, where
    the executor raises ``BrokenProcessPool``. On an error the tasks not yet started are cancelled
    and the running ones finish before the error goes on."""
    executor = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"))
    try:
        yield executor
    except BaseException:
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)


#: What forked workers render from (set in the parent just before forking; read-only afterwards).
_FORKED: tuple[SiteData, jinja2.Environment, Writer, list[str], int] | None = None


def _write_in_parallel(data: SiteData, env: jinja2.Environment, writer: Writer, pages: list[str], jobs: int,
                       meanwhile: Callable[[], int]) -> int:
    """Resource pages rendered by ``jobs`` forked workers while this process runs ``meanwhile``
    (the workers inherit ``env`` with its templates compiled)."""
    global _FORKED
    _FORKED = (data, env, writer, pages, jobs)
    gc.collect()
    gc.freeze()  # the workers' collector leaves the inherited objects (and their pages) alone
    release_free_memory()
    try:
        with forked_processes(jobs) as pool:
            # last share first: pages sort by path, and the costly ones (code, document and dataset
            # pages, ontology.html) come last, so handed out last they left one worker alone at the end
            shares = pool.map(_render_share, reversed(range(jobs * SHARES_PER_WORKER)))
            html = meanwhile()
            return html + sum(shares)
    finally:
        gc.unfreeze()
        _FORKED = None


def release_free_memory() -> bool:
    """Give the heap's free pages back to the system (glibc ``malloc_trim``); false where there is none.

    The store's SPARQL aggregates and the batched section queries free ≈ 160 MiB (350 documents)
    that the C heap keeps resident: forked workers would inherit those pages and copy them when
    their own allocations reuse them, so the parent returns them just before forking."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return False
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    trim(0)
    return True


#: Contiguous shares of the pages per worker; a worker takes the next share when it is done with one.
SHARES_PER_WORKER = 16


def _render_share(share: int) -> int:
    """One contiguous share of the pages (of ``jobs * SHARES_PER_WORKER``). Pages are sorted by path,
    so a share holds whole budgets and the worker's (bounded) caches serve the neighbours its pages
    have in common (with stripes, ``pages[worker::jobs]``, every worker read every budget's
    neighbourhood). Many shares rather than one per worker: pages differ in cost (a code page lists
    a code's lines across all budgets) and the parent renders the fixed pages beside the workers:
    with one half each, a core can idle while the other finishes its half."""
    assert _FORKED is not None
    data, env, writer, pages, jobs = _FORKED
    count = jobs * SHARES_PER_WORKER
    start, end = len(pages) * share // count, len(pages) * (share + 1) // count
    return writer.write_all(resource_files(data, env, pages[start:end]))


#: ``FS_IOC_GETFLAGS`` / ``FS_IOC_SETFLAGS`` (``_IOR``/``_IOW('f', 1|2, long)`` on 64-bit Linux) and
#: ``FS_TOPDIR_FL`` (``chattr +T``), from linux/fs.h.
_GET_FLAGS, _SET_FLAGS, _TOPDIR_FL = 0x80086601, 0x40086602, 0x00020000


def _set_top_directory_flag(path: Path, on: bool) -> bool:
    """Set (or clear) the ext2/3/4 "top of directory hierarchies" flag (``chattr +T``) of ``path``;
    false where the platform or file system has no such flag (nothing changes then).

    Why: on an ext4 without a journal (this VM's disk) a new inode skips every inode of its block
    group freed in the last 60 s (6 min while the inode table is unwritten), one buffer lookup each,
    and takes one of them anyway when the group has nothing else free. New directories and files go
    to their parent's group, so a site written beside trees deleted minutes before (the previous
    build, a benchmark's or the tests' temporary directories) paid up to 0.5 ms of system CPU per
    file. With the flag, the allocator places the site's top-level directories (and so the trees
    below them) in the least-used groups of the disk instead of next to the staging directory.
    Placement only: no byte, name or mode of the site changes, and the flag is cleared before the swap."""
    if not sys.platform.startswith("linux") or struct.calcsize("l") != 8:
        return False
    import fcntl

    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        flags = struct.unpack("i", fcntl.ioctl(fd, _GET_FLAGS, struct.pack("i", 0)))[0]
        wanted = flags | _TOPDIR_FL if on else flags & ~_TOPDIR_FL
        if wanted != flags:
            fcntl.ioctl(fd, _SET_FLAGS, struct.pack("i", wanted))
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _check_out(out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise UsageError(f"{out} exists and is not a site made by kg site: choose another --out")


def _swap(staging: Path, out: Path) -> None:
    os.chmod(staging, 0o755)
    if not out.exists():
        os.replace(staging, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    os.replace(out, old / out.name)
    os.replace(staging, out)
    shutil.rmtree(old, ignore_errors=True)

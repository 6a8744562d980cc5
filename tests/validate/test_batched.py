"""Batched validation of a build directory gives the whole store's report, byte for byte in every
format: on a synthetic corpus with faults in documents, in shared subjects (a bureau described in
each year's graph), in the corpus-wide graphs and in the vocabulary, spread over batches of 1–5
documents; on the samples; and on every rule fixture."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kg.cli import main
from kg.model.build import build
from kg.synth import write_corpus
from kg.validate.batched import Phases, group_documents, pack, scan_dump, validate_build_dir
from kg.validate.command import validate_build
from kg.validate.render import FORMATS, render
from kg.validate.report import ValidationReport
from kg.validate.shapes import ShapesIndex, compile_shapes, load_shapes

ROOT = Path(__file__).resolve().parents[2]
RULES = Path(__file__).parent / "data" / "rules"
BASE = "https://budget-kg.org/"
_GRAPH = re.compile(rb" <([^<>]*)> \.\n$")
LABEL = b"<http://www.w3.org/2000/01/rdf-schema#label>"
AMOUNT = b"<https://budget-kg.org/ontology#amount>"


@pytest.fixture(scope="module")
def index() -> ShapesIndex:
    return load_shapes(None)


def renders(report: ValidationReport) -> dict[str, str]:
    return {fmt: render(report, fmt) for fmt in FORMATS}


def both(build_dir: Path, index: ShapesIndex, batch: int) -> tuple[ValidationReport, ValidationReport, Phases]:
    checks = compile_shapes(index)
    phases = Phases()
    whole = validate_build_dir(build_dir, index, checks, batch_documents=0)
    batched = validate_build_dir(build_dir, index, checks, batch_documents=batch, phases=phases)
    return whole, batched, phases


def _graph(line: bytes) -> bytes:
    m = _GRAPH.search(line)
    assert m, line
    return m.group(1)


def _year_first(lines: list[bytes]) -> list[bytes]:
    """The dump's lines with the document graphs ordered by year, then bureau (a bureau's two years
    far apart in the file), and one document's lines cut in two ranges, the second at the end."""
    by_graph: dict[bytes, list[bytes]] = {}
    for line in lines:
        by_graph.setdefault(_graph(line), []).append(line)
    docs = sorted((g for g in by_graph if b"/document/" in g), key=lambda g: (g[-4:], g))
    rest = [g for g in by_graph if g not in docs]
    split = by_graph[docs[1]]
    half = len(split) // 2
    out = [line for g in docs for line in (by_graph[g][:half] if g == docs[1] else by_graph[g])]
    out += [line for g in rest for line in by_graph[g]]
    return out + split[half:]


@pytest.fixture(scope="module")
def faulty_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """10 documents (5 bureaus × 2 years, injected figure faults in most), built, then changed:

    - bureau A's label removed from its first year's graph only (the second still names it: no finding
      from the whole store, a false one from a batch holding only the first year);
    - bureau B's label removed from both years (``bureau-label`` on a subject two documents share);
    - an area's spending in ``graph/analysis`` made negative (``amount-negative`` on a corpus-wide node);
    - a negative amount on a comparison of two bureaus (a corpus-wide node of no single batch);
    - a function code's notation broken in ``graph/codes`` (a vocabulary node, reported once);
    - the document graphs reordered by year, one of them in two ranges of the file.
    """
    root = tmp_path_factory.mktemp("batched")
    write_corpus(root / "corpus", bureaus=5, years=2, seed=3, fault_rate=0.7)
    build([root / "corpus" / "documents"], root / "build")
    dump = root / "build" / "dataset.nq"
    lines = dump.read_bytes().splitlines(keepends=True)
    labels = sorted({line.split(b" ", 1)[0] for line in lines
                     if line.split(b" ")[1] == LABEL and re.match(rb"<[^>]*/bureau/[^/>]*>", line)})
    bureau_a, bureau_b = labels[0], labels[1]
    first_year_of_a = min(_graph(line) for line in lines if line.startswith(bureau_a + b" "))
    spending = next(line for line in lines if b"/analysis/area/" in line.split(b" ")[0] and line.split(b" ")[1] == AMOUNT)
    similarity = next(line.split(b" ")[0] for line in lines
                      if b"/analysis/similarity/" in line and b"BureauSimilarity" in line
                      and line.split(b"/similarity/")[1].split(b"-")[0] != line.split(b"--")[1].split(b"-")[0])
    code = next(line for line in lines if b"/code/function/" in line.split(b" ")[0]
                and b"skos/core#notation" in line and b"graph/codes" in line)
    changed = []
    for line in lines:
        subject, predicate = line.split(b" ")[:2]
        if predicate == LABEL and (subject == bureau_b or (subject == bureau_a and _graph(line) == first_year_of_a)):
            continue
        if line == spending:
            line = re.sub(rb'"[0-9.]+"', b'"-12.5"', line)
        elif line == code:
            line = re.sub(rb'"([0-9]+)"', rb'"\1x"', line)
        changed.append(line)
    changed.append(similarity + b" " + AMOUNT + b' "-3"^^<http://www.w3.org/2001/XMLSchema#decimal> <'
                   + BASE.encode() + b"graph/analysis> .\n")
    dump.write_bytes(b"".join(_year_first(changed)))
    (root / "build" / "injected.txt").write_bytes(b"\n".join(
        [bureau_a, bureau_b, spending.split(b" ")[0], similarity, code.split(b" ")[0]]))
    return root / "build"


@pytest.mark.parametrize(("batch", "stores"), [(1, 5), (2, 5), (3, 5), (5, 3)])
def test_batched_equals_whole_store_on_a_faulty_corpus(faulty_build: Path, index: ShapesIndex, batch: int,
                                                       stores: int) -> None:
    """A bureau's two years go together (a batch of 1 holds 2 documents), then the shared store."""
    whole, batched, phases = both(faulty_build, index, batch)
    assert not phases.whole_store and phases.batches == stores + 1
    assert batched == whole
    assert renders(batched) == renders(whole)


def test_the_injected_faults_are_found_once(faulty_build: Path, index: ShapesIndex) -> None:
    _, report, _ = both(faulty_build, index, 2)
    bureau_a, bureau_b, spending, similarity, code = (
        t.decode()[1:-1] for t in (faulty_build / "injected.txt").read_bytes().split(b"\n"))
    found = [(r.rule, r.focus, r.document) for r in report.results]
    assert not [f for f in found if f[1] == bureau_a]
    (label,) = [f for f in found if f[1] == bureau_b]
    assert label[0] == "bureau-label" and label[2] and label[2].endswith("_2021")
    assert ("amount-negative", spending, None) in found and ("amount-negative", similarity, None) in found
    assert [f[0] for f in found if f[1] == code].count("function-code-notation") == 1
    assert {r.rule for r in report.results if r.document} >= {"parent-equals-children", "stated-project-amount"}


def test_a_bureaus_years_share_a_batch_wherever_they_are_in_the_file(faulty_build: Path) -> None:
    dump = scan_dump(faulty_build / "dataset.nq")
    groups = group_documents(dump)
    assert sorted(len(g) for g in groups) == [2] * 5
    assert all(len({g.rsplit(b"_", 1)[0] for g in group}) == 1 for group in groups)
    assert [len(b) for b in pack(groups, 3)] == [2] * 5 and [len(b) for b in pack(groups, 4)] == [4, 4, 2]
    assert max(len(r) for r in dump.ranges.values()) == 2  # the document cut in two


def test_an_earlier_report_in_the_build_is_validated_alike(faulty_build: Path, tmp_path: Path, index: ShapesIndex) -> None:
    copy = tmp_path / "build"
    shutil.copytree(faulty_build, copy)
    first = validate_build(copy, batch_documents=3)
    assert (copy / "validation" / "report.ttl").is_file()
    whole, batched, _ = both(copy, index, 3)
    assert renders(batched) == renders(whole) and batched.triples > first.triples


def test_a_dump_it_cannot_batch_is_validated_in_one_store(faulty_build: Path, tmp_path: Path, index: ShapesIndex) -> None:
    copy = tmp_path / "build"
    copy.mkdir()
    data = (faulty_build / "dataset.nq").read_bytes()
    (copy / "dataset.nq").write_bytes(data + b'<urn:x:s> <urn:x:p> "outside any graph" .\n')
    whole, batched, phases = both(copy, index, 2)
    assert phases.whole_store and renders(batched) == renders(whole)


def test_a_document_pointing_into_another_batch_is_validated_in_one_store(faulty_build: Path, tmp_path: Path,
                                                                        index: ShapesIndex) -> None:
    """A triple whose object another batch describes could be followed backwards in one store."""
    copy = tmp_path / "build"
    copy.mkdir()
    lines = (faulty_build / "dataset.nq").read_bytes().splitlines(keepends=True)
    bureau_a, bureau_b = (faulty_build / "injected.txt").read_bytes().split(b"\n")[:2]
    graph_of_b = next(_graph(line) for line in lines if line.startswith(bureau_b + b" "))
    link = bureau_b + b" <http://www.w3.org/2000/01/rdf-schema#seeAlso> " + bureau_a + b" <" + graph_of_b + b"> .\n"
    (copy / "dataset.nq").write_bytes(b"".join([link, *lines]))
    whole, batched, phases = both(copy, index, 2)
    assert phases.whole_store and renders(batched) == renders(whole)
    _, batched, phases = both(copy, index, 4)  # both bureaus in one batch: no reference leaves it
    assert not phases.whole_store and renders(batched) == renders(whole)


@pytest.fixture(scope="module")
def samples_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples") / "build"
    build([ROOT / "data" / "samples"], out)
    return out


@pytest.mark.parametrize("batch", [1, 2, 100])
def test_batched_equals_whole_store_on_the_samples(samples_build: Path, index: ShapesIndex, batch: int) -> None:
    whole, batched, _ = both(samples_build, index, batch)
    assert len(whole.results) > 40 and whole.documents == batched.documents
    assert renders(batched) == renders(whole)


def test_the_command_batches_by_default_and_not_with_0(samples_build: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    outputs = []
    for i, flags in enumerate(([], ["--batch-documents", "0"], ["--batch-documents", "2"])):
        out = tmp_path / str(i)
        assert main(["validate", str(samples_build), "--format", "json", "--out", str(out), *flags]) == 1
        outputs.append((capsys.readouterr().out, sorted((p.name, p.read_bytes()) for p in out.iterdir())))
    assert outputs[0] == outputs[1] == outputs[2]
    assert main(["validate", str(samples_build), "--batch-documents", "-1"]) == 2


@pytest.mark.parametrize("fixture", sorted(RULES.glob("*/*.ttl")), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_batched_equals_whole_store_on_the_rule_fixtures(fixture: Path, tmp_path: Path, index: ShapesIndex) -> None:
    """Each fixture as the one document of a build, with the ontology (its blank nodes too)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(fixture), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"{BASE}document/{fixture.parent.name}"))
    store.load(path=str(ROOT / "ontology" / "budget.ttl"), format=ox.RdfFormat.TURTLE,
               to_graph=ox.NamedNode(f"{BASE}graph/ontology"))
    (tmp_path / "dataset.nq").write_bytes(store.dump(format=ox.RdfFormat.N_QUADS))
    whole, batched, phases = both(tmp_path, index, 1)
    assert not phases.whole_store and renders(batched) == renders(whole)

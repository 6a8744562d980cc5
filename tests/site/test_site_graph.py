"""The site's graph index: descriptions, labels, deduplication across graphs."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.site.graph import INVERSE_LIMIT, SiteGraph, store_from_text

HUB = "https://budget-kg.org/code/function/210"


def hub_store(n: int) -> ox.Store:
    lines = [f"<https://budget-kg.org/line/{i:05d}> <https://budget-kg.org/ontology#functionCode> <{HUB}> ."
             for i in range(n)]
    lines.append(f'<{HUB}> <http://www.w3.org/2004/02/skos/core#notation> "210" .')
    return store_from_text("\n".join(lines), ox.RdfFormat.N_TRIPLES)


def test_description_caps_triples_pointing_at_a_hub() -> None:
    g = SiteGraph(hub_store(INVERSE_LIMIT + 25))
    incoming = [t for t in g.describe(HUB) if t.object == ox.NamedNode(HUB)]
    assert len(incoming) == INVERSE_LIMIT
    assert incoming[0].subject.value.endswith("/00000")  # the first ones in IRI order
    assert len(g.incoming(HUB)) == INVERSE_LIMIT + 25  # the index (and the page's counts) keep all


def test_a_triple_in_two_graphs_is_one_triple() -> None:
    trig = """
    <https://budget-kg.org/g1> { <https://budget-kg.org/a> <https://budget-kg.org/p> "x" . }
    <https://budget-kg.org/g2> { <https://budget-kg.org/a> <https://budget-kg.org/p> "x" .
                                 <https://budget-kg.org/a> <https://budget-kg.org/p> "y" . }
    """
    g = SiteGraph(store_from_text(trig))
    assert g.triple_count == 2
    assert len(g.describe("https://budget-kg.org/a")) == 2
    assert g.graphs_of("https://budget-kg.org/a") == {"https://budget-kg.org/g1", "https://budget-kg.org/g2"}


def test_labels_prefer_language_tags_and_fall_back_to_notation_and_line_keys() -> None:
    trig = """
    @prefix bud: <https://budget-kg.org/ontology#> .
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    <https://budget-kg.org/g> {
      <https://budget-kg.org/c/210> skos:notation "210" ; skos:prefLabel "卫生健康支出"@zh , "Health"@en .
      <https://budget-kg.org/c/208> skos:notation "208" .
      bud:TotalColumn rdfs:label "合计"@zh , "Total"@en .
      <https://budget-kg.org/l/1> bud:functionCode <https://budget-kg.org/c/210> ; bud:column bud:TotalColumn .
      <https://budget-kg.org/x/blank> rdfs:label ""@zh .
    }
    """
    g = SiteGraph(store_from_text(trig))
    assert (g.label("https://budget-kg.org/c/210").zh, g.label("https://budget-kg.org/c/210").en) == ("卫生健康支出", "Health")
    assert g.label("https://budget-kg.org/c/208").zh == "208"
    assert g.label("https://budget-kg.org/l/1").zh == "210 卫生健康支出 · 合计"
    assert g.label("https://budget-kg.org/x/blank").zh == "blank"


def test_small_caches_render_the_same_site(monkeypatch) -> None:
    """The graph keeps only the last ``cache_size`` nodes' triples and the site data the last
    ``LINK_CACHE_SIZE`` links (bounded memory at any scale); emptying the caches every few lookups
    must not change a byte of any page or twin."""
    from kg.site import pages
    from kg.site.build import site_data, site_files
    from kg.site.render import environment

    text = (Path(__file__).resolve().parent / "data" / "mini.trig").read_text(encoding="utf-8")
    roomy, tight = (site_data(store_from_text(text)) for _ in range(2))
    tight.graph.cache_size = 3
    env = environment()
    expected = dict(site_files(roomy, env))
    monkeypatch.setattr(pages, "LINK_CACHE_SIZE", 3)
    assert dict(site_files(tight, env)) == expected
    assert len(tight._links) <= 3
    assert len(tight.graph._subjects) <= 3 < len(roomy.graph._subjects)


def test_writing_a_site_restores_the_collector_thresholds(tmp_path: Path) -> None:
    import gc

    from kg.site.build import site_data, write_site

    text = (Path(__file__).resolve().parent / "data" / "mini.trig").read_text(encoding="utf-8")
    before = gc.get_threshold()
    write_site(site_data(store_from_text(text)), tmp_path / "site")
    assert gc.get_threshold() == before
    assert (tmp_path / "site" / "index.html").is_file()


TERMS_TRIG = """
@prefix ex: <https://budget-kg.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:g1 { ex:a ex:p "x" , "x"@en , "x"@zh-Hans , 42 , "4.20"^^xsd:decimal , "x\\"y\\\\z\\n" , ex:b , [ ex:q "in" ; ex:r [ ex:q "deep" ] ] .
        ex:b ex:p ex:a . }
ex:g2 { ex:a ex:p "x" . ex:c ex:p "https://budget-kg.org/a" . }
ex:a ex:p ex:c .
"""


def test_quad_index_holds_the_stores_quads() -> None:
    """Pages read the graph's flat index, not the store: every quad by subject and by object, with
    its terms (literals with language or datatype, blank nodes, the default graph) intact."""
    from kg.site.graph import QuadIndex

    store = store_from_text(TERMS_TRIG)
    index = QuadIndex(store)
    quads = sorted(map(str, store))
    by_subject, by_object = [], []
    for q in store:
        for node, rows, make in ((q.subject, index.by_subject, lambda t, r: (t, r[0], r[1], r[2])),
                                 (q.object, index.by_object, lambda t, r: (r[0], r[1], t, r[2]))):
            if isinstance(node, ox.Literal):
                continue
            t = index.ident(node.value if isinstance(node, ox.NamedNode) else "_:" + node.value)
            assert t >= 0 and index.term(t) == node
            found = by_subject if rows == index.by_subject else by_object
            found.extend(make(t, r) for r in rows(t))
    pointing = sorted(str(q) for q in store if not isinstance(q.object, ox.Literal))
    for found, expected in ((by_subject, quads), (by_object, pointing)):
        decoded = {str(ox.Quad(*(index.term(t) for t in row[:3]),
                               index.term(row[3]) if row[3] >= 0 else ox.DefaultGraph())) for row in found}
        assert sorted(decoded) == expected
    assert index.ident("https://budget-kg.org/nothing") == -1
    assert index.resources("https://budget-kg.org/") == [
        "https://budget-kg.org/a", "https://budget-kg.org/b", "https://budget-kg.org/c"]


def test_a_detached_graph_answers_the_same_without_its_store() -> None:
    store = store_from_text(TERMS_TRIG)
    g, detached = SiteGraph(store), SiteGraph(store)
    detached.detach()
    assert detached.store is None
    for iri in ("https://budget-kg.org/a", "https://budget-kg.org/b", "https://budget-kg.org/c"):
        assert detached.outgoing(iri) == g.outgoing(iri)
        assert detached.incoming(iri) == g.incoming(iri)
        assert detached.graphs_of(iri) == g.graphs_of(iri)
        assert detached.describe(iri) == g.describe(iri)
    assert detached.usage() == g.usage()
    with pytest.raises(RuntimeError):
        detached.select("SELECT * { ?s ?p ?o }")


USAGE_TRIG = """
@prefix ex: <https://budget-kg.org/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
ex:g1 { ex:a a ex:C , ex:D ; ex:p "x" , ex:b . ex:b a ex:C . _:n a ex:C ; ex:p "y" . ex:e a "not a class" . }
ex:g2 { ex:a a ex:C ; ex:p "x" , "z" . ex:b a _:k . }
ex:c a ex:D ; ex:q ex:a .
"""


@pytest.mark.parametrize("trig", [USAGE_TRIG, TERMS_TRIG])
def test_usage_counts_from_the_index_are_the_distinct_sparql_counts(trig: str) -> None:
    """Instances per IRI class and triples per property, each triple once however many graphs hold
    it: the index's numpy count answers what the two SPARQL aggregates answered before."""
    from collections import Counter

    from kg.site.graph import select

    store = store_from_text(trig)
    properties, classes = Counter(), Counter()
    for row in select(store, "SELECT ?p (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } } GROUP BY ?p"):
        properties[row["p"].value] = int(row["n"].value)
    for row in select(store, "SELECT ?c (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?c { ?s a ?c FILTER(isIRI(?c)) } } GROUP BY ?c"):
        classes[row["c"].value] = int(row["n"].value)
    assert SiteGraph(store).usage() == (classes, properties)
    if trig is USAGE_TRIG:  # the reference itself: blank and literal "classes" left out, graphs merged
        ex, rdf_type = "https://budget-kg.org/", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
        assert classes == {ex + "C": 3, ex + "D": 2}
        assert properties == {rdf_type: 7, ex + "p": 4, ex + "q": 1}


PARSED_NQ = """\
<https://budget-kg.org/a> <https://budget-kg.org/amount> "280.00"^^<http://www.w3.org/2001/XMLSchema#decimal> <https://budget-kg.org/g1> .
<https://budget-kg.org/a> <https://budget-kg.org/amount> "280.0"^^<http://www.w3.org/2001/XMLSchema#decimal> <https://budget-kg.org/g2> .
<https://budget-kg.org/a> <https://budget-kg.org/count> "007"^^<http://www.w3.org/2001/XMLSchema#integer> <https://budget-kg.org/g1> .
<https://budget-kg.org/a> <https://budget-kg.org/flag> "1"^^<http://www.w3.org/2001/XMLSchema#boolean> <https://budget-kg.org/g1> .
<https://budget-kg.org/a> <https://budget-kg.org/odd> "abc"^^<http://www.w3.org/2001/XMLSchema#decimal> <https://budget-kg.org/g1> .
<https://budget-kg.org/a> <https://budget-kg.org/name> "0.50"^^<http://www.w3.org/2001/XMLSchema#string> <https://budget-kg.org/g1> .
<https://budget-kg.org/a> <https://budget-kg.org/name> "甲"@zh <https://budget-kg.org/g1> .
<https://budget-kg.org/a> <https://budget-kg.org/part> _:x <https://budget-kg.org/g1> .
_:x <https://budget-kg.org/amount> "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> <https://budget-kg.org/g1> .
<https://budget-kg.org/b> <https://budget-kg.org/see> <https://budget-kg.org/a> .
<https://budget-kg.org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://budget-kg.org/C> <https://budget-kg.org/g1> .
"""


def test_an_index_of_the_parsed_files_is_the_index_of_their_store(tmp_path: Path) -> None:
    """The site's index is built from the parsed build files while another process loads the store:
    its terms must be the store's (which keeps numbers as values: "280.00" is "280" there, and
    "280.0" the same triple), or pages and twins would differ from the store's."""
    from kg.site.graph import QuadIndex, load_build, parse_build, relabel_blank_nodes

    (tmp_path / "dataset.nq").write_text(PARSED_NQ, encoding="utf-8")
    (tmp_path / "ontology.ttl").write_text(
        '<https://budget-kg.org/C> <http://www.w3.org/2000/01/rdf-schema#label> "类"@zh ; '
        '<https://budget-kg.org/rank> "2.0"^^<http://www.w3.org/2001/XMLSchema#double> .\n', encoding="utf-8")
    (tmp_path / "analysis.trig").write_text(
        '<https://budget-kg.org/g3> { <https://budget-kg.org/a> <https://budget-kg.org/share> "0.10"^^'
        '<http://www.w3.org/2001/XMLSchema#decimal> . }\n', encoding="utf-8")
    base = "https://budget-kg.org/"
    stored = SiteGraph(load_build(tmp_path), base)
    parsed = SiteGraph(None, base, index=QuadIndex(parse_build(tmp_path)))

    def shape(pairs: list) -> list:
        """Pairs with blank nodes as ``_`` (a store names them afresh on every load; pages and twins
        never show their names)."""
        return [tuple("_" if isinstance(t, ox.BlankNode) else t for t in pair) for pair in pairs]

    assert parsed.resources() == stored.resources()
    for iri in [*stored.resources(), "https://budget-kg.org/amount"]:
        assert shape(parsed.outgoing(iri)) == shape(stored.outgoing(iri))
        assert shape(parsed.incoming(iri)) == shape(stored.incoming(iri))
        assert parsed.graphs_of(iri) == stored.graphs_of(iri)
        assert relabel_blank_nodes(parsed.describe(iri)) == relabel_blank_nodes(stored.describe(iri))
        for (_, mine), (_, theirs) in zip(parsed.outgoing(iri), stored.outgoing(iri)):
            if isinstance(mine, ox.BlankNode):
                assert shape(parsed.outgoing(mine)) == shape(stored.outgoing(theirs))
    assert parsed.usage() == stored.usage()
    amounts = [o.value for p, o in parsed.outgoing("https://budget-kg.org/a") if p.value.endswith("amount")]
    assert amounts == ["280"]  # the store's form, and one triple (it was in two graphs, in two forms)


def test_esc_escapes_as_markupsafe_does() -> None:
    """Pages escape text with ``esc`` (markupsafe's C function, or a replace chain without it): the
    same characters as jinja2's autoescape, so a value reads the same from a template or from code."""
    import markupsafe

    from kg.site import graph

    for text in ("", "plain", "中文 & <b>\"q\" 'a'</b>", "&amp;", "a" * 300 + ">"):
        assert graph.esc(text) == str(markupsafe.escape(text))
        assert graph._escape_text(text) == str(markupsafe.escape(text))
    assert graph.esc(7) == "7"

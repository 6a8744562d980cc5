"""The site's graph index: descriptions, labels, deduplication across graphs."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

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

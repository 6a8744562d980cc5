"""The fixed 7-query set, run on the endpoint over HTTP, in-process on pyoxigraph and on rdflib.

Two queries need a resource of the corpus (a bureau, a project); :func:`parameters` picks the first
of each by IRI, so every engine and every run of one corpus asks the same question.
"""

from __future__ import annotations

from collections.abc import Mapping

PREFIXES = """PREFIX bud: <https://budget-kg.org/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX qb: <http://purl.org/linked-data/cube#>
"""

#: name → (kind, query text with ``{bureau}``/``{project}`` placeholders). ``kind`` "point" marks the
#: point and page queries the issue holds to p50 ≤ 10 ms / p95 ≤ 25 ms.
QUERIES: dict[str, tuple[str, str]] = {
    "aggregate_by_function_code": ("analytic", """
SELECT ?code (SUM(?amount) AS ?total) (COUNT(?line) AS ?lines)
WHERE { ?line a bud:FunctionLine ; bud:column bud:TotalColumn ; bud:functionCode ?code ; bud:amountCNY ?amount }
GROUP BY ?code ORDER BY DESC(?total) ?code"""),
    "projects_with_quantity_indicators": ("page", """
SELECT ?project ?name ?indicator ?target ?unit
WHERE {
  ?project a bud:Project ; rdfs:label ?name ; bud:hasIndicator ?ind .
  ?ind bud:level2 <https://budget-kg.org/code/indicator/output/quantity> ;
       bud:indicatorName ?indicator ; bud:targetValue ?target .
  OPTIONAL { ?ind bud:targetUnit ?unit }
}
ORDER BY ?project ?indicator LIMIT 100"""),
    "broader_rollup": ("analytic", """
SELECT ?class ?classCode (SUM(?amount) AS ?total)
WHERE {
  ?line a bud:FunctionLine ; bud:column bud:TotalColumn ; bud:functionCode ?code ; bud:amountCNY ?amount .
  ?code bud:level 3 ; skos:broader* ?class .
  ?class bud:level 1 ; skos:notation ?classCode .
}
GROUP BY ?class ?classCode ORDER BY ?classCode"""),
    "chinese_contains_filter": ("page", """
SELECT ?project ?name
WHERE { ?project a bud:Project ; rdfs:label ?name FILTER(CONTAINS(STR(?name), "信息")) }
ORDER BY ?project LIMIT 100"""),
    "count_by_bureau": ("analytic", """
SELECT ?bureau (COUNT(?line) AS ?lines)
WHERE { ?line qb:dataSet ?budget . ?budget bud:bureau ?bureau }
GROUP BY ?bureau ORDER BY DESC(?lines) ?bureau"""),
    "construct_one_project": ("point", """
CONSTRUCT { <{project}> ?p ?o . ?ind ?ip ?io }
WHERE { { <{project}> ?p ?o } UNION { <{project}> bud:hasIndicator ?ind . ?ind ?ip ?io } }"""),
    "bureau_lines_lookup": ("point", """
SELECT ?line ?code ?amount
WHERE { ?budget bud:bureau <{bureau}> . ?line qb:dataSet ?budget ; a bud:FunctionLine ;
        bud:functionCode ?code ; bud:amountCNY ?amount }
ORDER BY ?line LIMIT 100"""),
}

PARAMETER_QUERIES = {
    "bureau": "SELECT ?x WHERE { ?x a bud:Bureau } ORDER BY ?x LIMIT 1",
    "project": "SELECT ?x WHERE { ?x a bud:Project } ORDER BY ?x LIMIT 1",
}


def query_text(name: str, params: Mapping[str, str]) -> str:
    text = QUERIES[name][1]
    for key, value in params.items():
        text = text.replace("{" + key + "}", value)
    return PREFIXES + text


def parameters(store) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The bureau and project the point queries ask about (first by IRI), from a pyoxigraph store."""
    from kg.store import QUERY_OPTIONS

    found = {}
    for key, q in PARAMETER_QUERIES.items():
        rows = list(store.query(PREFIXES + q, **QUERY_OPTIONS))
        if not rows:
            raise RuntimeError(f"the corpus has no {key}: cannot parameterise the query set")
        found[key] = rows[0]["x"].value
    return found

"""Media types we serve and content negotiation (Accept with q-values, ``format`` parameter).

Pure functions over header strings; the tables are the single place that names a media type.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MediaType:
    name: str
    """The canonical media type, e.g. ``application/sparql-results+json``."""
    kind: str
    """``json``/``xml``/``csv``/``tsv`` for results; ``turtle``/``ntriples``/``jsonld``/``rdfxml`` for RDF; ``html``."""
    aliases: tuple[str, ...] = ()
    """Other media types accepted for it in ``Accept``."""
    suffix: str = ""
    """File suffix for downloads and ``.ext`` resource URLs."""
    format_names: tuple[str, ...] = ()
    """Values of the ``format`` parameter selecting it."""

    @property
    def content_type(self) -> str:
        return f"{self.name}; charset=utf-8" if self.kind not in ("json", "jsonld") else self.name


SPARQL_JSON = MediaType("application/sparql-results+json", "json", ("application/json",), ".srj", ("json", "srj"))
SPARQL_XML = MediaType("application/sparql-results+xml", "xml", ("application/xml", "text/xml"), ".srx", ("xml", "srx"))
CSV = MediaType("text/csv", "csv", (), ".csv", ("csv",))
TSV = MediaType("text/tab-separated-values", "tsv", (), ".tsv", ("tsv",))
TURTLE = MediaType("text/turtle", "turtle", ("application/x-turtle",), ".ttl", ("turtle", "ttl"))
NTRIPLES = MediaType("application/n-triples", "ntriples", ("text/plain",), ".nt", ("ntriples", "nt", "n-triples"))
JSONLD = MediaType("application/ld+json", "jsonld", (), ".jsonld", ("jsonld", "json-ld"))
RDFXML = MediaType("application/rdf+xml", "rdfxml", (), ".rdf", ("rdfxml", "rdf", "rdf+xml"))
HTML = MediaType("text/html", "html", ("application/xhtml+xml",), ".html", ("html",))

#: In order of preference when the client accepts several equally.
RESULTS = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
RDF = (TURTLE, NTRIPLES, JSONLD, RDFXML)
RESOURCE = (HTML, TURTLE, JSONLD, NTRIPLES, RDFXML)


class NotAcceptable(ValueError):
    """No offered media type is acceptable to the client (→ 406)."""


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``(media range, q)`` pairs of an Accept header; malformed q-values count as 1, q=0 kept."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 1.0
        ranges.append((media, q))
    return ranges or [("*/*", 1.0)]


def _quality(media: MediaType, ranges: list[tuple[str, float]]) -> float:
    """The q-value of the most specific range matching ``media`` (exact > type/* > */*).

    Aliases count only when named exactly, so ``text/*`` does not select XML through ``text/xml``.
    """
    major = media.name.split("/")[0]
    best_specificity, best_q = -1, 0.0
    for rng, q in ranges:
        if rng == media.name or rng in media.aliases:
            specificity = 2
        elif rng == f"{major}/*":
            specificity = 1
        elif rng == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity or (specificity == best_specificity and q > best_q):
            best_specificity, best_q = specificity, q
    return best_q


def negotiate(accept: str | None, offers: tuple[MediaType, ...]) -> MediaType:
    """The offer with the highest q-value (ties go to the earlier offer); :class:`NotAcceptable` if none."""
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for media in offers:
        q = _quality(media, ranges)
        if q > best_q:
            best, best_q = media, q
    if best is None:
        raise NotAcceptable(f"none of {', '.join(m.name for m in offers)} is acceptable")
    return best


def by_format(name: str, offers: tuple[MediaType, ...]) -> MediaType:
    """The offer named by a ``format`` parameter: a short name (``csv``) or a media type."""
    key = name.strip().lower()
    for media in offers:
        if key in media.format_names or key == media.name or key in media.aliases:
            return media
    raise NotAcceptable(f"unknown format {name!r}; use one of {', '.join(m.format_names[0] for m in offers)}")


def by_suffix(suffix: str, offers: tuple[MediaType, ...]) -> MediaType | None:
    return next((m for m in offers if m.suffix == suffix), None)

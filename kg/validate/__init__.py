"""Validation: the shapes in ``shapes/*.ttl`` run on the knowledge graph.

- :mod:`kg.validate.shapes` loads the shapes, lists the rules and compiles them to SPARQL;
- :mod:`kg.validate.engine` runs them set-based on a pyoxigraph store (the fast engine);
- :mod:`kg.validate.batched` runs them on a build directory in stores of about 100 documents each,
  with the same report as one store (flat cost per document, bounded memory);
- :mod:`kg.validate.shacl` runs them with pyshacl (the reference engine, the only pyshacl import);
- :mod:`kg.validate.report` / :mod:`kg.validate.render`: the report and its text/JSON/Turtle/JUnit/HTML forms;
- :mod:`kg.validate.command`: ``kg validate``.
"""

from kg.validate.batched import validate_build_dir
from kg.validate.engine import validate_store
from kg.validate.report import Rule, ValidationReport, ValidationResult
from kg.validate.shapes import ShapesError, load_shapes

__all__ = ["Rule", "ShapesError", "ValidationReport", "ValidationResult", "load_shapes", "validate_build_dir",
           "validate_store"]

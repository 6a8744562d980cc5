"""budget-kg: Chinese government department budget disclosures as a knowledge graph."""

__version__ = "0.1.0"
__all__ = ["__version__"]

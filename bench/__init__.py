"""Benchmarks of budget-kg's stages at scale (issue 8): ``python -m bench.run --scales 100,1000``.

Not part of the test suite: speed targets live here, never in timed unit tests. See
``bench/RESULTS.md`` for the measured numbers and where the time goes.
"""

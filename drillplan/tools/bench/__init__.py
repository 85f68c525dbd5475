"""Performance figures on generated data sets (`drillplan bench`).

* :mod:`~drillplan.tools.bench.scales`: the sizes (tiny, district, city) and the as-of date;
* :mod:`~drillplan.tools.bench.generate`: the deterministic generator and the cache of its files;
* :mod:`~drillplan.tools.bench.run`: the measurements against hand-written ``sqlite3`` baselines;
* :mod:`~drillplan.tools.bench.cli`: ``register(sub)`` and ``cmd_bench(args)`` for the command line.
"""

from __future__ import annotations

"""skbench: the shared machinery of skmeta's benchmarks.

The ``bench_*.py`` scripts beside this package are thin entry points; this
package holds what they share and the model-selection benchmark's parts, one
concept a module:

- :mod:`skbench.inputs`: the corpus, KEEL families, opening a knowledge base;
- :mod:`skbench.systems` and :mod:`skbench.random_search`: the competing systems;
- :mod:`skbench.held_out`: meta-learning without the held-out dataset;
- :mod:`skbench.runner` and :mod:`skbench.results`: the resumable, multi-process run;
- :mod:`skbench.scoring`: normalized scores, ranks, adaptation curves;
- :mod:`skbench.figures` and :mod:`skbench.targets`: PASS/FAIL targets as data;
- :mod:`skbench.report` and :mod:`skbench.plots`: the printed report and figures.

``benchmarks/PROTOCOL.md`` describes the model-selection protocol. Nothing is
imported here, so that a script pays only for the modules it uses.
"""

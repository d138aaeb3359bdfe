"""spinaps flows at the top of the package graph: the end-to-end run (``python -m flow run``, :mod:`flow.run`)
and the design-space exploration (``python -m flow.explore``, :mod:`flow.explore`). Nothing below imports
this package."""

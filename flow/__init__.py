"""spinaps flows at the top of the package graph: the end-to-end run (``python -m flow run``) and the
design-space exploration. Nothing below imports this package."""

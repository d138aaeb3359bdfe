"""spinaps hardware: Amaranth 0.5 components, one block per file, each with its
golden counterpart of the same name in ``model/`` (docs/spec.md)."""

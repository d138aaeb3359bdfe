"""End-to-end orchestration of spinaps: design-space exploration (:mod:`flow.explore`)."""

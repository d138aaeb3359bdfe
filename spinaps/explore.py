"""``python -m spinaps.explore SPACE.yaml``: runs ``python -m flow.explore`` (flow/ is imported only then)."""
if __name__ == "__main__":
    from flow.explore import main
    raise SystemExit(main())

"""Golden model of the event scanner (hw/scanner.py)."""

__all__ = ["scan"]


def scan(bits: int) -> list[int]:
    """The rows of the set bits of ``bits``, lowest first: the order the scanner emits them."""
    rows, row = [], 0
    while bits:
        if bits & 1:
            rows.append(row)
        bits >>= 1
        row += 1
    return rows

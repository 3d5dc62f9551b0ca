"""Row chunks: passes over a long series hold one chunk of windows at a time."""

CHUNK_ROWS = 65536
"""Rows per chunk: 65,536 windows of 100 float64 values are 52 MB."""


def chunks(n_rows, size=CHUNK_ROWS):
    """Consecutive slices that cover ``range(n_rows)``, ``size`` rows each."""
    return [slice(start, min(start + size, n_rows)) for start in range(0, n_rows, size)]

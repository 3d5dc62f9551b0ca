"""Row chunks: passes over a long series hold one chunk of windows at a time."""

import numpy as np

CHUNK_ROWS = 65536
"""Rows per chunk: 65,536 windows of 100 float64 values are 52 MB."""

FORWARD_ROWS = 4096
"""Windows per forward pass of the network: its activations, not the
windows, take the memory (every step of every layer of every window)."""


def chunks(n_rows, size=CHUNK_ROWS):
    """Consecutive slices that cover ``range(n_rows)``, ``size`` rows each."""
    return [slice(start, min(start + size, n_rows)) for start in range(0, n_rows, size)]


def map_chunks(function, array, size=CHUNK_ROWS):
    """``function`` applied to ``array`` a chunk of ``size`` rows at a time,
    the results (one per row) concatenated; an empty array gives an empty
    result."""
    parts = [function(array[rows]) for rows in chunks(len(array), size)]
    return np.concatenate(parts) if parts else np.empty(0)

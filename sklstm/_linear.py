"""Moved to `sklstm._lstm._linear`; kept for models pickled by sklstm 0.1.0.

Their ``linear_`` names ``sklstm._linear.RidgeAutoregression``.
"""

from ._lstm._linear import RidgeAutoregression

__all__ = ["RidgeAutoregression"]

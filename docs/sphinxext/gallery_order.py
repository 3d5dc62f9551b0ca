"""Order of the examples in the gallery: from one series to many."""

ORDER = [
    "plot_airline_demo.py",
    "plot_model_comparison.py",
    "plot_many_series.py",
]


class ExampleOrder:
    """sphinx-gallery's ``within_subsection_order``: the examples in ORDER
    first, in that order, then any other by file name."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        rank = ORDER.index(filename) if filename in ORDER else len(ORDER)
        return (rank, filename)

    def __repr__(self):  # sphinx-gallery keys its cache on the repr
        return f"<{type(self).__name__}>"

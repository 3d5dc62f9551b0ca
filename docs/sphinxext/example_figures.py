"""A sphinx-gallery image scraper for figures the examples save themselves.

sklstm's plotting functions draw on a `matplotlib.figure.Figure` made outside
``pyplot`` (no GUI backend, freed when dropped), so sphinx-gallery's own
matplotlib scraper, which collects ``pyplot``'s open figures, finds none.
The examples save every figure they make into the folder named by
``SKLSTM_EXAMPLE_OUTPUT`` (the contract ``tests/test_examples.py`` checks);
``conf.py`` sets that folder, and after each cell this scraper moves the PNGs
the cell saved there to where sphinx-gallery wants them, in the order they
were saved. The figures in the gallery are therefore exactly the files a
reader gets when running the example with ``SKLSTM_EXAMPLE_OUTPUT`` set.
"""

import os
import shutil
from pathlib import Path

from sphinx_gallery.scrapers import figure_rst

FOLDER_VARIABLE = "SKLSTM_EXAMPLE_OUTPUT"


def saved_figures(block, block_vars, gallery_conf, **kwargs):
    """Move the PNGs saved by the last cell into the gallery; return their rST."""
    folder = os.environ.get(FOLDER_VARIABLE)
    if not folder or not Path(folder).is_dir():
        return ""
    saved = sorted(Path(folder).glob("*.png"), key=lambda path: path.stat().st_mtime)
    image_paths = []
    for path, image_path in zip(saved, block_vars["image_path_iterator"], strict=False):
        shutil.move(path, image_path)
        image_paths.append(image_path)
    return figure_rst(image_paths, gallery_conf["src_dir"])

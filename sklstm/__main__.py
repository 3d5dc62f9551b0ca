"""``python -m sklstm``: the command line (`sklstm._cli`), also installed as
``sklstm``."""

import sys

from ._cli._main import main

if __name__ == "__main__":
    sys.exit(main())

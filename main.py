"""Attention Explainer: ``python main.py`` opens the app, ``python main.py --help`` lists the rest.

The installed package runs the same command line as ``attention-explainer`` or ``python -m explainer``.
"""

import sys

from explainer.cli import main  # sets the BLAS thread count itself, before NumPy loads

if __name__ == "__main__":
    sys.exit(main())

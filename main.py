"""Attention Explainer: ``python main.py`` opens the app, ``python main.py --help`` lists the rest."""

import os
import sys

# The matrices here are small (a BERT layer at most): BLAS threads only fight
# over the cores with the GUI thread. One thread: 1.7 ms per BERT-sized
# recompute against 4.5 ms (median) with the default on a 2-core machine.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from explainer.cli import main  # after the thread setting, before NumPy loads

if __name__ == "__main__":
    sys.exit(main())

"""Package data: the classic presets (``presets/*.json``), read with :mod:`importlib.resources`.

Everything under this folder ships in the wheel, so an installed copy works outside the source tree.
"""

"""The command line's language, chosen before the parser is built so that its help is in it.

``--lang`` is an option of the very parser whose help it translates, so it is read
from the raw arguments first (``--lang ko`` or ``--lang=ko``, before a command or
after it), else the system's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG).
argparse writes some words itself ("usage:", "options", its error messages) with
its own gettext lookup: :func:`use_language` points that lookup at ours.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence

from ..i18n import LANGUAGES, N_, _, set_language, system_language

__all__ = ["ARGPARSE_WORDS", "language_asked", "use_language"]

# argparse's own words (Python 3.11's), marked here so that the catalogue translates them.
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("expected %s argument"),
    N_("expected %s arguments"),
    N_("invalid %(type)s value: %(value)r"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("ignored explicit argument %r"),
)


def language_asked(argv: Sequence[str], env: Mapping[str, str]) -> str:
    """The language ``--lang`` asks for in ``argv`` (the last one typed), else the system's.

    A value that is no language ("--lang fr") is left to the parser to refuse.
    """
    asked = None
    for index, word in enumerate(argv):
        if word == "--":  # what follows is not an option
            break
        if word == "--lang" and index + 1 < len(argv):
            asked = argv[index + 1]
        elif word.startswith("--lang="):
            asked = word.removeprefix("--lang=")
    return asked if asked in LANGUAGES else system_language(env)


def _ngettext(singular: str, plural: str, count: int) -> str:
    return _(singular if count == 1 else plural)


def use_language(argv: Sequence[str], env: Mapping[str, str]) -> str:
    """Show every word from now on in the language :func:`language_asked` finds, argparse's too."""
    language = language_asked(argv, env)
    set_language(language)
    # argparse looks its words up through module globals at the time it writes them.
    setattr(argparse, "_", _)  # noqa: B010 (argparse declares no such attribute to assign)
    setattr(argparse, "ngettext", _ngettext)  # noqa: B010
    return language

"""The command line's language: known before parsing, and argparse's own words in it.

`--help` must already speak the user's language, so the language is read from argv first (`--lang`),
then from the settings (file or `KUFERTUI_UI__LANGUAGE`), default German. argparse takes its own words
("usage:", "options", "show this help message and exit", its error messages) from the module-level
gettext functions `argparse._` and `argparse.ngettext`; while the parser is built and parses, those
look the words up in our catalogue (`messages/cli.py`, keys `argparse.*`). Unknown words pass through.
Those two module attributes are argparse's private API (it has no public way to translate its words):
tests/unit/test_cli_argparse_words.py fails by name when a Python release renames or adds a message.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from kufertui import i18n, paths

# argparse's message ids (Python 3.11–3.13) → our keys
ARGPARSE_WORDS = {
    "usage: ": "argparse.usage",
    "options": "argparse.options",
    "positional arguments": "argparse.positionals",
    "show this help message and exit": "argparse.help",
    "the following arguments are required: %s": "argparse.required",
    "unrecognized arguments: %s": "argparse.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse.invalid-choice",
    "argument %(argument_name)s: %(message)s": "argparse.argument",
    "invalid %(type)s value: %(value)r": "argparse.invalid-value",
    "expected one argument": "argparse.expected-one",
    "expected at most one argument": "argparse.expected-at-most-one",
    "expected at least one argument": "argparse.expected-at-least-one",
    "ambiguous option: %(option)s could match %(matches)s": "argparse.ambiguous",
    "not allowed with argument %s": "argparse.not-allowed-with",
    "one of the arguments %s is required": "argparse.one-required",
    "ignored explicit argument %r": "argparse.ignored-explicit",
    "%(prog)s: error: %(message)s\n": "argparse.error",
}
ARGPARSE_PLURALS = {"expected %s argument": "argparse.expected-n"}


def _option_value(argv: Sequence[str], option: str) -> str | None:
    """The value of `--option X` or `--option=X` before a `--`; the last one wins, as argparse does."""
    value = None
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == option and index + 1 < len(argv):
            value = argv[index + 1]
        elif arg.startswith(option + "="):
            value = arg.split("=", 1)[1]
    return value


def has_flag(argv: Sequence[str], flag: str) -> bool:
    """Whether `flag` (e.g. --json) is given before a `--`."""
    for arg in argv:
        if arg == "--":
            return False
        if arg == flag:
            return True
    return False


def early_language(argv: Sequence[str], env: dict[str, str] | None = None) -> str:
    """The interface language before argparse runs: --lang, else the settings, else German."""
    lang = _option_value(argv, "--lang")
    if lang in i18n.LANGUAGES:
        return lang
    from kufertui.config import ConfigError, load_settings

    config = _option_value(argv, "--config")
    try:
        lang = load_settings(Path(config) if config else paths.default_config_file()).ui.language
    except ConfigError as exc:  # a broken file is reported after parsing, in the language it asks for
        lang = exc.lang or (env if env is not None else os.environ).get("KUFERTUI_UI__LANGUAGE", "de")
    except (OSError, ValueError):
        lang = (env if env is not None else os.environ).get("KUFERTUI_UI__LANGUAGE", "de")
    return lang if lang in i18n.LANGUAGES else "de"


def _gettext(message: str) -> str:
    key = ARGPARSE_WORDS.get(message)
    return i18n.t(key) if key else message


def _ngettext(singular: str, plural: str, n: int) -> str:
    key = ARGPARSE_PLURALS.get(singular)
    if key is None:
        return singular if n == 1 else plural
    return i18n.t(f"{key}#one") if n == 1 else i18n.t(key)


@contextmanager
def argparse_language(lang: str) -> Iterator[None]:
    """Build and run a parser with argparse's words in `lang`; restores argparse afterwards."""
    i18n.set_language(lang)
    saved: tuple[Callable[[str], str], Callable[[str, str, int], str]] = (
        argparse._, argparse.ngettext)  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _gettext, _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]

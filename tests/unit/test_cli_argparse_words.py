"""cli_i18n.py swaps argparse's module-level `_` and `ngettext` (argparse has no public way to translate its own
words): each message id we translate must be one this Python's argparse uses, and every message argparse can show
a user must be translated. A Python release that renames a message or adds one fails here, by name."""

from __future__ import annotations

import argparse
import ast
import inspect

from kufertui import i18n
from kufertui.cli_i18n import ARGPARSE_PLURALS, ARGPARSE_WORDS, argparse_language

# raised for a parser built wrong (a programming error), never for what a user typed: left in English
NOT_FOR_USERS = frozenset({
    "%r is not callable", "'required' is an invalid argument for positionals", ".__call__() not defined",
    "argument \"-\" with mode %r", "can't open '%(filename)s': %(error)s", "cannot have multiple subparser arguments",
    "cannot merge actions - two groups are named %r", "conflicting subparser alias: %s", "conflicting subparser: %s",
    "dest= is required for options like %r", "invalid conflict_resolution value: %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "mutually exclusive arguments must be optional", "unexpected option string: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)", "conflicting option string: %s",
})


def argparse_messages(function: str) -> set[str]:
    tree = ast.parse(inspect.getsource(argparse))
    return {node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == function
            and node.args and isinstance(node.args[0], ast.Constant)}


def test_our_words_are_argparse_s_and_argparse_s_words_are_ours() -> None:
    words, plurals = argparse_messages("_"), argparse_messages("ngettext")
    assert set(ARGPARSE_WORDS) <= words, sorted(set(ARGPARSE_WORDS) - words)
    assert set(ARGPARSE_PLURALS) <= plurals, sorted(set(ARGPARSE_PLURALS) - plurals)
    untranslated = (words | plurals) - set(ARGPARSE_WORDS) - set(ARGPARSE_PLURALS) - NOT_FOR_USERS
    assert not untranslated, f"argparse shows these to users in English: add them to cli_i18n.py: {untranslated}"


def test_the_swap_is_undone_and_speaks_the_language_asked() -> None:
    before = (argparse._, argparse.ngettext)  # type: ignore[attr-defined]
    with argparse_language("de"):
        assert argparse._("options") == i18n.t("argparse.options", "de")  # type: ignore[attr-defined]
    assert (argparse._, argparse.ngettext) == before  # type: ignore[attr-defined]
    i18n.set_language("de")

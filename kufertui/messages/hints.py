"""Texts of the troubleshooting handbook, served through the catalogue as `hints.<id>.title|cause|fix`.

The words themselves live once, in kufertui.core.hints (pure data; the help searches them: tui/hints.py); this
module only hands them to i18n, so faces look them up like every other text.
"""

from kufertui.core.hints import HINTS

DE = {f"hints.{h.id}.{part}": text for h in HINTS
      for part, text in (("title", h.title_de), ("cause", h.cause_de), ("fix", h.fix_de))}

EN = {f"hints.{h.id}.{part}": text for h in HINTS
      for part, text in (("title", h.title_en), ("cause", h.cause_en), ("fix", h.fix_en))}

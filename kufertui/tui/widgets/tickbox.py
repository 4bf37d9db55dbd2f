"""A checkbox whose empty box is empty, and whose label may wrap.

Textual's Checkbox draws a dim X when unchecked, which reads as "ticked" on many terminals (and always
without colours); and it is always one line high, which cuts long labels (the UWG confirmation) at 80
columns. With `text-wrap: wrap` in the CSS a TickBox grows to the lines its label needs.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import Checkbox


class TickBox(Checkbox):
    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:  # Textual reads this class attribute name
        return "✓" if self.value else " "

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self.styles.text_wrap != "wrap" or width <= 0:
            return 1
        return max(len(self.render().wrap(width)), 1)

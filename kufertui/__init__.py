"""kufertui: KUFER newsletter contacts to Maileon and unsubscribes back, from the terminal."""

__version__ = "0.1.0"

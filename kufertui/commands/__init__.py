"""The subcommands of cli.py, one module each; none imports Textual except the TUI ones."""

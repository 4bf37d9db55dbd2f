"""Generic modal dialogs."""

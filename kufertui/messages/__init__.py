"""UI text catalogues, one module per area, each with DE and EN dicts of the same keys."""

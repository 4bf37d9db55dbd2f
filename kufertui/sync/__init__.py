"""The sync engine: the round trip (README.md, "What it does") as one pipeline that emits events."""

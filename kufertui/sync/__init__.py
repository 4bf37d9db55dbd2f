"""The sync engine: the round trip of DESIGN §2 as one pipeline that emits events."""

"""One revision per schema change, numbered 0001, 0002, ...; `scripts/new-migration "message"` adds the next."""

"""Storage: SQLModel tables, the engine, and small repository functions that only flush."""

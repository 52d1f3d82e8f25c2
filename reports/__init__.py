"""The board report templates and print CSS: data, not code (installed as `assess.reports`)."""

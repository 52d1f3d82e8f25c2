"""Example answer files, one of them the demo's: data, not code (installed as `assess.examples`)."""

"""The shipped questionnaires: data, not code (installed as `assess.questionnaires`, read through importlib.resources)."""

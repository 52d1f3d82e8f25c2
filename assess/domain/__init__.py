"""The domain core: questionnaire model, answers, scoring, rules and roadmap.

Pure Python. Nothing here imports Flask, SQLModel, WTForms, plotly or WeasyPrint
(a test enforces it), so the web, storage and report layers can all call in.
"""

"""Determinism: every way a model is rerun (a report in text, Markdown,
JSON and English, kader test, kader check, a literate paper) gives
byte-identical output the second time, in another time zone, locale and
working directory (tests/determinism.sh)."""

CASES = [
    {"command": ["sh", "tests/determinism.sh", "KADER"],
     "stdout": "13 commands, 0 differ\n"},
]

"""The synthetic national survey (examples/landelijke-enquete.kader): its
report in text, Markdown, JSON and English, and what `kader check` finds in
it, one inconsistency of each kind, with the 99% and 101% rows from
rounding left alone."""

EXAMPLE = "examples/landelijke-enquete.kader"

CASES = [
    {"args": [EXAMPLE], "stdout_file": "tests/golden/landelijke-enquete.txt",
     "stderr_file": "tests/golden/landelijke-enquete.stderr"},
    {"args": ["--format", "md", EXAMPLE], "stdout_file": "tests/golden/landelijke-enquete.md"},
    {"args": ["--format", "json", EXAMPLE], "stdout_file": "tests/golden/landelijke-enquete.json"},
    {"args": ["--locale", "en", EXAMPLE], "stdout_file": "tests/golden/landelijke-enquete.en.txt"},
    {"args": ["check", EXAMPLE], "exit": 1,
     "stdout_file": "tests/golden/landelijke-enquete.check.txt"},
    # the rows that add up to 99% and 101% from rounding are not findings
    {"args": ["check", EXAMPLE], "exit": 1,
     "stdout_lacks": ["Wij hebben zicht", "De samenwerking met gemeenten is goed"]},
]

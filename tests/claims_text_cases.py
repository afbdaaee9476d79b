"""`kader claims REPORT`: the statements with numbers in a report's text,
checked against the text's own numbers (stdlib/claimtext.kader through
interp/cli_claims.c). The synthetic report examples/claims/rapport.md has
one planted inconsistency of each kind and legitimate rounding; its
goldens are the expected findings (regenerate one with the command in its
case after checking the change). See tests/cli_cases.py for the format.
"""

REPORT = "examples/claims/rapport.md"
NO_PDFTOTEXT = ("tests/claimtext/rapport.pdf is a PDF, and reading a PDF needs pdftotext, "
                "which is not installed; install poppler-utils (apt-get install "
                "poppler-utils), or give the report as text")

CASES = [
    # the findings, in Dutch, English, JSON and Markdown; exit 1: there are findings
    {"args": ["claims", REPORT], "exit": 1, "stdout_file": "tests/golden/claims-rapport.txt"},
    {"args": ["claims", REPORT, "--locale", "en"], "exit": 1,
     "stdout_file": "tests/golden/claims-rapport.en.txt"},
    {"args": ["claims", REPORT, "--format", "json"], "exit": 1,
     "stdout_file": "tests/golden/claims-rapport.json"},
    {"args": ["claims", REPORT, "--format=md"], "exit": 1,
     "stdout_file": "tests/golden/claims-rapport.md"},
    # the options may also come before the subcommand
    {"args": ["--locale", "en", "claims", REPORT], "exit": 1,
     "stdout_file": "tests/golden/claims-rapport.en.txt"},
    # --out: a claim per phrase, with its line and sentence, unlinked
    {"command": ["sh", "-c", "KADER claims " + REPORT + " --out BUILD/claims-rapport.kader "
                 ">/dev/null; s=$?; cat BUILD/claims-rapport.kader; exit $s"],
     "exit": 1, "stdout_file": "tests/golden/claims-rapport.out.kader.txt"},
    # kader check fails at every unlinked claim, and says why
    {"command": ["sh", "-c", "KADER claims " + REPORT + " --out BUILD/claims-check.kader "
                 ">/dev/null; KADER check BUILD/claims-check.kader"],
     "exit": 1, "stdout_has": [
         "claims-check.kader:8:7: claim '152 samenwerkingsverbanden' (r. 9): nog niet gekoppeld "
         "aan een waarde van het model: vervang unlinked(\"r. 9\") door die waarde.",
         "\n0 passed, "]},
    {"command": ["sh", "-c", "KADER claims " + REPORT + " --out BUILD/claims-check-en.kader "
                 ">/dev/null; KADER --locale en check BUILD/claims-check-en.kader"],
     "exit": 1, "stdout_has": [
         "(r. 57): not linked to a value of the model yet: replace "
         "unlinked(\"r. 57\") by that value."]},
    # a text whose numbers agree: exit 0, and the coverage still says what
    # was not checked
    {"command": ["sh", "-c", "printf 'Er zijn 80 besturen, waarvan 30 eenpitters en 50 met meer "
                 "scholen.\\nRuim de helft (54%%) is tevreden.\\n' > BUILD/claims-ok.txt && "
                 "KADER claims BUILD/claims-ok.txt"],
     "stdout": "Getallen in claims-ok.txt, getoetst aan de tekst zelf (zonder model)\n\n"
               "Bevindingen (0)\n"
               "  geen: de getallen die de tekst zelf kan toetsen kloppen onderling\n\n"
               "Dekking\n"
               "  2 uitspraken met getallen gevonden; 1 daarvan uit de tekst alleen te toetsen, "
               "1 niet (die vragen om het model: kader claims --out).\n"
               "  4 formuleringen; 4 gelezen, 0 niet.\n"},
    # a phrase the reader cannot read is listed with its line and the reader's words
    {"command": ["sh", "-c", "printf 'Intro.\\n\\nDat gold voor 5 op de 4\\nscholen.\\n' > "
                 "BUILD/claims-unread.txt && KADER claims BUILD/claims-unread.txt"],
     "stdout_has": ["1 formulering; 0 gelezen, 1 niet.", "Niet gelezen (1)\n",
                    "  r. 3: \"5 op de 4 scholen\": cannot read '5 op de 4 scholen'"]},
    # PDF through pdftotext
    {"args": ["claims", "tests/claimtext/rapport.pdf"], "exit": 1, "stdout_has": [
        "Getallen in rapport.pdf",
        "r. 2: '61 van de 93 (68%)': 61 van de 93 is 65,6%, niet 68%."]},
    {"args": ["claims", "tests/claimtext/kapot.pdf"], "exit": 2, "stderr_has": [
        "kader claims: cannot read the PDF tests/claimtext/kapot.pdf: pdftotext stopped "
        "with exit status 1"]},
    # no pdftotext on the PATH: how to install it, exit 2
    {"command": ["sh", "-c", "PATH=/nonexistent exec KADER claims tests/claimtext/rapport.pdf"],
     "exit": 2, "stdout": "", "stderr_has": [NO_PDFTOTEXT]},
    # errors: each exit 2 with a message
    {"args": ["claims", "geen-rapport.md"], "exit": 2,
     "stderr_has": ["kader claims: cannot read geen-rapport.md: No such file or directory"]},
    {"args": ["claims"], "exit": 2, "stderr_has": ["kader claims: name the report to read",
                                                   "usage: kader claims REPORT"]},
    {"args": ["claims", "tests/claimtext"], "exit": 2,
     "stderr_has": ["kader claims: tests/claimtext is a directory; name the report's file"]},
    {"args": ["claims", REPORT, REPORT], "exit": 2,
     "stderr_has": ["kader claims: one report at a time"]},
    {"args": ["claims", REPORT, "--onbekend"], "exit": 2,
     "stderr_has": ["kader claims: unknown option --onbekend"]},
    {"args": ["claims", REPORT, "--format", "pdf"], "exit": 2,
     "stderr_has": ["kader claims: --format takes text, md or json"]},
    {"args": ["claims", REPORT, "--locale", "fr"], "exit": 2,
     "stderr_has": ["kader claims: --locale takes nl or en"]},
    {"args": ["claims", REPORT, "--out"], "exit": 2,
     "stderr_has": ["kader claims: --out needs the name of the file to write the claims to"]},
    {"args": ["claims", REPORT, "--out", "/nonexistent-dir/claims.kader"], "exit": 2,
     "stderr_has": ["kader claims: cannot write /nonexistent-dir/claims.kader: No such file "
                    "or directory"]},
    {"command": ["sh", "-c", "printf 'a\\000b 12%%' > BUILD/claims-binary.txt && "
                 "KADER claims BUILD/claims-binary.txt"], "exit": 2,
     "stderr_has": ["is not a text file (give a report as text, Markdown or PDF)"]},
    # a report in Windows-1252 is not read as if it were UTF-8
    {"command": ["sh", "-c", "printf 'Ruim 50%% van de caf\\351s.\\n' > BUILD/claims-latin1.txt && "
                 "KADER claims BUILD/claims-latin1.txt"], "exit": 2,
     "stderr_has": ["claims-latin1.txt is not UTF-8 text (byte 20 is not UTF-8); convert it "
                    "first, e.g. iconv -f windows-1252 -t utf-8 "]},
    {"args": ["claims", "--help"], "stdout_has": ["usage: kader claims REPORT [--out FILE]"]},
    {"args": ["--help"], "stdout_has": ["claims REPORT [--out FILE]"]},
]

"""The legal-framework examples (examples/legal/) as a user runs them.

Each example states a role of a province with complete legal facts and
fails exactly one check. The text report is checked on its verdict table
(the failing check says "niet voldaan", the others "voldaan"); the Markdown
report, whose paragraphs are not wrapped, on the exact sentences that give
the reason. Same format as tests/cli_cases.py; run by tests/run.py.
"""

EX = "examples/legal/"
EMPTY = "tests/golden/empty"

CHECKS = ["Bevoegdheid", "Territoriale grens", "Ondergrens", "Bovengrens", "Toezicht"]
WIDTH = max(len(c) for c in CHECKS)


def table_rows(failing, status="niet voldaan"):
    """The verdict table of the text report: `failing` has `status`, the
    other checks say voldaan."""
    return ["  {}  {}\n".format(c.ljust(WIDTH), status if c == failing else "voldaan")
            for c in CHECKS]


def md_rows(failing, status="niet voldaan"):
    return ["| {} | {} |\n".format(c, status if c == failing else "voldaan")
            for c in CHECKS]


VOLDAAN_COMPETENCE = ("mag de rol vastleggen met het instrument 'Provinciale verordening'; "
                      "de grondslag staat bij de bronnen. Door haar open huishouding "
                      "kan de provincie elk publiek belang bij verordening tot haar "
                      "zaak maken.")

CASES = [
    # 1. territoriale grens: a region across the border with Utrecht
    {"args": [EX + "verordening_buurprovincie.kader"],
     "stdout_has": table_rows("Territoriale grens") + [
         "De rol is juridisch niet mogelijk: territoriale grens niet voldaan.",
         "  Ligt de regio binnen Nederland?  ja\n",
         "  Ligt de regio binnen Gelderland? nee\n",
         "  Ligt de regio binnen Utrecht?    nee\n"],
     "stderr_file": EMPTY},
    {"args": ["--format", "md", EX + "verordening_buurprovincie.kader"],
     "stdout_has": md_rows("Territoriale grens") + [
         "Territoriale grens: De rol stelt regels voor de regio van het "
         "samenwerkingsverband; dat gebied ligt deels buiten het grondgebied van "
         "Gelderland, in het grondgebied van Utrecht.",
         "Een verordening mag alleen het eigen grondgebied binden. "
         "Bronnen: Grondwet art. 127; Provinciewet art. 143.",
         "De provincie Gelderland " + VOLDAAN_COMPETENCE,
         "De rol is juridisch niet mogelijk: territoriale grens niet voldaan.\n"]},
    # the part outside the province is the part in Utrecht, not "nederland"
    {"args": ["--format", "md", EX + "verordening_buurprovincie.kader"],
     "stdout_has": ["buiten het grondgebied van Gelderland, in het grondgebied van Utrecht."],
     "stdout_lacks": ["in nederland", "in Nederland"]},

    # 2. ondergrens: individual placements
    {"args": [EX + "individuele_plaatsing.kader"],
     "stdout_has": table_rows("Ondergrens") + [
         "De rol is juridisch niet mogelijk: ondergrens niet voldaan."],
     "stderr_file": EMPTY},
    {"args": ["--format", "md", EX + "individuele_plaatsing.kader"],
     "stdout_has": md_rows("Ondergrens") + [
         "Ondergrens: De rol beslist over individuele gevallen; een verordening "
         "dient het algemeen belang. Let op: de rol mag de wettelijke taken van "
         "een samenwerkingsverband niet uitvoeren",
         "Territoriale grens: De rol stelt alleen regels voor het eigen "
         "grondgebied (het grondgebied van Overijssel).",
         "De rol is juridisch niet mogelijk: ondergrens niet voldaan.\n"],
     "stdout_lacks": ["De rol dient het algemeen belang."]},

    # 3. ondergrens: a statutory task of the swv
    {"args": [EX + "ondersteuningsmiddelen.kader"],
     "stdout_has": table_rows("Ondergrens") + [
         "De rol is juridisch niet mogelijk: ondergrens niet voldaan."],
     "stderr_file": EMPTY},
    {"args": ["--format", "md", EX + "ondersteuningsmiddelen.kader"],
     "stdout_has": md_rows("Ondergrens") + [
         "Ondergrens: De rol dient het algemeen belang. De rol neemt de wettelijke "
         "taak 'Ondersteuningsmiddelen toewijzen' over, die bij een "
         "samenwerkingsverband ligt op grond van WPO art. 18a, WVO 2020 art. 17a. "
         "Bronnen: WPO art. 18a; WVO 2020 art. 17a.",
         "De rol is juridisch niet mogelijk: ondergrens niet voldaan.\n"],
     # taking on a task replaces the general warning about the partner's tasks
     "stdout_lacks": ["Let op:"]},

    # 4. bovengrens: an exhaustive national law on the same object and motive
    {"args": [EX + "uitputtende_wet.kader"],
     "stdout_has": table_rows("Bovengrens") + [
         "De rol is juridisch niet mogelijk: bovengrens niet voldaan."],
     "stderr_file": EMPTY},
    {"args": ["--format", "md", EX + "uitputtende_wet.kader"],
     "stdout_has": md_rows("Bovengrens") + [
         "Leerplichtwet 1969 regelt een ander object (leerplicht en schoolverzuim); aanvullen kan.",
         "Wet meldplicht thuiszitters art. 2 regelt hetzelfde object met hetzelfde "
         "motief, uitputtend: de hogere regel gaat voor en een provinciale bepaling "
         "vervalt (Provinciewet art. 119).",
         "Bronnen: Provinciewet art. 118; Leerplichtwet 1969; Wet meldplicht "
         "thuiszitters art. 2; Provinciewet art. 119.",
         "De rol is juridisch niet mogelijk: bovengrens niet voldaan.\n"]},

    # 5. toezicht: a province supervising the swv
    {"args": [EX + "toezicht_swv.kader"],
     "stdout_has": table_rows("Toezicht") + [
         "De rol is juridisch niet mogelijk: toezicht niet voldaan."],
     "stderr_file": EMPTY},
    {"args": ["--format", "md", EX + "toezicht_swv.kader"],
     "stdout_has": md_rows("Toezicht") + [
         "Toezicht: De provincie Limburg mag toezicht houden op een gemeente. ",
         "De provincie Limburg heeft geen toezichtsbevoegdheid over een "
         "samenwerkingsverband: de provincie Limburg mag alleen toezicht houden "
         "op een gemeente of een waterschap.",
         "Bronnen: Gemeentewet art. 124 e.v.; Waterschapswet art. 156.",
         "De rol is juridisch niet mogelijk: toezicht niet voldaan.\n"]},

    # 6. bovengrens onbepaald: the exhaustiveness of a regulation is unknown
    {"args": [EX + "ontbrekend_feit.kader"],
     "stdout_has": table_rows("Bovengrens", "onbepaald") + [
         "Of de rol juridisch mogelijk is, hangt nog af van: of Regeling"],
     "stdout_lacks": ["niet voldaan", "juridisch mogelijk: alle toetsen"],
     "stderr_file": EMPTY},
    {"args": ["--format", "md", EX + "ontbrekend_feit.kader"],
     "stdout_has": md_rows("Bovengrens", "onbepaald") + [
         "Bovengrens: Leerplichtwet 1969 regelt een ander object (leerplicht en "
         "schoolverzuim); aanvullen kan. Ontbreekt: of Regeling regionaal overleg "
         "thuiszitters uitputtend is (exhaustive).",
         "Of de rol juridisch mogelijk is, hangt nog af van: of Regeling regionaal "
         "overleg thuiszitters uitputtend is (exhaustive).\n"]},

    # the same role in English
    {"args": ["--locale", "en", EX + "ontbrekend_feit.kader"],
     "stdout_has": ["  Upper limit        undetermined\n", "  Competence         met\n",
                    "Whether the role is legally possible still depends on: whether"]},

    # norms with verdicts, durations, age ranges
    {"args": [EX + "normen.kader"],
     "stdout_has": [
         "  Norm                                                              Doel         Gemeten        Verschil  Oordeel\n",
         "  Geen thuiszitters langer dan 3 maanden                   0 thuiszitter  12 thuiszitter  12 thuiszitter  niet voldaan\n",
         "  Doorzettingsmacht in 100% van de samenwerkingsverbanden         100,0%           92,0%           -8,0%  deels voldaan\n",
         "  Respons minstens 50%                                             50,0%           26,3%          -23,7%  niet voldaan\n",
         "  Elke thuiszitter binnen 4 weken in beeld                        100,0%               -               -  onbepaald\n",
         "  4 weken is korter dan 3 maanden: ja\n",
         "  3 maanden is 13 week\n",
         "  Leerplichtig: 5 tot 18 jaar\n",
         "dekt de doelgroep van 0 tot 27 jaar: deels (40,7%)\n",
         "Dekt het de leerplichtigen (5 tot 18 jaar)? deels (15,4%)\n"],
     "stderr_file": EMPTY},
]

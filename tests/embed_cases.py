"""The embedding example, examples/embed/host.c, as a user runs it.

Each case is a dict as in tests/cli_cases.py, with "command" (the whole
argv; BUILD stands for the build directory of the binaries under test:
build, or build/asan under `make asan`) instead of "args". `make test`
builds the host into BUILD/examples/host. Run by tests/run.py, which counts
each case as one test.
"""

HOST = "BUILD/examples/host"

# What the host prints for the thesis model: the role's total, the same
# after activity verzamelen of kenniscentrum goes from 3 to 5 h/week
# (12,88 + 2), a change to € 5 that the declaration's type check refuses
# (located at the activity's declaration, examples/provincie.kader:27:12,
# as warnings about a declaration are), the hours kept, the host function
# uren_per_dag called from Kader (9 h/week / 5 days), and a kader_error
# from it, located at the Kader call.
PROVINCIE = (
    "Totaal: 12,88 h/week\n"
    "Eerste activiteit: activity verzamelen\n"
    "Na de wijziging: 14,88 h/week\n"
    "kader_set_field met € 5: 0\n"
    "Fout: examples/provincie.kader:27:12: runtime error: field 'hours' of an"
    " activity must be a quantity or range in h/week, not € 5\n"
    "Uren van verzamelen: 5 h/week\n"
    "Per werkdag: 1,8 h\n"
    "Resultaat: 1, fout: host.kader:1:7: runtime error: uren_per_dag needs a"
    " time per week, not € 5\n"
)

CASES = [
    # the whole output, exactly; the model's own report is discarded by the
    # host's write sink, its warnings still go to stderr
    {"command": [HOST], "stdout": PROVINCIE,
     "stderr_has": ["examples/provincie.kader:122:7: warning:",
                    "runtime error: field 'hours' of an activity must be",
                    "host.kader:1:7: runtime error: uren_per_dag needs a time"
                    " per week, not € 5"]},
    # the same with the model's path given
    {"command": [HOST, "examples/provincie.kader"],
     "stdout_has": ["Totaal: 12,88 h/week\n",
                    "Na de wijziging: 14,88 h/week\n",
                    "Per werkdag: 1,8 h\n"]},
    # a model that cannot be read: exit 1, the error on stderr, no output
    {"command": [HOST, "geen-model.kader"], "exit": 1, "stdout": "",
     "stderr_has": ["cannot read geen-model.kader"]},
]

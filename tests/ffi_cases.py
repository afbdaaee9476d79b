"""The FFI example as a user runs it (a case as in tests/cli_cases.py).
The language-level FFI tests are tests/ffi/*.kader."""

CASES = [
    {"args": ["--allow-ffi", "examples/ffi-libm.kader"],
     "stdout": "Aandeel onder de drempel 3: 32,8%\n"
               "Derdemachtswortel van 27: 3\n"
               "financiën heeft 9 tekens en 10 bytes\n"},
    # without the permission: the first ffi.open, located, with the flag
    {"args": ["examples/ffi-libm.kader"], "exit": 1,
     "stderr_has": ["examples/ffi-libm.kader:7:12: runtime error: not allowed: "
                    "opening the C library libm.so.6; a model may only do this "
                    "when it is run with --allow-ffi"]},
]

/*
** harness.h — what the libFuzzer targets in tests/fuzz/ share.
**
** A fuzz target must stop the process (abort) when it sees something wrong,
** so that libFuzzer keeps the input: fuzz_fail prints what was wrong and
** aborts. Each state the targets make is locked down the same way
** (fuzz_state): no permissions, a sandbox, no writing at all, and step and
** memory limits, so that an input can only compute and stop.
*/
#ifndef KADER_FUZZ_HARNESS_H
#define KADER_FUZZ_HARNESS_H

#include <stddef.h>

#include "kader.h"

/* The name every input runs under; a location in it is a place in the
** input. */
#define FUZZ_NAME "fuzz.kader"

/* Loop rounds and calls per run, and bytes of heap. Small enough that no
** input runs for long (libFuzzer's -timeout catches the rest), large
** enough for every model in tests/ and examples/. */
enum { FUZZ_STEP_LIMIT = 200000 };
#define FUZZ_MEMORY_LIMIT ((size_t)64 << 20)

/* Program output kept in memory (at most FUZZ_OUTPUT_CAP bytes; `len`
** counts all of it). */
#define FUZZ_OUTPUT_CAP ((size_t)1 << 20)
typedef struct FuzzOutput { char *text; size_t len, kept; } FuzzOutput;

/* A state with the standard library, locked down. Output goes to `out`
** (NULL: thrown away); diagnostics are thrown away. Aborts when the state
** cannot be made. */
KaderState *fuzz_state(FuzzOutput *out, const char *format);
void fuzz_output_free(FuzzOutput *out);

#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 1, 2)))
#endif
void fuzz_fail(const char *fmt, ...);

/* Aborts unless line:column is a place in src (line 1.., column 1 up to one
** past the end of its line), or 0:0 when allow_none. */
void fuzz_check_place(const char *what, const char *src, size_t len, int line,
                      int column, int allow_none);

/* After a run that failed: the result is an error code, there is a message,
** and an error located in the input is located inside it. */
void fuzz_check_error(KaderState *K, KaderResult r, const char *src, size_t len);

/* Did the last error come from a limit (steps, memory) rather than from
** the program? */
int fuzz_hit_limit(KaderState *K);

#endif

/*
** kader.h — the public C API of the Kader interpreter.
**
** Everything a host (the `kader` command line tool, a test harness, a
** dashboard written in C) needs lives behind this header. A KaderState is a
** complete, independent interpreter: there is no global mutable state, so a
** host may run several states side by side (one per thread).
*/
#ifndef KADER_H
#define KADER_H

#include <stddef.h>

#define KADER_VERSION "0.1.0"
#define KADER_LANGUAGE_VERSION "0.1"

typedef struct KaderState KaderState;

/* Result of running code. The numeric values are the CLI's exit codes. */
typedef enum {
  KADER_OK = 0,
  KADER_RUNTIME_ERROR = 1,
  KADER_SYNTAX_ERROR = 2
} KaderResult;

/* Output sink: everything the program prints goes through it. `len` bytes,
** not NUL-terminated. */
typedef void (*KaderWriteFn)(void *userdata, const char *text, size_t len);

typedef struct {
  const char *locale;      /* "nl" (default) or "en" */
  int gc_stress;           /* collect garbage on every allocation (testing) */
  int repl;                /* REPL mode: globals may be redefined */
  KaderWriteFn write;      /* program output; NULL = stdout */
  void *write_userdata;
  KaderWriteFn write_error;/* diagnostics; NULL = stderr */
  void *error_userdata;
  int color;               /* colour in diagnostics (only on a terminal) */
  const char *format;      /* how reports are written: "text" (default),
                              "md" (Markdown) or "json" */
  int color_output;        /* colour in program output (only on a terminal,
                              and not when NO_COLOR is set) */
  size_t memory_limit;     /* bytes the heap may use; 0 = no limit. Beyond
                              it a program stops with "out of memory" */
} KaderConfig;

/* Fills `config` with the defaults. */
void kader_config_init(KaderConfig *config);

/* Creates a state with the standard library loaded. NULL when out of memory
** (or when the embedded standard library failed to load, which is a bug). */
KaderState *kader_new(const KaderConfig *config);
void kader_free(KaderState *K);

/* Runs a source file. Errors are written to the error sink, located and
** with the source line, and are also kept for kader_last_error(). */
KaderResult kader_run_file(KaderState *K, const char *path);

/* Runs `source` as if it were the contents of a file called `name`. */
KaderResult kader_run_string(KaderState *K, const char *name,
                             const char *source, size_t len);

/* Like kader_run_string, but when the source is a single expression its
** value is printed (the REPL's behaviour). */
KaderResult kader_eval_line(KaderState *K, const char *name,
                            const char *source, size_t len);

/* Is `source` an unfinished entry (an open bracket, block or string)?
** Used by REPLs to decide whether to ask for a continuation line. */
int kader_is_incomplete(KaderState *K, const char *source, size_t len);

/* The last error as one rendered message (location, source line, caret,
** explanation, stack trace), or NULL when the last run succeeded. */
const char *kader_last_error(KaderState *K);

/* Program arguments, visible to scripts as the list `args`. */
void kader_set_args(KaderState *K, int argc, const char *const *argv);

/* "nl" or "en"; returns 0 when the locale is unknown. */
int kader_set_locale(KaderState *K, const char *locale);

/* Completion candidates for the word that ends `line` (what a user typed
** up to the cursor): keywords and defined names, or after `x.` (and
** `x.y.`) the fields of x. add() gets each candidate word, sorted, once. */
void kader_complete(KaderState *K, const char *line, size_t len,
                    void (*add)(void *userdata, const char *word),
                    void *userdata);

/* Forgets which files were imported, so that running a model again
** re-reads the files it imports (the REPL's :reload). */
void kader_forget_imports(KaderState *K);

/* The doc comment of a defined name (a function, kind, declaration or
** built-in), or NULL. The text stays valid until the next call. */
const char *kader_doc(KaderState *K, const char *name);

/* Asks the running program to stop with the runtime error "interrupted"
** at its next loop round or call. Safe to call from a signal handler or
** from another thread; the state stays usable afterwards. */
void kader_interrupt(KaderState *K);

#endif

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

#define KADER_VERSION "0.3.0"
#define KADER_LANGUAGE_VERSION "0.3"

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

/* The result of one `expect` statement: passed or not, where it is, and for
** a failure a sentence with what was expected and what the model gave
** ("expected 12,88 h/week within 0,005, got 12,87 h/week"). */
typedef void (*KaderExpectFn)(void *userdata, int passed, const char *file, int line,
                              int column, const char *message);

/* What a model may do beyond computing (KaderConfig.allow). By default it
** may read files (its model files and data) and write only inside the
** output directory; everything else must be granted. */
enum {
  KADER_ALLOW_FFI = 1,     /* call C libraries (ffi.open) */
  KADER_ALLOW_RUN = 2,     /* run other programs (run) */
  KADER_ALLOW_ENV = 4,     /* read environment variables (env) */
  KADER_ALLOW_WRITE = 8    /* write files outside the output directory */
};

/* Stress modes of KaderConfig.gc_stress: a collection on every allocation
** of the program (the standard library, the same in every run, loads
** without), or on every allocation from the first (KADER_GC_STRESS=full). */
#define KADER_GC_STRESS_PROGRAM 1
#define KADER_GC_STRESS_FULL 2

typedef struct {
  const char *locale;      /* "nl" (default) or "en" */
  unsigned allow;          /* KADER_ALLOW_… bits */
  const char *output_dir;  /* where write_file may write; NULL: "." */
  const char *write_dir;   /* with KADER_ALLOW_WRITE: only under this
                              directory (NULL: anywhere) */
  int sandbox;             /* reading is limited to the model's directory */
  int gc_stress;           /* collect garbage on every allocation (testing):
                              KADER_GC_STRESS_PROGRAM or _FULL, 0 for none */
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
  unsigned long step_limit;/* loop rounds and calls one run or call may take
                              (0 = no limit); beyond it: "step limit" error */
  /* Memory for the heap: like realloc, and free when new_size is 0; NULL
  ** for the C library's. */
  void *(*realloc)(void *userdata, void *ptr, size_t old_size, size_t new_size);
  void *alloc_userdata;
  /* Each expect statement's result; NULL: a failure is printed as a located
  ** diagnostic to the error sink (and counted, see kader_expectations). */
  KaderExpectFn expect;
  void *expect_userdata;
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

/* A literate model: runs the ```kader blocks of the Markdown file at path
** in order, in this state, and writes out_path (NULL: "paper.out.md" for
** "paper.md") with each block's output after the block and the inline
** expressions in the prose replaced by their values (literate.c). */
KaderResult kader_run_markdown(KaderState *K, const char *path, const char *out_path);

/* Like kader_run_string, but when the source is a single expression its
** value is printed (the REPL's behaviour). */
KaderResult kader_eval_line(KaderState *K, const char *name,
                            const char *source, size_t len);

/* `source` (the contents of the file called `name`) in the canonical layout
** of `kader fmt` (docs/fmt.md), every comment kept: a malloc'd,
** NUL-terminated text the caller frees. NULL on a syntax error, or when
** formatting would change the meaning (an internal error), with the error
** in kader_last_error(K); nothing is written to the error sink. */
char *kader_format_source(KaderState *K, const char *name, const char *src,
                          size_t len);

/* Is `source` an unfinished entry (an open bracket, block or string)?
** Used by REPLs to decide whether to ask for a continuation line. */
int kader_is_incomplete(KaderState *K, const char *source, size_t len);

/* The last error as one rendered message (location, source line, caret,
** explanation, stack trace), or NULL when the last run succeeded. */
const char *kader_last_error(KaderState *K);

/* The last error in parts: its plain message ("division by zero"), and
** where it happened (1-based line and column). kader_error_location
** returns 0, with NULL, 0, 0, when the error has no place at all; a file
** that cannot be read gives its name with line 0. After a successful run
** the message is NULL and the location 0. */
const char *kader_error_message(KaderState *K);

/* How many expect statements passed and failed since the state was made. */
void kader_expectations(KaderState *K, int *passed, int *failed);
int kader_error_location(KaderState *K, const char **file, int *line, int *column);

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

/* ---- static checks (lint.c) --------------------------------------------
** What `kader check` finds without running a model. kind is "undefined" (a
** name, kind or unit that nothing defines, or a name used before its
** definition), "units" (units that measure different things), "field" (a
** field the declaration's kind does not have), "unused" (a let, var or fn
** that is never used; names starting with _ are exempt), "unreachable"
** (code after return, break or continue), or "error" (a syntax error, or a
** file that cannot be read). message is a plain sentence; line and column
** are 1-based (0 when the finding has no place). */
typedef void (*KaderLintFn)(void *userdata, const char *file, int line, int column,
                            const char *kind, const char *message);
/* flags for kader_lint_file: other files import this one, so its unused
** top-level names are theirs to use and are not reported */
#define KADER_LINT_MODULE 1
/* Checks the file at path and reports each finding, in the order of the
** source; returns how many there were. Imported files are parsed for their
** names, kinds and units (never run); the standard library's come from K,
** which should be fresh from kader_new. Nothing is run and K stays usable. */
int kader_lint_file(KaderState *K, const char *path, int flags, KaderLintFn report,
                    void *userdata);
/* The same for `source` (len bytes, not NUL-terminated), checked as if it
** were the contents of the file called name (imports are relative to it). */
int kader_lint_string(KaderState *K, const char *name, const char *source, size_t len,
                      int flags, KaderLintFn report, void *userdata);
/* Calls found() with the real path of each file that the file at path
** imports and that exists; returns how many, or -1 when the file cannot be
** read or parsed. (For kader_lint_file's KADER_LINT_MODULE.) */
int kader_lint_imports(const char *path, void (*found)(void *userdata, const char *path),
                       void *userdata);

/* ---- values: the API stack --------------------------------------------
** As in Lua, values cross the API on a stack. Index 1 is the bottom of the
** current stack frame (in a host function: its first argument), -1 the
** top. Pushing functions add one value; readers leave the stack as it is.
** A string pointer stays valid while its value is on the stack. */
typedef enum {
  KADER_TNIL, KADER_TBOOL, KADER_TNUMBER, KADER_TQUANTITY, KADER_TRANGE,
  KADER_TSTRING, KADER_TLIST, KADER_TRECORD, KADER_TDECLARATION,
  KADER_TFUNCTION, KADER_TOTHER
} KaderType;

int kader_top(KaderState *K);
void kader_pop(KaderState *K, int n);
KaderType kader_type(KaderState *K, int index);

void kader_push_nil(KaderState *K);
void kader_push_bool(KaderState *K, int b);
void kader_push_number(KaderState *K, double x);
/* A quantity in a unit written as in Kader ("h/week", "€"); 0 (and nothing
** pushed) when the unit is unknown. Ranges likewise; unit "" for numbers. */
int kader_push_quantity(KaderState *K, double x, const char *unit);
int kader_push_range(KaderState *K, double lo, double hi, const char *unit);
void kader_push_string(KaderState *K, const char *s, size_t len);
void kader_new_list(KaderState *K);
void kader_new_record(KaderState *K);
/* Pops a value and appends it to the list at index. */
void kader_append(KaderState *K, int index);
/* Pops a value and sets field `name` of the record or declaration at index
** (a declaration's fields are checked like in Kader); 0 on an error, whose
** message kader_last_error() gives. */
int kader_set_field(KaderState *K, int index, const char *name);
/* Pushes field `name` of the record or declaration at index (nil when there
** is none) and returns its type. */
KaderType kader_get_field(KaderState *K, int index, const char *name);
/* Pushes item i (from 1) of the list at index (nil when out of range). */
KaderType kader_get_item(KaderState *K, int index, size_t i);
/* Characters of a string, items of a list, fields of a record. */
size_t kader_len(KaderState *K, int index);

int kader_to_bool(KaderState *K, int index);        /* Kader truth */
double kader_to_number(KaderState *K, int index);   /* the number of a
                                                       number or quantity */
/* A quantity's number in another unit; 0 and *ok = 0 when it cannot be. */
double kader_to_unit(KaderState *K, int index, const char *unit, int *ok);
const char *kader_unit(KaderState *K, int index);   /* "h/week"; "" */
double kader_range_lo(KaderState *K, int index);
double kader_range_hi(KaderState *K, int index);
const char *kader_to_string(KaderState *K, int index, size_t *len);
/* The value as print shows it, in the state's locale (a new string the
** caller frees). */
char *kader_show(KaderState *K, int index);
/* A declaration's kind and id ("task", "kenniscentrum"); NULL otherwise. */
const char *kader_kind(KaderState *K, int index);
const char *kader_id(KaderState *K, int index);

/* ---- globals and calls ---- */
/* Pushes the global's value and returns its type; KADER_TNIL and nil when
** it is not defined. */
KaderType kader_get_global(KaderState *K, const char *name);
/* Pops a value into the global (defining it when new). */
void kader_set_global(KaderState *K, const char *name);
/* Calls the function below its nargs arguments; replaces them by the
** result. On an error the stack is as before the function was pushed. */
KaderResult kader_call(KaderState *K, int nargs);

/* A host function: its arguments are the API stack (1..kader_top(K)); it
** pushes its result and returns 1, or returns 0 for nil. */
typedef int (*KaderFunction)(KaderState *K);
typedef struct KaderReg {
  const char *name;
  KaderFunction fn;
  int min_args, max_args; /* max -1: any number */
  const char *doc;
} KaderReg;
void kader_register(KaderState *K, const char *name, KaderFunction fn,
                    int min_args, int max_args, const char *doc);
/* A module: a record `name` holding the functions (name.f(...)); the list
** ends with an entry whose name is NULL. */
void kader_register_module(KaderState *K, const char *name, const KaderReg *fns);
/* From inside a host function: stop with a runtime error (located at the
** Kader call). Does not return. */
#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 2, 3)))
#endif
void kader_error(KaderState *K, const char *fmt, ...);

/* Asks the running program to stop with the runtime error "interrupted"
** at its next loop round or call. Safe to call from a signal handler or
** from another thread; the state stays usable afterwards. */
void kader_interrupt(KaderState *K);

#endif

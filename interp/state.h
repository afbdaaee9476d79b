/*
** state.h — the interpreter state, memory, and error unwinding.
**
** Everything an interpreter owns hangs off one KaderState: the heap and the
** collector's bookkeeping, interned strings, globals, the VM stack, the unit
** table and the loaded modules. Errors unwind with longjmp to the innermost
** protected call (kd_protect), like Lua's luaD_throw.
*/
#ifndef KADER_STATE_H
#define KADER_STATE_H

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>

#include "format.h"
#include "kader.h"
#include "object.h"

#define KD_MAX_FRAMES 20000   /* deeper recursion is a stack overflow */
#define KD_MAX_NATIVE_DEPTH 180 /* C recursion through natives and imports */
#define KD_MAX_ROOTS 1024 /* natives nest at most KD_MAX_NATIVE_DEPTH deep */

typedef struct CallFrame {
  ObjClosure *closure;
  uint8_t *ip;
  Value *slots;
} CallFrame;

typedef struct StrSet { ObjString **slots; uint32_t count, cap; } StrSet;

/* Name -> index maps (globals, record keys of large records). */
typedef struct IndexMap { ObjString **keys; uint32_t *vals; uint32_t count, cap; } IndexMap;

typedef struct KdJmp { jmp_buf buf; struct KdJmp *prev; int status; } KdJmp;

typedef struct Compiler Compiler;
typedef struct KdScratch KdScratch;

typedef enum { MOD_LOADING, MOD_DONE } ModuleStatus;

struct KaderState {
  KaderConfig config;
  Locale locale;

  /* heap */
  Obj *objects;
  size_t bytes_allocated, next_gc;
  Obj **gray;
  size_t gray_count, gray_cap;
  bool gc_running;
  Value roots[KD_MAX_ROOTS];
  int root_count;
  Compiler *compiler; /* functions being compiled are roots */
  struct KdSim *sim;  /* the simulation under way (montecarlo.c), or NULL */
  KdScratch *scratch; /* scratch blocks, newest first (gc.c) */
  unsigned long long scratch_serial; /* the next block's number */

  StrSet strings;

  /* globals: a slot per name, resolved at compile time */
  IndexMap global_index;
  ObjString **global_names;
  Value *globals;
  uint8_t *global_flags; /* GLOBAL_CONST | GLOBAL_DEFINED */
  uint32_t global_count, global_cap;

  /* VM */
  Value *stack, *sp;
  size_t stack_cap;
  CallFrame *frames;
  int frame_count, frame_cap;
  ObjUpvalue *open_upvalues;
  int native_depth;
  int changes_depth;  /* with_changes calls in progress (scenariolib.c) */

  /* errors */
  volatile sig_atomic_t interrupted; /* kader_interrupt: stop soon */
  unsigned long steps_left; /* config.step_limit: loop rounds and calls left */
  Value *api_base;   /* the API stack's index 1 (api.c); NULL: the bottom */
  char unit_text[256]; /* kader_unit's answer */
  char sandbox_dir[4096]; /* --sandbox: the main model's directory */
  struct CStruct *ffi_structs; /* C structs declared with ffi.struct */
  KdJmp *err_jmp;
  char *last_error;
  bool error_is_syntax;
  /* the last error in parts, for hosts (kader_error_message/_location) */
  char error_message[1024];
  char error_file[1024];
  uint32_t error_line, error_column;
  /* where an error outside any Kader frame happened, when known */
  int expect_passed, expect_failed;   /* expect statements (expect.c) */
  struct ObjModule *error_site_module;
  Span error_site;

  UnitTable *units;
  unsigned long regex_match_limit, regex_depth_limit;
  void *regex; /* PCRE2's contexts, its memory through ours (regex.c) */
  void *utf8_locale; /* a locale_t for Unicode case mapping (strlib.c) */
  struct KdCsvCache *csv_cache; /* the CSV file a message points into (csvlib.c) */

  /* modules: paths and their status, in load order */
  ObjList *module_paths;
  ObjList *loading; /* the import chain now being loaded */
  ObjList *module_objs;

  ObjList *args;
  ObjList *warnings;  /* findings so far: records {message, file, line, column} */
  bool loading_std; /* globals defined now belong to the stdlib */
  Value last_result;
  Value on_declared;  /* run on every declaration before its kind's on_declare (kader --set), or nil */

  /* frequently used strings */
  ObjString *s_lo, *s_hi, *s_mid, *s_id, *s_label, *s_kind;
};

#define GLOBAL_CONST 1
#define GLOBAL_DEFINED 2
#define GLOBAL_STD 4 /* defined by the standard library */
#define GLOBAL_LET 8 /* compile time: the last top-level binding was `let` */

/* ---- memory (gc.c) ---- */
/* Like realloc (free when new_size is 0), counted against the memory
** limit; raises "out of memory" instead of returning NULL. */
void *kd_realloc(KaderState *K, void *ptr, size_t old_size, size_t new_size);
/* The same, but NULL instead of an error (for C libraries that allocate
** through us and must not be unwound: PCRE2). */
void *kd_try_realloc(KaderState *K, void *ptr, size_t old_size, size_t new_size);
/* Counts memory that C code holds outside the heap (a CSV table while it
** becomes values) as growing from old_size to new_size bytes; raises when
** that passes the limit. */
void kd_account(KaderState *K, size_t old_size, size_t new_size);
/* "out of memory", naming the limit and how to raise it. */
_Noreturn void kd_out_of_memory(KaderState *K);
/* Scratch memory (see gc.c): like realloc with size 0 to free; counted,
** raises when out of memory, and freed by kd_protect when an error unwinds
** past the code that made it. */
void *kd_scratch_realloc(KaderState *K, void *ptr, size_t size);
/* kd_protect's side: what exists now, and freeing everything made since. */
unsigned long long kd_scratch_mark(KaderState *K);
void kd_scratch_unwind(KaderState *K, unsigned long long mark);
#define KD_ALLOC(K, T, n) ((T *)kd_realloc(K, NULL, 0, sizeof(T) * (n)))
#define KD_FREE_ARRAY(K, T, p, n) kd_realloc(K, p, sizeof(T) * (n), 0)
#define KD_GROW(n) ((n) < 8 ? 8 : (n) * 2)
Obj *kd_alloc_obj(KaderState *K, size_t size, ObjTag type);
void kd_collect(KaderState *K);
void kd_mark_value(KaderState *K, Value v);
void kd_mark_obj(KaderState *K, Obj *o);
void kd_free_objects(KaderState *K);
_Noreturn void kd_error(KaderState *K, const char *fmt, ...);
static inline void kd_push_root(KaderState *K, Value v) {
  if (K->root_count == KD_MAX_ROOTS) kd_error(K, "internal error: too many temporary roots");
  K->roots[K->root_count++] = v;
}
static inline void kd_pop_root(KaderState *K) { K->root_count--; }

/* ---- strings set and maps (table.c) ---- */
ObjString *strset_find(StrSet *s, const char *chars, size_t len, uint32_t hash);
void strset_add(KaderState *K, StrSet *s, ObjString *str);
void strset_remove_white(StrSet *s);
void strset_free(KaderState *K, StrSet *s);
bool imap_get(IndexMap *m, ObjString *key, uint32_t *out);
void imap_set(KaderState *K, IndexMap *m, ObjString *key, uint32_t val);
void imap_free(KaderState *K, IndexMap *m);

/* ---- globals (state.c) ---- */
uint32_t kd_global_slot(KaderState *K, ObjString *name);
/* A fresh slot for name; later lookups of name find it. */
uint32_t kd_global_shadow(KaderState *K, ObjString *name);
void kd_define_native(KaderState *K, const char *name, NativeFn fn, int min,
                      int max, const char *doc);

/* ---- errors (error.c) ---- */
/* Raises a runtime error located at the current instruction of the
** innermost Kader frame. Never returns. */
_Noreturn void kd_error(KaderState *K, const char *fmt, ...);
/* Where the running instruction is: its module (NULL outside any frame). */
Span kd_current_span(KaderState *K, struct ObjModule **module);
/* Where the innermost frame of the user's own code (not the embedded
** library) is; false when the library runs on its own (at load time).
** Errors, warnings and findings the library raises are reported there. */
bool kd_user_span(KaderState *K, struct ObjModule **module, Span *span);
/* Raises a runtime error already rendered by the caller (text: malloc'd,
** taken over; its place file:line:column for kader_error_location, file
** NULL for none), adding the trace of the running functions. */
_Noreturn void kd_error_rendered(KaderState *K, char *text, const char *file,
                                 uint32_t line, uint32_t column,
                                 const char *message);
/* Re-raises the error already in last_error (after cleaning up). */
_Noreturn void kd_rethrow(KaderState *K, KaderResult status);
_Noreturn void kd_verror(KaderState *K, const char *fmt, va_list ap);
/* A located error at an explicit span of a module (compile errors). */
_Noreturn void kd_error_at(KaderState *K, ObjModule *m, Span span,
                           bool syntax, const char *fmt, ...);
/* Runs fn(K, ud) with error protection; returns KADER_OK or the error kind,
** restoring the stack and frames on error. */
KaderResult kd_protect(KaderState *K, void (*fn)(KaderState *, void *),
                       void *ud);
/* Renders "path:line:col: kind: message" + source line + caret into a
** malloc'd string (used by errors and, later, warnings). */
char *kd_render_diag(KaderState *K, ObjModule *m, Span span, const char *kind,
                     const char *message);
/* 1-based line and column (in characters) of a byte offset. */
void kd_line_col(const char *src, size_t len, uint32_t off, uint32_t *line,
                 uint32_t *col);

/* ---- output ---- */
void kd_write(KaderState *K, const char *s, size_t len);
/* A diagnostic to the error sink (stderr after flushing stdout, so the two
** appear in order); nothing when s is NULL. */
void kd_write_error(KaderState *K, const char *s);

#endif

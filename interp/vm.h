/*
** vm.h — running bytecode, and the operations the VM shares with the
** standard library (arithmetic on quantities and ranges, declarations,
** showing values).
*/
#ifndef KADER_VM_H
#define KADER_VM_H

#include "state.h"

#define KD_STACK_SIZE (1u << 20) /* values; deeper is a stack overflow */

/* ---- vm.c ---- */
/* Calls a Kader or native function from C and returns its result. */
Value kd_call(KaderState *K, Value callee, int argc, const Value *args);
void kd_close_upvalues(KaderState *K, Value *last);
const char *kd_type_name(Value v);
/* "a" or "an" for a noun, for messages */
const char *kd_article(const char *noun);
/* "a number", "the string \"x\"", … for error messages */
void kd_describe(KaderState *K, Value v, char *buf, size_t cap);
/* "fn: argument i must be WANT, not GOT": the one wording of a built-in's
** wrong argument (error.c) */
_Noreturn void kd_arg_error(KaderState *K, const char *fn, int i, const char *want,
                           Value got);

/* ---- arith.c ---- */
typedef enum { AR_ADD, AR_SUB, AR_MUL, AR_DIV, AR_MOD, AR_POW } ArithOp;
typedef enum { CMP_LT, CMP_LE, CMP_GT, CMP_GE } CompareOp;
Value kd_arith(KaderState *K, ArithOp op, Value a, Value b);
Value kd_negate(KaderState *K, Value a);
bool kd_less(KaderState *K, CompareOp op, Value a, Value b);
/* Deep equality; an error for quantities that measure different things. */
bool kd_equal(KaderState *K, Value a, Value b);
Value kd_make_range(KaderState *K, Value lo, Value hi);
Value kd_convert(KaderState *K, Value x, UnitId to);
/* The value of a quantity in another unit (an error when incompatible). */
double kd_in_unit(KaderState *K, Value q, UnitId to);
/* A range end as a value (a number or a quantity in the range's unit). */
Value kd_range_end(ObjRange *r, double x);

/* ---- expect.c ---- */
/* One expect statement: cmp is a BinaryOp (B_NONE: got must be true). */
void kd_expect(KaderState *K, int cmp, Value got, Value expected, Value tolerance,
               ObjString *what);

/* ---- decl.c ---- */
ObjKind *kd_define_kind(KaderState *K, ObjString *name, Value label, Value doc,
                        Value *fields, int nfields);
Value kd_make_type(KaderState *K, int tag, Value *args);
ObjRecord *kd_decl_begin(KaderState *K, Value kind, ObjString *id, Value label);
void kd_decl_field(KaderState *K, ObjRecord *d, ObjString *name, Value v);
void kd_decl_child(KaderState *K, ObjRecord *d, ObjRecord *child);
void kd_decl_end(KaderState *K, ObjRecord *d);
/* Fills the defaults and checks the required fields (no hook). */
void kd_decl_defaults(KaderState *K, ObjRecord *d);
/* A warning about a declaration (or nil): printed at once to the error sink
** and kept, in order, for warnings(); returns the record kept. It is located
** at the declaration when the user wrote it, else at the user's own line
** (kd_user_span). */
ObjRecord *kd_warn(KaderState *K, ObjRecord *where, const char *message);
/* A warning at an explicit place (m NULL: none), followed by `note` (more
** rendered lines, or NULL). */
ObjRecord *kd_warn_at(KaderState *K, ObjModule *m, Span span, const char *message,
                      const char *note);
/* Keeps a warning for warnings() without showing it (file NULL: no place). */
ObjRecord *kd_keep_warning(KaderState *K, const char *file, uint32_t line,
                           uint32_t column, const char *message);
/* Assignment to a field of a declaration after it was made. */
void kd_decl_set(KaderState *K, ObjRecord *d, ObjString *name, Value v);
/* Why field `name` of d cannot hold v (written to why), or false when it
** can: kd_decl_set's checks without the change or an error. */
bool kd_decl_problem(KaderState *K, ObjRecord *d, ObjString *name, Value v,
                     char *why, size_t cap);
bool kd_type_check(KaderState *K, ObjType *t, Value v);
void kd_type_describe(KaderState *K, ObjType *t, char *buf, size_t cap);

/* ---- show.c ---- */
/* Text being built (s is NULL until something is added). In scratch memory
** (gc.c): counted, and freed by kd_protect when an error interrupts the
** building, so a native may raise with a buffer half full. */
typedef struct KdBuf { char *s; size_t len, cap; } KdBuf;
void kd_buf_add(KaderState *K, KdBuf *b, const char *s, size_t n);
void kd_buf_free(KaderState *K, KdBuf *b);
/* The text as a malloc'd string for a caller outside the interpreter (NULL
** when malloc fails); the buffer is freed. */
char *kd_buf_take(KaderState *K, KdBuf *b);
/* Appends v as print shows it (quoted: strings in quotes, as inside lists). */
void kd_show(KaderState *K, KdBuf *b, Value v, bool quoted);
ObjString *kd_to_string(KaderState *K, Value v);
/* v for the REPL: on several lines when long, cut with … when too long. */
void kd_show_pretty(KaderState *K, KdBuf *b, Value v);

/* ---- hint.c: "did you mean" at run time (suggest.h) ---- */
/* " (did you mean 'x'?)" for the defined global (kind) closest to name, or "" */
const char *kd_hint_global(KaderState *K, const char *name, bool kinds_only, char *buf,
                           size_t cap);
/* the same for a field of r (a declaration: its kind's fields, id, label, kind) */
const char *kd_hint_field(KaderState *K, ObjRecord *r, const char *name, char *buf,
                          size_t cap);
/* " (did you mean \"x\"?)" for the string option closest to got, or "" */
const char *kd_hint_option(const Value *options, uint32_t n, Value got, char *buf,
                           size_t cap);
/* "fn: argument i must be \"a\", \"b\" or \"c\", not \"x\"" and a hint;
** options ends with NULL */
_Noreturn void kd_option_error(KaderState *K, const char *fn, int i,
                               const char *const *options, Value got);

/* ---- regex.c ---- */
/* Compiles pattern with flags (i, m, s, x, u); NULL with the error and the
** byte offset in the pattern where PCRE2 stopped. */
ObjRegex *kd_regex_compile(KaderState *K, ObjString *pattern, ObjString *flags,
                           size_t *error_offset, char *error, size_t cap);
void kd_regex_free(ObjRegex *re);
void kd_regex_mark(KaderState *K, ObjRegex *re);
size_t kd_regex_size(void);
ObjString *kd_regex_source(ObjRegex *re);
ObjString *kd_regex_flags(ObjRegex *re);
void kd_open_regex(KaderState *K);
void kd_free_regex(KaderState *K);

/* ---- builtins.c, textlib.c, datalib.c ---- */
void kd_open_builtins(KaderState *K);
void kd_open_textlib(KaderState *K);
void kd_open_strlib(KaderState *K);
void kd_open_syslib(KaderState *K);
void kd_open_ffi(KaderState *K);
void kd_free_ffi(KaderState *K);
Value kd_pointer(KaderState *K, void *p, const char *tag);
/* Raises "not allowed: …" unless the host granted the permission. */
void kd_require(KaderState *K, unsigned permission, const char *action);
/* In a sandbox: raises unless path is inside the model's directory. */
void kd_check_read(KaderState *K, const char *path);
/* mkdir -p: each missing directory of path, as far as possible (an output
** directory such as `--output rapport/2026` need not exist yet). */
void kd_make_dirs(const char *path);
bool kd_may_read(KaderState *K, const char *path);
void kd_free_strlib(KaderState *K);
void kd_open_datalib(KaderState *K);
void kd_open_csvlib(KaderState *K);
void kd_free_csvlib(KaderState *K);

/* ---- module.c ---- */
/* A file's bytes, malloc'd, with a NUL after them (*len bytes before it);
** NULL with *why (a directory, a read error, over 1 GiB). */
char *kd_read_file(const char *path, size_t *len, const char **why);
/* The same for a model (the main file, an import, a literate paper): only a
** regular file of at most KD_MAX_SOURCE bytes. */
char *kd_read_source(const char *path, size_t *len, const char **why);
/* 3 when src starts with a UTF-8 byte order mark (left out of sources), else 0 */
size_t kd_bom_length(const char *src, size_t len);
void kd_import(KaderState *K, ObjModule *from, ObjString *path);
ObjModule *kd_load_module(KaderState *K, const char *path, const char *src,
                          size_t len, bool embedded);
void kd_run_module(KaderState *K, ObjModule *m, bool print);
/* Protected entry points: compile and run, errors left in last_error. */
KaderResult kd_run_source(KaderState *K, const char *name, const char *src,
                          size_t len, bool print, bool is_file);
KaderResult kd_run_path(KaderState *K, const char *path);
KaderResult kd_load_stdlib(KaderState *K);
int kd_source_incomplete(const char *src, size_t len);

#endif

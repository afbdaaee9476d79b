/*
** lint.c — the static part of `kader check`: what can be seen in a model
** without running it.
**
** A model that runs may still hide a mistake in code that did not run (a
** function nobody called, a branch not taken), and a finding such as "this
** name is never used" cannot come from running at all. So the syntax tree
** is walked once, with the scopes the compiler would make, and five kinds of
** findings are collected: undefined names, units that cannot meet, fields a
** kind does not have, let/var/fn bindings that are never used, and code
** after return, break or continue. Imported files are parsed (never run) for
** their top-level names, kinds and units; the standard library's names,
** kinds and units are read from the state, which kader_new has filled.
**
** Everything the walk allocates is owned by one Lint and freed at the end;
** the walk runs under kd_protect, because the unit table (shared with the
** state) may raise "out of memory".
*/
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compiler.h"
#include "parser.h"
#include "stdlib_files.h"
#include "suggest.h"
#include "vm.h"

#define MAX_IMPORT_DEPTH 100

/* ---- growing arrays (malloc'd, owned by the Lint) -------------------- */

typedef struct Vec { void *items; size_t count, cap, size; } Vec;

#define VEC(T) ((Vec){NULL, 0, 0, sizeof(T)})
#define AT(v, T, i) (((T *)(v).items)[i])

/* A new zeroed element at the end; NULL when out of memory. */
static void *vec_push(Vec *v) {
  if (v->count == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 16;
    void *p = realloc(v->items, cap * v->size);
    if (!p) return NULL;
    v->items = p;
    v->cap = cap;
  }
  void *slot = (char *)v->items + v->count++ * v->size;
  memset(slot, 0, v->size);
  return slot;
}

/* ---- what the walk knows -------------------------------------------- */

typedef enum {
  BIND_LET, BIND_VAR, BIND_FN, BIND_PARAM, BIND_FOR, BIND_DECL, BIND_KIND
} BindWhat;

/* What is known of a value's unit at compile time. */
typedef struct Dim {
  bool known;   /* unit below is certain; otherwise nothing is known */
  bool zero;    /* a plain 0, which + and comparisons accept with any unit */
  UnitId unit;  /* UNIT_NONE: a plain number */
} Dim;

static const Dim UNKNOWN = {false, false, UNIT_NONE};

/* A name bound by the file (top level or a local scope) or by an import. */
typedef struct Binding {
  const char *name;
  Span span;          /* the name where it is bound */
  BindWhat what;
  int depth;          /* locals: the scope depth */
  Node *node;         /* the statement that binds it (top level) */
  Node *kind;         /* BIND_KIND: the kind's definition; BIND_DECL: the
                         declaration (its kind's name is kind->name2) */
  bool used;
  bool defining;      /* the walk is inside its own definition, whose uses
                         (recursion) do not count as uses */
  bool bound;         /* top level: its statement has been walked */
  Dim dim;            /* BIND_LET: what its value is */
} Binding;

/* Global names: bindings in order, and a hash index of them (slots hold
** index + 1, 0 is empty). */
typedef struct Names { Vec list; size_t *slots; size_t cap; } Names;

/* A file parsed for the walk: the linted file or one it imports. */
typedef struct Source {
  char *canon;        /* realpath, to import each file once */
  char *text;
  Arena arena;        /* its syntax tree */
} Source;

typedef struct Finding {
  uint32_t off;
  size_t seq;         /* sort key after off: the order they were found */
  const char *kind;
  char *message;
} Finding;

typedef struct Lint {
  KaderState *K;
  const char *path;
  const char *src;
  size_t len;
  int flags;
  Vec findings;       /* Finding */
  Vec sources;        /* Source */
  Names top;          /* the file's top-level names */
  Names imported;     /* the top-level names of its imports */
  Vec locals;         /* Binding: the scopes being walked, innermost last */
  Vec units;          /* const char *: units the file or an import defines */
  Arena scratch;      /* import paths */
  int scope_depth;
  int fn_depth;       /* > 0 inside a function body */
  bool imports_ok;    /* every import was read and parsed */
} Lint;

/* What a name refers to (copied out: the locals may move). */
typedef enum { FOUND_NONE, FOUND_FILE, FOUND_STD } FoundWhere;
typedef struct Found {
  FoundWhere where;
  BindWhat what;      /* FOUND_FILE */
  Node *kind;         /* FOUND_FILE: as in Binding */
  Dim dim;
  Value value;        /* FOUND_STD: the global's value */
} Found;

/* A kind whose fields are known: defined in Kader source, or a value. */
typedef struct KindRef { Node *node; ObjKind *obj; } KindRef;

static _Noreturn void out_of_memory(Lint *L) { kd_error(L->K, "out of memory"); }

static void *push(Lint *L, Vec *v) {
  void *p = vec_push(v);
  if (!p) out_of_memory(L);
  return p;
}

/* ---- findings --------------------------------------------------------- */

static void finding(Lint *L, Span at, const char *kind, const char *fmt, ...) {
  char msg[700];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  char *copy = strdup(msg);
  if (!copy) out_of_memory(L);
  Finding *f = vec_push(&L->findings);
  if (!f) {
    free(copy);
    out_of_memory(L);
  }
  f->off = at.off;
  f->seq = L->findings.count;
  f->kind = kind;
  f->message = copy;
}

static int by_place(const void *a, const void *b) {
  const Finding *x = a, *y = b;
  if (x->off != y->off) return x->off < y->off ? -1 : 1;
  return (x->seq > y->seq) - (x->seq < y->seq);
}

/* ---- the standard library's globals and units ------------------------ */

/* The state's global slot of a name; no allocation: a name that was never
** interned is no global. */
static bool std_slot(Lint *L, const char *name, uint32_t *slot) {
  KaderState *K = L->K;
  size_t len = strlen(name);
  ObjString *s = strset_find(&K->strings, name, len, hash_bytes(name, len));
  return s && imap_get(&K->global_index, s, slot);
}

/* The global's value when the state defines it (the standard library or
** the host). */
static bool std_global(Lint *L, const char *name, Value *out) {
  uint32_t slot;
  if (!std_slot(L, name, &slot) || L->K->globals[slot].type == V_UNDEF) return false;
  *out = L->K->globals[slot];
  return true;
}

/* A library constant's unit (a let bound to a quantity or a number). */
static Dim std_dim(Lint *L, const char *name, Value v) {
  uint32_t slot;
  if (!std_slot(L, name, &slot) || !(L->K->global_flags[slot] & GLOBAL_CONST)) return UNKNOWN;
  if (IS_QTY(v)) return (Dim){true, false, v.unit};
  if (IS_NUM(v)) return (Dim){true, v.as.n == 0, UNIT_NONE};
  return UNKNOWN;
}

static bool file_unit(Lint *L, const char *name) {
  for (size_t i = 0; i < L->units.count; i++)
    if (strcmp(AT(L->units, const char *, i), name) == 0) return true;
  return false;
}

/* The library's unit of that name, or -1: unknown, or (re)defined by the
** file or an import, whose definition is only known when it runs. */
static int std_unit(Lint *L, const char *name) {
  if (file_unit(L, name)) return -1;
  int idx = units_lookup(L->K->units, name, strlen(name));
  return idx >= 0 && units_is_defined(L->K->units, idx) ? idx : -1;
}

/* ---- bindings and scopes ---------------------------------------------- */

static size_t *names_slot(const Names *ns, const char *name) {
  size_t mask = ns->cap - 1;
  for (size_t i = hash_bytes(name, strlen(name)) & mask;; i = (i + 1) & mask) {
    size_t at = ns->slots[i];
    if (at == 0 || strcmp(AT(ns->list, Binding, at - 1).name, name) == 0) return &ns->slots[i];
  }
}

static Binding *find_in(const Names *ns, const char *name) {
  if (ns->cap == 0) return NULL;
  size_t at = *names_slot(ns, name);
  return at ? &AT(ns->list, Binding, at - 1) : NULL;
}

static void names_grow(Lint *L, Names *ns) {
  size_t cap = ns->cap ? ns->cap * 2 : 64;
  size_t *slots = calloc(cap, sizeof *slots);
  if (!slots) out_of_memory(L);
  free(ns->slots);
  ns->slots = slots;
  ns->cap = cap;
  for (size_t i = 0; i < ns->list.count; i++)
    *names_slot(ns, AT(ns->list, Binding, i).name) = i + 1;
}

/* A new binding for name; NULL when the name is there already (a second
** definition, which running reports). */
static Binding *names_add(Lint *L, Names *ns, const char *name) {
  if (find_in(ns, name)) return NULL;
  Binding *b = push(L, &ns->list);
  b->name = name;
  if ((ns->list.count + 1) * 2 > ns->cap) names_grow(L, ns);
  else *names_slot(ns, name) = ns->list.count;
  return &AT(ns->list, Binding, ns->list.count - 1);
}

static Binding *find_local(Lint *L, const char *name) {
  for (size_t i = L->locals.count; i-- > 0;)
    if (strcmp(AT(L->locals, Binding, i).name, name) == 0) return &AT(L->locals, Binding, i);
  return NULL;
}

/* The top-level binding made by statement n (NULL for a second definition
** of a name, which running reports). */
static Binding *top_binding(Lint *L, Node *n) {
  Binding *b = find_in(&L->top, n->name);
  return b && b->node == n ? b : NULL;
}

static bool is_top_level(Lint *L) { return L->fn_depth == 0 && L->scope_depth == 0; }

/* Adds a local binding and returns its index. */
static size_t bind_local(Lint *L, const char *name, Span span, BindWhat what) {
  Binding *b = push(L, &L->locals);
  b->name = name;
  b->span = span;
  b->what = what;
  b->depth = L->scope_depth;
  b->bound = true;
  return L->locals.count - 1;
}

/* Does `text` call declarations(kind) or on_declare(kind, …)? That is how
** a library or a model finds every declaration of a kind (claims, norms,
** groups) or has each one attach itself (responses to their survey), so a
** declaration of such a kind needs no other use. The text is searched
** rather than parsed because the standard library is not parsed here; a
** mention in a comment only makes the check more lenient. */
static bool mentions_call(const char *text, const char *call, const char *kind) {
  size_t clen = strlen(call), klen = strlen(kind);
  for (const char *p = text; (p = strstr(p, call)) != NULL;) {
    p += clen;
    while (*p == ' ') p++;
    if (strncmp(p, kind, klen) == 0) {
      const char *q = p + klen;
      while (*q == ' ') q++;
      if (*q == ')' || *q == ',') return true;
    }
  }
  return false;
}

static bool calls_declarations_of(const char *text, const char *kind) {
  return mentions_call(text, "declarations(", kind) || mentions_call(text, "on_declare(", kind);
}

/* A kind that exists (an unknown one is reported as such, not as unused). */
static bool is_kind_name(Lint *L, const char *name) {
  Binding *b = find_local(L, name);
  if (!b) b = find_in(&L->top, name);
  if (!b) b = find_in(&L->imported, name);
  if (b) return b->what == BIND_KIND;
  Value v;
  return std_global(L, name, &v) && IS_KIND(v);
}

static bool collected_kind(const Lint *L, const char *kind) {
  if (calls_declarations_of(L->src, kind)) return true;
  for (size_t i = 0; i < L->sources.count; i++) {
    const char *text = AT(L->sources, Source, i).text;
    if (text && calls_declarations_of(text, kind)) return true;
  }
  for (size_t i = 0; i < kd_stdlib_count; i++)
    if (calls_declarations_of(kd_stdlib_files[i].source, kind)) return true;
  return false;
}

/* A named declaration (`task extra "…" {…}`) nothing refers to is left out
** of every role's totals, which is the mistake this finds; kinds collected
** with declarations(kind) count all of theirs anyway. */
static bool reported_unused(Lint *L, const Binding *b) {
  if (b->used || b->name[0] == '_') return false;
  if (b->what == BIND_LET || b->what == BIND_VAR || b->what == BIND_FN) return true;
  return b->what == BIND_DECL && b->kind && b->kind->name2 &&
         is_kind_name(L, b->kind->name2) && !collected_kind(L, b->kind->name2);
}

static void report_unused(Lint *L, const Binding *b) {
  if (b->what == BIND_DECL)
    finding(L, b->span, "unused", "%s '%s' is never used: nothing refers to it",
            b->kind->name2, b->name);
  else
    finding(L, b->span, "unused", "'%s' is never used", b->name);
}

static void begin_scope(Lint *L) { L->scope_depth++; }

static void end_scope(Lint *L) {
  L->scope_depth--;
  while (L->locals.count > 0 &&
         AT(L->locals, Binding, L->locals.count - 1).depth > L->scope_depth) {
    Binding *b = &AT(L->locals, Binding, L->locals.count - 1);
    if (reported_unused(L, b)) report_unused(L, b);
    L->locals.count--;
  }
}

static Found found_binding(Binding *b) {
  if (!b->defining) b->used = true;
  return (Found){FOUND_FILE, b->what, b->kind, b->dim, NIL_VAL};
}

/* A name defined elsewhere than in the file: an import or the state. */
static Found resolve_outside(Lint *L, const char *name) {
  Binding *b = find_in(&L->imported, name);
  if (b) return (Found){FOUND_FILE, b->what, b->kind, UNKNOWN, NIL_VAL};
  Value v;
  if (std_global(L, name, &v)) return (Found){FOUND_STD, BIND_LET, NULL, std_dim(L, name, v), v};
  return (Found){FOUND_NONE, BIND_LET, NULL, UNKNOWN, NIL_VAL};
}

static void suggest_names(Lint *L, KdSuggest *s, bool kinds_only) {
  for (size_t i = 0; i < L->locals.count; i++)
    if (!kinds_only || AT(L->locals, Binding, i).what == BIND_KIND)
      kd_suggest_consider(s, AT(L->locals, Binding, i).name);
  Vec *files[] = {&L->top.list, &L->imported.list};
  for (size_t f = 0; f < 2; f++)
    for (size_t i = 0; i < files[f]->count; i++)
      if (!kinds_only || AT(*files[f], Binding, i).what == BIND_KIND)
        kd_suggest_consider(s, AT(*files[f], Binding, i).name);
  KaderState *K = L->K;
  for (uint32_t i = 0; i < K->global_count; i++) {
    Value v = K->globals[i];
    if (v.type == V_UNDEF || (kinds_only && !IS_KIND(v))) continue;
    kd_suggest_consider(s, K->global_names[i]->chars);
  }
}

static void report_undefined(Lint *L, const char *name, Span at, bool as_kind) {
  if (!L->imports_ok) return; /* an import we could not read may define it */
  char buf[120];
  KdSuggest s = kd_suggest_begin(name);
  suggest_names(L, &s, as_kind);
  const char *kw = as_kind && !s.best ? kd_keyword_typo(name, strlen(name)) : NULL;
  if (kw) /* `retrun x` reads as a declaration of kind retrun */
    finding(L, at, "undefined", "there is no kind '%s', and '%s' is not a keyword: did you "
            "mean '%s'?", name, name, kw);
  else if (as_kind)
    finding(L, at, "undefined", "there is no kind '%s'%s", name, kd_suggest_text(&s, buf, sizeof buf));
  else if (std_unit(L, name) >= 0 || file_unit(L, name))
    finding(L, at, "undefined", "'%s' is not defined (it is a unit: write a number before "
            "it, as in 1 %s)", name, name);
  else
    finding(L, at, "undefined", "'%s' is not defined%s", name, kd_suggest_text(&s, buf, sizeof buf));
}

/* A use of a name, resolved as the compiler does: a local or captured
** variable, else a global (the file's own, an import's, the library's).
** Top-level code runs in order, so there a name of the file counts only
** after its definition; a function body may use it anywhere. */
static Found resolve(Lint *L, const char *name, Span at, bool as_kind) {
  Binding *b = find_local(L, name);
  if (b) return found_binding(b);
  b = find_in(&L->top, name);
  if (b && (L->fn_depth > 0 || b->bound)) return found_binding(b);
  Found f = resolve_outside(L, name);
  if (f.where != FOUND_NONE) return f;
  if (b) {
    uint32_t line, col;
    b->used = true; /* one finding is enough */
    kd_line_col(L->src, L->len, b->span.off, &line, &col);
    finding(L, at, "undefined", "'%s' is used before it is defined (on line %u)", name,
            (unsigned)line);
  } else {
    report_undefined(L, name, at, as_kind);
  }
  return f;
}

/* ---- units -------------------------------------------------------------- */

/* Reports the names in a unit that nothing defines (once per place). */
static void check_unit_names(Lint *L, UnitExpr *u) {
  for (uint32_t i = 0; i < u->count; i++) {
    UnitFactor *f = &u->factors[i];
    if (std_unit(L, f->name) < 0 && !file_unit(L, f->name) && L->imports_ok)
      finding(L, f->span, "undefined", "unit '%s' is not defined", f->name);
  }
}

/* The unit as written, when all its names are the library's. */
static bool unit_id(Lint *L, UnitExpr *u, UnitId *out) {
  UnitTable *t = L->K->units;
  UnitId id = UNIT_NONE;
  for (uint32_t i = 0; i < u->count; i++) {
    int idx = std_unit(L, u->factors[i].name);
    if (idx < 0) return false;
    id = units_mul(t, id, units_atom(t, idx, u->factors[i].exp));
  }
  *out = id;
  return true;
}

static const char *unit_text(Lint *L, UnitId u, char *buf, size_t cap) {
  if (u == UNIT_NONE) snprintf(buf, cap, "a plain number");
  else units_format(L->K->units, u, buf, cap);
  return buf;
}

static bool incompatible(Lint *L, UnitId from, UnitId to) {
  double f;
  int bad = -1;
  return units_factor(L->K->units, from, to, &f, &bad) == UNIT_INCOMPATIBLE;
}

static Dim known(UnitId u) { return (Dim){true, false, u}; }

/* + - mod and comparisons: both sides in one dimension, or a plain zero. */
static Dim same_dim(Lint *L, Span at, const char *verb, Dim a, Dim b) {
  char x[96], y[96];
  if (!a.known || !b.known) return UNKNOWN;
  if (a.unit == b.unit) return (Dim){true, a.zero && b.zero, a.unit};
  if (a.unit == UNIT_NONE && a.zero) return known(b.unit);
  if (b.unit == UNIT_NONE && b.zero) return known(a.unit);
  if (a.unit == UNIT_NONE || b.unit == UNIT_NONE) {
    finding(L, at, "units", "cannot %s %s and %s: give the number a unit", verb,
            unit_text(L, a.unit, x, sizeof x), unit_text(L, b.unit, y, sizeof y));
    return UNKNOWN;
  }
  if (incompatible(L, b.unit, a.unit)) {
    finding(L, at, "units", "cannot %s %s and %s: they measure different things", verb,
            unit_text(L, a.unit, x, sizeof x), unit_text(L, b.unit, y, sizeof y));
    return UNKNOWN;
  }
  return known(a.unit);
}

/* * and /: units combine; % turns plain; units that cancel leave a number. */
static Dim product(Lint *L, bool divide, Dim a, Dim b) {
  UnitTable *t = L->K->units;
  if (!a.known || !b.known) return UNKNOWN;
  UnitId x = units_dimensionless(t, a.unit) ? UNIT_NONE : a.unit;
  UnitId y = units_dimensionless(t, b.unit) ? UNIT_NONE : b.unit;
  UnitId r = divide ? units_div(t, x, y) : units_mul(t, x, y);
  if (r != UNIT_NONE && units_dimensionless(t, r) && !units_is_percent(t, r)) r = UNIT_NONE;
  return known(r);
}

/* ---- imports -------------------------------------------------------------- */

/* A file's bytes (malloc'd, with a NUL after them), or NULL with *why. */
static char *read_text(const char *path, size_t *len, const char **why) {
  char *buf = kd_read_source(path, len, why);
  if (!buf) return NULL;
  size_t bom = kd_bom_length(buf, *len); /* as the interpreter leaves it out */
  memmove(buf, buf + bom, *len + 1 - bom);
  *len -= bom;
  return buf;
}

/* "dir/path" as kd_import forms it: relative to the importing file. */
static char *import_path(Arena *a, const char *from, const char *path) {
  const char *slash = strrchr(from, '/');
  size_t dir = slash ? (size_t)(slash - from) + (slash == from) : 0;
  size_t n = dir + 1 + strlen(path) + 1;
  char *out = arena_alloc(a, n);
  if (!out) return NULL;
  if (path[0] == '/' || dir == 0) snprintf(out, n, "%s", path);
  else snprintf(out, n, "%.*s%s%s", (int)dir, from, slash == from ? "" : "/", path);
  return out;
}

static bool is_stdlib_module(const char *name) {
  for (size_t i = 0; i < kd_stdlib_count; i++)
    if (strcmp(kd_stdlib_files[i].name, name) == 0) return true;
  return false;
}

typedef void (*ImportFn)(void *ud, Node *import);

/* Every import statement in a tree (an import may sit in a function). */
static void each_import(Node *n, ImportFn fn, void *ud) {
  if (!n) return;
  if (n->kind == N_IMPORT) {
    fn(ud, n);
    return;
  }
  each_import(n->a, fn, ud);
  each_import(n->b, fn, ud);
  each_import(n->c, fn, ud);
  each_import(n->fn, fn, ud);
  for (uint32_t i = 0; i < n->items.count; i++) each_import(n->items.items[i], fn, ud);
}

static const char *bound_name(Node *n) {
  switch (n->kind) {
    case N_LET: case N_VAR: case N_FN_DECL: case N_DECL: case N_KIND_DECL: return n->name;
    default: return NULL;
  }
}

static BindWhat bind_what(Node *n) {
  switch (n->kind) {
    case N_LET: return BIND_LET;
    case N_VAR: return BIND_VAR;
    case N_FN_DECL: return BIND_FN;
    case N_DECL: return BIND_DECL;
    default: return BIND_KIND;
  }
}

/* The names and units a program defines at its top level. */
static void collect_top(Lint *L, Node *program, Names *into) {
  for (uint32_t i = 0; i < program->items.count; i++) {
    Node *n = program->items.items[i];
    if (n->kind == N_UNIT_DECL) *(const char **)push(L, &L->units) = n->name;
    const char *name = bound_name(n);
    Binding *b = name ? names_add(L, into, name) : NULL;
    if (!b) continue;
    b->span = n->name_span;
    b->what = bind_what(n);
    b->node = n;
    b->kind = (n->kind == N_KIND_DECL || n->kind == N_DECL) ? n : NULL;
  }
}

/* Parses a file once (by its real path); NULL when it was seen before or
** cannot be read or parsed (*failed then set). */
static Node *parse_once(Lint *L, const char *path, bool *failed) {
  char *canon = realpath(path, NULL);
  if (!canon) {
    *failed = true;
    return NULL;
  }
  for (size_t i = 0; i < L->sources.count; i++)
    if (strcmp(AT(L->sources, Source, i).canon, canon) == 0) {
      free(canon);
      return NULL;
    }
  Source *s = vec_push(&L->sources);
  if (!s) {
    free(canon);
    out_of_memory(L);
  }
  s->canon = canon;
  kd_arena_init(L->K, &s->arena);
  size_t len = 0;
  const char *why;
  s->text = read_text(path, &len, &why);
  ParseError err;
  Node *program = s->text ? kd_parse(&s->arena, s->text, len, &err) : NULL;
  if (!program) *failed = true;
  return program;
}

typedef struct ImportCtx { Lint *L; const char *from; int depth; } ImportCtx;

static void load_import(void *ud, Node *import);

/* An imported file: its top-level names, units and own imports. */
static void load_file(Lint *L, const char *path, int depth) {
  bool failed = false;
  if (depth > MAX_IMPORT_DEPTH || !kd_may_read(L->K, path)) {
    L->imports_ok = false;
    return;
  }
  Node *program = parse_once(L, path, &failed);
  if (failed) L->imports_ok = false;
  if (!program) return;
  collect_top(L, program, &L->imported);
  ImportCtx ctx = {L, path, depth + 1};
  each_import(program, load_import, &ctx);
}

static void load_import(void *ud, Node *import) {
  ImportCtx *c = ud;
  char *path = import_path(&c->L->scratch, c->from, import->str);
  if (!path) out_of_memory(c->L);
  struct stat st;
  if (stat(path, &st) != 0 && is_stdlib_module(import->str))
    return; /* a library module by name: its names are in the state */
  load_file(c->L, path, c->depth);
}

/* ---- the walk: expressions --------------------------------------------- */

static Dim expr(Lint *L, Node *n);
static void stmt(Lint *L, Node *n);
static void block(Lint *L, Node *n);

static void exprs(Lint *L, NodeList l) {
  for (uint32_t i = 0; i < l.count; i++) expr(L, l.items[i]);
}

static void function(Lint *L, Node *fn) {
  L->fn_depth++;
  begin_scope(L);
  for (uint32_t i = 0; i < fn->param_count; i++)
    bind_local(L, fn->params[i].name, fn->params[i].span, BIND_PARAM);
  block(L, fn->a);
  end_scope(L);
  L->fn_depth--;
}

static Dim name_dim(Lint *L, Node *n) {
  Found f = resolve(L, n->name, n->span, false);
  if (f.where == FOUND_STD) return f.dim;
  if (f.where == FOUND_FILE && f.what == BIND_LET) return f.dim;
  return UNKNOWN;
}

static Dim quantity(Lint *L, UnitExpr *u) {
  UnitId id;
  check_unit_names(L, u);
  return unit_id(L, u, &id) ? known(id) : UNKNOWN;
}

static Dim binary(Lint *L, Node *n) {
  static const char *const verbs[] = {
    [B_ADD] = "add", [B_SUB] = "subtract", [B_MOD] = "take the remainder of",
  };
  Dim a = expr(L, n->a), b = expr(L, n->b);
  switch (n->op) {
    case B_ADD: case B_SUB: case B_MOD: return same_dim(L, n->span, verbs[n->op], a, b);
    case B_MUL: case B_DIV: return product(L, n->op == B_DIV, a, b);
    case B_EQ: case B_NE: case B_LT: case B_LE: case B_GT: case B_GE:
      same_dim(L, n->span, "compare", a, b);
      return UNKNOWN;
    default: return UNKNOWN;
  }
}

/* a to b: one unit for both ends; a plain start takes the end's unit. */
static Dim range(Lint *L, Node *n) {
  char x[96], y[96];
  Dim a = expr(L, n->a), b = expr(L, n->b);
  if (!a.known || !b.known) return UNKNOWN;
  if (a.unit == b.unit) return known(a.unit);
  if (a.unit == UNIT_NONE) return known(b.unit);
  if (b.unit == UNIT_NONE)
    finding(L, n->span, "units", "the end of the range needs a unit like its start (%s)",
            unit_text(L, a.unit, x, sizeof x));
  else if (incompatible(L, b.unit, a.unit))
    finding(L, n->span, "units", "a range cannot run between %s and %s: they measure "
            "different things", unit_text(L, a.unit, x, sizeof x),
            unit_text(L, b.unit, y, sizeof y));
  return known(a.unit);
}

/* x in u */
static Dim convert(Lint *L, Node *n) {
  char x[96], y[96];
  Dim d = expr(L, n->a);
  UnitId to;
  check_unit_names(L, n->unit);
  if (!unit_id(L, n->unit, &to)) return UNKNOWN;
  if (!d.known) return known(to);
  if (d.unit == UNIT_NONE && !units_dimensionless(L->K->units, to))
    finding(L, n->span, "units", "cannot convert a plain number to %s: write the unit "
            "after the number", unit_text(L, to, y, sizeof y));
  else if (d.unit != UNIT_NONE && incompatible(L, d.unit, to))
    finding(L, n->span, "units", "cannot convert %s to %s: they measure different things",
            unit_text(L, d.unit, x, sizeof x), unit_text(L, to, y, sizeof y));
  return known(to);
}

static Dim expr(Lint *L, Node *n) {
  switch (n->kind) {
    case N_NUMBER: return (Dim){true, n->number == 0, UNIT_NONE};
    case N_QUANTITY: return quantity(L, n->unit);
    case N_NAME: return name_dim(L, n);
    case N_INTERP: case N_LIST: case N_RECORD: exprs(L, n->items); return UNKNOWN;
    case N_FN: function(L, n); return UNKNOWN;
    case N_UNARY: {
      Dim d = expr(L, n->a);
      return n->op == U_NEG ? d : UNKNOWN;
    }
    case N_BINARY: return binary(L, n);
    case N_AND: case N_OR: case N_INDEX:
      expr(L, n->a);
      expr(L, n->b);
      return UNKNOWN;
    case N_RANGE: return range(L, n);
    case N_CONVERT: return convert(L, n);
    case N_CALL: expr(L, n->a); exprs(L, n->items); return UNKNOWN;
    case N_FIELD: expr(L, n->a); return UNKNOWN;
    default: return UNKNOWN; /* nil, true, false, strings, regexes */
  }
}

/* ---- the walk: kinds and declarations ---------------------------------- */

static bool builtin_type(const char *name) {
  static const char *const types[] = {
    "any", "text", "number", "bool", "list", "record", "fn", "range", "regex",
  };
  for (size_t i = 0; i < sizeof types / sizeof *types; i++)
    if (strcmp(types[i], name) == 0) return true;
  return false;
}

/* A field type: names that are no built-in type or unit are kinds. */
static void type_expr(Lint *L, TypeExpr *t, const char *self) {
  switch (t->kind) {
    case T_NAME:
      if (builtin_type(t->name) || strcmp(t->name, self) == 0) return;
      if (std_unit(L, t->name) >= 0 || file_unit(L, t->name)) return;
      resolve(L, t->name, t->span, true);
      return;
    case T_UNIT: check_unit_names(L, t->unit); return;
    case T_LIST_OF: type_expr(L, t->a, self); return;
    case T_OR: type_expr(L, t->a, self); type_expr(L, t->b, self); return;
    case T_ONE_OF: return;
  }
}

static void kind_decl(Lint *L, Node *n) {
  for (uint32_t i = 0; i < n->field_count; i++) {
    type_expr(L, n->fields[i].type, n->name);
    if (n->fields[i].default_value) expr(L, n->fields[i].default_value);
  }
}

static uint32_t kind_field_count(KindRef k) {
  return k.node ? k.node->field_count : k.obj->field_count;
}

static const char *kind_field_name(KindRef k, uint32_t i) {
  return k.node ? k.node->fields[i].name : k.obj->fields[i].name->chars;
}

static const char *kind_name(KindRef k) {
  return k.node ? k.node->name : k.obj->name->chars;
}

/* The unit a field must be in, when its type is just a unit. */
static bool kind_field_unit(Lint *L, KindRef k, uint32_t i, UnitId *u) {
  if (k.obj) {
    ObjType *t = k.obj->fields[i].type;
    if (!t || t->tag != TY_UNIT) return false;
    *u = t->unit;
    return true;
  }
  TypeExpr *t = k.node->fields[i].type;
  if (t->kind == T_UNIT || (t->kind == T_NAME && !builtin_type(t->name) && t->unit))
    return unit_id(L, t->unit, u);
  return false;
}

/* The kind a declaration names, when its fields are known. */
static bool kind_of(Lint *L, Node *decl, KindRef *out) {
  Found f = resolve(L, decl->name2, decl->name2_span, true);
  *out = (KindRef){NULL, NULL};
  if (f.where == FOUND_STD) {
    if (IS_KIND(f.value)) out->obj = AS_KIND(f.value);
    else
      finding(L, decl->name2_span, "undefined", "'%s' is not a kind (it is %s %s)",
              decl->name2, kd_article(kd_type_name(f.value)), kd_type_name(f.value));
  } else if (f.where == FOUND_FILE && f.what == BIND_KIND) {
    out->node = f.kind;
  } else if (f.where == FOUND_FILE && (f.what == BIND_FN || f.what == BIND_DECL)) {
    const char *what = f.what == BIND_FN ? "function" : f.kind->name2;
    finding(L, decl->name2_span, "undefined", "'%s' is not a kind (it is %s %s)",
            decl->name2, kd_article(what), what);
  }
  return out->node || out->obj;
}

static void field_value(Lint *L, KindRef k, uint32_t i, Node *item, Dim d) {
  char x[96], y[96];
  UnitId want;
  if (!d.known || !kind_field_unit(L, k, i, &want)) return;
  const char *name = kind_name(k);
  if (d.unit == UNIT_NONE)
    finding(L, item->a->span, "units", "field '%s' of %s %s must be a quantity in %s, "
            "not a plain number", item->name, kd_article(name), name,
            unit_text(L, want, y, sizeof y));
  else if (incompatible(L, d.unit, want))
    finding(L, item->a->span, "units", "field '%s' of %s %s must be in %s, not %s",
            item->name, kd_article(name), name, unit_text(L, want, y, sizeof y),
            unit_text(L, d.unit, x, sizeof x));
}

static void unknown_field(Lint *L, KindRef k, Node *item) {
  char buf[120];
  KdSuggest s = kd_suggest_begin(item->name);
  for (uint32_t i = 0; i < kind_field_count(k); i++) kd_suggest_consider(&s, kind_field_name(k, i));
  const char *name = kind_name(k);
  finding(L, item->name_span, "field", "%s %s has no field '%s'%s", kd_article(name), name,
          item->name, kd_suggest_text(&s, buf, sizeof buf));
}

static bool given_before(Node *decl, uint32_t upto, const char *name) {
  for (uint32_t j = 0; j < upto; j++) {
    Node *other = decl->items.items[j];
    if (other->kind == N_DECL_FIELD && strcmp(other->name, name) == 0) return true;
  }
  return false;
}

static void decl_field(Lint *L, Node *decl, uint32_t at, const KindRef *k) {
  Node *item = decl->items.items[at];
  Dim d = expr(L, item->a);
  if (!k) return;
  if (given_before(decl, at, item->name)) {
    finding(L, item->name_span, "field", "field '%s' is given twice", item->name);
    return;
  }
  for (uint32_t i = 0; i < kind_field_count(*k); i++)
    if (strcmp(kind_field_name(*k, i), item->name) == 0) {
      field_value(L, *k, i, item, d);
      return;
    }
  unknown_field(L, *k, item);
}

/* kind id "label" { field: value … nested declarations } */
static void decl(Lint *L, Node *n) {
  KindRef k;
  bool fields_known = kind_of(L, n, &k);
  for (uint32_t i = 0; i < n->items.count; i++) {
    Node *item = n->items.items[i];
    if (item->kind == N_DECL) decl(L, item);
    else decl_field(L, n, i, fields_known ? &k : NULL);
  }
}

/* ---- the walk: statements ------------------------------------------------ */

/* let/var: the value is walked before the name is bound, as compiled. */
static void binding(Lint *L, Node *n) {
  Binding *top = is_top_level(L) ? top_binding(L, n) : NULL;
  if (top) top->defining = true;
  Dim d = n->a ? expr(L, n->a) : UNKNOWN;
  if (is_top_level(L)) {
    top = top_binding(L, n);
    if (top) {
      top->defining = false;
      top->bound = true;
      if (n->kind == N_LET) top->dim = d;
    }
    return;
  }
  size_t i = bind_local(L, n->name, n->name_span, n->kind == N_LET ? BIND_LET : BIND_VAR);
  if (n->kind == N_LET) AT(L->locals, Binding, i).dim = d;
}

/* A local function is bound before its body, so that it can call itself. */
static void fn_decl(Lint *L, Node *n) {
  if (is_top_level(L)) {
    Binding *top = top_binding(L, n);
    if (top) top->defining = true;
    function(L, n->fn);
    top = top_binding(L, n);
    if (top) {
      top->defining = false;
      top->bound = true;
    }
    return;
  }
  size_t i = bind_local(L, n->name, n->name_span, BIND_FN);
  AT(L->locals, Binding, i).defining = true;
  function(L, n->fn);
  AT(L->locals, Binding, i).defining = false;
}

/* Declarations and kinds bind their name once their statement has run. */
static void bind_after(Lint *L, Node *n) {
  if (is_top_level(L)) {
    Binding *top = top_binding(L, n);
    if (top) top->bound = true;
    return;
  }
  size_t i = bind_local(L, n->name, n->name_span, bind_what(n));
  AT(L->locals, Binding, i).kind = n;
}

static void for_stmt(Lint *L, Node *n) {
  expr(L, n->a);
  begin_scope(L);
  bind_local(L, n->name, n->name_span, BIND_FOR);
  if (n->name2) bind_local(L, n->name2, n->name2_span, BIND_FOR);
  block(L, n->b);
  end_scope(L);
}

static void if_stmt(Lint *L, Node *n) {
  expr(L, n->a);
  block(L, n->b);
  if (n->c && n->c->kind == N_IF) if_stmt(L, n->c);
  else if (n->c) block(L, n->c);
}

static void assign(Lint *L, Node *n) {
  Node *t = n->a;
  if (t->kind == N_NAME) resolve(L, t->name, t->span, false);
  else expr(L, t);
  expr(L, n->b);
}

static void stmt(Lint *L, Node *n) {
  switch (n->kind) {
    case N_LET: case N_VAR: binding(L, n); break;
    case N_FN_DECL: fn_decl(L, n); break;
    case N_ASSIGN: assign(L, n); break;
    case N_EXPR_STMT: expr(L, n->a); break;
    case N_IF: if_stmt(L, n); break;
    case N_WHILE: expr(L, n->a); block(L, n->b); break;
    case N_MAIN: block(L, n->b); break;
    case N_FOR: for_stmt(L, n); break;
    case N_RETURN: if (n->a) expr(L, n->a); break;
    case N_BLOCK: block(L, n); break;
    case N_EXPECT:
      expr(L, n->a);
      if (n->b) expr(L, n->b); /* the tolerance: checked when it runs */
      break;
    case N_UNIT_DECL: if (n->unit) check_unit_names(L, n->unit); break;
    case N_KIND_DECL: kind_decl(L, n); bind_after(L, n); break;
    case N_DECL: decl(L, n); bind_after(L, n); break;
    default: break; /* break, continue, import, requires */
  }
}

static const char *leaves(Node *n) {
  switch (n->kind) {
    case N_RETURN: return "a return";
    case N_BREAK: return "a break";
    case N_CONTINUE: return "a continue";
    default: return NULL;
  }
}

/* Statements in order; what follows a return, break or continue in the
** same list never runs (reported once, at its first statement). */
static void statements(Lint *L, NodeList l) {
  const char *after = NULL;
  bool reported = false;
  for (uint32_t i = 0; i < l.count; i++) {
    if (after && !reported) {
      finding(L, l.items[i]->span, "unreachable", "this code is never reached: it follows %s",
              after);
      reported = true;
    }
    stmt(L, l.items[i]);
    if (!after) after = leaves(l.items[i]);
  }
}

static void block(Lint *L, Node *n) {
  begin_scope(L);
  statements(L, n->items);
  end_scope(L);
}

static void report_unused_top(Lint *L) {
  if (L->flags & KADER_LINT_MODULE) return; /* its names are its importers' */
  for (size_t i = 0; i < L->top.list.count; i++) {
    Binding *b = &AT(L->top.list, Binding, i);
    if (reported_unused(L, b)) report_unused(L, b);
  }
}

/* ---- entry points ---------------------------------------------------------- */

static void lint_program(Lint *L, Node *program) {
  collect_top(L, program, &L->top);
  ImportCtx ctx = {L, L->path, 0};
  each_import(program, load_import, &ctx);
  statements(L, program->items);
  report_unused_top(L);
}

static void lint_job(KaderState *K, void *ud) {
  (void)K;
  Lint *L = ud;
  Source *s = push(L, &L->sources);
  s->canon = realpath(L->path, NULL);
  if (!s->canon) s->canon = strdup(L->path);
  if (!s->canon) out_of_memory(L);
  kd_arena_init(L->K, &s->arena);
  ParseError err;
  Node *program = kd_parse(&s->arena, L->src, L->len, &err);
  if (!program) {
    finding(L, err.span, "error", "%s", err.message[0] ? err.message : "out of memory");
    return;
  }
  lint_program(L, program);
}

static void lint_free(Lint *L) {
  for (size_t i = 0; i < L->findings.count; i++) free(AT(L->findings, Finding, i).message);
  for (size_t i = 0; i < L->sources.count; i++) {
    Source *s = &AT(L->sources, Source, i);
    free(s->canon);
    free(s->text);
    arena_free(&s->arena);
  }
  free(L->findings.items);
  free(L->sources.items);
  free(L->top.list.items);
  free(L->top.slots);
  free(L->imported.list.items);
  free(L->imported.slots);
  free(L->locals.items);
  free(L->units.items);
  arena_free(&L->scratch);
}

static int report_all(Lint *L, KaderLintFn report, void *userdata) {
  Vec *v = &L->findings;
  if (v->count > 1) qsort(v->items, v->count, sizeof(Finding), by_place);
  uint32_t base = 0, base_line = 1; /* a line start, to count from there on */
  for (size_t i = 0; i < v->count; i++) {
    Finding *f = &AT(*v, Finding, i);
    uint32_t off = f->off < L->len ? f->off : (uint32_t)L->len, line, col;
    kd_line_col(L->src + base, L->len - base, off - base, &line, &col);
    line += base_line - 1;
    if (report) report(userdata, L->path, (int)line, (int)col, f->kind, f->message);
    uint32_t start = off;
    while (start > base && L->src[start - 1] != '\n') start--;
    base = start;
    base_line = line;
  }
  return (int)v->count;
}

/* Checks src (malloc'd, NUL after it, no byte order mark; freed here) as
** the file called path. */
static int lint_text(KaderState *K, const char *path, char *src, size_t len, int flags,
                     KaderLintFn report, void *userdata) {
  Lint L = {.K = K, .path = path, .src = src, .len = len, .flags = flags,
            .findings = VEC(Finding), .sources = VEC(Source), .top = {.list = VEC(Binding)},
            .imported = {.list = VEC(Binding)}, .locals = VEC(Binding),
            .units = VEC(const char *), .imports_ok = true};
  kd_arena_init(K, &L.scratch);
  KaderResult r = kd_protect(K, lint_job, &L);
  int n = report_all(&L, report, userdata);
  if (r != KADER_OK) { /* out of memory: what was found so far, and that */
    char msg[1100];
    const char *why = kader_error_message(K);
    snprintf(msg, sizeof msg, "the checks stopped: %s", why ? why : "an error");
    if (report) report(userdata, path, 0, 0, "error", msg);
    n++;
  }
  lint_free(&L);
  free(src);
  return n;
}

int kader_lint_file(KaderState *K, const char *path, int flags, KaderLintFn report,
                    void *userdata) {
  size_t len = 0;
  const char *why;
  char *src = read_text(path, &len, &why);
  if (!src) {
    char msg[600];
    snprintf(msg, sizeof msg, "cannot read %s: %s", path, why);
    if (report) report(userdata, path, 0, 0, "error", msg);
    return 1;
  }
  return lint_text(K, path, src, len, flags, report, userdata);
}

int kader_lint_string(KaderState *K, const char *name, const char *source, size_t len,
                      int flags, KaderLintFn report, void *userdata) {
  size_t bom = kd_bom_length(source, len);
  char *src = malloc(len - bom + 1);
  if (!src) {
    if (report) report(userdata, name, 0, 0, "error", "the checks stopped: out of memory");
    return 1;
  }
  memcpy(src, source + bom, len - bom);
  src[len - bom] = '\0';
  return lint_text(K, name, src, len - bom, flags, report, userdata);
}

typedef struct ListCtx {
  Arena *arena;
  const char *from;
  void (*found)(void *userdata, const char *path);
  void *userdata;
  int count;
} ListCtx;

static void list_import(void *ud, Node *import) {
  ListCtx *c = ud;
  char *path = import_path(c->arena, c->from, import->str);
  char *canon = path ? realpath(path, NULL) : NULL;
  if (canon) {
    c->found(c->userdata, canon);
    c->count++;
  }
  free(canon);
}

int kader_lint_imports(const char *path, void (*found)(void *userdata, const char *path),
                       void *userdata) {
  size_t len = 0;
  const char *why;
  char *src = read_text(path, &len, &why);
  if (!src) return -1;
  Arena arena;
  arena_init(&arena);
  ParseError err;
  Node *program = kd_parse(&arena, src, len, &err);
  ListCtx c = {&arena, path, found, userdata, 0};
  if (program) each_import(program, list_import, &c);
  arena_free(&arena);
  free(src);
  return program ? c.count : -1;
}

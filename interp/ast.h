/*
** ast.h — the syntax tree that the parser builds and the compiler reads.
**
** Every node carries a Span: byte offset and length in the source text, so
** that any later error can point at exactly what the user wrote. Nodes live
** in an Arena that is freed in one go once the tree has been compiled.
*/
#ifndef KADER_AST_H
#define KADER_AST_H

#include <stddef.h>
#include <stdint.h>

typedef struct Span { uint32_t off, len; } Span;

/* ---- arena ---------------------------------------------------------- */
typedef struct ArenaBlock ArenaBlock;
/* Where blocks come from: zeroed memory of new_size bytes (NULL: refused,
** as past a memory limit), or, with new_size 0, old given back. */
typedef void *(*ArenaMemory)(void *ud, void *old, size_t old_size, size_t new_size);
typedef struct Arena {
  ArenaBlock *head;
  int failed;
  ArenaMemory memory;   /* NULL: calloc and free */
  void *memory_ud;
} Arena;

void arena_init(Arena *a);
/* Zeroed memory; NULL (and a->failed set) when out of memory. */
void *arena_alloc(Arena *a, size_t size);
char *arena_strdup(Arena *a, const char *s, size_t len); /* NUL-terminated */
void arena_free(Arena *a);
/* Frees all but one block, for the next tree: a caller that compiles a
** program statement by statement keeps the memory of one statement. */
void arena_reset(Arena *a);

/* ---- units as written ----------------------------------------------- */
/* `h/week` is {h^1, week^-1}; `€` is {€^1}; `%` is {%^1}. Factors appear in
** source order; the same name may appear twice (h*h), the unit table merges. */
typedef struct UnitFactor { const char *name; Span span; int exp; } UnitFactor;
typedef struct UnitExpr { UnitFactor *factors; uint32_t count; Span span; } UnitExpr;

/* ---- types in kind definitions -------------------------------------- */
typedef enum {
  T_NAME,     /* a single identifier: text, number, bool, any, list, record,
                 fn, range, a kind name, or a one-atom unit such as `fte`;
                 the compiler decides which */
  T_UNIT,     /* a unit with more than one atom, or € or %: `h/week` */
  T_LIST_OF,  /* list of T */
  T_ONE_OF,   /* one of ["once", "yearly"]: the literals are in `options` */
  T_OR        /* T or U */
} TypeKind;

typedef struct Node Node;
typedef struct NodeList { Node **items; uint32_t count; } NodeList;

typedef struct TypeExpr TypeExpr;
struct TypeExpr {
  TypeKind kind;
  Span span;
  uint32_t height;      /* as Node's */
  const char *name;     /* T_NAME */
  UnitExpr *unit;       /* T_UNIT (also set for T_NAME: the one-atom unit) */
  TypeExpr *a, *b;      /* T_LIST_OF: a = element; T_OR: a or b */
  NodeList options;     /* T_ONE_OF: literal nodes (string, number, bool) */
};

/* ---- nodes ---------------------------------------------------------- */
typedef enum {
  /* expressions */
  N_NIL, N_TRUE, N_FALSE,
  N_NUMBER,     /* number */
  N_QUANTITY,   /* number + unit: 3 h/week, € 5000, 27.5% */
  N_STRING,     /* str, str_len (escapes already processed) */
  N_INTERP,     /* "a {x} b": parts = string and expression nodes, in order */
  N_NAME,       /* name */
  N_LIST,       /* [a, b]: items */
  N_RECORD,     /* {a: 1, "b c": 2}: keys[i] (strings), items[i] values */
  N_FN,         /* fn (a, b) { ... } or fn (a) => expr; also named fn stmt */
  N_UNARY,      /* op (U_NEG, U_NOT), a */
  N_BINARY,     /* op (B_*), a, b */
  N_AND, N_OR,  /* a, b; short-circuit */
  N_RANGE,      /* a to b */
  N_CONVERT,    /* a in unit */
  N_CALL,       /* a(items...) */
  N_FIELD,      /* a.name */
  N_INDEX,      /* a[b] */
  N_REGEX,      /* /pattern/flags: str (pattern, as written), name (flags) */
  /* statements */
  N_LET,        /* let name = a */
  N_VAR,        /* var name [= a] (a may be NULL) */
  N_ASSIGN,     /* a (N_NAME, N_FIELD or N_INDEX) op= b; op is B_NONE for = */
  N_EXPR_STMT,  /* a */
  N_IF,         /* if a { b } [else c]; b is N_BLOCK, c is N_BLOCK, N_IF or NULL */
  N_WHILE,      /* while a { b } */
  N_FOR,        /* for name[, name2] in a { b } */
  N_RETURN,     /* return [a] */
  N_BREAK, N_CONTINUE,
  N_BLOCK,      /* { items } */
  N_FN_DECL,    /* fn name(params) { body }: fn points at the N_FN */
  N_IMPORT,     /* import "path": str */
  N_MAIN,       /* main { b }: b (N_BLOCK) runs only in the file being run */
  N_UNIT_DECL,  /* unit name [= number [unit]] */
  N_KIND_DECL,  /* kind name ["label"] { fields } */
  N_DECL,       /* kindname id ["label"] { items }: N_DECL_FIELD or N_DECL */
  N_DECL_FIELD, /* name: a   (inside a declaration body) */
  N_EXPECT,     /* expect a [within b]: a value the model must produce */
  N_REQUIRES,   /* requires kader OP version: op (B_EQ … B_GE), str (version) */
  N_PROGRAM     /* items */
} NodeKind;

typedef enum { U_NEG, U_NOT } UnaryOp;
typedef enum {
  B_NONE, B_ADD, B_SUB, B_MUL, B_DIV, B_MOD, B_POW,
  B_EQ, B_NE, B_LT, B_LE, B_GT, B_GE
} BinaryOp;

typedef struct Param { const char *name; Span span; } Param;

typedef struct KindField {
  const char *name; Span span;
  TypeExpr *type;
  Node *default_value;  /* NULL: the field is required */
  const char *doc;      /* comment lines directly above, or NULL */
} KindField;

struct Node {
  NodeKind kind;
  Span span;              /* the whole construct */
  uint16_t op;            /* UnaryOp / BinaryOp */
  uint16_t height;        /* 1 + the height of the highest child: every walk
                             over the tree recurses at most this deep, and
                             the parser keeps it at most KD_MAX_HEIGHT */
  Node *a, *b, *c;
  NodeList items;
  double number;          /* N_NUMBER, N_QUANTITY, N_UNIT_DECL factor */
  UnitExpr *unit;         /* N_QUANTITY, N_CONVERT, N_UNIT_DECL definition */
  const char *str;        /* N_STRING, N_IMPORT path, N_DECL label, N_KIND_DECL label */
  size_t str_len;
  const char *name;       /* N_NAME, N_FIELD, N_LET, N_VAR, N_FOR, N_FN (may be
                             NULL), N_UNIT_DECL, N_KIND_DECL, N_DECL id,
                             N_DECL_FIELD */
  Span name_span;
  const char *name2;      /* N_FOR second variable; N_DECL kind name */
  Span name2_span;
  const char **keys;      /* N_RECORD keys (count = items.count) */
  Span *key_spans;
  Param *params;          /* N_FN */
  uint32_t param_count;
  int has_def;            /* N_UNIT_DECL: `= ...` given */
  KindField *fields;      /* N_KIND_DECL */
  uint32_t field_count;
  const char *doc;        /* N_FN_DECL, N_KIND_DECL, N_DECL, N_LET, N_VAR,
                             N_UNIT_DECL: comment lines directly above */
  Node *fn;               /* N_FN_DECL */
};

#endif

/*
** object.h — values and heap objects.
**
** A Value is 16 bytes: a type tag, a unit id and a payload. Plain numbers and
** quantities are both unboxed, so `3 h/week + 1 h/week` allocates nothing and
** arithmetic on plain numbers costs one tag check more than a raw double.
** Everything else lives on the garbage-collected heap as an Obj.
*/
#ifndef KADER_OBJECT_H
#define KADER_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "units.h"

typedef enum {
  V_NIL, V_BOOL, V_NUM, V_QTY, V_OBJ,
  V_UNDEF /* never visible to programs: an unset global or field */
} ValueType;

typedef struct Obj Obj;
typedef struct Value {
  uint8_t type;
  UnitId unit; /* V_QTY only */
  union { double n; bool b; Obj *o; } as;
} Value;

typedef enum {
  O_STRING, O_LIST, O_RECORD, O_RANGE, O_FUNCTION, O_CLOSURE, O_UPVALUE,
  O_NATIVE, O_KIND, O_TYPE, O_MODULE, O_REGEX, O_POINTER, O_SAMPLES
} ObjTag;

/* A compiled regular expression (regex.c keeps its insides). */
typedef struct ObjRegex ObjRegex;

/* sole: the text is held by one variable and nothing else, so `s = s + x`
** may append to it in place (str_append); reading the variable (kd_share)
** ends that. */
struct Obj { Obj *next; uint8_t type; uint8_t marked; uint8_t sole; };

/* Short strings are interned (one object per text, compared by pointer);
** long ones, built by programs, are not: hashing every intermediate result
** of a concatenation would make building text quadratic. */
#define KD_SHORT_STRING 40
typedef struct ObjString {
  Obj obj;
  uint32_t hash;    /* valid when interned */
  uint32_t len;     /* bytes */
  uint32_t cap;     /* room for chars (without the NUL): len, or more for a
                       text that grows in place (obj.sole) */
  bool interned;
  char chars[];     /* NUL-terminated */
} ObjString;

#define KD_MAX_LIST 0x40000000u /* items in one list */
typedef struct ObjList { Obj obj; Value *items; uint32_t count, cap; } ObjList;

struct ObjKind;
/* A record: ordered key -> value. A declaration is a record with a kind. */
typedef struct ObjRecord {
  Obj obj;
  ObjString **keys;
  Value *values;
  uint32_t count, cap;
  struct ObjKind *kind;   /* NULL for a plain record */
  ObjString *id, *label;  /* declarations */
  struct ObjModule *module; /* where it was declared (warnings point there) */
  Span span;
} ObjRecord;

/* An interval of plain numbers or of quantities in one unit. */
/* dist: a distribution the range carries for simulate (montecarlo.c), with
** its parameters p; 0 for a plain interval. */
enum { DIST_NONE, DIST_UNIFORM, DIST_TRIANGULAR, DIST_PERT, DIST_NORMAL, DIST_LOGNORMAL,
       DIST_BETA, DIST_BINOMIAL, DIST_BETA_BINOMIAL, DIST_HYPERGEOMETRIC };
typedef struct ObjRange {
  Obj obj;
  double lo, hi;
  UnitId unit;
  uint8_t dist;
  double p[4];
} ObjRange;

/* Samples of an amount (montecarlo.c): n values in one unit, in a C array
** (counted memory). indicator: 0/1 values of a comparison, for p(). */
typedef struct ObjSamples {
  Obj obj;
  double *xs;
  uint32_t n, cap;   /* cap: room in xs (a simulation input reuses it) */
  UnitId unit;
  bool indicator;
  bool constant;     /* every sample is xs[0] (an output no input moved) */
  Value sensitivity; /* an output of simulate: per input its share of the
                        variance (a list of {input, share}), else nil */
} ObjSamples;

/* Source text and name of one compiled file (or REPL line). */
typedef struct ObjModule {
  Obj obj;
  ObjString *path;    /* as the user named it */
  ObjString *source;
  ObjString *dir;     /* for resolving imports */
  bool embedded;      /* part of the standard library */
  bool is_main;       /* the file being run, not imported: main { } runs */
} ObjModule;

typedef struct Chunk {
  uint8_t *code;
  Span *spans;        /* one per code byte: the source of its instruction */
  uint32_t count, cap;
  Value *consts;
  uint32_t const_count, const_cap;
  /* a hash index of consts (index + 1, 0 empty) once there are many, so
  ** that adding a constant stays O(1): 65 000 unit declarations */
  uint32_t *const_slots;
  uint32_t const_slots_cap;
} Chunk;

typedef struct ObjFunction {
  Obj obj;
  int arity;
  int upvalue_count;
  int max_slots;      /* stack slots the function may use */
  Chunk chunk;
  ObjString *name;    /* NULL for a script's top level */
  ObjString *doc;
  ObjModule *module;
} ObjFunction;

typedef struct ObjUpvalue {
  Obj obj;
  Value *location;    /* points into the stack while open */
  Value closed;
  struct ObjUpvalue *next;
} ObjUpvalue;

typedef struct ObjClosure {
  Obj obj;
  ObjFunction *fn;
  int upvalue_count;
  ObjUpvalue *upvalues[];
} ObjClosure;

typedef struct KaderState KaderState;
typedef Value (*NativeFn)(KaderState *K, int argc, Value *args);

typedef struct ObjNative {
  Obj obj;
  NativeFn fn;
  ObjString *name;
  int min_args, max_args; /* max -1: any number */
  ObjString *doc;
  void (*host_fn)(void);  /* a host's C function (api.c), called via fn */
  void *data;             /* what fn needs (a C function's signature) */
  void (*free_data)(void *);
} ObjNative;

/* An opaque C pointer (ffi.c): a library handle or a pointer a C function
** returned. Shown without its address, so output stays reproducible. */
typedef struct ObjPointer { Obj obj; void *p; ObjString *tag; } ObjPointer;

/* Types of kind fields. */
typedef enum {
  TY_ANY, TY_TEXT, TY_NUMBER, TY_BOOL, TY_LIST, TY_RECORD, TY_FN, TY_RANGE,
  TY_UNIT, TY_KIND, TY_LIST_OF, TY_ONE_OF, TY_OR,
  TY_SELF, /* the kind being defined (area { within: list of area }) */
  TY_REGEX
} TypeTag;

typedef struct ObjType {
  Obj obj;
  TypeTag tag;
  UnitId unit;          /* TY_UNIT */
  struct ObjKind *kind; /* TY_KIND */
  Value a, b;           /* TY_LIST_OF: a; TY_OR: a, b; TY_ONE_OF: a (a list) */
} ObjType;

typedef struct KindFieldSpec {
  ObjString *name;
  ObjType *type;
  Value default_value;  /* V_UNDEF: required */
  ObjString *doc;
} KindFieldSpec;

typedef struct ObjKind {
  Obj obj;
  ObjString *name, *label, *doc;
  Value on_declare;     /* a function run on each new declaration, or nil */
  Value on_call;        /* what calling the kind does (code(answers, cb)) */
  struct ObjList *instances; /* every declaration of this kind, in order */
  KindFieldSpec *fields;
  uint32_t field_count;
} ObjKind;

/* ---- constructors and predicates ---- */
#define NIL_VAL ((Value){V_NIL, 0, {.n = 0}})
#define UNDEF_VAL ((Value){V_UNDEF, 0, {.n = 0}})
#define BOOL_VAL(x) ((Value){V_BOOL, 0, {.b = (x)}})
#define NUM_VAL(x) ((Value){V_NUM, 0, {.n = (x)}})
#define QTY_VAL(x, u) ((Value){V_QTY, (u), {.n = (x)}})
#define OBJ_VAL(p) ((Value){V_OBJ, 0, {.o = (Obj *)(p)}})

#define IS_NIL(v) ((v).type == V_NIL)
#define IS_NUM(v) ((v).type == V_NUM)
#define IS_QTY(v) ((v).type == V_QTY)
#define IS_OBJ(v) ((v).type == V_OBJ)
#define IS_OBJ_TYPE(v, t) ((v).type == V_OBJ && (v).as.o->type == (t))
#define IS_STRING(v) IS_OBJ_TYPE(v, O_STRING)
#define IS_LIST(v) IS_OBJ_TYPE(v, O_LIST)
#define IS_RECORD(v) IS_OBJ_TYPE(v, O_RECORD)
#define IS_RANGE(v) IS_OBJ_TYPE(v, O_RANGE)
#define IS_KIND(v) IS_OBJ_TYPE(v, O_KIND)
#define IS_TYPE(v) IS_OBJ_TYPE(v, O_TYPE)

#define AS_STRING(v) ((ObjString *)(v).as.o)
#define AS_LIST(v) ((ObjList *)(v).as.o)
#define AS_RECORD(v) ((ObjRecord *)(v).as.o)
#define AS_RANGE(v) ((ObjRange *)(v).as.o)
#define AS_CLOSURE(v) ((ObjClosure *)(v).as.o)
#define AS_NATIVE(v) ((ObjNative *)(v).as.o)
#define AS_KIND(v) ((ObjKind *)(v).as.o)
#define AS_TYPE(v) ((ObjType *)(v).as.o)

static inline bool is_falsey(Value v) {
  return v.type == V_NIL || (v.type == V_BOOL && !v.as.b);
}

/* Allocation (object.c). Every constructor may run the collector, so the
** caller must keep the values it still needs reachable (on the VM stack or
** with kd_push_root). */
ObjString *str_new(KaderState *K, const char *s, size_t len);
/* Always interned: names, keys, paths (compare by pointer). */
ObjString *str_intern(KaderState *K, const char *s, size_t len);
ObjString *str_cstr(KaderState *K, const char *s); /* interned */
/* The interned twin of s, for use as a record key or name. */
ObjString *str_key(KaderState *K, ObjString *s);
bool str_equal(ObjString *a, ObjString *b);
ObjString *str_concat(KaderState *K, ObjString *a, ObjString *b);
/* a + b where the result replaces a in the variable that held it (`s = s +
** x`, `s += x`): a text only that variable holds grows in place, so
** building a text by appending is linear in its length. */
ObjString *str_append(KaderState *K, ObjString *a, ObjString *b);
/* v as a read of a variable sees it: no longer the variable's alone. */
static inline Value kd_share(Value v) {
  if (v.type == V_OBJ && v.as.o->sole) v.as.o->sole = 0;
  return v;
}
ObjList *list_new(KaderState *K, uint32_t cap);
void list_push(KaderState *K, ObjList *l, Value v);
ObjRecord *record_new(KaderState *K);
/* Index of key, or -1. Stored keys are interned, so an interned key is found
** by address; an uninterned one (a long text a program built) by content. */
int record_find(ObjRecord *r, ObjString *key);
/* Interns key when it is not interned yet. */
void record_set(KaderState *K, ObjRecord *r, ObjString *key, Value v);
/* record_set with a C key: v (often just made) is rooted while the key is
** made, so a collection in between cannot free it. */
void record_put(KaderState *K, ObjRecord *r, const char *key, Value v);
/* record_put of a C text as a new string. */
void record_put_text(KaderState *K, ObjRecord *r, const char *key, const char *text);
ObjRange *range_new(KaderState *K, double lo, double hi, UnitId unit);
ObjFunction *function_new(KaderState *K, ObjModule *m);
ObjClosure *closure_new(KaderState *K, ObjFunction *fn);
ObjUpvalue *upvalue_new(KaderState *K, Value *slot);
ObjNative *native_new(KaderState *K, NativeFn fn, ObjString *name, int min,
                      int max);
ObjKind *kind_new(KaderState *K, ObjString *name);
ObjType *type_new(KaderState *K, TypeTag tag);
ObjModule *module_new(KaderState *K, ObjString *path, ObjString *source);
void chunk_write(KaderState *K, Chunk *c, uint8_t byte, Span span);
int chunk_add_const(KaderState *K, Chunk *c, Value v);

uint32_t hash_bytes(const char *s, size_t len);
bool values_equal(Value a, Value b); /* identity-ish, for constant dedup */

#endif

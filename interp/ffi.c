/*
** ffi.c — calling C libraries from Kader, on libffi.
**
**   let m = ffi.open("libm.so.6")
**   let cbrt = ffi.fn(m, "double cbrt(double)")
**   print(cbrt(27))                      # 3
**
** A function is declared with its C signature. Supported: integers of each
** width (int8_t … uint64_t, char, short, int, long, long long, size_t,
** bool), float and double, const char* (a text in, a text out), other
** pointers as opaque values, structs by value (declared with ffi.struct),
** and function pointers, to which a Kader function can be passed for the
** duration of the call (libffi closures). Everything needs --allow-ffi.
*/
#define _XOPEN_SOURCE 700
#include <dlfcn.h>
#include <ffi.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

#define MAX_ARGS 16
#define MAX_FIELDS 16

typedef enum { C_VOID, C_INT, C_UINT, C_BOOL, C_FLOAT, C_DOUBLE, C_STRING, C_POINTER,
               C_STRUCT, C_FUNCTION } CKind;

typedef struct CType CType;
typedef struct CStruct {
  char name[64];
  int count;
  char fields[MAX_FIELDS][64];
  CType *types[MAX_FIELDS];
  ffi_type type;
  ffi_type *elements[MAX_FIELDS + 1];
  size_t offsets[MAX_FIELDS];
  struct CType *owned;   /* every CType made for its fields */
  struct CStruct *next;
} CStruct;

struct CType {
  CKind kind;
  int size;             /* integers: bytes */
  ffi_type *ffi;
  CStruct *st;          /* C_STRUCT */
  struct CSig *sig;     /* C_FUNCTION: the pointed-to signature */
  CType *next_alloc;
};

typedef struct CSig {
  CType *ret;
  int argc;
  CType *args[MAX_ARGS];
  ffi_type *ffi_args[MAX_ARGS];
  ffi_cif cif;
} CSig;

/* What a declared function keeps: its address and signature. */
typedef struct ForeignFn {
  void (*address)(void);
  CSig sig;
  char name[64];
  CType *types; /* every CType made for it, to free */
} ForeignFn;

/* i is the argument's number, 0 for what a Kader callback returned */
static _Noreturn void arg_error(KaderState *K, const char *fn, int i,
                                const char *want, Value got) {
  char what[128];
  kd_describe(K, got, what, sizeof what);
  if (i == 0) kd_error(K, "%s: the callback must return %s, not %s", fn, want, what);
  kd_arg_error(K, fn, i, want, got);
}

/* ---- pointers ---- */

Value kd_pointer(KaderState *K, void *p, const char *tag) {
  if (!p) return NIL_VAL;
  ObjPointer *o = (ObjPointer *)kd_alloc_obj(K, sizeof(ObjPointer), O_POINTER);
  o->p = p;
  o->tag = NULL;
  kd_push_root(K, OBJ_VAL(o));
  o->tag = str_cstr(K, tag);
  kd_pop_root(K);
  return OBJ_VAL(o);
}

/* ---- parsing C declarations ---- */

typedef struct Parse {
  KaderState *K;
  const char *s, *decl;
  ForeignFn *fn;
  char error[200];
} Parse;

static void skip(Parse *p) { while (*p->s == ' ' || *p->s == '\t') p->s++; }

static bool word(Parse *p, const char *w) {
  skip(p);
  size_t n = strlen(w);
  if (strncmp(p->s, w, n) != 0) return false;
  char c = p->s[n];
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
    return false;
  p->s += n;
  return true;
}

static CType *new_type(Parse *p, CKind kind, int size, ffi_type *ffi) {
  CType *t = calloc(1, sizeof *t);
  if (!t) kd_error(p->K, "out of memory");
  t->kind = kind;
  t->size = size;
  t->ffi = ffi;
  t->next_alloc = p->fn->types;
  p->fn->types = t;
  return t;
}

static CSig *parse_params(Parse *p, CSig *sig);

/* One type: a base type, pointer stars, and a function-pointer suffix. */
static CType *parse_type(Parse *p) {
  KaderState *K = p->K;
  word(p, "const");
  CType *t = NULL;
  static const struct { const char *name; CKind kind; int size; } ints[] = {
    {"int8_t", C_INT, 1}, {"int16_t", C_INT, 2}, {"int32_t", C_INT, 4}, {"int64_t", C_INT, 8},
    {"uint8_t", C_UINT, 1}, {"uint16_t", C_UINT, 2}, {"uint32_t", C_UINT, 4}, {"uint64_t", C_UINT, 8},
    {"int8", C_INT, 1}, {"int16", C_INT, 2}, {"int32", C_INT, 4}, {"int64", C_INT, 8},
    {"uint8", C_UINT, 1}, {"uint16", C_UINT, 2}, {"uint32", C_UINT, 4}, {"uint64", C_UINT, 8},
    {"size_t", C_UINT, sizeof(size_t)}, {"ssize_t", C_INT, sizeof(size_t)},
    {"bool", C_BOOL, 1}, {"_Bool", C_BOOL, 1},
  };
  for (size_t i = 0; i < sizeof ints / sizeof *ints && !t; i++)
    if (word(p, ints[i].name)) t = new_type(p, ints[i].kind, ints[i].size, NULL);
  if (!t) {
    bool is_unsigned = word(p, "unsigned");
    bool is_signed = !is_unsigned && word(p, "signed");
    CKind k = is_unsigned ? C_UINT : C_INT;
    if (word(p, "char")) t = new_type(p, k, 1, NULL);
    else if (word(p, "short")) { word(p, "int"); t = new_type(p, k, sizeof(short), NULL); }
    else if (word(p, "long")) {
      if (word(p, "long")) t = new_type(p, k, sizeof(long long), NULL);
      else t = new_type(p, k, sizeof(long), NULL);
      word(p, "int");
    }
    else if (word(p, "int") || is_unsigned || is_signed) t = new_type(p, k, sizeof(int), NULL);
    else if (word(p, "float")) t = new_type(p, C_FLOAT, 4, &ffi_type_float);
    else if (word(p, "double")) t = new_type(p, C_DOUBLE, 8, &ffi_type_double);
    else if (word(p, "void")) t = new_type(p, C_VOID, 0, &ffi_type_void);
    else {
      skip(p);
      const char *start = p->s;
      while ((*p->s >= 'a' && *p->s <= 'z') || (*p->s >= 'A' && *p->s <= 'Z') ||
             (*p->s >= '0' && *p->s <= '9') || *p->s == '_') p->s++;
      size_t n = (size_t)(p->s - start);
      for (CStruct *st = K->ffi_structs; st && !t; st = st->next)
        if (strlen(st->name) == n && strncmp(st->name, start, n) == 0) {
          t = new_type(p, C_STRUCT, 0, &st->type);
          t->st = st;
        }
      word(p, "const");
      if (!t) {
        snprintf(p->error, sizeof p->error, "unknown type '%.*s' (declare structs with ffi.struct)",
                 (int)(n ? n : 1), n ? start : p->s);
        return NULL;
      }
    }
  }
  if (t->kind == C_INT || t->kind == C_UINT) {
    static ffi_type *sint[] = {NULL, &ffi_type_sint8, &ffi_type_sint16, NULL, &ffi_type_sint32,
                               NULL, NULL, NULL, &ffi_type_sint64};
    static ffi_type *uint[] = {NULL, &ffi_type_uint8, &ffi_type_uint16, NULL, &ffi_type_uint32,
                               NULL, NULL, NULL, &ffi_type_uint64};
    t->ffi = t->kind == C_INT ? sint[t->size] : uint[t->size];
  }
  if (t->kind == C_BOOL) t->ffi = &ffi_type_uint8;
  word(p, "const");
  skip(p);
  int stars = 0;
  while (*p->s == '*') { stars++; p->s++; skip(p); word(p, "const"); skip(p); }
  if (stars) {
    bool text = stars == 1 && t->kind == C_INT && t->size == 1;
    t = new_type(p, text ? C_STRING : C_POINTER, sizeof(void *), &ffi_type_pointer);
  }
  /* a function pointer: ret (*)(params) */
  skip(p);
  if (p->s[0] == '(' ) {
    const char *save = p->s;
    p->s++;
    skip(p);
    if (*p->s == '*') {
      p->s++;
      skip(p);
      while ((*p->s >= 'a' && *p->s <= 'z') || *p->s == '_') p->s++; /* optional name */
      skip(p);
      if (*p->s != ')') { snprintf(p->error, sizeof p->error, "expected ')' in a function pointer"); return NULL; }
      p->s++;
      CType *f = new_type(p, C_FUNCTION, sizeof(void *), &ffi_type_pointer);
      f->sig = calloc(1, sizeof(CSig));
      if (!f->sig) kd_error(K, "out of memory");
      f->sig->ret = t;
      if (!parse_params(p, f->sig)) return NULL;
      return f;
    }
    p->s = save;
  }
  return t;
}

/* "(type [name], …)" into sig, and prepares its libffi call interface. */
static CSig *parse_params(Parse *p, CSig *sig) {
  skip(p);
  if (*p->s != '(') { snprintf(p->error, sizeof p->error, "expected '(' before the parameters"); return NULL; }
  p->s++;
  skip(p);
  {
    /* "(void)": no parameters (but "(void *p)" has one) */
    const char *save = p->s;
    if (word(p, "void")) {
      skip(p);
      if (*p->s != ')') p->s = save;
    }
  }
  while (*p->s && *p->s != ')') {
    if (sig->argc == MAX_ARGS) { snprintf(p->error, sizeof p->error, "more than %d parameters", MAX_ARGS); return NULL; }
    CType *t = parse_type(p);
    if (!t) return NULL;
    if (t->kind == C_VOID) { snprintf(p->error, sizeof p->error, "a parameter cannot be void"); return NULL; }
    skip(p);
    while ((*p->s >= 'a' && *p->s <= 'z') || (*p->s >= 'A' && *p->s <= 'Z') ||
           (*p->s >= '0' && *p->s <= '9') || *p->s == '_') p->s++; /* a parameter name */
    skip(p);
    if (strncmp(p->s, "...", 3) == 0) { snprintf(p->error, sizeof p->error, "variadic functions (...) are not supported"); return NULL; }
    sig->args[sig->argc] = t;
    sig->ffi_args[sig->argc] = t->ffi;
    sig->argc++;
    skip(p);
    if (*p->s == ',') { p->s++; skip(p); }
    else if (*p->s != ')') { snprintf(p->error, sizeof p->error, "expected ',' or ')' in the parameters"); return NULL; }
  }
  if (*p->s != ')') { snprintf(p->error, sizeof p->error, "expected ')' after the parameters"); return NULL; }
  p->s++;
  if (ffi_prep_cif(&sig->cif, FFI_DEFAULT_ABI, (unsigned)sig->argc, sig->ret->ffi,
                   sig->ffi_args) != FFI_OK) {
    snprintf(p->error, sizeof p->error, "libffi cannot call this signature");
    return NULL;
  }
  return sig;
}

static void free_types(CType *t) {
  while (t) {
    CType *next = t->next_alloc;
    free(t->sig);
    free(t);
    t = next;
  }
}

static void free_foreign(void *data) {
  ForeignFn *f = data;
  free_types(f->types);
  free(f);
}

/* ---- converting values ---- */

static void to_c(KaderState *K, ForeignFn *f, int i, CType *t, Value v, void *out);
static Value from_c(KaderState *K, ForeignFn *f, CType *t, void *in);

/* A Kader number as a C integer of type t; a value the type cannot hold is
** an error, never silently wrapped. */
static int64_t whole(KaderState *K, ForeignFn *f, int i, CType *t, Value v) {
  if (!IS_NUM(v) || v.as.n != floor(v.as.n))
    arg_error(K, f->name, i + 1, "a whole number (for a C integer)", v);
  double lo, hi;   /* exact powers of two */
  if (t->kind == C_UINT) { lo = 0; hi = ldexp(1, 8 * t->size); }
  else { lo = -ldexp(1, 8 * t->size - 1); hi = ldexp(1, 8 * t->size - 1); }
  if (v.as.n < lo || v.as.n >= hi) {
    char want[96];
    snprintf(want, sizeof want, "a whole number from %.0f to %.0f (%s %d-bit C integer)", lo,
             hi - 1, t->kind == C_UINT ? "an unsigned" : "a signed", 8 * t->size);
    arg_error(K, f->name, i + 1, want, v);
  }
  if (t->kind == C_UINT && t->size == 8) return (int64_t)(uint64_t)v.as.n;
  return (int64_t)v.as.n;
}

static void to_c(KaderState *K, ForeignFn *f, int i, CType *t, Value v, void *out) {
  switch (t->kind) {
    case C_INT: case C_UINT: {
      int64_t x = whole(K, f, i, t, v);
      switch (t->size) {
        case 1: *(int8_t *)out = (int8_t)x; break;
        case 2: *(int16_t *)out = (int16_t)x; break;
        case 4: *(int32_t *)out = (int32_t)x; break;
        default: *(int64_t *)out = x; break;
      }
      return;
    }
    case C_BOOL:
      if (v.type != V_BOOL) arg_error(K, f->name, i + 1, "true or false (for a C bool)", v);
      *(uint8_t *)out = v.as.b ? 1 : 0;
      return;
    case C_FLOAT:
    case C_DOUBLE:
      if (!IS_NUM(v)) arg_error(K, f->name, i + 1, "a plain number (use number(x) for a quantity)", v);
      if (t->kind == C_FLOAT) *(float *)out = (float)v.as.n;
      else *(double *)out = v.as.n;
      return;
    case C_STRING:
      if (IS_NIL(v)) { *(const char **)out = NULL; return; }
      if (!IS_STRING(v)) arg_error(K, f->name, i + 1, "a text", v);
      *(const char **)out = AS_STRING(v)->chars;
      return;
    case C_POINTER:
      if (IS_NIL(v)) { *(void **)out = NULL; return; }
      if (!IS_OBJ_TYPE(v, O_POINTER)) arg_error(K, f->name, i + 1, "a pointer (or nil)", v);
      *(void **)out = ((ObjPointer *)v.as.o)->p;
      return;
    case C_STRUCT: {
      CStruct *st = t->st;
      if (!IS_RECORD(v)) arg_error(K, f->name, i + 1, "a record (for a C struct)", v);
      for (int k = 0; k < st->count; k++) {
        ObjString *name = str_cstr(K, st->fields[k]);
        int at = record_find(AS_RECORD(v), name);
        if (at < 0) kd_error(K, "%s: argument %d has no field '%s' (struct %s)", f->name, i + 1,
                             st->fields[k], st->name);
        to_c(K, f, i, st->types[k], AS_RECORD(v)->values[at], (char *)out + st->offsets[k]);
      }
      /* a field C has no room for would be silently lost */
      ObjRecord *r = AS_RECORD(v);
      for (uint32_t k = 0; k < r->count; k++) {
        bool known = false;
        for (int m = 0; m < st->count && !known; m++) known = strcmp(r->keys[k]->chars, st->fields[m]) == 0;
        if (!known) kd_error(K, "%s: argument %d has a field '%s' that struct %s does not have",
                             f->name, i + 1, r->keys[k]->chars, st->name);
      }
      return;
    }
    default:
      arg_error(K, f->name, i + 1, "a value C can take here", v);
  }
}

static Value from_c(KaderState *K, ForeignFn *f, CType *t, void *in) {
  switch (t->kind) {
    case C_VOID: return NIL_VAL;
    case C_INT:
      switch (t->size) {
        case 1: return NUM_VAL(*(int8_t *)in);
        case 2: return NUM_VAL(*(int16_t *)in);
        case 4: return NUM_VAL(*(int32_t *)in);
        default: return NUM_VAL((double)*(int64_t *)in);
      }
    case C_UINT:
      switch (t->size) {
        case 1: return NUM_VAL(*(uint8_t *)in);
        case 2: return NUM_VAL(*(uint16_t *)in);
        case 4: return NUM_VAL(*(uint32_t *)in);
        default: return NUM_VAL((double)*(uint64_t *)in);
      }
    case C_BOOL: return BOOL_VAL(*(uint8_t *)in != 0);
    case C_FLOAT: return NUM_VAL(*(float *)in);
    case C_DOUBLE: return NUM_VAL(*(double *)in);
    case C_STRING: {
      const char *s = *(const char **)in;
      if (!s) kd_error(K, "%s returned NULL where a text was expected (declare the "
                       "result as void* to get nil instead)", f->name);
      return OBJ_VAL(str_cstr(K, s));
    }
    case C_POINTER: return kd_pointer(K, *(void **)in, "pointer");
    case C_STRUCT: {
      CStruct *st = t->st;
      ObjRecord *r = record_new(K);
      kd_push_root(K, OBJ_VAL(r));
      for (int k = 0; k < st->count; k++) {
        Value field = from_c(K, f, st->types[k], (char *)in + st->offsets[k]);
        kd_push_root(K, field);
        record_set(K, r, str_cstr(K, st->fields[k]), field);
        kd_pop_root(K);
      }
      kd_pop_root(K);
      return OBJ_VAL(r);
    }
    default: return NIL_VAL;
  }
}

/* ---- callbacks ---- */

typedef struct Callback {
  KaderState *K;
  ForeignFn *f;
  CSig *sig;
  Value fn;
  bool failed;       /* a Kader error inside: raised after the C call */
  char *error;
  KaderResult status;
} Callback;

typedef struct { Callback *cb; void **args; void *ret; } CallbackJob;

static void callback_job(KaderState *K, void *ud) {
  CallbackJob *j = ud;
  Callback *cb = j->cb;
  Value args[MAX_ARGS];
  for (int i = 0; i < cb->sig->argc; i++) {
    args[i] = from_c(K, cb->f, cb->sig->args[i], j->args[i]);
    kd_push_root(K, args[i]);
  }
  Value r = kd_call(K, cb->fn, cb->sig->argc, args);
  K->root_count -= cb->sig->argc;
  CType *rt = cb->sig->ret;
  if (rt->kind == C_VOID) return;
  /* libffi wants a small integer result widened to a whole ffi_arg */
  if ((rt->kind == C_INT || rt->kind == C_UINT || rt->kind == C_BOOL) &&
      rt->size < (int)sizeof(ffi_arg)) {
    if (rt->kind == C_BOOL) {
      uint8_t b;
      to_c(K, cb->f, -1, rt, r, &b);
      *(ffi_arg *)j->ret = b;
    } else {
      int64_t x = whole(K, cb->f, -1, rt, r);
      if (rt->kind == C_INT) *(ffi_sarg *)j->ret = (ffi_sarg)x;
      else *(ffi_arg *)j->ret = (ffi_arg)x;
    }
    return;
  }
  to_c(K, cb->f, -1, rt, r, j->ret);
}

/* Called by C through a libffi closure. A Kader error cannot unwind through
** the C library's frames, so it is kept and raised once the C call returns. */
static void callback_entry(ffi_cif *cif, void *ret, void **args, void *ud) {
  (void)cif;
  Callback *cb = ud;
  if (cb->sig->ret->kind != C_VOID) memset(ret, 0, cb->sig->ret->ffi->size < sizeof(ffi_arg) ? sizeof(ffi_arg) : cb->sig->ret->ffi->size);
  if (cb->failed) return;
  CallbackJob job = {cb, args, ret};
  KaderResult r = kd_protect(cb->K, callback_job, &job);
  if (r != KADER_OK) {
    cb->failed = true;
    cb->status = r;
    free(cb->error);
    cb->error = cb->K->last_error ? strdup(cb->K->last_error) : NULL;
  }
}

/* ---- calling ---- */

static Value call_foreign(KaderState *K, int argc, Value *args) {
  ObjNative *n = AS_NATIVE(args[-1]);
  ForeignFn *f = n->data;
  CSig *sig = &f->sig;
  union Slot { int64_t i; double d; void *p; char bytes[64]; } slots[MAX_ARGS];
  void *argp[MAX_ARGS];
  void *struct_buf[MAX_ARGS] = {0};
  Callback callbacks[MAX_ARGS];
  ffi_closure *closures[MAX_ARGS] = {0};
  int ncallbacks = 0;
  (void)argc;
  /* the arguments first (an error leaves nothing behind: larger structs
  ** are scratch memory), then the callbacks, which cannot fail half way */
  for (int i = 0; i < sig->argc; i++) {
    CType *t = sig->args[i];
    void *dest = &slots[i];
    if (t->kind == C_STRUCT && t->ffi->size > sizeof slots[i]) {
      struct_buf[i] = kd_scratch_realloc(K, NULL, t->ffi->size);
      memset(struct_buf[i], 0, t->ffi->size);
      dest = struct_buf[i];
    }
    if (t->kind == C_FUNCTION) {
      if (!IS_OBJ_TYPE(args[i], O_CLOSURE) && !IS_OBJ_TYPE(args[i], O_NATIVE))
        arg_error(K, f->name, i + 1, "a function (for a C function pointer)", args[i]);
    } else {
      to_c(K, f, i, t, args[i], dest);
    }
    argp[i] = dest;
  }
  for (int i = 0; i < sig->argc; i++) {
    CType *t = sig->args[i];
    if (t->kind != C_FUNCTION) continue;
    Callback *cb = &callbacks[ncallbacks];
    *cb = (Callback){K, f, t->sig, args[i], false, NULL, KADER_OK};
    void *code = NULL;
    ffi_closure *cl = ffi_closure_alloc(sizeof(ffi_closure), &code);
    if (!cl || ffi_prep_closure_loc(cl, &t->sig->cif, callback_entry, cb, code) != FFI_OK) {
      if (cl) ffi_closure_free(cl);
      for (int j = 0; j < ncallbacks; j++) ffi_closure_free(closures[j]);
      kd_error(K, "%s: libffi cannot make a callback here", f->name);
    }
    closures[ncallbacks++] = cl;
    *(void **)argp[i] = code;
  }
  union { ffi_arg i; double d; void *p; char bytes[256]; } ret;
  void *ret_buf = &ret;
  void *big = NULL;
  if (sig->ret->ffi->size > sizeof ret) {
    big = kd_scratch_realloc(K, NULL, sig->ret->ffi->size);
    memset(big, 0, sig->ret->ffi->size);
    ret_buf = big;
  }
  ffi_call(&sig->cif, f->address, ret_buf, argp);
  for (int i = 0; i < sig->argc; i++) kd_scratch_realloc(K, struct_buf[i], 0);
  for (int i = 0; i < ncallbacks; i++) ffi_closure_free(closures[i]);
  for (int i = 0; i < ncallbacks; i++) {
    if (callbacks[i].failed) {
      char *e = callbacks[i].error;
      for (int j = i + 1; j < ncallbacks; j++) free(callbacks[j].error);
      kd_scratch_realloc(K, big, 0);
      free(K->last_error);
      K->last_error = e;
      kd_rethrow(K, callbacks[i].status);
    }
    free(callbacks[i].error);
  }
  /* libffi widens small integer results to ffi_arg */
  Value result;
  if (sig->ret->kind == C_BOOL) {
    result = BOOL_VAL((uint8_t)ret.i != 0);
  } else if ((sig->ret->kind == C_INT || sig->ret->kind == C_UINT) && sig->ret->size < (int)sizeof(ffi_arg)) {
    int64_t x = sig->ret->kind == C_INT ? (int64_t)(ffi_sarg)ret.i : (int64_t)ret.i;
    switch (sig->ret->size) {
      case 1: x = sig->ret->kind == C_INT ? (int64_t)(int8_t)x : (int64_t)(uint8_t)x; break;
      case 2: x = sig->ret->kind == C_INT ? (int64_t)(int16_t)x : (int64_t)(uint16_t)x; break;
      case 4: x = sig->ret->kind == C_INT ? (int64_t)(int32_t)x : (int64_t)(uint32_t)x; break;
    }
    result = NUM_VAL((double)x);
  } else {
    result = from_c(K, f, sig->ret, ret_buf);
  }
  kd_scratch_realloc(K, big, 0);
  return result;
}

/* ---- the ffi module ---- */

static Value f_open(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (!IS_STRING(args[0])) arg_error(K, "ffi.open", 1, "a library name", args[0]);
  char action[300];
  snprintf(action, sizeof action, "opening the C library %s", AS_STRING(args[0])->chars);
  kd_require(K, KADER_ALLOW_FFI, action);
  void *h = dlopen(AS_STRING(args[0])->chars, RTLD_NOW | RTLD_LOCAL);
  if (!h) kd_error(K, "ffi.open: cannot open %s: %s", AS_STRING(args[0])->chars, dlerror());
  return kd_pointer(K, h, "library");
}

static Value f_fn(KaderState *K, int argc, Value *args) {
  (void)argc;
  kd_require(K, KADER_ALLOW_FFI, "declaring a C function");
  if (!IS_OBJ_TYPE(args[0], O_POINTER) || strcmp(((ObjPointer *)args[0].as.o)->tag->chars, "library") != 0)
    arg_error(K, "ffi.fn", 1, "a library from ffi.open", args[0]);
  if (!IS_STRING(args[1])) arg_error(K, "ffi.fn", 2, "a C declaration such as \"double cbrt(double)\"", args[1]);
  ForeignFn *f = calloc(1, sizeof *f);
  if (!f) kd_error(K, "out of memory");
  Parse p = {K, AS_STRING(args[1])->chars, AS_STRING(args[1])->chars, f, ""};
  CType *ret = parse_type(&p);
  skip(&p);
  const char *name = p.s;
  while ((*p.s >= 'a' && *p.s <= 'z') || (*p.s >= 'A' && *p.s <= 'Z') ||
         (*p.s >= '0' && *p.s <= '9') || *p.s == '_') p.s++;
  size_t n = (size_t)(p.s - name);
  if (ret && n == 0) snprintf(p.error, sizeof p.error, "expected the function's name after its return type");
  if (ret && n > 0) {
    snprintf(f->name, sizeof f->name, "%.*s", (int)n, name);
    f->sig.ret = ret;
    if (parse_params(&p, &f->sig)) {
      skip(&p);
      if (*p.s == ';') p.s++;
      skip(&p);
      if (*p.s) snprintf(p.error, sizeof p.error, "unexpected text after the declaration");
    }
  }
  if (p.error[0]) {
    char msg[300];
    snprintf(msg, sizeof msg, "%s", p.error);
    free_foreign(f);
    kd_error(K, "ffi.fn: %s in \"%s\"", msg, AS_STRING(args[1])->chars);
  }
  dlerror();
  void *sym = dlsym(((ObjPointer *)args[0].as.o)->p, f->name);
  if (!sym) {
    char msg[300], name[128];
    const char *e = dlerror();
    snprintf(msg, sizeof msg, "%s", e ? e : "not found");
    snprintf(name, sizeof name, "%s", f->name);   /* f is freed before the error */
    free_foreign(f);
    kd_error(K, "ffi.fn: the library has no function %s (%s)", name, msg);
  }
  /* a data pointer from dlsym is the function's address (POSIX) */
  memcpy(&f->address, &sym, sizeof sym);
  ObjString *fname = str_cstr(K, f->name);
  kd_push_root(K, OBJ_VAL(fname));
  ObjNative *native = native_new(K, call_foreign, fname, f->sig.argc, f->sig.argc);
  native->data = f;
  native->free_data = free_foreign;
  kd_pop_root(K);
  return OBJ_VAL(native);
}

/* ffi.struct(name, "double x; double y"): a C struct passed and returned by
** value as a record with those fields. */
static Value f_struct(KaderState *K, int argc, Value *args) {
  (void)argc;
  kd_require(K, KADER_ALLOW_FFI, "declaring a C struct");
  if (!IS_STRING(args[0])) arg_error(K, "ffi.struct", 1, "a name", args[0]);
  if (!IS_STRING(args[1])) arg_error(K, "ffi.struct", 2, "fields such as \"double x; double y\"", args[1]);
  CStruct *st = calloc(1, sizeof *st);
  ForeignFn *holder = calloc(1, sizeof *holder); /* owns the field types */
  if (!st || !holder) { free(st); free(holder); kd_error(K, "out of memory"); }
  snprintf(st->name, sizeof st->name, "%s", AS_STRING(args[0])->chars);
  Parse p = {K, AS_STRING(args[1])->chars, AS_STRING(args[1])->chars, holder, ""};
  while (!p.error[0]) {
    skip(&p);
    if (!*p.s) break;
    if (st->count == MAX_FIELDS) { snprintf(p.error, sizeof p.error, "more than %d fields", MAX_FIELDS); break; }
    CType *t = parse_type(&p);
    if (!t) break;
    if (t->kind == C_VOID || t->kind == C_FUNCTION) { snprintf(p.error, sizeof p.error, "a field cannot have this type"); break; }
    skip(&p);
    const char *name = p.s;
    while ((*p.s >= 'a' && *p.s <= 'z') || (*p.s >= 'A' && *p.s <= 'Z') ||
           (*p.s >= '0' && *p.s <= '9') || *p.s == '_') p.s++;
    if (p.s == name) { snprintf(p.error, sizeof p.error, "expected a field name"); break; }
    snprintf(st->fields[st->count], sizeof st->fields[0], "%.*s", (int)(p.s - name), name);
    st->types[st->count] = t;
    st->elements[st->count] = t->ffi;
    st->count++;
    skip(&p);
    if (*p.s == ';' || *p.s == ',') p.s++;
  }
  if (!p.error[0] && st->count == 0) snprintf(p.error, sizeof p.error, "a struct needs fields");
  if (!p.error[0]) {
    st->type.type = FFI_TYPE_STRUCT;
    st->type.elements = st->elements;
    if (ffi_get_struct_offsets(FFI_DEFAULT_ABI, &st->type, st->offsets) != FFI_OK)
      snprintf(p.error, sizeof p.error, "libffi cannot lay out this struct");
  }
  if (p.error[0]) {
    char msg[300];
    snprintf(msg, sizeof msg, "%s", p.error);
    free_types(holder->types);
    free(holder);
    free(st);
    kd_error(K, "ffi.struct: %s", msg);
  }
  /* the field types live as long as the state, on the struct */
  st->owned = holder->types;
  free(holder);
  st->elements[st->count] = NULL;
  st->next = K->ffi_structs;
  K->ffi_structs = st;
  return OBJ_VAL(str_cstr(K, st->name));
}

void kd_free_ffi(KaderState *K) {
  CStruct *st = K->ffi_structs;
  while (st) {
    CStruct *next = st->next;
    free_types(st->owned);
    free(st);
    st = next;
  }
  K->ffi_structs = NULL;
}

void kd_open_ffi(KaderState *K) {
  ObjRecord *ffi = record_new(K);
  kd_push_root(K, OBJ_VAL(ffi));
  static const struct { const char *name; NativeFn fn; int min, max; const char *doc; } fns[] = {
    {"open", f_open, 1, 1, "ffi.open(library): a C library, e.g. \"libm.so.6\" (needs --allow-ffi)."},
    {"fn", f_fn, 2, 2, "ffi.fn(library, declaration): a C function, declared as in C: \"double cbrt(double)\"."},
    {"struct", f_struct, 2, 2, "ffi.struct(name, fields): a C struct, \"double x; double y\", passed as a record."},
  };
  for (size_t i = 0; i < sizeof fns / sizeof *fns; i++) {
    ObjString *name = str_cstr(K, fns[i].name);
    kd_push_root(K, OBJ_VAL(name));
    ObjNative *n = native_new(K, fns[i].fn, name, fns[i].min, fns[i].max);
    kd_push_root(K, OBJ_VAL(n));
    n->doc = str_cstr(K, fns[i].doc);
    record_set(K, ffi, name, OBJ_VAL(n));
    kd_pop_root(K);
    kd_pop_root(K);
  }
  uint32_t slot = kd_global_slot(K, str_cstr(K, "ffi"));
  K->globals[slot] = OBJ_VAL(ffi);
  K->global_flags[slot] = GLOBAL_DEFINED | GLOBAL_CONST | GLOBAL_STD;
  kd_pop_root(K);
}

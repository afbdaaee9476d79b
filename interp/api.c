/*
** api.c — the value side of the embedding API (kader.h): the API stack,
** reading and making values, globals, calls, and host functions.
**
** The API stack is the VM's own stack above the running frame, so values a
** host holds there are garbage-collection roots like any other. Everything
** that can raise an error runs under kd_protect and reports like
** kader_run_string does.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

/* ---- the stack ---- */

static Value *base(KaderState *K) { return K->api_base ? K->api_base : K->stack; }

static Value *at(KaderState *K, int index) {
  Value *v = index > 0 ? base(K) + index - 1 : K->sp + index;
  if (v < base(K) || v >= K->sp) return NULL;
  return v;
}

static Value get(KaderState *K, int index) {
  Value *v = at(K, index);
  return v ? *v : NIL_VAL;
}

static void push(KaderState *K, Value v) {
  if (K->sp >= K->stack + KD_STACK_SIZE - 1) return; /* full: dropped */
  *K->sp++ = v;
}

int kader_top(KaderState *K) { return (int)(K->sp - base(K)); }

void kader_pop(KaderState *K, int n) {
  if (n > kader_top(K)) n = kader_top(K);
  if (n > 0) K->sp -= n;
}

KaderType kader_type(KaderState *K, int index) {
  Value *p = at(K, index);
  if (!p) return KADER_TNIL;
  Value v = *p;
  switch (v.type) {
    case V_NIL: case V_UNDEF: return KADER_TNIL;
    case V_BOOL: return KADER_TBOOL;
    case V_NUM: return KADER_TNUMBER;
    case V_QTY: return KADER_TQUANTITY;
    default: break;
  }
  switch ((ObjTag)v.as.o->type) {
    case O_STRING: return KADER_TSTRING;
    case O_LIST: return KADER_TLIST;
    case O_RECORD: return AS_RECORD(v)->kind ? KADER_TDECLARATION : KADER_TRECORD;
    case O_RANGE: return KADER_TRANGE;
    case O_CLOSURE: case O_NATIVE: return KADER_TFUNCTION;
    default: return KADER_TOTHER;
  }
}

/* ---- protected work ---- */

typedef struct { void (*fn)(KaderState *, void *); void *ud; } Job;

/* An interrupt is left alone here: one that arrives while a host function
** uses the API must still stop the program around it. */
static KaderResult protect(KaderState *K, void (*fn)(KaderState *, void *), void *ud) {
  KaderResult r = kd_protect(K, fn, ud);
  if (r != KADER_OK) kd_write_error(K, K->last_error);
  return r;
}

/* ---- making values ---- */

void kader_push_nil(KaderState *K) { push(K, NIL_VAL); }
void kader_push_bool(KaderState *K, int b) { push(K, BOOL_VAL(b != 0)); }
void kader_push_number(KaderState *K, double x) { push(K, NUM_VAL(x)); }

/* A unit written as in Kader ("h/week", "€/year", "m^2"); 0 when unknown. */
static int parse_unit(KaderState *K, const char *text, UnitId *out) {
  UnitId u = UNIT_NONE;
  const char *p = text;
  int sign = 1;
  while (*p) {
    const char *start = p;
    while (*p && *p != '/' && *p != '*' && *p != '^' && strncmp(p, "\xC2\xB7", 2) != 0) p++;
    int name = units_lookup(K->units, start, (size_t)(p - start));
    if (name < 0 || !units_is_defined(K->units, name)) return 0;
    int exp = 1;
    if (*p == '^') {
      exp = (int)strtol(p + 1, (char **)&p, 10);
      if (exp == 0) return 0;
    }
    u = units_mul(K->units, u, units_atom(K->units, name, sign * exp));
    if (*p == '/') { sign = -1; p++; }
    else if (*p == '*') { sign = 1; p++; }
    else if (strncmp(p, "\xC2\xB7", 2) == 0) { sign = 1; p += 2; }
    else if (*p) return 0;
    else break;
    if (!*p) return 0;   /* "h/": an operator with nothing after it */
  }
  *out = u;
  return 1;
}

int kader_push_quantity(KaderState *K, double x, const char *unit) {
  UnitId u;
  if (!parse_unit(K, unit, &u)) return 0;
  push(K, u == UNIT_NONE ? NUM_VAL(x) : QTY_VAL(x, u));
  return 1;
}

typedef struct { double lo, hi; UnitId unit; const char *s; size_t len; } MakeArgs;

static void make_range(KaderState *K, void *ud) {
  MakeArgs *a = ud;
  push(K, OBJ_VAL(range_new(K, a->lo, a->hi, a->unit)));
}

int kader_push_range(KaderState *K, double lo, double hi, const char *unit) {
  MakeArgs a = {lo, hi, UNIT_NONE, NULL, 0};
  if (!parse_unit(K, unit, &a.unit) || lo > hi) return 0;
  return protect(K, make_range, &a) == KADER_OK;
}

static void make_string(KaderState *K, void *ud) {
  MakeArgs *a = ud;
  push(K, OBJ_VAL(str_new(K, a->s, a->len)));
}

void kader_push_string(KaderState *K, const char *s, size_t len) {
  MakeArgs a = {0, 0, 0, s, len};
  if (protect(K, make_string, &a) != KADER_OK) push(K, NIL_VAL);
}

static void make_list(KaderState *K, void *ud) {
  (void)ud;
  push(K, OBJ_VAL(list_new(K, 0)));
}

static void make_record(KaderState *K, void *ud) {
  (void)ud;
  push(K, OBJ_VAL(record_new(K)));
}

void kader_new_list(KaderState *K) {
  if (protect(K, make_list, NULL) != KADER_OK) push(K, NIL_VAL);
}

void kader_new_record(KaderState *K) {
  if (protect(K, make_record, NULL) != KADER_OK) push(K, NIL_VAL);
}

typedef struct { int index; const char *name; } FieldArgs;

static void do_append(KaderState *K, void *ud) {
  FieldArgs *a = ud;
  Value list = get(K, a->index);
  if (!IS_LIST(list)) kd_error(K, "kader_append: the value is not a list");
  list_push(K, AS_LIST(list), K->sp[-1]);
}

void kader_append(KaderState *K, int index) {
  if (index < 0) index--; /* the value on top shifts negative indices */
  FieldArgs a = {index, NULL};
  protect(K, do_append, &a);
  kader_pop(K, 1);
}

static void do_set_field(KaderState *K, void *ud) {
  FieldArgs *a = ud;
  Value target = get(K, a->index);
  ObjString *name = str_cstr(K, a->name);
  if (!IS_RECORD(target)) kd_error(K, "cannot set field '%s' of something that is not a record", a->name);
  ObjRecord *r = AS_RECORD(target);
  if (!r->kind) { record_set(K, r, name, K->sp[-1]); return; }
  /* a type error is reported at the declaration, as its warnings are */
  K->error_site_module = r->module;
  K->error_site = r->span;
  kd_decl_set(K, r, name, K->sp[-1]);
  K->error_site_module = NULL;
}

int kader_set_field(KaderState *K, int index, const char *name) {
  if (index < 0) index--;
  FieldArgs a = {index, name};
  KaderResult r = protect(K, do_set_field, &a);
  K->error_site_module = NULL;
  kader_pop(K, 1);
  return r == KADER_OK;
}

/* ---- reading values ---- */

KaderType kader_get_field(KaderState *K, int index, const char *name) {
  Value v = get(K, index);
  Value out = NIL_VAL;
  size_t n = strlen(name);
  ObjString *key = strset_find(&K->strings, name, n, hash_bytes(name, n));
  if (IS_RECORD(v) && key) {
    ObjRecord *r = AS_RECORD(v);
    int i = record_find(r, key);
    if (i >= 0 && r->values[i].type != V_UNDEF) out = r->values[i];
    else if (r->kind && key == K->s_id) out = OBJ_VAL(r->id);
    else if (r->kind && key == K->s_label) out = OBJ_VAL(r->label);
    else if (r->kind && key == K->s_kind) out = OBJ_VAL(r->kind->name);
  } else if (IS_RANGE(v) && key) {
    ObjRange *r = AS_RANGE(v);
    if (key == K->s_lo) out = kd_range_end(r, r->lo);
    if (key == K->s_hi) out = kd_range_end(r, r->hi);
    if (key == K->s_mid) out = kd_range_end(r, (r->lo + r->hi) / 2);
  }
  push(K, out);
  return kader_type(K, -1);
}

KaderType kader_get_item(KaderState *K, int index, size_t i) {
  Value v = get(K, index);
  Value out = NIL_VAL;
  if (IS_LIST(v) && i >= 1 && i <= AS_LIST(v)->count) out = AS_LIST(v)->items[i - 1];
  push(K, out);
  return kader_type(K, -1);
}

size_t kader_len(KaderState *K, int index) {
  Value v = get(K, index);
  if (IS_LIST(v)) return AS_LIST(v)->count;
  if (IS_STRING(v)) {
    size_t n = 0;
    for (uint32_t i = 0; i < AS_STRING(v)->len; i++)
      n += ((unsigned char)AS_STRING(v)->chars[i] & 0xC0) != 0x80;
    return n;
  }
  if (IS_RECORD(v)) {
    size_t n = 0;
    for (uint32_t i = 0; i < AS_RECORD(v)->count; i++)
      n += AS_RECORD(v)->values[i].type != V_UNDEF;
    return n;
  }
  return 0;
}

int kader_to_bool(KaderState *K, int index) { return !is_falsey(get(K, index)); }

double kader_to_number(KaderState *K, int index) {
  Value v = get(K, index);
  return v.type == V_NUM || v.type == V_QTY ? v.as.n : 0;
}

double kader_to_unit(KaderState *K, int index, const char *unit, int *ok) {
  Value v = get(K, index);
  UnitId u;
  double f;
  *ok = 0;
  if ((v.type != V_NUM && v.type != V_QTY) || !parse_unit(K, unit, &u)) return 0;
  if (units_factor(K->units, v.type == V_QTY ? v.unit : UNIT_NONE, u, &f, NULL) != UNIT_OK)
    return 0;
  *ok = 1;
  return v.as.n * f;
}

const char *kader_unit(KaderState *K, int index) {
  Value v = get(K, index);
  UnitId u = v.type == V_QTY ? v.unit : IS_RANGE(v) ? AS_RANGE(v)->unit : UNIT_NONE;
  units_format(K->units, u, K->unit_text, sizeof K->unit_text);
  return K->unit_text;
}

double kader_range_lo(KaderState *K, int index) {
  Value v = get(K, index);
  return IS_RANGE(v) ? AS_RANGE(v)->lo : 0;
}

double kader_range_hi(KaderState *K, int index) {
  Value v = get(K, index);
  return IS_RANGE(v) ? AS_RANGE(v)->hi : 0;
}

const char *kader_to_string(KaderState *K, int index, size_t *len) {
  Value v = get(K, index);
  if (!IS_STRING(v)) return NULL;
  if (len) *len = AS_STRING(v)->len;
  return AS_STRING(v)->chars;
}

typedef struct { int index; char *out; } ShowArgs;

static void do_show(KaderState *K, void *ud) {
  ShowArgs *a = ud;
  KdBuf b = {0};
  kd_show(K, &b, get(K, a->index), false);
  a->out = kd_buf_take(K, &b);
}

char *kader_show(KaderState *K, int index) {
  ShowArgs a = {index, NULL};
  protect(K, do_show, &a);
  return a.out;
}

const char *kader_kind(KaderState *K, int index) {
  Value v = get(K, index);
  return IS_RECORD(v) && AS_RECORD(v)->kind ? AS_RECORD(v)->kind->name->chars : NULL;
}

const char *kader_id(KaderState *K, int index) {
  Value v = get(K, index);
  return IS_RECORD(v) && AS_RECORD(v)->kind ? AS_RECORD(v)->id->chars : NULL;
}

/* ---- globals and calls ---- */

KaderType kader_get_global(KaderState *K, const char *name) {
  size_t n = strlen(name);
  ObjString *key = strset_find(&K->strings, name, n, hash_bytes(name, n));
  uint32_t slot;
  if (!key || !imap_get(&K->global_index, key, &slot) || K->globals[slot].type == V_UNDEF) {
    push(K, NIL_VAL);
    return KADER_TNIL;
  }
  push(K, kd_share(K->globals[slot])); /* the host holds it too now */
  return kader_type(K, -1);
}

static void do_set_global(KaderState *K, void *ud) {
  const char *name = ud;
  uint32_t slot = kd_global_slot(K, str_cstr(K, name));
  K->globals[slot] = K->sp[-1];
  K->global_flags[slot] |= GLOBAL_DEFINED;
}

void kader_set_global(KaderState *K, const char *name) {
  protect(K, do_set_global, (void *)name);
  kader_pop(K, 1);
}

typedef struct { int nargs; Value result; } CallArgs;

static void do_call(KaderState *K, void *ud) {
  CallArgs *a = ud;
  Value *args = K->sp - a->nargs;
  a->result = kd_call(K, args[-1], a->nargs, args);
}

static void refuse_call(KaderState *K, void *ud) {
  CallArgs *a = ud;
  kd_error(K, "kader_call: %d argument%s and the function need %d values on the "
           "stack, but it holds %d", a->nargs, a->nargs == 1 ? "" : "s", a->nargs + 1,
           kader_top(K));
}

KaderResult kader_call(KaderState *K, int nargs) {
  CallArgs a = {nargs, NIL_VAL};
  if (nargs < 0 || nargs + 1 > kader_top(K)) return protect(K, refuse_call, &a);
  /* A call from the host starts afresh: its own step budget, and no old
  ** interrupt. A call a host function makes while Kader runs is part of
  ** that run, so it cannot escape the run's budget or interrupt. */
  if (K->frame_count == 0) {
    K->steps_left = K->config.step_limit;
    K->interrupted = 0;
  }
  KaderResult r = protect(K, do_call, &a);
  K->sp -= nargs + 1;
  if (r == KADER_OK) push(K, a.result);
  return r;
}

/* ---- host functions ---- */

/* The native behind every host function: the arguments become the API
** stack of the host function while it runs. */
static Value host_call(KaderState *K, int argc, Value *args) {
  ObjNative *n = AS_NATIVE(args[-1]);
  Value *saved = K->api_base;
  K->api_base = args;
  K->sp = args + argc;
  int has_result = ((KaderFunction)n->host_fn)(K);
  Value result = has_result && K->sp > args ? K->sp[-1] : NIL_VAL;
  K->api_base = saved;
  return result;
}

typedef struct { const char *name; KaderFunction fn; int min, max; const char *doc; ObjRecord *into; } RegArgs;

static void do_register(KaderState *K, void *ud) {
  RegArgs *a = ud;
  ObjString *name = str_cstr(K, a->name);
  kd_push_root(K, OBJ_VAL(name));
  ObjNative *n = native_new(K, host_call, name, a->min, a->max);
  n->host_fn = (void (*)(void))a->fn;
  kd_push_root(K, OBJ_VAL(n));
  if (a->doc) n->doc = str_cstr(K, a->doc);
  if (a->into) {
    record_set(K, a->into, name, OBJ_VAL(n));
  } else {
    uint32_t slot = kd_global_slot(K, name);
    K->globals[slot] = OBJ_VAL(n);
    K->global_flags[slot] = GLOBAL_DEFINED | GLOBAL_CONST;
  }
  kd_pop_root(K);
  kd_pop_root(K);
}

void kader_register(KaderState *K, const char *name, KaderFunction fn, int min_args,
                    int max_args, const char *doc) {
  RegArgs a = {name, fn, min_args, max_args, doc, NULL};
  protect(K, do_register, &a);
}

typedef struct { const char *name; const KaderReg *fns; } ModuleArgs;

static void do_module(KaderState *K, void *ud) {
  ModuleArgs *m = ud;
  ObjRecord *r = record_new(K);
  kd_push_root(K, OBJ_VAL(r));
  for (const KaderReg *f = m->fns; f->name; f++) {
    RegArgs a = {f->name, f->fn, f->min_args, f->max_args, f->doc, r};
    do_register(K, &a);
  }
  uint32_t slot = kd_global_slot(K, str_cstr(K, m->name));
  K->globals[slot] = OBJ_VAL(r);
  K->global_flags[slot] = GLOBAL_DEFINED | GLOBAL_CONST;
  kd_pop_root(K);
}

void kader_register_module(KaderState *K, const char *name, const KaderReg *fns) {
  ModuleArgs m = {name, fns};
  protect(K, do_module, &m);
}

void kader_error(KaderState *K, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  kd_verror(K, fmt, ap);
}

/*
** vm.c — the bytecode interpreter.
**
** A stack machine with direct-threaded dispatch (computed goto) where the
** compiler supports it. Plain-number arithmetic and comparisons are inline;
** everything with units, ranges or strings goes to arith.c. The value stack
** has a fixed size, so pointers into it stay valid for natives and upvalues.
**
** Register discipline: `ip` and `sp` live in locals. Before anything that
** can allocate, raise an error or call out, STORE() writes them back (the
** collector scans K->sp; error messages read frame->ip); LOAD() re-reads
** them after a call changed frames.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "montecarlo.h"
#include "vm.h"

typedef enum {
#define OPCODE(name, n) OP_##name,
#include "opcodes.h"
#undef OPCODE
  OP__COUNT
} OpCode;

const char *kd_article(const char *noun) {
  return strchr("aeiouAEIOU", noun[0]) ? "an" : "a";
}

const char *kd_type_name(Value v) {
  switch (v.type) {
    case V_NIL: return "nil";
    case V_BOOL: return "bool";
    case V_NUM: return "number";
    case V_QTY: return "quantity";
    case V_UNDEF: return "undefined";
    default: break;
  }
  switch ((ObjTag)v.as.o->type) {
    case O_STRING: return "string";
    case O_LIST: return "list";
    case O_RECORD: {
      ObjRecord *r = AS_RECORD(v);
      return r->kind ? r->kind->name->chars : "record";
    }
    case O_RANGE: return "range";
    case O_SAMPLES: return "samples";
    case O_CLOSURE: case O_NATIVE: case O_FUNCTION: return "function";
    case O_KIND: return "kind";
    case O_TYPE: return "type";
    case O_REGEX: return "regex";
    case O_POINTER: return "pointer";
    default: return "internal";
  }
}

void kd_describe(KaderState *K, Value v, char *buf, size_t cap) {
  KdBuf b = {0};
  kd_show(K, &b, v, true);
  const char *t = kd_type_name(v);
  if (v.type == V_NIL) snprintf(buf, cap, "nil");
  else if (b.len > 60) snprintf(buf, cap, "%s %s", kd_article(t), t);
  else if (v.type == V_QTY || IS_RANGE(v) || v.type == V_NUM || IS_STRING(v))
    snprintf(buf, cap, "%s", b.s);
  else snprintf(buf, cap, "%s %s %s", kd_article(t), t, b.s);
  kd_buf_free(K, &b);
}

_Noreturn void kd_arg_error(KaderState *K, const char *fn, int i, const char *want,
                           Value got) {
  char what[128];
  kd_describe(K, got, what, sizeof what);
  kd_error(K, "%s: argument %d must be %s, not %s", fn, i, want, what);
}

static ObjUpvalue *capture(KaderState *K, Value *slot) {
  ObjUpvalue *prev = NULL, *u = K->open_upvalues;
  while (u && u->location > slot) {
    prev = u;
    u = u->next;
  }
  if (u && u->location == slot) return u;
  ObjUpvalue *created = upvalue_new(K, slot);
  created->next = u;
  if (prev) prev->next = created;
  else K->open_upvalues = created;
  return created;
}

void kd_close_upvalues(KaderState *K, Value *last) {
  while (K->open_upvalues && K->open_upvalues->location >= last) {
    ObjUpvalue *u = K->open_upvalues;
    u->closed = *u->location;
    u->location = &u->closed;
    K->open_upvalues = u->next;
  }
}

static _Noreturn void arity_error(KaderState *K, ObjString *name, int want_min,
                                  int want_max, int got) {
  const char *n = name ? name->chars : "fn";
  if (want_min == want_max)
    kd_error(K, "%s expects %d argument%s, got %d", n, want_min,
             want_min == 1 ? "" : "s", got);
  if (want_max < 0)
    kd_error(K, "%s expects at least %d argument%s, got %d", n, want_min,
             want_min == 1 ? "" : "s", got);
  kd_error(K, "%s expects %d to %d arguments, got %d", n, want_min, want_max,
           got);
}

/* Sets up a call of the value below the arguments on the stack. For a
** closure it pushes a frame and returns true; a native runs at once and its
** result replaces callee and arguments. */
static bool call_value(KaderState *K, Value *callee, int argc) {
  if (callee->type == V_OBJ) {
    Obj *o = callee->as.o;
    if (o->type == O_CLOSURE) {
      ObjClosure *cl = (ObjClosure *)o;
      ObjFunction *fn = cl->fn;
      if (argc != fn->arity) arity_error(K, fn->name, fn->arity, fn->arity, argc);
      if (K->frame_count == KD_MAX_FRAMES ||
          callee + fn->max_slots >= K->stack + KD_STACK_SIZE)
        kd_error(K, "stack overflow: more than %d nested calls (is there a "
                 "recursion without an end?)", K->frame_count);
      CallFrame *f = &K->frames[K->frame_count++];
      f->closure = cl;
      f->ip = fn->chunk.code;
      f->slots = callee;
      return true;
    }
    if (o->type == O_KIND && !IS_NIL(((ObjKind *)o)->on_call)) {
      /* a kind that also acts as a function: code(answers, codebook) */
      *callee = ((ObjKind *)o)->on_call;
      return call_value(K, callee, argc);
    }
    if (o->type == O_NATIVE) {
      ObjNative *n = (ObjNative *)o;
      if (argc < n->min_args || (n->max_args >= 0 && argc > n->max_args))
        arity_error(K, n->name, n->min_args, n->max_args, argc);
      Value result = n->fn(K, argc, callee + 1);
      K->sp = callee;
      *K->sp++ = result;
      return false;
    }
  }
  char what[128];
  kd_describe(K, *callee, what, sizeof what);
  kd_error(K, "cannot call %s: it is not a function", what);
}

static Value field_of(KaderState *K, Value obj, ObjString *name,
                      uint8_t *cache) {
  if (IS_RECORD(obj)) {
    ObjRecord *r = AS_RECORD(obj);
    uint8_t c = *cache;
    if (c < r->count && r->keys[c] == name) return r->values[c];
    int i = record_find(r, name);
    if (i >= 0) {
      if (i < 256) *cache = (uint8_t)i;
      Value v = r->values[i];
      if (v.type == V_UNDEF) return NIL_VAL;
      return v;
    }
    char hint[120];
    if (r->kind) {
      if (name == K->s_id) return OBJ_VAL(r->id);
      if (name == K->s_label) return OBJ_VAL(r->label);
      if (name == K->s_kind) return OBJ_VAL(r->kind->name);
      kd_error(K, "%s %s has no field '%s'%s", r->kind->name->chars,
               r->id->chars, name->chars, kd_hint_field(K, r, name->chars, hint, sizeof hint));
    }
    kd_error(K, "the record has no field '%s'%s", name->chars,
             kd_hint_field(K, r, name->chars, hint, sizeof hint));
  }
  if (IS_RANGE(obj)) {
    ObjRange *r = AS_RANGE(obj);
    if (name == K->s_lo) return kd_range_end(r, r->lo);
    if (name == K->s_hi) return kd_range_end(r, r->hi);
    if (name == K->s_mid) return kd_range_end(r, (r->lo + r->hi) / 2);
    kd_error(K, "a range has no field '%s' (it has lo, hi and mid)",
             name->chars);
  }
  if (IS_KIND(obj)) {
    ObjKind *k = AS_KIND(obj);
    if (name == K->s_label) return k->label ? OBJ_VAL(k->label) : NIL_VAL;
    if (strcmp(name->chars, "name") == 0) return OBJ_VAL(k->name);
  }
  char what[128];
  kd_describe(K, obj, what, sizeof what);
  kd_error(K, "cannot read field '%s' of %s", name->chars, what);
}

static void set_field(KaderState *K, Value obj, ObjString *name, Value v) {
  if (IS_RECORD(obj)) {
    ObjRecord *r = AS_RECORD(obj);
    if (r->kind) kd_decl_set(K, r, name, v);
    else record_set(K, r, name, v);
    return;
  }
  char what[128];
  kd_describe(K, obj, what, sizeof what);
  kd_error(K, "cannot set field '%s' of %s", name->chars, what);
}

static long list_index(KaderState *K, ObjList *l, Value i) {
  if (!IS_NUM(i)) {
    char what[128];
    kd_describe(K, i, what, sizeof what);
    kd_error(K, "a list index must be a whole number, not %s", what);
  }
  double d = i.as.n;
  double at = d < 0 ? (double)l->count + d : d - 1;
  if (d != floor(d) || d == 0 || at < 0 || at >= (double)l->count) {
    char shown[64];
    fmt_number(shown, sizeof shown, d, K->locale);
    if (d != floor(d)) kd_error(K, "a list index must be a whole number, not %s", shown);
    kd_error(K, "index %s is out of range: the list has %u item%s (the first "
             "is 1, the last -1)", shown, l->count, l->count == 1 ? "" : "s");
  }
  return (long)at;
}

static Value get_index(KaderState *K, Value c, Value i) {
  if (IS_LIST(c)) return AS_LIST(c)->items[list_index(K, AS_LIST(c), i)];
  if (IS_RECORD(c) && IS_STRING(i)) {
    uint8_t cache = 255;
    return field_of(K, c, str_key(K, AS_STRING(i)), &cache);
  }
  char what[128];
  kd_describe(K, c, what, sizeof what);
  kd_error(K, "cannot index %s", what);
}

static void set_index(KaderState *K, Value c, Value i, Value v) {
  if (IS_LIST(c)) {
    AS_LIST(c)->items[list_index(K, AS_LIST(c), i)] = v;
    return;
  }
  if (IS_RECORD(c) && IS_STRING(i)) {
    set_field(K, c, str_key(K, AS_STRING(i)), v);
    return;
  }
  char what[128];
  kd_describe(K, c, what, sizeof what);
  kd_error(K, "cannot set an element of %s", what);
}

/* Floored remainder; whole numbers (the usual case) avoid the slow fmod. */
static inline double num_mod(double x, double y) {
  if (fabs(x) < 9e15 && fabs(y) < 9e15 && x == (double)(int64_t)x &&
      y == (double)(int64_t)y) { /* range first: a cast beyond it is undefined */
    int64_t r = (int64_t)x % (int64_t)y;
    if (r != 0 && ((r < 0) != (y < 0))) r += (int64_t)y;
    return (double)r;
  }
  double m = fmod(x, y);
  if (m != 0 && ((m < 0) != (y < 0))) m += y;
  return m;
}

static void iter_prep(KaderState *K, Value x, int vars) {
  if (IS_LIST(x) || IS_RECORD(x)) return;
  if (IS_RANGE(x)) {
    ObjRange *r = AS_RANGE(x);
    if (r->unit != UNIT_NONE)
      kd_error(K, "cannot count through a range of quantities; loop over a "
               "list instead");
    if (r->lo != floor(r->lo) || r->hi != floor(r->hi))
      kd_error(K, "can only count through a range of whole numbers");
    if (vars != 1) kd_error(K, "a loop over a range has one variable");
    return;
  }
  char what[128];
  kd_describe(K, x, what, sizeof what);
  kd_error(K, "cannot loop over %s (a list, record or range of whole "
           "numbers can be looped over)", what);
}

static Value global_undefined(KaderState *K, uint32_t slot) {
  const char *name = K->global_names[slot]->chars;
  char hint[120];
  kd_error(K, "'%s' is not defined%s", name, kd_hint_global(K, name, false, hint, sizeof hint));
}

static void define_global(KaderState *K, uint32_t slot, Value v, bool is_const) {
  uint8_t flags = K->global_flags[slot];
  if ((flags & GLOBAL_DEFINED) && !K->config.repl)
    kd_error(K, "'%s' is already defined%s", K->global_names[slot]->chars,
             (flags & GLOBAL_STD) ? " by the standard library" : "");
  K->globals[slot] = v;
  K->global_flags[slot] = (uint8_t)((flags & GLOBAL_LET) | GLOBAL_DEFINED |
                                    (is_const ? GLOBAL_CONST : 0) |
                                    (K->loading_std ? GLOBAL_STD : 0));
}

static _Noreturn void interrupted(KaderState *K) {
  if (!K->interrupted) {
    /* the step budget ran out; the next run gets a fresh one */
    kd_error(K, "step limit: the program took more than %lu loop rounds and "
             "calls", K->config.step_limit);
  }
  K->interrupted = 0;
  kd_error(K, "interrupted");
}

static void check_unit(KaderState *K, UnitId u) {
  double scale;
  UnitId base;
  int bad = -1;
  if (units_reduce(K->units, u, &scale, &base, &bad) == UNIT_PENDING)
    kd_error(K, "unknown unit '%s'", units_name(K->units, bad));
}

static void define_unit(KaderState *K, ObjString *name, Value def) {
  int idx = units_declare(K->units, name->chars, name->len);
  UnitStatus st;
  if (IS_NIL(def)) {
    st = units_define_base(K->units, idx);
  } else {
    UnitId u = def.type == V_QTY ? def.unit : UNIT_NONE;
    double scale;
    UnitId base;
    int bad = -1;
    if (units_reduce(K->units, u, &scale, &base, &bad) == UNIT_PENDING) {
      if (bad == idx)
        kd_error(K, "unit '%s' cannot be defined in terms of itself", name->chars);
      kd_error(K, "unknown unit '%s'", units_name(K->units, bad));
    }
    if (def.as.n == 0 || !isfinite(def.as.n))
      kd_error(K, "unit '%s' needs a finite, non-zero factor", name->chars);
    st = units_define(K->units, idx, def.as.n, u);
  }
  if (st == UNIT_CYCLE)
    kd_error(K, "unit '%s' cannot be defined in terms of itself", name->chars);
}

static void interp_string(KaderState *K, Value *parts, int n) {
  KdBuf b = {0};
  for (int i = 0; i < n; i++) kd_show(K, &b, parts[i], false);
  ObjString *s = str_new(K, b.s ? b.s : "", b.len);
  kd_buf_free(K, &b);
  parts[0] = OBJ_VAL(s);
}

static void print_result(KaderState *K, Value v) {
  if (IS_NIL(v)) return;
  KdBuf b = {0};
  if (K->config.repl) kd_show_pretty(K, &b, v);
  else kd_show(K, &b, v, true);
  kd_buf_add(K, &b, "\n", 1);
  kd_write(K, b.s, b.len);
  kd_buf_free(K, &b);
  K->last_result = v;
  uint32_t slot = kd_global_slot(K, str_cstr(K, "_"));
  K->globals[slot] = v;
  K->global_flags[slot] = GLOBAL_DEFINED;
}

/* Runs until the frame at depth `base` returns; leaves its result pushed. */
static void run(KaderState *K, int base) {
  CallFrame *frame = &K->frames[K->frame_count - 1];
  uint8_t *ip = frame->ip;
  Value *slots = frame->slots;
  Value *consts = frame->closure->fn->chunk.consts;
  Value *sp = K->sp;
  Value *globals = K->globals; /* reloaded when code may add globals */

#define READ_U8() (*ip++)
#define READ_U16() (ip += 2, (uint16_t)((ip[-2] << 8) | ip[-1]))
#define STORE() (K->sp = sp, frame->ip = ip)
#define LOAD()                                   \
  (frame = &K->frames[K->frame_count - 1], ip = frame->ip, \
   slots = frame->slots, consts = frame->closure->fn->chunk.consts, sp = K->sp, \
   globals = K->globals)
/* An interrupt (Ctrl-C in the REPL, a host's kader_interrupt) is noticed
** on every backward jump and call: one load of a flag. */
#define CHECK_INTERRUPT()                                          \
  do {                                                             \
    if (K->interrupted || (K->steps_left && --K->steps_left == 0)) {\
      STORE();                                                     \
      interrupted(K);                                              \
    }                                                              \
  } while (0)
#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define PEEK(n) (sp[-1 - (n)])

#if defined(__GNUC__) && !defined(KADER_NO_COMPUTED_GOTO)
  static const void *const dispatch[] = {
#define OPCODE(name, n) __extension__ &&L_##name,
#include "opcodes.h"
#undef OPCODE
  };
#define CASE(name) L_##name
#define NEXT __extension__({ goto *dispatch[*ip++]; })
  NEXT;
#else
#define CASE(name) case OP_##name
#define NEXT goto next
next:
  switch ((OpCode)*ip++) {
#endif

  CASE(CONST): PUSH(consts[READ_U16()]); NEXT;
  CASE(NIL): PUSH(NIL_VAL); NEXT;
  CASE(TRUE): PUSH(BOOL_VAL(true)); NEXT;
  CASE(FALSE): PUSH(BOOL_VAL(false)); NEXT;
  CASE(UNDEF): PUSH(UNDEF_VAL); NEXT;
  CASE(POP): sp--; NEXT;
  CASE(DUP): *sp = sp[-1]; sp++; NEXT;
  CASE(DUP2): sp[0] = sp[-2]; sp[1] = sp[-1]; sp += 2; NEXT;

  /* a read of a variable shares what it holds (see str_append) */
  CASE(GET_LOCAL): PUSH(kd_share(slots[READ_U8()])); NEXT;
  CASE(SET_LOCAL): slots[READ_U8()] = POP(); NEXT;
  CASE(GET_GLOBAL): {
    uint16_t slot = READ_U16();
    Value v = globals[slot];
    _Static_assert(V_UNDEF > V_OBJ, "one test finds objects and undefined");
    if (v.type >= V_OBJ) {
      if (v.type == V_UNDEF) {
        STORE();
        global_undefined(K, slot);
      }
      v = kd_share(v);
    }
    PUSH(v);
    NEXT;
  }
  CASE(GET_KIND): {
    uint16_t slot = READ_U16();
    Value v = K->globals[slot];
    if (!IS_KIND(v)) {
      STORE();
      char hint[120];
      if (v.type == V_UNDEF)
        kd_error(K, "unknown kind '%s'%s", K->global_names[slot]->chars,
                 kd_hint_global(K, K->global_names[slot]->chars, true, hint, sizeof hint));
      kd_error(K, "'%s' is not a kind (it is %s %s)",
               K->global_names[slot]->chars, kd_article(kd_type_name(v)),
               kd_type_name(v));
    }
    PUSH(v);
    NEXT;
  }
  CASE(SET_GLOBAL): {
    uint16_t slot = READ_U16();
    uint8_t flags = K->global_flags[slot];
    if ((flags & (GLOBAL_DEFINED | GLOBAL_CONST)) != GLOBAL_DEFINED) {
      STORE();
      char hint[120];
      const char *name = K->global_names[slot]->chars;
      if (!(flags & GLOBAL_DEFINED) && *kd_hint_global(K, name, false, hint, sizeof hint))
        kd_error(K, "cannot assign to '%s': it is not defined%s", name, hint);
      if (!(flags & GLOBAL_DEFINED))
        kd_error(K, "cannot assign to '%s': it is not defined (use var %s = "
                 "… to define it)", name, name);
      kd_error(K, "cannot assign to '%s': it was bound with let (use var for "
               "a value that changes)", K->global_names[slot]->chars);
    }
    globals[slot] = POP();
    NEXT;
  }
  CASE(DEFINE_GLOBAL): {
    uint16_t slot = READ_U16();
    bool is_const = READ_U8();
    STORE();
    define_global(K, slot, sp[-1], is_const);
    sp--;
    NEXT;
  }
  CASE(GET_UPVAL): PUSH(kd_share(*frame->closure->upvalues[READ_U8()]->location)); NEXT;
  CASE(SET_UPVAL): *frame->closure->upvalues[READ_U8()]->location = POP(); NEXT;
  CASE(CLOSE_UPVAL):
    kd_close_upvalues(K, sp - 1);
    sp--;
    NEXT;

  CASE(GET_FIELD): {
    ObjString *name = AS_STRING(consts[READ_U16()]);
    uint8_t *cache = ip++;
    STORE();
    sp[-1] = field_of(K, sp[-1], name, cache);
    NEXT;
  }
  CASE(SET_FIELD): {
    ObjString *name = AS_STRING(consts[READ_U16()]);
    STORE();
    set_field(K, sp[-2], name, sp[-1]);
    sp -= 2;
    NEXT;
  }
  CASE(GET_INDEX):
    STORE();
    sp[-2] = get_index(K, sp[-2], sp[-1]);
    sp--;
    NEXT;
  CASE(SET_INDEX):
    STORE();
    set_index(K, sp[-3], sp[-2], sp[-1]);
    sp -= 3;
    NEXT;

#define ARITH(opname, arop, expr)                                  \
  CASE(opname): {                                                  \
    Value a = sp[-2], b = sp[-1];                                  \
    if (a.type == V_NUM && b.type == V_NUM) {                      \
      double x = a.as.n, y = b.as.n;                               \
      sp[-2].as.n = (expr);                                        \
    } else {                                                       \
      STORE();                                                     \
      sp[-2] = kd_arith(K, arop, a, b);                            \
    }                                                              \
    sp--;                                                          \
    NEXT;                                                          \
  }
  ARITH(ADD, AR_ADD, x + y)
  ARITH(SUB, AR_SUB, x - y)
  ARITH(MUL, AR_MUL, x * y)
  CASE(DIV): {
    Value a = sp[-2], b = sp[-1];
    if (a.type == V_NUM && b.type == V_NUM && b.as.n != 0) {
      sp[-2].as.n = a.as.n / b.as.n;
    } else {
      STORE();
      sp[-2] = kd_arith(K, AR_DIV, a, b);
    }
    sp--;
    NEXT;
  }
  CASE(MOD): {
    Value a = sp[-2], b = sp[-1];
    if (a.type == V_NUM && b.type == V_NUM && b.as.n != 0) {
      sp[-2].as.n = num_mod(a.as.n, b.as.n);
    } else {
      STORE();
      sp[-2] = kd_arith(K, AR_MOD, a, b);
    }
    sp--;
    NEXT;
  }
  CASE(POW):
    STORE();
    sp[-2] = kd_arith(K, AR_POW, sp[-2], sp[-1]);
    sp--;
    NEXT;
  CASE(ADD_CONST): {
    Value b = consts[READ_U16()];
    if (sp[-1].type == V_NUM) sp[-1].as.n += b.as.n;
    else { STORE(); sp[-1] = kd_arith(K, AR_ADD, sp[-1], b); }
    NEXT;
  }
  CASE(SUB_CONST): {
    Value b = consts[READ_U16()];
    if (sp[-1].type == V_NUM) sp[-1].as.n -= b.as.n;
    else { STORE(); sp[-1] = kd_arith(K, AR_SUB, sp[-1], b); }
    NEXT;
  }
  CASE(MUL_CONST): {
    Value b = consts[READ_U16()];
    if (sp[-1].type == V_NUM) sp[-1].as.n *= b.as.n;
    else { STORE(); sp[-1] = kd_arith(K, AR_MUL, sp[-1], b); }
    NEXT;
  }
  CASE(DIV_CONST): {
    Value b = consts[READ_U16()];
    if (sp[-1].type == V_NUM && b.as.n != 0) sp[-1].as.n /= b.as.n;
    else { STORE(); sp[-1] = kd_arith(K, AR_DIV, sp[-1], b); }
    NEXT;
  }
  CASE(MOD_CONST): {
    Value b = consts[READ_U16()];
    if (sp[-1].type == V_NUM && b.as.n != 0) sp[-1].as.n = num_mod(sp[-1].as.n, b.as.n);
    else { STORE(); sp[-1] = kd_arith(K, AR_MOD, sp[-1], b); }
    NEXT;
  }
  CASE(NEG):
    if (sp[-1].type == V_NUM) {
      sp[-1].as.n = -sp[-1].as.n;
    } else {
      STORE();
      sp[-1] = kd_negate(K, sp[-1]);
    }
    NEXT;
  CASE(NOT): sp[-1] = BOOL_VAL(is_falsey(sp[-1])); NEXT;
  CASE(EQ):
  CASE(NE): {
    bool ne = ip[-1] == OP_NE;
    Value a = sp[-2], b = sp[-1];
    bool eq;
    if (a.type == V_NUM && b.type == V_NUM) eq = a.as.n == b.as.n;
    else {
      STORE();
      eq = kd_equal(K, a, b);
    }
    sp[-2] = BOOL_VAL(eq != ne);
    sp--;
    NEXT;
  }
#define COMPARE(opname, cmp, op)                                   \
  CASE(opname): {                                                  \
    Value a = sp[-2], b = sp[-1];                                  \
    bool r;                                                        \
    if (a.type == V_NUM && b.type == V_NUM) r = a.as.n op b.as.n;  \
    else if (kd_is_sampled(K, a) || kd_is_sampled(K, b)) {        \
      STORE();                                                     \
      sp[-2] = kd_sample_compare(K, cmp, a, b);                    \
      sp--;                                                        \
      NEXT;                                                        \
    } else {                                                       \
      STORE();                                                     \
      r = kd_less(K, cmp, a, b);                                   \
    }                                                              \
    sp[-2] = BOOL_VAL(r);                                          \
    sp--;                                                          \
    NEXT;                                                          \
  }
  COMPARE(LT, CMP_LT, <)
  COMPARE(LE, CMP_LE, <=)
  COMPARE(GT, CMP_GT, >)
  COMPARE(GE, CMP_GE, >=)
  CASE(LT_JUMP): {
    uint16_t off = READ_U16();
    Value a = sp[-2], b = sp[-1];
    bool r;
    if (a.type == V_NUM && b.type == V_NUM) r = a.as.n < b.as.n;
    else {
      STORE();
      r = kd_less(K, CMP_LT, a, b);
    }
    sp -= 2;
    if (!r) ip += off;
    NEXT;
  }
  CASE(LT_CONST_JUMP): {
    Value b = consts[READ_U16()];
    uint16_t off = READ_U16();
    Value a = sp[-1];
    bool r;
    if (a.type == V_NUM) r = a.as.n < b.as.n;
    else {
      STORE();
      r = kd_less(K, CMP_LT, a, b);
    }
    sp--;
    if (!r) ip += off;
    NEXT;
  }
  CASE(ADD_TO_LOCAL): {
    Value *x = &slots[READ_U8()];
    Value v = sp[-1];
    if (x->type == V_NUM && v.type == V_NUM) x->as.n += v.as.n;
    else if (IS_STRING(*x) && IS_STRING(v)) {
      STORE();
      *x = OBJ_VAL(str_append(K, AS_STRING(*x), AS_STRING(v)));
    } else { STORE(); *x = kd_arith(K, AR_ADD, *x, v); }
    sp--;
    NEXT;
  }
  CASE(ADD_TO_GLOBAL): {
    uint16_t slot = READ_U16();
    Value *x = &globals[slot];
    Value v = sp[-1];
    if (x->type == V_NUM && v.type == V_NUM &&
        (K->global_flags[slot] & GLOBAL_CONST) == 0) {
      x->as.n += v.as.n;
    } else {
      STORE();
      if (x->type == V_UNDEF) global_undefined(K, slot);
      if (K->global_flags[slot] & GLOBAL_CONST)
        kd_error(K, "cannot assign to '%s': it was bound with let (use var "
                 "for a value that changes)", K->global_names[slot]->chars);
      if (IS_STRING(*x) && IS_STRING(v))
        *x = OBJ_VAL(str_append(K, AS_STRING(*x), AS_STRING(v)));
      else
        *x = kd_arith(K, AR_ADD, *x, v);
    }
    sp--;
    NEXT;
  }
  CASE(LOOP_IF_TRUE): {
    uint16_t off = READ_U16();
    if (!is_falsey(POP())) ip -= off;
    CHECK_INTERRUPT();
    NEXT;
  }
  CASE(LT_LOOP): {
    uint16_t off = READ_U16();
    Value a = sp[-2], b = sp[-1];
    bool r;
    if (a.type == V_NUM && b.type == V_NUM) r = a.as.n < b.as.n;
    else {
      STORE();
      r = kd_less(K, CMP_LT, a, b);
    }
    sp -= 2;
    if (r) ip -= off;
    CHECK_INTERRUPT();
    NEXT;
  }
  CASE(LT_CONST_LOOP): {
    Value b = consts[READ_U16()];
    uint16_t off = READ_U16();
    Value a = sp[-1];
    bool r;
    if (a.type == V_NUM) r = a.as.n < b.as.n;
    else {
      STORE();
      r = kd_less(K, CMP_LT, a, b);
    }
    sp--;
    if (r) ip -= off;
    CHECK_INTERRUPT();
    NEXT;
  }
  CASE(INCR_LOCAL): {
    Value *x = &slots[READ_U8()];
    Value k = consts[READ_U16()];
    if (x->type == V_NUM) x->as.n += k.as.n;
    else { STORE(); *x = kd_arith(K, AR_ADD, *x, k); }
    NEXT;
  }
  CASE(INCR_GLOBAL): {
    uint16_t slot = READ_U16();
    Value k = consts[READ_U16()];
    Value *x = &globals[slot];
    if (x->type == V_NUM && (K->global_flags[slot] & GLOBAL_CONST) == 0) {
      x->as.n += k.as.n;
    } else {
      STORE();
      if (x->type == V_UNDEF) global_undefined(K, slot);
      if (K->global_flags[slot] & GLOBAL_CONST)
        kd_error(K, "cannot assign to '%s': it was bound with let (use var "
                 "for a value that changes)", K->global_names[slot]->chars);
      *x = kd_arith(K, AR_ADD, *x, k);
    }
    NEXT;
  }
  CASE(RANGE):
    STORE();
    sp[-2] = kd_make_range(K, sp[-2], sp[-1]);
    sp--;
    NEXT;
  CASE(CONVERT): {
    Value u = consts[READ_U16()];
    STORE();
    sp[-1] = kd_convert(K, sp[-1], u.unit);
    NEXT;
  }
  CASE(CHECK_UNIT): {
    Value u = consts[READ_U16()];
    STORE();
    check_unit(K, u.unit);
    NEXT;
  }

  CASE(JUMP): {
    uint16_t off = READ_U16();
    ip += off;
    NEXT;
  }
  CASE(JUMP_IF_FALSE): {
    uint16_t off = READ_U16();
    if (is_falsey(POP())) ip += off;
    NEXT;
  }
  CASE(LOOP): {
    uint16_t off = READ_U16();
    ip -= off;
    CHECK_INTERRUPT();
    NEXT;
  }
  CASE(AND): {
    uint16_t off = READ_U16();
    if (is_falsey(sp[-1])) ip += off;
    else sp--;
    NEXT;
  }
  CASE(OR): {
    uint16_t off = READ_U16();
    if (!is_falsey(sp[-1])) ip += off;
    else sp--;
    NEXT;
  }
  CASE(ITER_PREP): {
    int vars = READ_U8();
    STORE();
    iter_prep(K, sp[-1], vars);
    PUSH(NUM_VAL(0));
    NEXT;
  }
  CASE(ITER_NEXT): {
    uint8_t base_slot = READ_U8();
    uint8_t vars = READ_U8();
    uint16_t exit = READ_U16();
    Value it = slots[base_slot];
    double pos = slots[base_slot + 1].as.n;
    Obj *o = it.as.o;
    if (o->type == O_LIST) {
      ObjList *l = (ObjList *)o;
      if (pos < l->count) {
        if (vars == 2) PUSH(NUM_VAL(pos + 1));
        PUSH(l->items[(uint32_t)pos]);
        slots[base_slot + 1].as.n = pos + 1;
        NEXT;
      }
    } else if (o->type == O_RECORD) {
      ObjRecord *r = (ObjRecord *)o;
      while (pos < r->count && r->values[(uint32_t)pos].type == V_UNDEF) pos++;
      if (pos < r->count) {
        PUSH(OBJ_VAL(r->keys[(uint32_t)pos]));
        if (vars == 2) PUSH(r->values[(uint32_t)pos]);
        slots[base_slot + 1].as.n = pos + 1;
        NEXT;
      }
    } else {
      ObjRange *r = (ObjRange *)o;
      double v = r->lo + pos;
      if (v <= r->hi) {
        PUSH(NUM_VAL(v));
        slots[base_slot + 1].as.n = pos + 1;
        NEXT;
      }
    }
    ip += exit;
    NEXT;
  }

  CASE(CALL): {
    int argc = READ_U8();
    CHECK_INTERRUPT();
    STORE();
    if (call_value(K, sp - 1 - argc, argc)) {
      frame = &K->frames[K->frame_count - 1];
      ip = frame->ip;
      slots = frame->slots;
      consts = frame->closure->fn->chunk.consts;
    } else {
      sp = K->sp;
    }
    globals = K->globals;
    NEXT;
  }
  CASE(CLOSURE): {
    ObjFunction *fn = (ObjFunction *)consts[READ_U16()].as.o;
    STORE();
    ObjClosure *cl = closure_new(K, fn);
    PUSH(OBJ_VAL(cl));
    K->sp = sp;
    for (int i = 0; i < cl->upvalue_count; i++) {
      uint8_t is_local = READ_U8();
      uint8_t index = READ_U8();
      cl->upvalues[i] = is_local ? capture(K, slots + index)
                                 : frame->closure->upvalues[index];
    }
    NEXT;
  }
  CASE(RETURN): {
    Value result = sp[-1];
    kd_close_upvalues(K, slots);
    K->frame_count--;
    sp = slots;
    PUSH(result);
    K->sp = sp;
    if (K->frame_count == base) return;
    LOAD();
    NEXT;
  }

  CASE(LIST): {
    int n = READ_U16();
    STORE();
    ObjList *l = list_new(K, (uint32_t)n);
    if (n) memcpy(l->items, sp - n, sizeof(Value) * (size_t)n);
    l->count = (uint32_t)n;
    sp -= n;
    PUSH(OBJ_VAL(l));
    NEXT;
  }
  CASE(RECORD): {
    int n = READ_U16();
    STORE();
    ObjRecord *r = record_new(K);
    kd_push_root(K, OBJ_VAL(r));
    for (int i = 0; i < n; i++)
      record_set(K, r, AS_STRING(sp[-2 * n + 2 * i]), sp[-2 * n + 2 * i + 1]);
    kd_pop_root(K);
    sp -= 2 * n;
    PUSH(OBJ_VAL(r));
    NEXT;
  }
  CASE(INTERP): {
    int n = READ_U16();
    STORE();
    interp_string(K, sp - n, n);
    sp -= n - 1;
    NEXT;
  }

  CASE(IMPORT): {
    ObjString *path = AS_STRING(consts[READ_U16()]);
    STORE();
    kd_import(K, frame->closure->fn->module, path);
    LOAD();
    NEXT;
  }
  CASE(IS_MAIN):
    *sp++ = BOOL_VAL(frame->closure->fn->module->is_main);
    NEXT;
  CASE(EXPECT): {
    int cmp = READ_U8();
    ObjString *what = AS_STRING(consts[READ_U16()]);
    STORE();
    kd_expect(K, cmp, sp[-3], sp[-2], sp[-1], what);
    sp -= 3;
    NEXT;
  }
  CASE(DEFINE_UNIT): {
    ObjString *name = AS_STRING(consts[READ_U16()]);
    Value def = consts[READ_U16()];
    STORE();
    define_unit(K, name, def);
    NEXT;
  }
  CASE(MAKE_TYPE): {
    int tag = READ_U8();
    int n = tag == TY_OR ? 2 : 1;
    STORE();
    sp[-n] = kd_make_type(K, tag, sp - n);
    sp -= n - 1;
    NEXT;
  }
  CASE(DEFINE_KIND): {
    ObjString *name = AS_STRING(consts[READ_U16()]);
    int nfields = READ_U8();
    Value *args = sp - 2 - 4 * nfields;
    STORE();
    ObjKind *k = kd_define_kind(K, name, args[0], args[1], args + 2, nfields);
    sp = args;
    PUSH(OBJ_VAL(k));
    NEXT;
  }
  CASE(DECL_BEGIN): {
    ObjString *id = AS_STRING(consts[READ_U16()]);
    ip++;
    STORE();
    ObjRecord *d = kd_decl_begin(K, sp[-2], id, sp[-1]);
    sp[-2] = OBJ_VAL(d);
    sp--;
    NEXT;
  }
  CASE(DECL_FIELD): {
    ObjString *name = AS_STRING(consts[READ_U16()]);
    STORE();
    kd_decl_field(K, AS_RECORD(sp[-2]), name, sp[-1]);
    sp--;
    NEXT;
  }
  CASE(DECL_CHILD):
    STORE();
    kd_decl_child(K, AS_RECORD(sp[-2]), AS_RECORD(sp[-1]));
    sp--;
    NEXT;
  CASE(DECL_END):
    STORE();
    kd_decl_end(K, AS_RECORD(sp[-1]));
    NEXT;
  CASE(PRINT_RESULT):
    STORE();
    print_result(K, sp[-1]);
    sp--;
    globals = K->globals;
    NEXT;

#if !(defined(__GNUC__) && !defined(KADER_NO_COMPUTED_GOTO))
  default: break;
  }
#endif
}

Value kd_call(KaderState *K, Value callee, int argc, const Value *args) {
  if (K->native_depth >= KD_MAX_NATIVE_DEPTH)
    kd_error(K, "stack overflow: calls nested too deeply through built-in "
             "functions");
  if (K->sp + argc + 1 >= K->stack + KD_STACK_SIZE)
    kd_error(K, "stack overflow");
  K->native_depth++;
  Value *base = K->sp;
  *K->sp++ = callee;
  for (int i = 0; i < argc; i++) *K->sp++ = args[i];
  if (call_value(K, base, argc)) run(K, K->frame_count - 1);
  Value result = K->sp[-1];
  K->sp = base;
  K->native_depth--;
  return result;
}

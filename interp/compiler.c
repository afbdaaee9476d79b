/*
** compiler.c — syntax tree to bytecode, in one pass over the tree.
**
** Resolves every name at compile time: a local is a stack slot, a captured
** variable an upvalue, anything else a global slot. Each emitted byte
** records the span of the syntax it came from, so a runtime error can point
** at the exact source. The compiler also tracks the stack depth, so the VM
** can grow the stack once per call instead of checking on every push.
*/
#include <stdio.h>
#include <string.h>

#include "compiler.h"
#include "parser.h"
#include "vm.h"

typedef enum {
#define OPCODE(name, n) OP_##name,
#include "opcodes.h"
#undef OPCODE
  OP__COUNT
} OpCode;

#define MAX_LOCALS 250

typedef struct Local {
  const char *name;
  int depth;
  bool captured;
  bool is_const;
} Local;

typedef struct Upval { uint8_t index; bool is_local; bool is_const; const char *name; } Upval;

typedef struct Loop {
  struct Loop *enclosing;
  int start;          /* where `continue` goes; -1: forward, to the test of
                         a while loop, patched like breaks */
  int continues[64];
  int continue_count;
  int scope_depth;    /* locals deeper than this are the loop body's */
  int breaks[64];
  int break_count;
} Loop;

struct Compiler {
  Compiler *enclosing;
  Compiler *root;      /* the outermost, on kd_compile's stack */
  Compiler *innermost; /* root only: the deepest compiler on the heap */
  bool imports;        /* root only: an import was compiled, which may
                          define any name */
  KaderState *K;
  ObjModule *module;
  ObjFunction *fn;
  Local locals[MAX_LOCALS + 6];
  int local_count;
  int scope_depth;
  Upval upvals[256];
  Loop *loop;
  const char *defining_kind; /* see kind_being_defined */
  int depth, max_depth; /* stack slots in use */
};

static _Noreturn void fail(Compiler *c, Span span, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  kd_error_at(c->K, c->module, span, true, "%s", msg);
}

/* ---- emitting ---- */

static Chunk *chunk(Compiler *c) { return &c->fn->chunk; }

static void adjust(Compiler *c, int delta) {
  c->depth += delta;
  if (c->depth > c->max_depth) c->max_depth = c->depth;
}

static void emit_byte(Compiler *c, uint8_t b, Span span) {
  chunk_write(c->K, chunk(c), b, span);
}

static void emit_op(Compiler *c, OpCode op, int delta, Span span) {
  emit_byte(c, (uint8_t)op, span);
  adjust(c, delta);
}

static void emit_u16(Compiler *c, int v, Span span) {
  emit_byte(c, (uint8_t)((v >> 8) & 0xff), span);
  emit_byte(c, (uint8_t)(v & 0xff), span);
}

static int add_const(Compiler *c, Value v, Span span) {
  int i = chunk_add_const(c->K, chunk(c), v);
  if (i > 0xffff) fail(c, span, "too many constants in one function");
  return i;
}

static void emit_const(Compiler *c, Value v, Span span) {
  int i = add_const(c, v, span);
  emit_op(c, OP_CONST, 1, span);
  emit_u16(c, i, span);
}

static int emit_jump(Compiler *c, OpCode op, int delta, Span span) {
  emit_op(c, op, delta, span);
  emit_u16(c, 0xffff, span);
  return (int)chunk(c)->count - 2;
}

static void patch_jump(Compiler *c, int at, Span span) {
  int dist = (int)chunk(c)->count - at - 2;
  if (dist > 0xffff) fail(c, span, "this block is too large to jump over");
  chunk(c)->code[at] = (uint8_t)(dist >> 8);
  chunk(c)->code[at + 1] = (uint8_t)dist;
}

static void emit_loop(Compiler *c, int start, Span span) {
  emit_op(c, OP_LOOP, 0, span);
  int dist = (int)chunk(c)->count - start + 2;
  if (dist > 0xffff) fail(c, span, "this loop body is too large");
  emit_u16(c, dist, span);
}

static ObjString *intern(Compiler *c, const char *s) {
  return str_cstr(c->K, s); /* names and keys are always interned */
}

static int name_const(Compiler *c, const char *name, Span span) {
  return add_const(c, OBJ_VAL(intern(c, name)), span);
}

/* ---- scopes and names ---- */

static void begin_scope(Compiler *c) { c->scope_depth++; }

static void end_scope(Compiler *c, Span span) {
  c->scope_depth--;
  while (c->local_count > 0 &&
         c->locals[c->local_count - 1].depth > c->scope_depth) {
    emit_op(c, c->locals[c->local_count - 1].captured ? OP_CLOSE_UPVAL : OP_POP,
            -1, span);
    c->local_count--;
  }
}

static int add_local(Compiler *c, const char *name, bool is_const, Span span) {
  if (c->local_count >= MAX_LOCALS)
    fail(c, span, "too many local variables in one function (at most %d)",
         MAX_LOCALS);
  Local *l = &c->locals[c->local_count++];
  l->name = name;
  l->depth = c->scope_depth;
  l->captured = false;
  l->is_const = is_const;
  return c->local_count - 1;
}

static int resolve_local(Compiler *c, const char *name) {
  for (int i = c->local_count - 1; i >= 0; i--)
    if (c->locals[i].name && strcmp(c->locals[i].name, name) == 0) return i;
  return -1;
}

static int add_upval(Compiler *c, uint8_t index, bool is_local, bool is_const,
                     const char *name, Span span) {
  int n = c->fn->upvalue_count;
  for (int i = 0; i < n; i++)
    if (c->upvals[i].index == index && c->upvals[i].is_local == is_local)
      return i;
  if (n == 255) fail(c, span, "a function may use at most 255 outer variables");
  c->upvals[n] = (Upval){index, is_local, is_const, name};
  return c->fn->upvalue_count++;
}

static int resolve_upval(Compiler *c, const char *name, Span span) {
  if (!c->enclosing) return -1;
  int local = resolve_local(c->enclosing, name);
  if (local >= 0) {
    c->enclosing->locals[local].captured = true;
    return add_upval(c, (uint8_t)local, true,
                     c->enclosing->locals[local].is_const, name, span);
  }
  int up = resolve_upval(c->enclosing, name, span);
  if (up >= 0)
    return add_upval(c, (uint8_t)up, false, c->enclosing->upvals[up].is_const,
                     name, span);
  return -1;
}

static int global_slot(Compiler *c, const char *name, Span span) {
  uint32_t slot = kd_global_slot(c->K, intern(c, name));
  if (slot > 0xffff) fail(c, span, "too many global names");
  return (int)slot;
}

static bool is_top_level(Compiler *c) {
  return c->enclosing == NULL && c->scope_depth == 0;
}


/* Binds the value on top of the stack to `name`: a global at the top level
** of a file, a local (already in its slot) elsewhere. */
static void bind_name(Compiler *c, const char *name, bool is_const, Span span) {
  if (is_top_level(c)) {
    int slot = global_slot(c, name, span);
    if (!c->module->embedded && (c->K->global_flags[slot] & GLOBAL_STD)) {
      /* a user's own `sum` shadows the standard library's from here on;
      ** stdlib code keeps the slot it was compiled with */
      slot = (int)kd_global_shadow(c->K, intern(c, name));
      if (slot > 0xffff) fail(c, span, "too many global names");
    }
    emit_op(c, OP_DEFINE_GLOBAL, -1, span);
    emit_u16(c, slot, span);
    emit_byte(c, is_const ? 1 : 0, span);
    /* known at compile time, so `x = …` after `let x` fails before running */
    if (is_const) c->K->global_flags[slot] |= GLOBAL_LET;
    else c->K->global_flags[slot] &= (uint8_t)~GLOBAL_LET;
  } else {
    add_local(c, name, is_const, span);
  }
}

static void load_name(Compiler *c, const char *name, Span span) {
  int i = resolve_local(c, name);
  if (i >= 0) {
    emit_op(c, OP_GET_LOCAL, 1, span);
    emit_byte(c, (uint8_t)i, span);
    return;
  }
  i = resolve_upval(c, name, span);
  if (i >= 0) {
    emit_op(c, OP_GET_UPVAL, 1, span);
    emit_byte(c, (uint8_t)i, span);
    return;
  }
  emit_op(c, OP_GET_GLOBAL, 1, span);
  emit_u16(c, global_slot(c, name, span), span);
}

static void store_name(Compiler *c, const char *name, Span span) {
  int i = resolve_local(c, name);
  if (i >= 0) {
    if (c->locals[i].is_const)
      fail(c, span, "cannot assign to '%s': it was bound with let (use var "
           "for a value that changes)", name);
    emit_op(c, OP_SET_LOCAL, -1, span);
    emit_byte(c, (uint8_t)i, span);
    return;
  }
  i = resolve_upval(c, name, span);
  if (i >= 0) {
    if (c->upvals[i].is_const)
      fail(c, span, "cannot assign to '%s': it was bound with let (use var "
           "for a value that changes)", name);
    emit_op(c, OP_SET_UPVAL, -1, span);
    emit_byte(c, (uint8_t)i, span);
    return;
  }
  int slot = global_slot(c, name, span);
  if (c->K->global_flags[slot] & GLOBAL_LET)
    fail(c, span, "cannot assign to '%s': it was bound with let (use var for "
         "a value that changes)", name);
  emit_op(c, OP_SET_GLOBAL, -1, span);
  emit_u16(c, slot, span);
}

/* ---- units ---- */

/* The UnitId of a unit as written. *unknown is set when a name has no
** definition yet: the VM then checks it when the code runs (it may come
** from an import or a later `unit` statement). */
static UnitId unit_of(Compiler *c, UnitExpr *u, bool *unknown) {
  UnitTable *t = c->K->units;
  UnitId id = UNIT_NONE;
  for (uint32_t i = 0; i < u->count; i++) {
    UnitFactor *f = &u->factors[i];
    int name = units_declare(t, f->name, strlen(f->name));
    UnitSite *use = units_user_use(t, name);
    if (!c->module->embedded && use->module != c->module) /* its first here */
      *use = (UnitSite){c->module, f->span.off, f->span.len};
    if (!units_is_defined(t, name)) *unknown = true;
    id = units_mul(t, id, units_atom(t, name, f->exp));
  }
  return id;
}

static void emit_unit_check(Compiler *c, UnitId id, Span span) {
  int k = add_const(c, QTY_VAL(1, id), span);
  emit_op(c, OP_CHECK_UNIT, 0, span);
  emit_u16(c, k, span);
}

/* ---- expressions ---- */

static void expr(Compiler *c, Node *n);
static void stmt(Compiler *c, Node *n);
static void block(Compiler *c, Node *n);

static const OpCode binary_ops[] = {
  [B_ADD] = OP_ADD, [B_SUB] = OP_SUB, [B_MUL] = OP_MUL, [B_DIV] = OP_DIV,
  [B_MOD] = OP_MOD, [B_POW] = OP_POW, [B_EQ] = OP_EQ, [B_NE] = OP_NE,
  [B_LT] = OP_LT, [B_LE] = OP_LE, [B_GT] = OP_GT, [B_GE] = OP_GE,
};

static void function(Compiler *c, Node *n, const char *doc);

static void binary(Compiler *c, Node *n) {
  static const OpCode with_const[] = {
    [B_ADD] = OP_ADD_CONST, [B_SUB] = OP_SUB_CONST, [B_MUL] = OP_MUL_CONST,
    [B_DIV] = OP_DIV_CONST, [B_MOD] = OP_MOD_CONST,
  };
  if (n->op <= B_MOD && n->b->kind == N_NUMBER) {
    expr(c, n->a);
    int k = add_const(c, NUM_VAL(n->b->number), n->span);
    emit_op(c, with_const[n->op], 0, n->span);
    emit_u16(c, k, n->span);
    return;
  }
  expr(c, n->a);
  expr(c, n->b);
  emit_op(c, binary_ops[n->op], -1, n->span);
}

static void expr(Compiler *c, Node *n) {
  switch (n->kind) {
    case N_NIL: emit_op(c, OP_NIL, 1, n->span); break;
    case N_TRUE: emit_op(c, OP_TRUE, 1, n->span); break;
    case N_FALSE: emit_op(c, OP_FALSE, 1, n->span); break;
    case N_NUMBER: emit_const(c, NUM_VAL(n->number), n->span); break;
    case N_QUANTITY: {
      bool unknown = false;
      UnitId u = unit_of(c, n->unit, &unknown);
      if (unknown) emit_unit_check(c, u, n->unit->span);
      emit_const(c, QTY_VAL(n->number, u), n->span);
      break;
    }
    case N_STRING:
      emit_const(c, OBJ_VAL(str_new(c->K, n->str, n->str_len)), n->span);
      break;
    case N_INTERP:
      if (n->items.count > 0xffff) fail(c, n->span, "string has too many parts");
      for (uint32_t i = 0; i < n->items.count; i++) expr(c, n->items.items[i]);
      emit_op(c, OP_INTERP, 1 - (int)n->items.count, n->span);
      emit_u16(c, (int)n->items.count, n->span);
      break;
    case N_NAME: load_name(c, n->name, n->span); break;
    case N_LIST:
      if (n->items.count > 0xffff) fail(c, n->span, "list literal is too long");
      for (uint32_t i = 0; i < n->items.count; i++) expr(c, n->items.items[i]);
      emit_op(c, OP_LIST, 1 - (int)n->items.count, n->span);
      emit_u16(c, (int)n->items.count, n->span);
      break;
    case N_RECORD:
      if (n->items.count > 0x7fff) fail(c, n->span, "record literal is too long");
      for (uint32_t i = 0; i < n->items.count; i++) {
        emit_const(c, OBJ_VAL(intern(c, n->keys[i])), n->key_spans[i]);
        expr(c, n->items.items[i]);
      }
      emit_op(c, OP_RECORD, 1 - 2 * (int)n->items.count, n->span);
      emit_u16(c, (int)n->items.count, n->span);
      break;
    case N_FN: function(c, n, NULL); break;
    case N_UNARY:
      expr(c, n->a);
      emit_op(c, n->op == U_NEG ? OP_NEG : OP_NOT, 0, n->span);
      break;
    case N_BINARY: binary(c, n); break;
    case N_AND:
    case N_OR: {
      expr(c, n->a);
      int j = emit_jump(c, n->kind == N_AND ? OP_AND : OP_OR, -1, n->span);
      expr(c, n->b);
      patch_jump(c, j, n->span);
      break;
    }
    case N_RANGE:
      expr(c, n->a);
      expr(c, n->b);
      emit_op(c, OP_RANGE, -1, n->span);
      break;
    case N_CONVERT: {
      expr(c, n->a);
      bool unknown = false;
      UnitId u = unit_of(c, n->unit, &unknown);
      if (unknown) emit_unit_check(c, u, n->unit->span);
      int k = add_const(c, QTY_VAL(1, u), n->span);
      emit_op(c, OP_CONVERT, 0, n->span);
      emit_u16(c, k, n->span);
      break;
    }
    case N_CALL:
      if (n->items.count > 255)
        fail(c, n->span, "a call may pass at most 255 arguments");
      expr(c, n->a);
      for (uint32_t i = 0; i < n->items.count; i++) expr(c, n->items.items[i]);
      emit_op(c, OP_CALL, -(int)n->items.count, n->span);
      emit_byte(c, (uint8_t)n->items.count, n->span);
      break;
    case N_FIELD:
      expr(c, n->a);
      emit_op(c, OP_GET_FIELD, 0, n->span);
      emit_u16(c, name_const(c, n->name, n->name_span), n->span);
      emit_byte(c, 0, n->span);
      break;
    case N_INDEX:
      expr(c, n->a);
      expr(c, n->b);
      emit_op(c, OP_GET_INDEX, -1, n->span);
      break;
    case N_REGEX: {
      /* compiled now: a bad pattern is a syntax error at its exact place */
      char error[300];
      size_t offset = 0;
      ObjString *pattern = str_new(c->K, n->str, n->str_len);
      kd_push_root(c->K, OBJ_VAL(pattern));
      ObjString *flags = str_cstr(c->K, n->name);
      kd_push_root(c->K, OBJ_VAL(flags));
      ObjRegex *re = kd_regex_compile(c->K, pattern, flags, &offset, error, sizeof error);
      kd_pop_root(c->K);
      kd_pop_root(c->K);
      if (!re) {
        Span at = strncmp(error, "unknown flag", 12) == 0
                      ? (Span){n->span.off + 2 + (uint32_t)n->str_len, (uint32_t)strlen(n->name)}
                      : (Span){n->span.off + 1 + (uint32_t)offset, 1};
        fail(c, at, "invalid regular expression: %s", error);
      }
      emit_const(c, OBJ_VAL(re), n->span);
      break;
    }
    default:
      fail(c, n->span, "expected an expression");
  }
}

/* ---- functions ---- */

static void compiler_init(Compiler *c, Compiler *enclosing, KaderState *K,
                          ObjModule *m) {
  c->enclosing = enclosing;
  c->root = enclosing ? enclosing->root : c;
  c->root->innermost = enclosing ? c : NULL;
  c->K = K;
  c->module = m;
  c->fn = NULL;
  c->local_count = 0;
  c->scope_depth = 0;
  c->loop = NULL;
  c->defining_kind = NULL;
  c->depth = c->max_depth = 0;
  K->compiler = c; /* from here on the function is a root */
  c->fn = function_new(K, m);
  /* slot 0 holds the function being called */
  add_local(c, "", true, (Span){0, 0});
  adjust(c, 1);
}

static ObjFunction *compiler_end(Compiler *c, Span span) {
  emit_op(c, OP_NIL, 1, span);
  emit_op(c, OP_RETURN, -1, span);
  ObjFunction *fn = c->fn;
  fn->max_slots = c->max_depth + 2;
  c->K->compiler = c->enclosing;
  return fn;
}

/* An inner function's compiler lives on the heap: with its locals and
** upvalues it is kilobytes, and functions nest in functions. If compiling
** fails, kd_compile frees what is left from the root's innermost up. */
static void function(Compiler *c, Node *n, const char *doc) {
  Compiler *inner = kd_realloc(c->K, NULL, 0, sizeof *inner);
  compiler_init(inner, c, c->K, c->module);
  ObjFunction *fn = inner->fn;
  if (n->name) fn->name = intern(inner, n->name);
  else fn->name = intern(inner, "fn");
  if (doc) fn->doc = intern(inner, doc);
  fn->arity = (int)n->param_count;
  if (n->param_count > 255) fail(c, n->span, "a function may take at most 255 parameters");
  begin_scope(inner);
  for (uint32_t i = 0; i < n->param_count; i++) {
    add_local(inner, n->params[i].name, false, n->params[i].span);
    adjust(inner, 1);
  }
  block(inner, n->a);
  compiler_end(inner, n->span);
  kd_push_root(c->K, OBJ_VAL(fn)); /* no compiler holds it any more */
  int k = add_const(c, OBJ_VAL(fn), n->span);
  kd_pop_root(c->K);
  emit_op(c, OP_CLOSURE, 1, n->span);
  emit_u16(c, k, n->span);
  for (int i = 0; i < fn->upvalue_count; i++) {
    emit_byte(c, inner->upvals[i].is_local ? 1 : 0, n->span);
    emit_byte(c, inner->upvals[i].index, n->span);
  }
  c->root->innermost = c == c->root ? NULL : c;
  kd_realloc(c->K, inner, sizeof *inner, 0);
}

/* ---- kinds and declarations ---- */

static bool builtin_type(const char *name, TypeTag *tag) {
  static const struct { const char *name; TypeTag tag; } types[] = {
    {"any", TY_ANY}, {"text", TY_TEXT}, {"number", TY_NUMBER},
    {"bool", TY_BOOL}, {"list", TY_LIST}, {"record", TY_RECORD},
    {"fn", TY_FN}, {"range", TY_RANGE}, {"regex", TY_REGEX},
  };
  for (size_t i = 0; i < sizeof types / sizeof *types; i++)
    if (strcmp(types[i].name, name) == 0) {
      *tag = types[i].tag;
      return true;
    }
  return false;
}

/* The kind whose fields are being compiled: its own name in a field type
** refers to it before it exists. */
static const char *kind_being_defined(Compiler *c) { return c->defining_kind; }

static void type_expr(Compiler *c, TypeExpr *t) {
  KaderState *K = c->K;
  switch (t->kind) {
    case T_NAME: {
      TypeTag tag;
      if (kind_being_defined(c) && strcmp(t->name, kind_being_defined(c)) == 0) {
        emit_op(c, OP_NIL, 1, t->span);
        emit_op(c, OP_MAKE_TYPE, 0, t->span);
        emit_byte(c, TY_SELF, t->span);
        return;
      }
      if (builtin_type(t->name, &tag)) {
        emit_const(c, OBJ_VAL(type_new(K, tag)), t->span);
        return;
      }
      int name = units_lookup(K->units, t->name, strlen(t->name));
      if (name >= 0 && units_is_defined(K->units, name)) {
        ObjType *ty = type_new(K, TY_UNIT);
        ty->unit = units_atom(K->units, name, 1);
        emit_const(c, OBJ_VAL(ty), t->span);
        return;
      }
      load_name(c, t->name, t->span); /* a kind */
      emit_op(c, OP_MAKE_TYPE, 0, t->span);
      emit_byte(c, TY_KIND, t->span);
      return;
    }
    case T_UNIT: {
      bool unknown = false;
      UnitId u = unit_of(c, t->unit, &unknown);
      if (unknown) emit_unit_check(c, u, t->span);
      ObjType *ty = type_new(K, TY_UNIT);
      ty->unit = u;
      emit_const(c, OBJ_VAL(ty), t->span);
      return;
    }
    case T_LIST_OF:
      type_expr(c, t->a);
      emit_op(c, OP_MAKE_TYPE, 0, t->span);
      emit_byte(c, TY_LIST_OF, t->span);
      return;
    case T_ONE_OF:
      for (uint32_t i = 0; i < t->options.count; i++) expr(c, t->options.items[i]);
      emit_op(c, OP_LIST, 1 - (int)t->options.count, t->span);
      emit_u16(c, (int)t->options.count, t->span);
      emit_op(c, OP_MAKE_TYPE, 0, t->span);
      emit_byte(c, TY_ONE_OF, t->span);
      return;
    case T_OR:
      type_expr(c, t->a);
      type_expr(c, t->b);
      emit_op(c, OP_MAKE_TYPE, -1, t->span);
      emit_byte(c, TY_OR, t->span);
      return;
  }
}

static void kind_decl(Compiler *c, Node *n) {
  if (n->field_count > 255) fail(c, n->span, "a kind may have at most 255 fields");
  for (uint32_t i = 0; i < n->field_count; i++)
    for (uint32_t j = 0; j < i; j++)
      if (strcmp(n->fields[i].name, n->fields[j].name) == 0)
        fail(c, n->fields[i].span, "field '%s' is listed twice", n->fields[i].name);
  for (uint32_t i = 0; i < n->field_count; i++) {
    const char *f = n->fields[i].name;
    if (!strcmp(f, "id") || !strcmp(f, "label") || !strcmp(f, "kind"))
      fail(c, n->fields[i].span, "'%s' is built into every declaration and "
           "cannot be a field", f);
  }
  if (n->str) emit_const(c, OBJ_VAL(str_new(c->K, n->str, n->str_len)), n->span);
  else emit_op(c, OP_NIL, 1, n->span);
  if (n->doc) emit_const(c, OBJ_VAL(intern(c, n->doc)), n->span);
  else emit_op(c, OP_NIL, 1, n->span);
  c->defining_kind = n->name;
  for (uint32_t i = 0; i < n->field_count; i++) {
    KindField *f = &n->fields[i];
    emit_const(c, OBJ_VAL(intern(c, f->name)), f->span);
    type_expr(c, f->type);
    if (f->default_value) expr(c, f->default_value);
    else emit_op(c, OP_UNDEF, 1, f->span);
    if (f->doc) emit_const(c, OBJ_VAL(intern(c, f->doc)), f->span);
    else emit_op(c, OP_NIL, 1, f->span);
  }
  c->defining_kind = NULL;
  emit_op(c, OP_DEFINE_KIND, -1 - 4 * (int)n->field_count, n->span);
  emit_u16(c, name_const(c, n->name, n->name_span), n->span);
  emit_byte(c, (uint8_t)n->field_count, n->span);
  bind_name(c, n->name, true, n->name_span);
}

/* `retrun x` and `kidn taak { ... }` read as declarations of a kind that
** does not exist: when the kind is a misspelt keyword and nothing so far
** defines it (no binding of this file, no import, nothing in the state),
** that is the error. */
static void check_keyword_kind(Compiler *c, Node *n) {
  const char *kw = kd_keyword_typo(n->name2, strlen(n->name2));
  if (!kw || c->root->imports) return;
  int slot = global_slot(c, n->name2, n->name2_span);
  if (c->K->global_flags[slot] & (GLOBAL_DEFINED | GLOBAL_LET)) return;
  fail(c, n->name2_span, "there is no kind '%s', and '%s' is not a keyword: did you "
       "mean '%s'?", n->name2, n->name2, kw);
}

static void decl(Compiler *c, Node *n) {
  /* the kind */
  int local = resolve_local(c, n->name2);
  if (local >= 0 || resolve_upval(c, n->name2, n->name2_span) >= 0) {
    load_name(c, n->name2, n->name2_span);
  } else {
    check_keyword_kind(c, n);
    emit_op(c, OP_GET_KIND, 1, n->name2_span);
    emit_u16(c, global_slot(c, n->name2, n->name2_span), n->name2_span);
  }
  if (n->str) emit_const(c, OBJ_VAL(str_new(c->K, n->str, n->str_len)), n->span);
  else emit_op(c, OP_NIL, 1, n->span);
  emit_op(c, OP_DECL_BEGIN, -1, n->name_span);
  emit_u16(c, name_const(c, n->name, n->name_span), n->name_span);
  emit_byte(c, 0, n->name_span);
  for (uint32_t i = 0; i < n->items.count; i++) {
    Node *item = n->items.items[i];
    if (item->kind == N_DECL_FIELD) {
      expr(c, item->a);
      Span where = {item->name_span.off,
                    item->a->span.off + item->a->span.len - item->name_span.off};
      emit_op(c, OP_DECL_FIELD, -1, where);
      emit_u16(c, name_const(c, item->name, item->name_span), where);
    } else {
      decl(c, item);
      emit_op(c, OP_DECL_CHILD, -1, item->name_span);
    }
  }
  emit_op(c, OP_DECL_END, 0, n->name_span);
}

/* "line 3" in the module being compiled, "line 3 of other.kader" in another. */
static void site_text(Compiler *c, const UnitSite *at, char *buf, size_t cap) {
  const ObjModule *m = at->module;
  uint32_t line, col;
  kd_line_col(m->source->chars, m->source->len, at->off, &line, &col);
  if (m == c->module) snprintf(buf, cap, "line %u", line);
  else snprintf(buf, cap, "line %u of %s", line, m->path->chars);
}

/* A unit keeps one meaning while values made with it exist: a model may
** give a unit of the standard library its own definition (fte = 40 h/week)
** before its own text first uses it, and define each of its own units once
** in all its files. A file read again (the REPL's :reload, a REPL line) may
** define its units again. Uses in other files are not held against a
** definition: an import runs when its statement does, so a file that
** imports its conventions first uses them as they define them. */
static void check_unit_redefinition(Compiler *c, Node *n, int name) {
  UnitTable *t = c->K->units;
  UnitSite *def = units_user_definition(t, name), *use = units_user_use(t, name);
  char at[600];
  if (c->module->embedded) return;
  if (def->module && (def->module == c->module ||
                      strcmp(((const ObjModule *)def->module)->path->chars,
                             c->module->path->chars) != 0)) {
    site_text(c, def, at, sizeof at);
    fail(c, n->name_span, "unit '%s' is already defined on %s; a unit keeps one "
         "meaning (values made with it would change): give this one another name",
         n->name, at);
  }
  if (!def->module && use->module == c->module && units_is_defined(t, name)) {
    site_text(c, use, at, sizeof at);
    fail(c, n->name_span, "unit '%s' is used on %s with its standard meaning, "
         "before this definition would change it: define it before its first use",
         n->name, at);
  }
  *def = (UnitSite){c->module, n->name_span.off, n->name_span.len};
}

static void unit_decl(Compiler *c, Node *n) {
  KaderState *K = c->K;
  /* known from here on, defined when the statement runs */
  int unit_name = units_declare(K->units, n->name, strlen(n->name));
  check_unit_redefinition(c, n, unit_name);
  Value def = NIL_VAL;
  if (n->has_def) {
    if (n->unit) {
      bool unknown = false;
      UnitId u = unit_of(c, n->unit, &unknown);
      def = QTY_VAL(n->number, u);
    } else {
      def = NUM_VAL(n->number);
    }
  }
  int name = name_const(c, n->name, n->name_span);
  int k = add_const(c, def, n->span);
  emit_op(c, OP_DEFINE_UNIT, 0, n->span);
  emit_u16(c, name, n->span);
  emit_u16(c, k, n->span);
}

/* ---- statements ---- */

static void pop_to_scope(Compiler *c, int scope_depth, Span span) {
  for (int i = c->local_count - 1; i >= 0 && c->locals[i].depth > scope_depth; i--)
    emit_byte(c, c->locals[i].captured ? OP_CLOSE_UPVAL : OP_POP, span);
}

/* `i = i + 1` and `i += 1`: one instruction instead of three, because
** nearly every loop counts. Only for a plain number on the right. */
static bool increment(Compiler *c, Node *n) {
  Node *t = n->a, *v = n->b;
  double k;
  if (t->kind != N_NAME) return false;
  if (n->op == B_ADD && v->kind == N_NUMBER) {
    k = v->number;
  } else if (n->op == B_NONE && v->kind == N_BINARY && v->op == B_ADD &&
             v->a->kind == N_NAME && strcmp(v->a->name, t->name) == 0 &&
             v->b->kind == N_NUMBER) {
    k = v->b->number;
  } else {
    return false;
  }
  int kc = add_const(c, NUM_VAL(k), n->span);
  int i = resolve_local(c, t->name);
  if (i >= 0) {
    if (c->locals[i].is_const) return false; /* store_name reports it */
    emit_op(c, OP_INCR_LOCAL, 0, n->span);
    emit_byte(c, (uint8_t)i, n->span);
    emit_u16(c, kc, n->span);
    return true;
  }
  if (resolve_upval(c, t->name, t->span) >= 0) return false;
  int slot = global_slot(c, t->name, t->span);
  if (c->K->global_flags[slot] & GLOBAL_LET) return false;
  emit_op(c, OP_INCR_GLOBAL, 0, n->span);
  emit_u16(c, slot, n->span);
  emit_u16(c, kc, n->span);
  return true;
}

/* Can evaluating n change a variable? (Only a call can.) */
static bool has_call(Node *n) {
  if (!n) return false;
  switch (n->kind) {
    case N_CALL: return true;
    case N_FN: return false;
    default: break;
  }
  if (has_call(n->a) || has_call(n->b) || has_call(n->c)) return true;
  for (uint32_t i = 0; i < n->items.count; i++)
    if (has_call(n->items.items[i])) return true;
  return false;
}

/* `total = total + x` and `total += x`: the running totals of a model.
** Evaluating x first is only invisible when x cannot change total. */
static bool accumulate(Compiler *c, Node *n) {
  Node *t = n->a, *v = n->b, *addend;
  if (t->kind != N_NAME) return false;
  if (n->op == B_ADD) addend = v;
  else if (n->op == B_NONE && v->kind == N_BINARY && v->op == B_ADD &&
           v->a->kind == N_NAME && strcmp(v->a->name, t->name) == 0)
    addend = v->b;
  else return false;
  if (has_call(addend)) return false;
  int i = resolve_local(c, t->name);
  if (i >= 0) {
    if (c->locals[i].is_const) return false;
    expr(c, addend);
    emit_op(c, OP_ADD_TO_LOCAL, -1, n->span);
    emit_byte(c, (uint8_t)i, n->span);
    return true;
  }
  if (resolve_upval(c, t->name, t->span) >= 0) return false;
  int slot = global_slot(c, t->name, t->span);
  if (c->K->global_flags[slot] & GLOBAL_LET) return false;
  expr(c, addend);
  emit_op(c, OP_ADD_TO_GLOBAL, -1, n->span);
  emit_u16(c, slot, n->span);
  return true;
}

static void assign(Compiler *c, Node *n) {
  Node *t = n->a;
  if (increment(c, n) || accumulate(c, n)) return;
  OpCode op = n->op == B_NONE ? OP__COUNT : binary_ops[n->op];
  switch (t->kind) {
    case N_NAME:
      if (op != OP__COUNT) load_name(c, t->name, t->span);
      expr(c, n->b);
      if (op != OP__COUNT) emit_op(c, op, -1, n->span);
      store_name(c, t->name, t->span);
      break;
    case N_FIELD: {
      int k = name_const(c, t->name, t->name_span);
      expr(c, t->a);
      if (op != OP__COUNT) {
        emit_op(c, OP_DUP, 1, t->span);
        emit_op(c, OP_GET_FIELD, 0, t->span);
        emit_u16(c, k, t->span);
        emit_byte(c, 0, t->span);
      }
      expr(c, n->b);
      if (op != OP__COUNT) emit_op(c, op, -1, n->span);
      emit_op(c, OP_SET_FIELD, -2, n->span);
      emit_u16(c, k, n->span);
      break;
    }
    case N_INDEX:
      expr(c, t->a);
      expr(c, t->b);
      if (op != OP__COUNT) {
        emit_op(c, OP_DUP2, 2, t->span);
        emit_op(c, OP_GET_INDEX, -1, t->span);
      }
      expr(c, n->b);
      if (op != OP__COUNT) emit_op(c, op, -1, n->span);
      emit_op(c, OP_SET_INDEX, -3, n->span);
      break;
    default:
      fail(c, t->span, "cannot assign to this expression");
  }
}

/* Compiles a condition and a jump taken when it is false. `a < b` becomes
** one instruction, the test of nearly every counting loop. */
static int condition_jump(Compiler *c, Node *cond) {
  if (cond->kind == N_BINARY && cond->op == B_LT && cond->b->kind == N_NUMBER) {
    expr(c, cond->a);
    int k = add_const(c, NUM_VAL(cond->b->number), cond->span);
    emit_op(c, OP_LT_CONST_JUMP, -1, cond->span);
    emit_u16(c, k, cond->span);
    emit_u16(c, 0xffff, cond->span);
    return (int)chunk(c)->count - 2;
  }
  if (cond->kind == N_BINARY && cond->op == B_LT) {
    expr(c, cond->a);
    expr(c, cond->b);
    return emit_jump(c, OP_LT_JUMP, -2, cond->span);
  }
  expr(c, cond);
  return emit_jump(c, OP_JUMP_IF_FALSE, -1, cond->span);
}

static void if_stmt(Compiler *c, Node *n) {
  int skip_then = condition_jump(c, n->a);
  block(c, n->b);
  if (n->c) {
    int skip_else = emit_jump(c, OP_JUMP, 0, n->span);
    patch_jump(c, skip_then, n->span);
    if (n->c->kind == N_IF) if_stmt(c, n->c);
    else block(c, n->c);
    patch_jump(c, skip_else, n->span);
  } else {
    patch_jump(c, skip_then, n->span);
  }
}

/* `outer` is the scope whose locals survive a break or continue. */
static void loop_body(Compiler *c, Loop *loop, Node *body, int outer) {
  loop->enclosing = c->loop;
  loop->break_count = 0;
  loop->scope_depth = outer;
  c->loop = loop;
  block(c, body);
  c->loop = loop->enclosing;
}

static void patch_breaks(Compiler *c, Loop *loop, Span span) {
  for (int i = 0; i < loop->break_count; i++) patch_jump(c, loop->breaks[i], span);
}

/* The test of a while loop, at its end: jump back to `body` while true. */
static void condition_loop(Compiler *c, Node *cond, int body) {
  OpCode op = OP_LOOP_IF_TRUE;
  if (cond->kind == N_BINARY && cond->op == B_LT && cond->b->kind == N_NUMBER) {
    expr(c, cond->a);
    int k = add_const(c, NUM_VAL(cond->b->number), cond->span);
    emit_op(c, OP_LT_CONST_LOOP, -1, cond->span);
    emit_u16(c, k, cond->span);
  } else if (cond->kind == N_BINARY && cond->op == B_LT) {
    expr(c, cond->a);
    expr(c, cond->b);
    emit_op(c, OP_LT_LOOP, -2, cond->span);
  } else {
    expr(c, cond);
    emit_op(c, op, -1, cond->span);
  }
  int dist = (int)chunk(c)->count + 2 - body;
  if (dist > 0xffff) fail(c, cond->span, "this loop body is too large");
  emit_u16(c, dist, cond->span);
}

static void while_stmt(Compiler *c, Node *n) {
  Loop loop;
  loop.start = -1;
  loop.continue_count = 0;
  int to_test = emit_jump(c, OP_JUMP, 0, n->span);
  int body = (int)chunk(c)->count;
  loop_body(c, &loop, n->b, c->scope_depth);
  patch_jump(c, to_test, n->span);
  for (int i = 0; i < loop.continue_count; i++)
    patch_jump(c, loop.continues[i], n->span);
  condition_loop(c, n->a, body);
  patch_breaks(c, &loop, n->span);
}

static void for_stmt(Compiler *c, Node *n) {
  int vars = n->name2 ? 2 : 1;
  begin_scope(c);
  expr(c, n->a);
  emit_op(c, OP_ITER_PREP, 1, n->a->span);
  emit_byte(c, (uint8_t)vars, n->a->span);
  int base = add_local(c, NULL, true, n->a->span); /* the iterable */
  add_local(c, NULL, true, n->a->span);            /* the position */
  Loop loop;
  loop.start = (int)chunk(c)->count;
  loop.continue_count = 0;
  emit_op(c, OP_ITER_NEXT, vars, n->a->span);
  emit_byte(c, (uint8_t)base, n->a->span);
  emit_byte(c, (uint8_t)vars, n->a->span);
  emit_u16(c, 0xffff, n->a->span);
  int exit = (int)chunk(c)->count - 2;
  /* the loop variables are fresh each round, so closures capture each one */
  begin_scope(c);
  add_local(c, n->name, false, n->name_span);
  if (n->name2) add_local(c, n->name2, false, n->name2_span);
  loop_body(c, &loop, n->b, c->scope_depth - 1);
  end_scope(c, n->span);
  emit_loop(c, loop.start, n->span);
  patch_jump(c, exit, n->span);
  patch_breaks(c, &loop, n->span);
  end_scope(c, n->span);
}

static void jump_out(Compiler *c, Node *n) {
  Loop *loop = c->loop;
  if (!loop)
    fail(c, n->span, "'%s' can only be used inside a loop",
         n->kind == N_BREAK ? "break" : "continue");
  if (n->kind == N_CONTINUE) {
    pop_to_scope(c, loop->scope_depth, n->span);
    if (loop->start >= 0) {
      emit_loop(c, loop->start, n->span);
      return;
    }
    if (loop->continue_count == 64) fail(c, n->span, "too many continues in one loop");
    loop->continues[loop->continue_count++] = emit_jump(c, OP_JUMP, 0, n->span);
    return;
  }
  /* a break also leaves the loop variables of a for loop behind */
  pop_to_scope(c, loop->scope_depth, n->span);
  if (loop->break_count == 64) fail(c, n->span, "too many breaks in one loop");
  loop->breaks[loop->break_count++] = emit_jump(c, OP_JUMP, 0, n->span);
}

static void block(Compiler *c, Node *n) {
  begin_scope(c);
  for (uint32_t i = 0; i < n->items.count; i++) stmt(c, n->items.items[i]);
  end_scope(c, n->span);
}

/* "1.2.3" as {1, 2, 3}; missing parts are 0. */
static void parse_version(const char *s, size_t len, long out[3]) {
  out[0] = out[1] = out[2] = 0;
  int part = 0;
  for (size_t i = 0; i < len && part < 3; i++) {
    if (s[i] == '.') part++;
    else if (s[i] >= '0' && s[i] <= '9') out[part] = out[part] * 10 + (s[i] - '0');
  }
}

/* requires kader OP version: checked when the model is compiled, so a
** model written for another Kader stops before it computes anything. */
static void requires_stmt(Compiler *c, Node *n) {
  long want[3], have[3];
  parse_version(n->str, n->str_len, want);
  parse_version(KADER_VERSION, strlen(KADER_VERSION), have);
  int cmp = 0;
  for (int i = 0; i < 3 && cmp == 0; i++) cmp = (have[i] > want[i]) - (have[i] < want[i]);
  bool ok = n->op == B_GE ? cmp >= 0 : n->op == B_GT ? cmp > 0 : n->op == B_LE ? cmp <= 0
          : n->op == B_LT ? cmp < 0 : cmp == 0;
  static const char *const op_text[] = {[B_EQ] = "==", [B_LT] = "<", [B_LE] = "<=",
                                        [B_GT] = ">", [B_GE] = ">="};
  if (!ok)
    fail(c, n->span, cmp < 0 ? "this model requires kader %s %.*s, but this is kader %s "
                               "(language %s): install a newer Kader"
                             : "this model requires kader %s %.*s, but this is kader %s "
                               "(language %s), which may no longer support it",
         op_text[n->op], (int)n->str_len, n->str, KADER_VERSION, KADER_LANGUAGE_VERSION);
}

/* expect a [within tol]: a comparison is compiled as its two sides, so a
** failure can say what was expected and what the model gave. */
static void expect_stmt(Compiler *c, Node *n) {
  Node *a = n->a;
  int cmp = B_NONE;
  Span what = a->span;
  if (a->kind == N_BINARY && a->op >= B_EQ && a->op <= B_GE) {
    cmp = a->op;
    what = a->a->span;
    expr(c, a->a);
    expr(c, a->b);
  } else {
    expr(c, a);
    emit_op(c, OP_NIL, 1, n->span);
  }
  if (n->b) {
    if (cmp != B_EQ && cmp != B_NE)
      fail(c, n->b->span, "'within' gives a tolerance for == and != only");
    expr(c, n->b);
  } else {
    emit_op(c, OP_NIL, 1, n->span);
  }
  const char *src = c->module->source->chars + what.off;
  int k = add_const(c, OBJ_VAL(str_new(c->K, src, what.len)), n->span);
  emit_op(c, OP_EXPECT, -3, n->span);
  emit_byte(c, (uint8_t)cmp, n->span);
  emit_u16(c, k, n->span);
}

static void stmt(Compiler *c, Node *n) {
  switch (n->kind) {
    case N_LET:
    case N_VAR:
      /* `let per_week = fn (x) => …` names the function in messages */
      if (n->a && n->a->kind == N_FN && !n->a->name) n->a->name = n->name;
      if (n->a) expr(c, n->a);
      else emit_op(c, OP_NIL, 1, n->span);
      bind_name(c, n->name, n->kind == N_LET, n->name_span);
      break;
    case N_ASSIGN: assign(c, n); break;
    case N_EXPR_STMT:
      expr(c, n->a);
      emit_op(c, OP_POP, -1, n->span);
      break;
    case N_IF: if_stmt(c, n); break;
    case N_WHILE: while_stmt(c, n); break;
    case N_FOR: for_stmt(c, n); break;
    case N_RETURN:
      if (n->a) expr(c, n->a);
      else emit_op(c, OP_NIL, 1, n->span);
      emit_op(c, OP_RETURN, -1, n->span);
      break;
    case N_BREAK:
    case N_CONTINUE: jump_out(c, n); break;
    case N_BLOCK: block(c, n); break;
    case N_FN_DECL: {
      Node *fn = n->fn;
      if (is_top_level(c)) {
        function(c, fn, n->doc);
        bind_name(c, fn->name, true, fn->name_span);
      } else {
        /* bound before the body, so the function can call itself */
        add_local(c, fn->name, true, fn->name_span);
        function(c, fn, n->doc);
      }
      break;
    }
    case N_EXPECT: expect_stmt(c, n); break;
    case N_REQUIRES: requires_stmt(c, n); break;
    case N_MAIN: {
      if (!is_top_level(c))
        fail(c, n->span, "main { } belongs at the top level of a file, not inside "
             "a function or block: it is the part that runs only when the file "
             "is the one being run");
      emit_op(c, OP_IS_MAIN, 1, n->span);
      int skip = emit_jump(c, OP_JUMP_IF_FALSE, -1, n->span);
      block(c, n->b);
      patch_jump(c, skip, n->span);
      break;
    }
    case N_IMPORT:
      c->root->imports = true;
      emit_op(c, OP_IMPORT, 0, n->span);
      emit_u16(c, add_const(c, OBJ_VAL(str_new(c->K, n->str, n->str_len)),
                            n->span), n->span);
      break;
    case N_UNIT_DECL:
      if (!is_top_level(c))
        fail(c, n->span, "units can only be defined at the top level of a file");
      unit_decl(c, n);
      break;
    case N_KIND_DECL: kind_decl(c, n); break;
    case N_DECL:
      decl(c, n);
      bind_name(c, n->name, true, n->name_span);
      break;
    default:
      fail(c, n->span, "expected a statement");
  }
}

typedef struct CompileJob {
  Compiler *c;
  ObjModule *m;
  ParseStream *stream;
  Arena *arena;
  ParseError *err;
  bool print_result;
  ObjFunction *fn;
} CompileJob;

/* The next top-level statement, or NULL at the end; a syntax error is
** raised where it is. */
static Node *next_statement(CompileJob *job) {
  Node *n = NULL;
  int r = kd_parse_next(job->stream, &n);
  if (r < 0) {
    if (!job->err->message[0]) snprintf(job->err->message, sizeof job->err->message, "out of memory");
    kd_error_at(job->c->K, job->m, job->err->span, true, "%s", job->err->message);
  }
  return r > 0 ? n : NULL;
}

static void compile_job(KaderState *K, void *ud) {
  CompileJob *job = ud;
  Compiler *c = job->c;
  compiler_init(c, NULL, K, job->m);
  Span end = {job->m->source->len, 0};
  Node *n = next_statement(job);
  if (job->print_result && n && n->kind == N_EXPR_STMT) {
    Node *after = next_statement(job);
    if (!after) {
      expr(c, n->a);
      emit_op(c, OP_PRINT_RESULT, -1, n->span);
      job->fn = compiler_end(c, end);
      return;
    }
    stmt(c, n);
    n = after;
  }
  for (; n; n = next_statement(job)) {
    stmt(c, n);
    arena_reset(job->arena); /* nothing of a compiled statement's tree is kept */
  }
  job->fn = compiler_end(c, end);
}

ObjFunction *kd_compile(KaderState *K, ObjModule *m, ParseStream *stream,
                        Arena *arena, bool print_result) {
  Compiler c;
  c.innermost = NULL;
  c.imports = false;
  ParseError *err = kd_parse_error(stream);
  CompileJob job = {&c, m, stream, arena, err, print_result, NULL};
  KaderResult r = kd_protect(K, compile_job, &job);
  if (r != KADER_OK) {
    for (Compiler *x = c.innermost, *up; x != NULL && x != &c; x = up) {
      up = x->enclosing;
      kd_realloc(K, x, sizeof *x, 0);
    }
    kd_rethrow(K, r);
  }
  return job.fn;
}

void compiler_mark_roots(KaderState *K) {
  for (Compiler *c = K->compiler; c; c = c->enclosing)
    kd_mark_obj(K, (Obj *)c->fn);
}

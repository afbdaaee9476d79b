/*
** decl.c — kinds and declarations: the domain vocabulary as data.
**
** The parser knows only the shape `kind id "label" { field: value … }`.
** What a `task` or a `cost` is comes from a kind, defined in Kader code
** (stdlib or the model) with typed fields and defaults. A declaration is a
** record that remembers its kind; its fields are checked when they are set,
** and the error points at the field the user wrote.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

static ObjType *as_type(KaderState *K, Value v) {
  if (IS_TYPE(v)) return AS_TYPE(v);
  if (IS_KIND(v)) {
    ObjType *t = type_new(K, TY_KIND);
    t->kind = AS_KIND(v);
    return t;
  }
  char what[128];
  kd_describe(K, v, what, sizeof what);
  kd_error(K, "expected a type (text, number, a unit, a kind, …), got %s", what);
}

Value kd_make_type(KaderState *K, int tag, Value *args) {
  switch (tag) {
    case TY_SELF: return OBJ_VAL(type_new(K, TY_KIND)); /* kind set by define */
    case TY_KIND: return OBJ_VAL(as_type(K, args[0]));
    case TY_LIST_OF: {
      ObjType *elem = as_type(K, args[0]);
      kd_push_root(K, OBJ_VAL(elem));
      ObjType *t = type_new(K, TY_LIST_OF);
      t->a = OBJ_VAL(elem);
      kd_pop_root(K);
      return OBJ_VAL(t);
    }
    case TY_ONE_OF: {
      ObjType *t = type_new(K, TY_ONE_OF);
      t->a = args[0];
      return OBJ_VAL(t);
    }
    case TY_OR: {
      ObjType *a = as_type(K, args[0]);
      kd_push_root(K, OBJ_VAL(a));
      ObjType *b = as_type(K, args[1]);
      kd_push_root(K, OBJ_VAL(b));
      ObjType *t = type_new(K, TY_OR);
      t->a = OBJ_VAL(a);
      t->b = OBJ_VAL(b);
      kd_pop_root(K);
      kd_pop_root(K);
      return OBJ_VAL(t);
    }
    default: kd_error(K, "internal error: unknown type tag %d", tag);
  }
}

void kd_type_describe(KaderState *K, ObjType *t, char *buf, size_t cap) {
  static const char *names[] = {
    [TY_ANY] = "any value", [TY_TEXT] = "text", [TY_NUMBER] = "a number",
    [TY_BOOL] = "true or false", [TY_LIST] = "a list", [TY_RECORD] = "a record",
    [TY_FN] = "a function", [TY_RANGE] = "a range", [TY_REGEX] = "a regular expression",
  };
  switch (t->tag) {
    case TY_UNIT: {
      char u[96];
      units_format(K->units, t->unit, u, sizeof u);
      snprintf(buf, cap, "a quantity or range in %s", u);
      return;
    }
    case TY_KIND:
      snprintf(buf, cap, "%s %s", kd_article(t->kind->name->chars),
               t->kind->name->chars);
      return;
    case TY_LIST_OF: {
      char e[160];
      kd_type_describe(K, AS_TYPE(t->a), e, sizeof e);
      snprintf(buf, cap, "a list of %s", e);
      return;
    }
    case TY_ONE_OF: {
      KdBuf b = {0};
      kd_buf_add(K, &b, "one of ", 7);
      ObjList *l = AS_LIST(t->a);
      for (uint32_t i = 0; i < l->count; i++) {
        if (i) kd_buf_add(K, &b, ", ", 2);
        kd_show(K, &b, l->items[i], true);
      }
      snprintf(buf, cap, "%s", b.s);
      kd_buf_free(K, &b);
      return;
    }
    case TY_OR: {
      char a[160], c[160];
      kd_type_describe(K, AS_TYPE(t->a), a, sizeof a);
      kd_type_describe(K, AS_TYPE(t->b), c, sizeof c);
      snprintf(buf, cap, "%s or %s", a, c);
      return;
    }
    default: snprintf(buf, cap, "%s", names[t->tag]);
  }
}

static bool unit_fits(KaderState *K, UnitId want, UnitId got) {
  double f;
  return units_factor(K->units, got, want, &f, NULL) == UNIT_OK;
}

bool kd_type_check(KaderState *K, ObjType *t, Value v) {
  switch (t->tag) {
    case TY_ANY: return true;
    case TY_TEXT: return IS_STRING(v);
    case TY_NUMBER: return v.type == V_NUM;
    case TY_BOOL: return v.type == V_BOOL;
    case TY_LIST: return IS_LIST(v);
    case TY_RECORD: return IS_RECORD(v);
    case TY_FN:
      return IS_OBJ_TYPE(v, O_CLOSURE) || IS_OBJ_TYPE(v, O_NATIVE);
    case TY_RANGE: return IS_RANGE(v);
    case TY_REGEX: return IS_OBJ_TYPE(v, O_REGEX);
    case TY_UNIT:
      if (v.type == V_QTY) return unit_fits(K, t->unit, v.unit);
      if (IS_RANGE(v)) return AS_RANGE(v)->unit != UNIT_NONE &&
                              unit_fits(K, t->unit, AS_RANGE(v)->unit);
      return false;
    case TY_KIND: return IS_RECORD(v) && AS_RECORD(v)->kind == t->kind;
    case TY_LIST_OF: {
      if (!IS_LIST(v)) return false;
      ObjList *l = AS_LIST(v);
      for (uint32_t i = 0; i < l->count; i++)
        if (!kd_type_check(K, AS_TYPE(t->a), l->items[i])) return false;
      return true;
    }
    case TY_ONE_OF: {
      ObjList *l = AS_LIST(t->a);
      for (uint32_t i = 0; i < l->count; i++) {
        Value o = l->items[i];
        if (values_equal(o, v)) return true;
      }
      return false;
    }
    case TY_OR:
      return kd_type_check(K, AS_TYPE(t->a), v) || kd_type_check(K, AS_TYPE(t->b), v);
    case TY_SELF: return false; /* replaced by TY_KIND when the kind is made */
  }
  return false;
}

/* Points the self-references of a new kind's field types at it. */
static void patch_self(ObjType *t, ObjKind *k) {
  if (t->tag == TY_KIND && t->kind == NULL) t->kind = k;
  if (IS_TYPE(t->a)) patch_self(AS_TYPE(t->a), k);
  if (IS_TYPE(t->b)) patch_self(AS_TYPE(t->b), k);
}

ObjKind *kd_define_kind(KaderState *K, ObjString *name, Value label, Value doc,
                        Value *fields, int nfields) {
  ObjKind *k = kind_new(K, name);
  kd_push_root(K, OBJ_VAL(k));
  if (IS_STRING(label)) k->label = AS_STRING(label);
  if (IS_STRING(doc)) k->doc = AS_STRING(doc);
  k->fields = KD_ALLOC(K, KindFieldSpec, nfields > 0 ? nfields : 1);
  for (int i = 0; i < nfields; i++) {
    Value *f = fields + 4 * i;
    KindFieldSpec *spec = &k->fields[i];
    spec->name = AS_STRING(f[0]);
    spec->type = NULL;
    spec->default_value = f[2];
    spec->doc = IS_STRING(f[3]) ? AS_STRING(f[3]) : NULL;
    k->field_count = (uint32_t)i + 1;
    spec->type = as_type(K, f[1]);
    patch_self(spec->type, k);
    Value d = f[2];
    if (d.type != V_UNDEF && !IS_NIL(d) && !kd_type_check(K, spec->type, d)) {
      char want[200], got[128];
      kd_type_describe(K, spec->type, want, sizeof want);
      kd_describe(K, d, got, sizeof got);
      kd_error(K, "the default of field '%s' must be %s, not %s",
               spec->name->chars, want, got);
    }
  }
  if (nfields == 0) k->field_count = 0;
  kd_pop_root(K);
  return k;
}

ObjRecord *kd_decl_begin(KaderState *K, Value kind, ObjString *id, Value label) {
  if (!IS_KIND(kind)) {
    char what[128];
    kd_describe(K, kind, what, sizeof what);
    kd_error(K, "a declaration starts with a kind, and %s is not a kind", what);
  }
  ObjKind *k = AS_KIND(kind);
  ObjRecord *d = record_new(K);
  kd_push_root(K, OBJ_VAL(d));
  d->kind = k;
  d->id = id;
  d->label = IS_STRING(label) ? AS_STRING(label) : id;
  /* where it was declared, for later findings about it */
  CallFrame *f = &K->frames[K->frame_count - 1];
  ObjModule *m = f->closure->fn->module;
  Chunk *c = &f->closure->fn->chunk;
  size_t at = (size_t)(f->ip - c->code) - 1;
  d->module = m;
  d->span = c->spans[at];
  for (uint32_t i = 0; i < k->field_count; i++)
    record_set(K, d, k->fields[i].name, UNDEF_VAL);
  kd_pop_root(K);
  return d;
}

static int field_index(ObjRecord *d, ObjString *name) {
  for (uint32_t i = 0; i < d->kind->field_count; i++)
    if (str_equal(d->kind->fields[i].name, name)) return (int)i;
  return -1;
}

static _Noreturn void unknown_field(KaderState *K, ObjRecord *d, ObjString *name) {
  ObjKind *k = d->kind;
  char hint[120];
  if (*kd_hint_field(K, d, name->chars, hint, sizeof hint))
    kd_error(K, "%s %s has no field '%s'%s", kd_article(k->name->chars), k->name->chars,
             name->chars, hint);
  KdBuf b = {0};
  for (uint32_t i = 0; i < k->field_count; i++) {
    if (i) kd_buf_add(K, &b, ", ", 2);
    kd_buf_add(K, &b, k->fields[i].name->chars, k->fields[i].name->len);
  }
  char list[400];
  snprintf(list, sizeof list, "%s", b.len ? b.s : "none");
  kd_buf_free(K, &b);
  kd_error(K, "%s %s has no field '%s' (its fields: %s)",
           kd_article(k->name->chars), k->name->chars, name->chars, list);
}

/* Why field i of d cannot hold v (into why), or false when it can. */
static bool value_problem(KaderState *K, ObjRecord *d, uint32_t i, Value v,
                          char *why, size_t cap) {
  KindFieldSpec *spec = &d->kind->fields[i];
  if (IS_NIL(v) && spec->default_value.type != V_UNDEF) return false; /* optional */
  if (kd_type_check(K, spec->type, v)) return false;
  char want[200], got[128], hint[120] = "";
  kd_type_describe(K, spec->type, want, sizeof want);
  kd_describe(K, v, got, sizeof got);
  if (spec->type->tag == TY_ONE_OF) {
    ObjList *options = AS_LIST(spec->type->a);
    kd_hint_option(options->items, options->count, v, hint, sizeof hint);
  }
  snprintf(why, cap, "field '%s' of %s %s must be %s, not %s%s", spec->name->chars,
           kd_article(d->kind->name->chars), d->kind->name->chars, want, got, hint);
  return true;
}

static void check_value(KaderState *K, ObjRecord *d, uint32_t i, Value v) {
  char why[600];
  if (value_problem(K, d, i, v, why, sizeof why)) kd_error(K, "%s", why);
}

bool kd_decl_problem(KaderState *K, ObjRecord *d, ObjString *name, Value v,
                     char *why, size_t cap) {
  int i = field_index(d, name);
  if (i < 0) {
    snprintf(why, cap, "%s %s has no field '%s'", kd_article(d->kind->name->chars),
             d->kind->name->chars, name->chars);
    return true;
  }
  return value_problem(K, d, (uint32_t)i, v, why, cap);
}

void kd_decl_field(KaderState *K, ObjRecord *d, ObjString *name, Value v) {
  int i = field_index(d, name);
  if (i < 0) unknown_field(K, d, name);
  if (d->values[i].type != V_UNDEF)
    kd_error(K, "field '%s' is given twice", name->chars);
  check_value(K, d, (uint32_t)i, v);
  d->values[i] = v;
}

static bool type_takes_kind(ObjType *t, ObjKind *k, bool *as_list) {
  switch (t->tag) {
    case TY_KIND: *as_list = false; return t->kind == k;
    case TY_LIST_OF:
      if (AS_TYPE(t->a)->tag == TY_KIND && AS_TYPE(t->a)->kind == k) {
        *as_list = true;
        return true;
      }
      return false;
    case TY_OR:
      return type_takes_kind(AS_TYPE(t->a), k, as_list) ||
             type_takes_kind(AS_TYPE(t->b), k, as_list);
    default: return false;
  }
}

void kd_decl_child(KaderState *K, ObjRecord *d, ObjRecord *child) {
  ObjKind *k = d->kind;
  for (uint32_t i = 0; i < k->field_count; i++) {
    bool as_list;
    if (!type_takes_kind(k->fields[i].type, child->kind, &as_list)) continue;
    if (!as_list) {
      if (d->values[i].type != V_UNDEF)
        kd_error(K, "%s %s has room for one %s in field '%s', and it is "
                 "already given", kd_article(k->name->chars), k->name->chars,
                 child->kind->name->chars, k->fields[i].name->chars);
      d->values[i] = OBJ_VAL(child);
      return;
    }
    if (d->values[i].type == V_UNDEF) {
      kd_push_root(K, OBJ_VAL(child));
      d->values[i] = OBJ_VAL(list_new(K, 4));
      kd_pop_root(K);
    }
    if (!IS_LIST(d->values[i]))
      kd_error(K, "field '%s' was already given as a value", k->fields[i].name->chars);
    list_push(K, AS_LIST(d->values[i]), OBJ_VAL(child));
    return;
  }
  kd_error(K, "%s %s cannot contain %s %s (no field of %s takes one)",
           kd_article(k->name->chars), k->name->chars,
           kd_article(child->kind->name->chars), child->kind->name->chars,
           k->name->chars);
}

/* Defaults are copied, so declarations never share a mutable list. */
static Value copy_default(KaderState *K, Value v) {
  if (IS_LIST(v)) {
    ObjList *src = AS_LIST(v);
    ObjList *l = list_new(K, src->count);
    if (src->count) memcpy(l->items, src->items, sizeof(Value) * src->count);
    l->count = src->count;
    return OBJ_VAL(l);
  }
  if (IS_RECORD(v) && !AS_RECORD(v)->kind) {
    ObjRecord *src = AS_RECORD(v);
    ObjRecord *r = record_new(K);
    kd_push_root(K, OBJ_VAL(r));
    for (uint32_t i = 0; i < src->count; i++) record_set(K, r, src->keys[i], src->values[i]);
    kd_pop_root(K);
    return OBJ_VAL(r);
  }
  return v;
}

void kd_decl_end(KaderState *K, ObjRecord *d) {
  ObjKind *k = d->kind;
  kd_decl_defaults(K, d);
  if (!k->instances) k->instances = list_new(K, 4);
  list_push(K, k->instances, OBJ_VAL(d));
  if (!IS_NIL(K->on_declared)) { /* kader --set: the value the run asked for */
    Value arg = OBJ_VAL(d);
    kd_call(K, K->on_declared, 1, &arg);
  }
  if (!IS_NIL(k->on_declare)) {
    Value arg = OBJ_VAL(d);
    kd_call(K, k->on_declare, 1, &arg);
  }
}

void kd_decl_defaults(KaderState *K, ObjRecord *d) {
  ObjKind *k = d->kind;
  for (uint32_t i = 0; i < k->field_count; i++) {
    if (d->values[i].type != V_UNDEF) continue;
    KindFieldSpec *spec = &k->fields[i];
    bool as_list;
    if (spec->default_value.type != V_UNDEF) {
      d->values[i] = copy_default(K, spec->default_value);
    } else if (spec->type->tag == TY_LIST_OF ||
               type_takes_kind(spec->type, NULL, &as_list)) {
      d->values[i] = OBJ_VAL(list_new(K, 0)); /* nothing nested: empty */
    } else {
      kd_error(K, "%s %s is missing the required field '%s'", k->name->chars,
               d->id->chars, spec->name->chars);
    }
  }
}

void kd_decl_set(KaderState *K, ObjRecord *d, ObjString *name, Value v) {
  int i = field_index(d, name);
  if (i < 0) {
    if (name == K->s_id || name == K->s_label || name == K->s_kind)
      kd_error(K, "'%s' of a declaration cannot be changed", name->chars);
    unknown_field(K, d, name);
  }
  check_value(K, d, (uint32_t)i, v);
  d->values[i] = v;
}

ObjRecord *kd_keep_warning(KaderState *K, const char *file, uint32_t line,
                           uint32_t column, const char *message) {
  ObjRecord *r = record_new(K);
  kd_push_root(K, OBJ_VAL(r));
  record_put_text(K, r, "message", message);
  if (file) {
    record_put_text(K, r, "file", file);
    record_put(K, r, "line", NUM_VAL(line));
    record_put(K, r, "column", NUM_VAL(column));
  }
  list_push(K, K->warnings, OBJ_VAL(r));
  kd_pop_root(K);
  return r;
}

ObjRecord *kd_warn_at(KaderState *K, ObjModule *m, Span span, const char *message,
                      const char *note) {
  char *text = kd_render_diag(K, m, span, "warning", message);
  if (text && note) {
    size_t a = strlen(text), b = strlen(note);
    char *both = realloc(text, a + b + 1);
    if (both) {
      memcpy(both + a, note, b + 1);
      text = both;
    }
  }
  kd_write_error(K, text); /* one write: a host's sink gets one diagnostic */
  free(text);
  uint32_t line = 0, col = 0;
  if (m) kd_line_col(m->source->chars, m->source->len, span.off, &line, &col);
  return kd_keep_warning(K, m ? m->path->chars : NULL, line, col, message);
}

ObjRecord *kd_warn(KaderState *K, ObjRecord *where, const char *message) {
  /* at the declaration when the user wrote it; else (nil, or a declaration
  ** of the library) at the user's line that led to the warning */
  ObjModule *m = NULL;
  Span span = {0, 0};
  if (where && where->module && !where->module->embedded) {
    m = where->module;
    span = where->span;
  } else if (!kd_user_span(K, &m, &span) && where) {
    m = where->module;
    span = where->span;
  }
  return kd_warn_at(K, m, span, message, NULL);
}

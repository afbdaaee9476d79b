/*
** object.c — constructors for heap objects.
**
** Strings are interned (one object per distinct text), so record keys and
** global names compare by pointer.
*/
#include <stdint.h>
#include <string.h>

#include "state.h"

uint32_t hash_bytes(const char *s, size_t len) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < len; i++) {
    h ^= (uint8_t)s[i];
    h *= 16777619u;
  }
  return h;
}

#define KD_MAX_STRING 0x7fffffffu

/* A string of len bytes with room for cap (cap >= len). */
static ObjString *str_alloc_room(KaderState *K, size_t len, size_t cap) {
  if (len > KD_MAX_STRING) kd_error(K, "string too long");
  ObjString *str =
      (ObjString *)kd_alloc_obj(K, sizeof(ObjString) + cap + 1, O_STRING);
  str->obj.sole = 0;
  str->hash = 0;
  str->len = (uint32_t)len;
  str->cap = (uint32_t)cap;
  str->interned = false;
  str->chars[len] = '\0';
  return str;
}

static ObjString *str_alloc(KaderState *K, size_t len) {
  return str_alloc_room(K, len, len);
}

ObjString *str_intern(KaderState *K, const char *s, size_t len) {
  uint32_t hash = hash_bytes(s, len);
  ObjString *found = strset_find(&K->strings, s, len, hash);
  if (found) return found;
  ObjString *str = str_alloc(K, len);
  memcpy(str->chars, s, len);
  str->hash = hash;
  str->interned = true;
  kd_push_root(K, OBJ_VAL(str));
  strset_add(K, &K->strings, str);
  kd_pop_root(K);
  return str;
}

ObjString *str_new(KaderState *K, const char *s, size_t len) {
  if (len <= KD_SHORT_STRING) return str_intern(K, s, len);
  ObjString *str = str_alloc(K, len);
  memcpy(str->chars, s, len);
  return str;
}

ObjString *str_cstr(KaderState *K, const char *s) {
  return str_intern(K, s, strlen(s));
}

ObjString *str_key(KaderState *K, ObjString *s) {
  return s->interned ? s : str_intern(K, s->chars, s->len);
}

bool str_equal(ObjString *a, ObjString *b) {
  if (a == b) return true;
  if (a->interned && b->interned) return false;
  return a->len == b->len && memcmp(a->chars, b->chars, a->len) == 0;
}

/* a and b must stay reachable (the caller's stack holds them). */
ObjString *str_concat(KaderState *K, ObjString *a, ObjString *b) {
  size_t len = (size_t)a->len + b->len;
  if (len <= KD_SHORT_STRING) {
    char buf[KD_SHORT_STRING];
    memcpy(buf, a->chars, a->len);
    memcpy(buf + a->len, b->chars, b->len);
    return str_intern(K, buf, len);
  }
  ObjString *s = str_alloc(K, len);
  memcpy(s->chars, a->chars, a->len);
  memcpy(s->chars + a->len, b->chars, b->len);
  return s;
}

ObjString *str_append(KaderState *K, ObjString *a, ObjString *b) {
  size_t len = (size_t)a->len + b->len;
  if (len <= KD_SHORT_STRING) return str_concat(K, a, b);
  if (a->obj.sole && len <= a->cap) {
    memcpy(a->chars + a->len, b->chars, b->len);
    a->len = (uint32_t)len;
    a->chars[len] = '\0';
    return a;
  }
  /* half as much again to grow into: appends copy each byte O(1) times */
  size_t cap = len + len / 2;
  if (cap > KD_MAX_STRING) cap = KD_MAX_STRING;
  if (cap < len) cap = len;
  ObjString *s = str_alloc_room(K, len, cap);
  memcpy(s->chars, a->chars, a->len);
  memcpy(s->chars + a->len, b->chars, b->len);
  s->obj.sole = 1;
  return s;
}

ObjList *list_new(KaderState *K, uint32_t cap) {
  if (cap > KD_MAX_LIST) kd_error(K, "list too long");
  ObjList *l = (ObjList *)kd_alloc_obj(K, sizeof(ObjList), O_LIST);
  l->items = NULL;
  l->count = l->cap = 0;
  if (cap > 0) {
    kd_push_root(K, OBJ_VAL(l));
    l->items = KD_ALLOC(K, Value, cap);
    l->cap = cap;
    kd_pop_root(K);
  }
  return l;
}

void list_push(KaderState *K, ObjList *l, Value v) {
  if (l->count == l->cap) {
    if (l->cap >= KD_MAX_LIST) kd_error(K, "list too long");
    uint32_t cap = KD_GROW(l->cap);
    kd_push_root(K, v);
    l->items = kd_realloc(K, l->items, sizeof(Value) * l->cap,
                          sizeof(Value) * cap);
    kd_pop_root(K);
    l->cap = cap;
  }
  l->items[l->count++] = v;
}

ObjRecord *record_new(KaderState *K) {
  ObjRecord *r = (ObjRecord *)kd_alloc_obj(K, sizeof(ObjRecord), O_RECORD);
  r->keys = NULL;
  r->values = NULL;
  r->count = r->cap = 0;
  r->kind = NULL;
  r->id = r->label = NULL;
  r->module = NULL;
  r->span = (Span){0, 0};
  return r;
}

int record_find(ObjRecord *r, ObjString *key) {
  for (uint32_t i = 0; i < r->count; i++)
    if (r->keys[i] == key) return (int)i;
  /* a text a program built (longer than KD_SHORT_STRING) is not interned:
  ** its twin among the keys has the same content, not the same address */
  if (!key->interned)
    for (uint32_t i = 0; i < r->count; i++)
      if (str_equal(r->keys[i], key)) return (int)i;
  return -1;
}

void record_set(KaderState *K, ObjRecord *r, ObjString *key, Value v) {
  if (!key->interned) { /* keys are always interned (see record_find) */
    kd_push_root(K, v);
    key = str_key(K, key);
    kd_pop_root(K);
  }
  int i = record_find(r, key);
  if (i >= 0) {
    r->values[i] = v;
    return;
  }
  if (r->count == r->cap) {
    uint32_t cap = KD_GROW(r->cap);
    kd_push_root(K, v);
    kd_push_root(K, OBJ_VAL(key));
    r->keys = kd_realloc(K, r->keys, sizeof(ObjString *) * r->cap,
                         sizeof(ObjString *) * cap);
    r->values = kd_realloc(K, r->values, sizeof(Value) * r->cap,
                           sizeof(Value) * cap);
    kd_pop_root(K);
    kd_pop_root(K);
    r->cap = cap;
  }
  r->keys[r->count] = key;
  r->values[r->count] = v;
  r->count++;
}

void record_put(KaderState *K, ObjRecord *r, const char *key, Value v) {
  kd_push_root(K, v);
  ObjString *k = str_cstr(K, key);
  kd_push_root(K, OBJ_VAL(k));
  record_set(K, r, k, v);
  kd_pop_root(K);
  kd_pop_root(K);
}

void record_put_text(KaderState *K, ObjRecord *r, const char *key, const char *text) {
  record_put(K, r, key, OBJ_VAL(str_cstr(K, text)));
}

ObjRange *range_new(KaderState *K, double lo, double hi, UnitId unit) {
  ObjRange *r = (ObjRange *)kd_alloc_obj(K, sizeof(ObjRange), O_RANGE);
  r->dist = DIST_NONE;
  r->p[0] = r->p[1] = r->p[2] = r->p[3] = 0;
  r->lo = lo;
  r->hi = hi;
  r->unit = unit;
  return r;
}

ObjFunction *function_new(KaderState *K, ObjModule *m) {
  ObjFunction *f =
      (ObjFunction *)kd_alloc_obj(K, sizeof(ObjFunction), O_FUNCTION);
  f->arity = 0;
  f->upvalue_count = 0;
  f->max_slots = 1;
  memset(&f->chunk, 0, sizeof f->chunk);
  f->name = NULL;
  f->doc = NULL;
  f->module = m;
  return f;
}

ObjClosure *closure_new(KaderState *K, ObjFunction *fn) {
  size_t size = sizeof(ObjClosure) + sizeof(ObjUpvalue *) * fn->upvalue_count;
  ObjClosure *c = (ObjClosure *)kd_alloc_obj(K, size, O_CLOSURE);
  c->fn = fn;
  c->upvalue_count = fn->upvalue_count;
  for (int i = 0; i < fn->upvalue_count; i++) c->upvalues[i] = NULL;
  return c;
}

ObjUpvalue *upvalue_new(KaderState *K, Value *slot) {
  ObjUpvalue *u = (ObjUpvalue *)kd_alloc_obj(K, sizeof(ObjUpvalue), O_UPVALUE);
  u->location = slot;
  u->closed = NIL_VAL;
  u->next = NULL;
  return u;
}

ObjNative *native_new(KaderState *K, NativeFn fn, ObjString *name, int min,
                      int max) {
  ObjNative *n = (ObjNative *)kd_alloc_obj(K, sizeof(ObjNative), O_NATIVE);
  n->fn = fn;
  n->name = name;
  n->min_args = min;
  n->max_args = max;
  n->doc = NULL;
  n->host_fn = NULL;
  n->data = NULL;
  n->free_data = NULL;
  return n;
}

ObjKind *kind_new(KaderState *K, ObjString *name) {
  ObjKind *k = (ObjKind *)kd_alloc_obj(K, sizeof(ObjKind), O_KIND);
  k->name = name;
  k->label = NULL;
  k->doc = NULL;
  k->fields = NULL;
  k->field_count = 0;
  k->on_declare = NIL_VAL;
  k->on_call = NIL_VAL;
  k->instances = NULL;
  return k;
}

ObjType *type_new(KaderState *K, TypeTag tag) {
  ObjType *t = (ObjType *)kd_alloc_obj(K, sizeof(ObjType), O_TYPE);
  t->tag = tag;
  t->unit = UNIT_NONE;
  t->kind = NULL;
  t->a = t->b = NIL_VAL;
  return t;
}

ObjModule *module_new(KaderState *K, ObjString *path, ObjString *source) {
  ObjModule *m = (ObjModule *)kd_alloc_obj(K, sizeof(ObjModule), O_MODULE);
  m->path = path;
  m->source = source;
  m->dir = NULL;
  m->embedded = false;
  m->is_main = false;
  return m;
}

void chunk_write(KaderState *K, Chunk *c, uint8_t byte, Span span) {
  if (c->count == c->cap) {
    uint32_t cap = KD_GROW(c->cap);
    c->code = kd_realloc(K, c->code, c->cap, cap);
    c->spans = kd_realloc(K, c->spans, sizeof(Span) * c->cap,
                          sizeof(Span) * cap);
    c->cap = cap;
  }
  c->code[c->count] = byte;
  c->spans[c->count] = span;
  c->count++;
}

bool values_equal(Value a, Value b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case V_NIL: case V_UNDEF: return true;
    case V_BOOL: return a.as.b == b.as.b;
    case V_NUM: return a.as.n == b.as.n && (a.as.n != 0 || 1 / a.as.n == 1 / b.as.n);
    case V_QTY: return a.unit == b.unit && a.as.n == b.as.n;
    default:
      if (IS_STRING(a) && IS_STRING(b)) return str_equal(AS_STRING(a), AS_STRING(b));
      return a.as.o == b.as.o;
  }
}

/* Texts of equal content are one constant only when both are interned or
** both are not: a key or field name (interned, compared by address) must not
** become a long literal's uninterned twin. */
static bool same_constant(Value a, Value b) {
  if (IS_STRING(a) && IS_STRING(b) &&
      AS_STRING(a)->interned != AS_STRING(b)->interned)
    return false;
  return values_equal(a, b);
}

/* Consts that values_equal counts as one hash alike: numbers by their bits
** (0 and -0 differ, as there), texts by their characters, other objects by
** address. */
static uint32_t value_hash(Value v) {
  uint64_t bits = 0;
  switch (v.type) {
    case V_BOOL: bits = v.as.b; break;
    case V_NUM: case V_QTY: memcpy(&bits, &v.as.n, sizeof bits); break;
    case V_OBJ:
      if (IS_STRING(v)) {
        ObjString *s = AS_STRING(v);
        return s->interned ? s->hash : hash_bytes(s->chars, s->len);
      }
      bits = (uint64_t)(uintptr_t)v.as.o;
      break;
    default: break;
  }
  bits ^= (uint64_t)v.type << 56 ^ (uint64_t)v.unit << 40;
  bits *= 0x9E3779B97F4A7C15ull;
  return (uint32_t)(bits >> 32);
}

/* Below this many constants a scan is as quick as hashing. */
#define CONST_SCAN 16

static void const_slots_put(Chunk *c, uint32_t i) {
  uint32_t mask = c->const_slots_cap - 1;
  uint32_t j = value_hash(c->consts[i]) & mask;
  while (c->const_slots[j]) j = (j + 1) & mask;
  c->const_slots[j] = i + 1;
}

static int chunk_find_const(Chunk *c, Value v) {
  if (!c->const_slots) {
    for (uint32_t i = 0; i < c->const_count; i++)
      if (same_constant(c->consts[i], v)) return (int)i;
    return -1;
  }
  uint32_t mask = c->const_slots_cap - 1;
  for (uint32_t j = value_hash(v) & mask; c->const_slots[j]; j = (j + 1) & mask)
    if (same_constant(c->consts[c->const_slots[j] - 1], v)) return (int)(c->const_slots[j] - 1);
  return -1;
}

int chunk_add_const(KaderState *K, Chunk *c, Value v) {
  int found = chunk_find_const(c, v);
  if (found >= 0) return found;
  kd_push_root(K, v);
  if (c->const_count == c->const_cap) {
    uint32_t cap = KD_GROW(c->const_cap);
    c->consts = kd_realloc(K, c->consts, sizeof(Value) * c->const_cap,
                           sizeof(Value) * cap);
    c->const_cap = cap;
  }
  /* the index at most half full; rebuilt when it grows */
  if (c->const_count + 1 > CONST_SCAN && (c->const_count + 1) * 2 > c->const_slots_cap) {
    uint32_t cap = c->const_slots_cap ? c->const_slots_cap * 2 : 4 * CONST_SCAN;
    uint32_t *slots = KD_ALLOC(K, uint32_t, cap);
    memset(slots, 0, sizeof(uint32_t) * cap);
    KD_FREE_ARRAY(K, uint32_t, c->const_slots, c->const_slots_cap);
    c->const_slots = slots;
    c->const_slots_cap = cap;
    for (uint32_t i = 0; i < c->const_count; i++) const_slots_put(c, i);
  }
  kd_pop_root(K);
  c->consts[c->const_count] = v;
  if (c->const_slots) const_slots_put(c, c->const_count);
  return (int)c->const_count++;
}

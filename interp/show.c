/*
** show.c — values as people read them (print, interpolation, the REPL).
**
** Numbers follow the state's locale. In nl, where the comma is the decimal
** separator, items of lists and records are separated by "; " so that
** [0,5; 1,5] stays unambiguous.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "montecarlo.h"
#include "vm.h"

/* A buffer lives in scratch memory: counted against the memory limit, and
** freed by kd_protect when an error cuts its building short. */
void kd_buf_add(KaderState *K, KdBuf *b, const char *s, size_t n) {
  if (n >= SIZE_MAX / 2 - b->len) kd_out_of_memory(K);
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1) cap *= 2;
    b->s = kd_scratch_realloc(K, b->s, cap);
    b->cap = cap;
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

void kd_buf_free(KaderState *K, KdBuf *b) {
  kd_scratch_realloc(K, b->s, 0);
  b->s = NULL;
  b->len = b->cap = 0;
}

char *kd_buf_take(KaderState *K, KdBuf *b) {
  char *copy = malloc(b->len + 1);
  if (copy) {
    if (b->len) memcpy(copy, b->s, b->len);
    copy[b->len] = '\0';
  }
  kd_buf_free(K, b);
  return copy;
}

static void add_str(KaderState *K, KdBuf *b, const char *s) {
  kd_buf_add(K, b, s, strlen(s));
}

/* Runs an snprintf-style formatter into the buffer, growing as needed. */
#define ADD_FORMATTED(K, b, call_with_buf_cap)                      \
  do {                                                              \
    char tmp_[160];                                                 \
    char *buf = tmp_;                                               \
    size_t cap = sizeof tmp_;                                       \
    size_t need = call_with_buf_cap;                                \
    if (need >= sizeof tmp_) {                                      \
      buf = kd_scratch_realloc(K, NULL, need + 1);                  \
      cap = need + 1;                                               \
      call_with_buf_cap;                                            \
    }                                                               \
    kd_buf_add(K, b, buf, need);                                    \
    if (buf != tmp_) kd_scratch_realloc(K, buf, 0);                 \
  } while (0)

static void quoted_string(KaderState *K, KdBuf *b, ObjString *s) {
  kd_buf_add(K, b, "\"", 1);
  for (uint32_t i = 0; i < s->len; i++) {
    char c = s->chars[i];
    switch (c) {
      case '"': add_str(K, b, "\\\""); break;
      case '\\': add_str(K, b, "\\\\"); break;
      case '\n': add_str(K, b, "\\n"); break;
      case '\t': add_str(K, b, "\\t"); break;
      case '{': add_str(K, b, "\\{"); break;
      case '}': add_str(K, b, "\\}"); break;
      default: kd_buf_add(K, b, &c, 1);
    }
  }
  kd_buf_add(K, b, "\"", 1);
}

static bool plain_key(ObjString *s) {
  if (s->len == 0 || (s->chars[0] >= '0' && s->chars[0] <= '9')) return false;
  for (uint32_t i = 0; i < s->len; i++) {
    unsigned char c = (unsigned char)s->chars[i];
    if (!(c == '_' || c >= 0x80 || (c >= 'a' && c <= 'z') ||
          (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
      return false;
  }
  return true;
}

static void show(KaderState *K, KdBuf *b, Value v, bool quoted, int depth);

static void show_record(KaderState *K, KdBuf *b, ObjRecord *r, int depth) {
  const char *sep = K->locale == LOCALE_NL ? "; " : ", ";
  if (r->kind) {
    add_str(K, b, r->kind->name->chars);
    add_str(K, b, " ");
    add_str(K, b, r->id->chars);
    if (depth > 0) return; /* nested declarations by name only */
    if (!str_equal(r->label, r->id)) {
      add_str(K, b, " ");
      quoted_string(K, b, r->label);
    }
    add_str(K, b, " ");
  }
  add_str(K, b, "{");
  bool first = true;
  for (uint32_t i = 0; i < r->count; i++) {
    if (r->values[i].type == V_UNDEF) continue;
    if (!first) add_str(K, b, sep);
    first = false;
    if (plain_key(r->keys[i])) kd_buf_add(K, b, r->keys[i]->chars, r->keys[i]->len);
    else quoted_string(K, b, r->keys[i]);
    add_str(K, b, ": ");
    show(K, b, r->values[i], true, depth + 1);
  }
  add_str(K, b, "}");
}

static void show(KaderState *K, KdBuf *b, Value v, bool quoted, int depth) {
  Locale loc = K->locale;
  switch (v.type) {
    case V_NIL: add_str(K, b, "nil"); return;
    case V_UNDEF: add_str(K, b, "nil"); return;
    case V_BOOL: add_str(K, b, v.as.b ? "true" : "false"); return;
    case V_NUM: ADD_FORMATTED(K, b, fmt_number(buf, cap, v.as.n, loc)); return;
    case V_QTY:
      ADD_FORMATTED(K, b, fmt_quantity(buf, cap, v.as.n, K->units, v.unit, loc));
      return;
    default: break;
  }
  if (depth > 12) {
    add_str(K, b, "…");
    return;
  }
  Obj *o = v.as.o;
  switch ((ObjTag)o->type) {
    case O_STRING:
      if (quoted) quoted_string(K, b, (ObjString *)o);
      else kd_buf_add(K, b, ((ObjString *)o)->chars, ((ObjString *)o)->len);
      return;
    case O_LIST: {
      ObjList *l = (ObjList *)o;
      add_str(K, b, "[");
      for (uint32_t i = 0; i < l->count; i++) {
        if (i) add_str(K, b, loc == LOCALE_NL ? "; " : ", ");
        show(K, b, l->items[i], true, depth + 1);
      }
      add_str(K, b, "]");
      return;
    }
    case O_RECORD: show_record(K, b, (ObjRecord *)o, depth); return;
    case O_RANGE: {
      ObjRange *r = (ObjRange *)o;
      ADD_FORMATTED(K, b, fmt_range(buf, cap, r->lo, r->hi, K->units, r->unit, loc));
      return;
    }
    case O_SAMPLES: {
      /* a summary: the values themselves are for mean(), percentiles(), p() */
      ObjSamples *s = (ObjSamples *)o;
      double sum = 0;
      if (s->constant) sum = s->xs[0] * s->n;
      else for (uint32_t i = 0; i < s->n; i++) sum += s->xs[i];
      double mean = s->n ? sum / s->n : 0;
      char head[48];
      snprintf(head, sizeof head, "<%u samples, ", s->n);
      add_str(K, b, head);
      if (s->indicator) {
        add_str(K, b, "true in ");
        show(K, b, QTY_VAL(100 * mean, kd_percent_unit(K)), false, depth + 1);
      } else {
        add_str(K, b, "mean ");
        show(K, b, s->unit == UNIT_NONE ? NUM_VAL(mean) : QTY_VAL(mean, s->unit), false, depth + 1);
      }
      add_str(K, b, ">");
      return;
    }
    case O_CLOSURE: {
      ObjString *name = ((ObjClosure *)o)->fn->name;
      add_str(K, b, "<fn ");
      add_str(K, b, name ? name->chars : "?");
      add_str(K, b, ">");
      return;
    }
    case O_NATIVE:
      add_str(K, b, "<built-in fn ");
      add_str(K, b, ((ObjNative *)o)->name->chars);
      add_str(K, b, ">");
      return;
    case O_KIND:
      add_str(K, b, "<kind ");
      add_str(K, b, ((ObjKind *)o)->name->chars);
      add_str(K, b, ">");
      return;
    case O_POINTER:
      add_str(K, b, "<");
      add_str(K, b, ((ObjPointer *)o)->tag->chars);
      add_str(K, b, ">");
      return;
    case O_REGEX: {
      ObjRegex *re = (ObjRegex *)o;
      add_str(K, b, "/");
      kd_buf_add(K, b, kd_regex_source(re)->chars, kd_regex_source(re)->len);
      add_str(K, b, "/");
      add_str(K, b, kd_regex_flags(re)->chars);
      return;
    }
    case O_TYPE: {
      char d[256];
      kd_type_describe(K, (ObjType *)o, d, sizeof d);
      add_str(K, b, "<type: ");
      add_str(K, b, d);
      add_str(K, b, ">");
      return;
    }
    default: add_str(K, b, "<internal>"); return;
  }
}

/* The buffer is counted memory, so growing it may collect garbage: the
** value shown is kept reachable while it is. */
void kd_show(KaderState *K, KdBuf *b, Value v, bool quoted) {
  kd_push_root(K, v);
  show(K, b, v, quoted, 0);
  kd_pop_root(K);
}

ObjString *kd_to_string(KaderState *K, Value v) {
  if (IS_STRING(v)) return AS_STRING(v);
  KdBuf b = {0};
  kd_show(K, &b, v, false);
  ObjString *s = str_new(K, b.s ? b.s : "", b.len);
  kd_buf_free(K, &b);
  return s;
}

/* ---- pretty printing for the REPL ------------------------------------- */

#define PRETTY_WIDTH 72   /* a value that fits on a line stays on one */
#define PRETTY_ITEMS 20   /* items shown of a long list or record */
#define PRETTY_DEPTH 4    /* deeper values are shown as … */
#define PRETTY_TEXT 300   /* characters shown of a long string */

static void indent(KaderState *K, KdBuf *b, int level) {
  for (int i = 0; i < level; i++) kd_buf_add(K, b, "  ", 2);
}

static void pretty(KaderState *K, KdBuf *b, Value v, int level) {
  KdBuf one = {0};
  show(K, &one, v, true, 0);
  bool container = IS_LIST(v) || IS_RECORD(v);
  if (IS_STRING(v) && AS_STRING(v)->len > PRETTY_TEXT) {
    ObjString *s = AS_STRING(v);
    uint32_t cut = PRETTY_TEXT;
    while (cut > 0 && ((unsigned char)s->chars[cut] & 0xC0) == 0x80) cut--;
    char tail[64];
    snprintf(tail, sizeof tail, "\"… (%u more bytes)", s->len - cut);
    kd_buf_add(K, b, "\"", 1);
    kd_buf_add(K, b, s->chars, cut);
    kd_buf_add(K, b, tail, strlen(tail));
  } else if (!container || (one.len + (size_t)level * 2 <= PRETTY_WIDTH &&
                            !memchr(one.s, '\n', one.len))) {
    kd_buf_add(K, b, one.s, one.len);
  } else if (level >= PRETTY_DEPTH) {
    kd_buf_add(K, b, IS_LIST(v) ? "[…]" : "{…}", 5);
  } else if (IS_LIST(v)) {
    ObjList *l = AS_LIST(v);
    kd_buf_add(K, b, "[\n", 2);
    for (uint32_t i = 0; i < l->count && i < PRETTY_ITEMS; i++) {
      indent(K, b, level + 1);
      pretty(K, b, l->items[i], level + 1);
      kd_buf_add(K, b, "\n", 1);
    }
    if (l->count > PRETTY_ITEMS) {
      char more[64];
      snprintf(more, sizeof more, "… (%u more)\n", l->count - PRETTY_ITEMS);
      indent(K, b, level + 1);
      kd_buf_add(K, b, more, strlen(more));
    }
    indent(K, b, level);
    kd_buf_add(K, b, "]", 1);
  } else {
    ObjRecord *r = AS_RECORD(v);
    if (r->kind) {
      add_str(K, b, r->kind->name->chars);
      add_str(K, b, " ");
      add_str(K, b, r->id->chars);
      if (!str_equal(r->label, r->id)) {
        add_str(K, b, " ");
        quoted_string(K, b, r->label);
      }
      add_str(K, b, " ");
    }
    kd_buf_add(K, b, "{\n", 2);
    uint32_t shown = 0, defined = 0;
    for (uint32_t i = 0; i < r->count; i++) {
      if (r->values[i].type == V_UNDEF) continue;
      defined++;
      if (shown == PRETTY_ITEMS) continue;
      shown++;
      indent(K, b, level + 1);
      if (plain_key(r->keys[i])) kd_buf_add(K, b, r->keys[i]->chars, r->keys[i]->len);
      else quoted_string(K, b, r->keys[i]);
      add_str(K, b, ": ");
      pretty(K, b, r->values[i], level + 1);
      kd_buf_add(K, b, "\n", 1);
    }
    if (defined > shown) {
      char more[64];
      snprintf(more, sizeof more, "… (%u more fields)\n", defined - shown);
      indent(K, b, level + 1);
      kd_buf_add(K, b, more, strlen(more));
    }
    indent(K, b, level);
    kd_buf_add(K, b, "}", 1);
  }
  kd_buf_free(K, &one);
}

void kd_show_pretty(KaderState *K, KdBuf *b, Value v) {
  kd_push_root(K, v);
  pretty(K, b, v, 0);
  kd_pop_root(K);
}

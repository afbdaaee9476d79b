/*
** datalib.c — data out: any value as JSON with full precision (CSV files
** come in through csvlib.c).
*/
#define _XOPEN_SOURCE 700
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numconv.h"
#include "vm.h"

/* ---- JSON ---- */

static void json_string(KaderState *K, KdBuf *b, const char *s, size_t len) {
  kd_buf_add(K, b, "\"", 1);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    char esc[8];
    if (c == '"' || c == '\\') {
      esc[0] = '\\';
      esc[1] = (char)c;
      kd_buf_add(K, b, esc, 2);
    } else if (c == '\n') {
      kd_buf_add(K, b, "\\n", 2);
    } else if (c == '\t') {
      kd_buf_add(K, b, "\\t", 2);
    } else if (c == '\r') {
      kd_buf_add(K, b, "\\r", 2);
    } else if (c < 0x20) {
      snprintf(esc, sizeof esc, "\\u%04x", c);
      kd_buf_add(K, b, esc, 6);
    } else {
      kd_buf_add(K, b, (const char *)&s[i], 1);
    }
  }
  kd_buf_add(K, b, "\"", 1);
}

static void json_number(KaderState *K, KdBuf *b, double x) {
  char buf[40];
  if (!isfinite(x)) {
    kd_buf_add(K, b, "null", 4);
    return;
  }
  if (x == 0) x = 0; /* no -0 */
  /* the shortest text that reads back as the same double */
  int n = 0;
  for (int prec = 15; prec <= 17; prec++) {
    n = kd_format_double(buf, sizeof buf, "%.*g", prec, x);
    if (kd_strtod(buf, NULL) == x) break;
  }
  kd_buf_add(K, b, buf, (size_t)n);
}

static void json_unit(KaderState *K, KdBuf *b, UnitId u) {
  char buf[256];
  size_t n = units_format(K->units, u, buf, sizeof buf);
  json_string(K, b, buf, n < sizeof buf ? n : sizeof buf - 1);
}

static void json_value(KaderState *K, KdBuf *b, Value v, int depth) {
  if (depth > 64) kd_error(K, "to_json: the value is nested too deeply (or refers to itself)");
  switch (v.type) {
    case V_NIL: case V_UNDEF: kd_buf_add(K, b, "null", 4); return;
    case V_BOOL: kd_buf_add(K, b, v.as.b ? "true" : "false", v.as.b ? 4 : 5); return;
    case V_NUM: json_number(K, b, v.as.n); return;
    case V_QTY:
      kd_buf_add(K, b, "{\"value\": ", 10);
      json_number(K, b, v.as.n);
      kd_buf_add(K, b, ", \"unit\": ", 10);
      json_unit(K, b, v.unit);
      kd_buf_add(K, b, "}", 1);
      return;
    default: break;
  }
  if (IS_STRING(v)) {
    json_string(K, b, AS_STRING(v)->chars, AS_STRING(v)->len);
  } else if (IS_LIST(v)) {
    ObjList *l = AS_LIST(v);
    kd_buf_add(K, b, "[", 1);
    for (uint32_t i = 0; i < l->count; i++) {
      if (i) kd_buf_add(K, b, ", ", 2);
      json_value(K, b, l->items[i], depth + 1);
    }
    kd_buf_add(K, b, "]", 1);
  } else if (IS_RANGE(v)) {
    ObjRange *r = AS_RANGE(v);
    kd_buf_add(K, b, "{\"lo\": ", 7);
    json_number(K, b, r->lo);
    kd_buf_add(K, b, ", \"hi\": ", 8);
    json_number(K, b, r->hi);
    kd_buf_add(K, b, ", \"unit\": ", 10);
    json_unit(K, b, r->unit);
    kd_buf_add(K, b, "}", 1);
  } else if (IS_RECORD(v)) {
    ObjRecord *r = AS_RECORD(v);
    kd_buf_add(K, b, "{", 1);
    bool first = true;
    if (r->kind) {
      kd_buf_add(K, b, "\"kind\": ", 8);
      json_string(K, b, r->kind->name->chars, r->kind->name->len);
      kd_buf_add(K, b, ", \"id\": ", 8);
      json_string(K, b, r->id->chars, r->id->len);
      kd_buf_add(K, b, ", \"label\": ", 11);
      json_string(K, b, r->label->chars, r->label->len);
      first = false;
    }
    for (uint32_t i = 0; i < r->count; i++) {
      if (r->values[i].type == V_UNDEF) continue;
      if (!first) kd_buf_add(K, b, ", ", 2);
      first = false;
      json_string(K, b, r->keys[i]->chars, r->keys[i]->len);
      kd_buf_add(K, b, ": ", 2);
      json_value(K, b, r->values[i], depth + 1);
    }
    kd_buf_add(K, b, "}", 1);
  } else {
    char what[128];
    kd_describe(K, v, what, sizeof what);
    kd_error(K, "to_json: cannot write %s as JSON", what);
  }
}

static Value d_to_json(KaderState *K, int argc, Value *args) {
  (void)argc;
  KdBuf b = {0};
  json_value(K, &b, args[0], 0);
  ObjString *s = str_new(K, b.s, b.len);
  kd_buf_free(K, &b);
  return OBJ_VAL(s);
}

void kd_open_datalib(KaderState *K) {
  kd_define_native(K, "to_json", d_to_json, 1, 1,
                   "to_json(x): x as JSON text, numbers at full precision.");
}

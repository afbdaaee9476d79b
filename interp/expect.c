/*
** expect.c — `expect` statements: values a model must produce.
**
**   expect round(total_hours(rol), 2) == 12.88 h/week within 0.005
**   expect draagvlak_level(taak) == "Onvoldoende"
**   expect test(antwoord, /geen taak/i)
**
** A model in a research repository states the numbers its report must give;
** `kader test` reruns it and lists every one that no longer comes out. A
** failure does not stop the run: the other expectations still say
** something. Equality with a tolerance compares quantities in the expected
** value's unit and ranges end by end.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

static const char *const cmp_words[] = {
  [B_EQ] = "", [B_NE] = "not ", [B_LT] = "< ", [B_LE] = "<= ", [B_GT] = "> ", [B_GE] = ">= "
};

/* A tolerance given as a plain number is in the expected value's unit. */
static Value in_unit_of(Value tol, Value expected) {
  if (tol.type != V_NUM) return tol;
  if (expected.type == V_QTY) return QTY_VAL(tol.as.n, expected.unit);
  if (IS_RANGE(expected) && AS_RANGE(expected)->unit != UNIT_NONE)
    return QTY_VAL(tol.as.n, AS_RANGE(expected)->unit);
  return tol;
}

static bool close_enough(KaderState *K, Value got, Value expected, Value tol) {
  Value diff = kd_arith(K, AR_SUB, got, expected);
  if (kd_less(K, CMP_LT, diff, kd_arith(K, AR_SUB, diff, diff))) diff = kd_negate(K, diff);
  return kd_less(K, CMP_LE, diff, tol);
}

static bool equal_within(KaderState *K, Value got, Value expected, Value tol) {
  if (IS_NIL(tol)) return kd_equal(K, got, expected);
  tol = in_unit_of(tol, expected);
  bool got_num = got.type == V_NUM || got.type == V_QTY;
  bool exp_num = expected.type == V_NUM || expected.type == V_QTY;
  if (got_num && exp_num) return close_enough(K, got, expected, tol);
  if (IS_RANGE(got) && IS_RANGE(expected)) {
    ObjRange *g = AS_RANGE(got), *e = AS_RANGE(expected);
    return close_enough(K, kd_range_end(g, g->lo), kd_range_end(e, e->lo), tol) &&
           close_enough(K, kd_range_end(g, g->hi), kd_range_end(e, e->hi), tol);
  }
  return kd_equal(K, got, expected);   /* texts, lists, …: exactly */
}

static bool holds(KaderState *K, int cmp, Value got, Value expected, Value tol) {
  switch (cmp) {
    case B_EQ: return equal_within(K, got, expected, tol);
    case B_NE: return !equal_within(K, got, expected, tol);
    case B_LT: return kd_less(K, CMP_LT, got, expected);
    case B_LE: return kd_less(K, CMP_LE, got, expected);
    case B_GT: return kd_less(K, CMP_GT, got, expected);
    case B_GE: return kd_less(K, CMP_GE, got, expected);
    default: return !is_falsey(got);
  }
}

/* "what: expected X within T, got Y" */
static void failure_message(KaderState *K, KdBuf *b, int cmp, Value got, Value expected,
                            Value tol, ObjString *what) {
  kd_buf_add(K, b, what->chars, what->len);
  if (cmp == B_NONE) {
    kd_buf_add(K, b, ": expected true, got ", 21);
    kd_show(K, b, got, true);
    return;
  }
  kd_buf_add(K, b, ": expected ", 11);
  kd_buf_add(K, b, cmp_words[cmp], strlen(cmp_words[cmp]));
  kd_show(K, b, expected, true);
  if (!IS_NIL(tol)) {
    kd_buf_add(K, b, " within ", 8);
    kd_show(K, b, in_unit_of(tol, expected), true);
  }
  kd_buf_add(K, b, ", got ", 6);
  kd_show(K, b, got, true);
}

void kd_expect(KaderState *K, int cmp, Value got, Value expected, Value tolerance,
               ObjString *what) {
  bool ok = holds(K, cmp, got, expected, tolerance);
  if (ok) K->expect_passed++;
  else K->expect_failed++;
  if (ok && !K->config.expect) return;
  ObjModule *m;
  Span span = kd_current_span(K, &m);
  KdBuf message = {0};
  if (!ok) failure_message(K, &message, cmp, got, expected, tolerance, what);
  if (K->config.expect) {
    uint32_t line = 0, col = 0;
    if (m) kd_line_col(m->source->chars, m->source->len, span.off, &line, &col);
    K->config.expect(K->config.expect_userdata, ok, m ? m->path->chars : "", (int)line,
                     (int)col, message.s ? message.s : "");
  } else {
    char *text = kd_render_diag(K, m, span, "expectation failed", message.s);
    kd_write_error(K, text);
    free(text);
  }
  kd_buf_free(K, &message);
}

void kader_expectations(KaderState *K, int *passed, int *failed) {
  if (passed) *passed = K->expect_passed;
  if (failed) *failed = K->expect_failed;
}

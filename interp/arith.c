/*
** arith.c — arithmetic beyond plain numbers: quantities, ranges, strings.
**
** Numbers, quantities and ranges are all handled as intervals with a unit
** (a number is [x, x] with no unit), so one set of rules covers `3 h + 2 h`,
** `(€ 5 to € 10) * 2` and `(1 to 2) + (3 to 4)`. The result is a range when
** either operand was one. Unit rules: + - and comparisons need the same
** dimension (the right operand is converted to the left's unit); * and /
** combine units, and a result whose units cancel is a plain number.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "montecarlo.h"
#include "vm.h"

typedef struct Ival { double lo, hi; UnitId unit; bool range; } Ival;

static bool as_ival(Value v, Ival *out) {
  if (v.type == V_NUM) {
    *out = (Ival){v.as.n, v.as.n, UNIT_NONE, false};
    return true;
  }
  if (v.type == V_QTY) {
    *out = (Ival){v.as.n, v.as.n, v.unit, false};
    return true;
  }
  if (IS_RANGE(v)) {
    ObjRange *r = AS_RANGE(v);
    *out = (Ival){r->lo, r->hi, r->unit, true};
    return true;
  }
  return false;
}

static Value from_ival(KaderState *K, Ival x) {
  if (x.range) return OBJ_VAL(range_new(K, x.lo, x.hi, x.unit));
  if (x.unit == UNIT_NONE) return NUM_VAL(x.lo);
  return QTY_VAL(x.lo, x.unit);
}

Value kd_range_end(ObjRange *r, double x) {
  return r->unit == UNIT_NONE ? NUM_VAL(x) : QTY_VAL(x, r->unit);
}

static const char *unit_text(KaderState *K, UnitId u, char *buf, size_t cap) {
  units_format(K->units, u, buf, cap);
  return buf;
}

/* Factor from one unit to another, or a located error. */
static double factor_or_error(KaderState *K, UnitId from, UnitId to,
                              const char *what) {
  double f;
  int bad = -1;
  UnitStatus st = units_factor(K->units, from, to, &f, &bad);
  if (st == UNIT_OK) return f;
  if (st == UNIT_PENDING)
    kd_error(K, "unit '%s' is not defined", units_name(K->units, bad));
  char a[96], b[96];
  unit_text(K, from, a, sizeof a);
  unit_text(K, to, b, sizeof b);
  if (!*a) snprintf(a, sizeof a, "a plain number");
  if (!*b) snprintf(b, sizeof b, "a plain number");
  if (strcmp(what, "cannot convert") == 0)
    kd_error(K, "cannot convert %s to %s: they measure different things", a, b);
  kd_error(K, "%s %s and %s: they measure different things", what, b, a);
}

static bool is_zero_scalar(Ival x) { return !x.range && x.lo == 0 && x.unit == UNIT_NONE; }

static _Noreturn void plain_mismatch(KaderState *K, const char *verb, Value q,
                                     Value n) {
  char qs[128], ns[64], u[96];
  kd_describe(K, q, qs, sizeof qs);
  kd_describe(K, n, ns, sizeof ns);
  Ival qi = {0, 0, UNIT_NONE, false};
  as_ival(q, &qi);
  unit_text(K, qi.unit, u, sizeof u);
  if (n.type == V_NUM && units_dimensionless(K->units, qi.unit)) {
    /* next to 27.5%, 0.275 is a share written as a fraction (0.275 × 100%
    ** = 27.5%), and 27.5 a percentage without its sign; the hint writes
    ** the number as code does (27.5%, 275 ‰) */
    double per = factor_or_error(K, qi.unit, UNIT_NONE, "cannot use");
    double meant = fabs(n.as.n) <= 1 ? n.as.n / per : n.as.n;
    const char *gap = strcmp(u, "%") == 0 ? "" : " ";
    char code[64], times[64], shown[128];
    fmt_number(code, sizeof code, meant, LOCALE_EN);
    kd_describe(K, QTY_VAL(meant, qi.unit), shown, sizeof shown);
    if (meant != n.as.n) {
      kd_describe(K, NUM_VAL(1 / per), times, sizeof times);
      kd_error(K, "cannot %s %s and the plain number %s: if %s is a share, it "
               "is %s (%s × %s%s%s): write %s%s%s", verb, qs, ns, ns, shown, ns,
               times, gap, u, code, gap, u);
    }
    kd_error(K, "cannot %s %s and the plain number %s: give the number its "
             "unit: write %s%s%s", verb, qs, ns, code, gap, u);
  }
  kd_error(K, "cannot %s %s and the plain number %s: give the number a unit "
           "(for example %s %s)", verb, qs, ns, ns, u);
}

/* Brings b into a's unit for + - and comparisons; returns false when the
** plain-number rule applies instead (one side is a plain zero). */
static void same_unit(KaderState *K, const char *verb, Value va, Value vb,
                      Ival *a, Ival *b) {
  if (a->unit == b->unit) return;
  if (a->unit == UNIT_NONE || b->unit == UNIT_NONE) {
    if (is_zero_scalar(*a)) { a->unit = b->unit; return; }
    if (is_zero_scalar(*b)) { b->unit = a->unit; return; }
    if (a->unit == UNIT_NONE) plain_mismatch(K, verb, vb, va);
    plain_mismatch(K, verb, va, vb);
  }
  char what[64];
  snprintf(what, sizeof what, "cannot %s", verb);
  double f = factor_or_error(K, b->unit, a->unit, what);
  b->lo *= f;
  b->hi *= f;
  b->unit = a->unit;
}

/* A dimensionless unit such as % turns into its plain value. */
static void plain_if_dimensionless(KaderState *K, Ival *x) {
  if (x->unit == UNIT_NONE || !units_dimensionless(K->units, x->unit)) return;
  double f = factor_or_error(K, x->unit, UNIT_NONE, "cannot use");
  x->lo *= f;
  x->hi *= f;
  x->unit = UNIT_NONE;
}

static Ival ival_mul(Ival a, Ival b) {
  double p[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
  double lo = p[0], hi = p[0];
  for (int i = 1; i < 4; i++) {
    if (p[i] < lo) lo = p[i];
    if (p[i] > hi) hi = p[i];
  }
  return (Ival){lo, hi, UNIT_NONE, a.range || b.range};
}

static Value concat(KaderState *K, Value a, Value b) {
  if (IS_STRING(a) && IS_STRING(b)) return OBJ_VAL(str_concat(K, AS_STRING(a), AS_STRING(b)));
  ObjList *x = AS_LIST(a), *y = AS_LIST(b);
  if ((uint64_t)x->count + y->count > KD_MAX_LIST) kd_error(K, "list too long");
  ObjList *l = list_new(K, x->count + y->count);
  if (x->count) memcpy(l->items, x->items, sizeof(Value) * x->count);
  if (y->count) memcpy(l->items + x->count, y->items, sizeof(Value) * y->count);
  l->count = x->count + y->count;
  return OBJ_VAL(l);
}

static const char *verbs[] = {"add", "subtract", "multiply", "divide",
                              "take the remainder of", "raise"};

static _Noreturn void type_error(KaderState *K, ArithOp op, Value a, Value b) {
  char as[128], bs[128];
  kd_describe(K, a, as, sizeof as);
  kd_describe(K, b, bs, sizeof bs);
  if (op == AR_ADD && (IS_STRING(a) || IS_STRING(b)))
    kd_error(K, "cannot add %s and %s; to put a value in a text, write "
             "\"…{x}…\"", as, bs);
  kd_error(K, "cannot %s %s and %s", verbs[op], as, bs);
}

Value kd_arith(KaderState *K, ArithOp op, Value a, Value b) {
  if (op == AR_ADD && ((IS_STRING(a) && IS_STRING(b)) || (IS_LIST(a) && IS_LIST(b))))
    return concat(K, a, b);
  if (kd_is_sampled(K, a) || kd_is_sampled(K, b)) return kd_sample_arith(K, op, a, b);
  Ival x, y;
  if (!as_ival(a, &x) || !as_ival(b, &y)) type_error(K, op, a, b);
  Ival r;
  switch (op) {
    case AR_ADD:
    case AR_SUB:
      same_unit(K, op == AR_ADD ? "add" : "subtract", a, b, &x, &y);
      if (op == AR_ADD) r = (Ival){x.lo + y.lo, x.hi + y.hi, x.unit, x.range || y.range};
      else r = (Ival){x.lo - y.hi, x.hi - y.lo, x.unit, x.range || y.range};
      break;
    case AR_MUL:
      plain_if_dimensionless(K, &x);
      plain_if_dimensionless(K, &y);
      r = ival_mul(x, y);
      r.unit = units_mul(K->units, x.unit, y.unit);
      break;
    case AR_DIV: {
      plain_if_dimensionless(K, &x);
      plain_if_dimensionless(K, &y);
      if (!y.range && y.lo == 0) kd_error(K, "division by zero");
      if (y.lo <= 0 && y.hi >= 0)
        kd_error(K, "cannot divide by a range that includes zero");
      Ival inv = {1 / y.hi, 1 / y.lo, UNIT_NONE, y.range};
      r = ival_mul(x, inv);
      r.unit = units_div(K->units, x.unit, y.unit);
      break;
    }
    case AR_MOD: {
      if (x.range || y.range)
        kd_error(K, "the remainder (mod) is not defined for ranges");
      same_unit(K, "take the remainder of", a, b, &x, &y);
      if (y.lo == 0) kd_error(K, "division by zero (in mod)");
      double m = fmod(x.lo, y.lo);
      if (m != 0 && ((m < 0) != (y.lo < 0))) m += y.lo;
      r = (Ival){m, m, x.unit, false};
      break;
    }
    case AR_POW: {
      if (x.range || y.range) kd_error(K, "cannot raise a range to a power");
      if (y.unit != UNIT_NONE) kd_error(K, "an exponent must be a plain number");
      if (x.unit != UNIT_NONE) {
        if (y.lo != floor(y.lo) || fabs(y.lo) > 64)
          kd_error(K, "a quantity can only be raised to a whole power");
        double v = pow(x.lo, y.lo);
        r = (Ival){v, v, units_pow(K->units, x.unit, (int)y.lo), false};
      } else {
        double v = pow(x.lo, y.lo);
        r = (Ival){v, v, UNIT_NONE, false};
      }
      break;
    }
    default: type_error(K, op, a, b);
  }
  /* units that cancel leave a plain number */
  if (r.unit != UNIT_NONE && units_dimensionless(K->units, r.unit) &&
      !units_is_percent(K->units, r.unit) && (op == AR_MUL || op == AR_DIV)) {
    double f = factor_or_error(K, r.unit, UNIT_NONE, "cannot use");
    r.lo *= f;
    r.hi *= f;
    r.unit = UNIT_NONE;
  }
  return from_ival(K, r);
}

Value kd_negate(KaderState *K, Value a) {
  if (kd_is_sampled(K, a)) return kd_sample_negate(K, a);
  Ival x;
  if (!as_ival(a, &x)) {
    char as[128];
    kd_describe(K, a, as, sizeof as);
    kd_error(K, "cannot negate %s", as);
  }
  return from_ival(K, (Ival){-x.hi, -x.lo, x.unit, x.range});
}

static int string_cmp(ObjString *a, ObjString *b) {
  size_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(a->chars, b->chars, n);
  if (c) return c;
  return (a->len > b->len) - (a->len < b->len);
}

bool kd_less(KaderState *K, CompareOp op, Value a, Value b) {
  int c;
  if (IS_STRING(a) && IS_STRING(b)) {
    c = string_cmp(AS_STRING(a), AS_STRING(b));
  } else {
    Ival x = {0, 0, UNIT_NONE, false}, y = x;
    if (!as_ival(a, &x) || !as_ival(b, &y) || x.range || y.range) {
      char as[128], bs[128];
      kd_describe(K, a, as, sizeof as);
      kd_describe(K, b, bs, sizeof bs);
      if (x.range || y.range)
        kd_error(K, "cannot compare %s and %s: compare the ends of a range "
                 "(.lo, .hi) instead", as, bs);
      kd_error(K, "cannot compare %s and %s", as, bs);
    }
    same_unit(K, "compare", a, b, &x, &y);
    if (isnan(x.lo) || isnan(y.lo)) return false;
    c = (x.lo > y.lo) - (x.lo < y.lo);
  }
  switch (op) {
    case CMP_LT: return c < 0;
    case CMP_LE: return c <= 0;
    case CMP_GT: return c > 0;
    default: return c >= 0;
  }
}

static bool equal(KaderState *K, Value a, Value b, int depth) {
  if (depth > 100) kd_error(K, "values nested too deeply to compare");
  Ival x, y;
  if (as_ival(a, &x) && as_ival(b, &y)) {
    if (x.range != y.range) return false;
    same_unit(K, "compare", a, b, &x, &y);
    return x.lo == y.lo && x.hi == y.hi;
  }
  if (a.type != b.type) return false;
  switch (a.type) {
    case V_NIL: return true;
    case V_BOOL: return a.as.b == b.as.b;
    case V_OBJ: break;
    default: return false;
  }
  if (a.as.o == b.as.o) return true;
  if (a.as.o->type != b.as.o->type) return false;
  if (IS_LIST(a)) {
    ObjList *l = AS_LIST(a), *m = AS_LIST(b);
    if (l->count != m->count) return false;
    for (uint32_t i = 0; i < l->count; i++)
      if (!equal(K, l->items[i], m->items[i], depth + 1)) return false;
    return true;
  }
  if (IS_RECORD(a)) {
    ObjRecord *r = AS_RECORD(a), *s = AS_RECORD(b);
    if (r->kind || s->kind || r->count != s->count) return false;
    for (uint32_t i = 0; i < r->count; i++) {
      int j = record_find(s, r->keys[i]);
      if (j < 0 || !equal(K, r->values[i], s->values[j], depth + 1)) return false;
    }
    return true;
  }
  if (IS_STRING(a)) return str_equal(AS_STRING(a), AS_STRING(b));
  if (IS_OBJ_TYPE(a, O_REGEX))
    return str_equal(kd_regex_source((ObjRegex *)a.as.o), kd_regex_source((ObjRegex *)b.as.o)) &&
           str_equal(kd_regex_flags((ObjRegex *)a.as.o), kd_regex_flags((ObjRegex *)b.as.o));
  return false; /* functions, kinds and declarations: by identity */
}

bool kd_equal(KaderState *K, Value a, Value b) { return equal(K, a, b, 0); }

Value kd_make_range(KaderState *K, Value lo, Value hi) {
  Ival x, y;
  if (!as_ival(lo, &x) || !as_ival(hi, &y) || x.range || y.range) {
    char as[128], bs[128];
    kd_describe(K, lo, as, sizeof as);
    kd_describe(K, hi, bs, sizeof bs);
    kd_error(K, "a range runs from one number or quantity to another, not "
             "from %s to %s", as, bs);
  }
  if (x.unit != y.unit) {
    if (x.unit == UNIT_NONE) {
      x.unit = y.unit; /* `3 to 5 h/week`: the unit is written once */
    } else if (y.unit == UNIT_NONE) {
      char u[96], end[64];
      unit_text(K, x.unit, u, sizeof u);
      fmt_number(end, sizeof end, y.lo, K->locale);
      kd_error(K, "the end of the range needs a unit like its start (%s %s)",
               end, u);
    } else {
      y.lo *= factor_or_error(K, y.unit, x.unit, "a range cannot run between");
    }
  }
  if (isnan(x.lo) || isnan(y.lo)) kd_error(K, "a range cannot have NaN as an end");
  if (x.lo > y.lo) {
    char as[128], bs[128];
    kd_describe(K, lo, as, sizeof as);
    kd_describe(K, hi, bs, sizeof bs);
    kd_error(K, "a range cannot run backwards: its start (%s) is greater "
             "than its end (%s)", as, bs);
  }
  return OBJ_VAL(range_new(K, x.lo, y.lo, x.unit));
}

Value kd_convert(KaderState *K, Value v, UnitId to) {
  if (kd_is_sampled(K, v)) return kd_sample_convert(K, v, to);
  Ival x;
  if (!as_ival(v, &x)) {
    char as[128];
    kd_describe(K, v, as, sizeof as);
    kd_error(K, "cannot convert %s to a unit", as);
  }
  if (x.unit == UNIT_NONE && !units_dimensionless(K->units, to)) {
    char u[96], n[64];
    unit_text(K, to, u, sizeof u);
    kd_describe(K, v, n, sizeof n);
    kd_error(K, "cannot convert the plain number %s to %s: write the unit "
             "after the number (%s %s)", n, u, n, u);
  }
  double f = factor_or_error(K, x.unit, to, "cannot convert");
  Value out = from_ival(K, (Ival){x.lo * f, x.hi * f, to, x.range});
  if (IS_RANGE(v) && AS_RANGE(v)->dist) kd_scale_dist(AS_RANGE(out), AS_RANGE(v), f);
  return out;
}

double kd_in_unit(KaderState *K, Value q, UnitId to) {
  Ival x;
  if (!as_ival(q, &x) || x.range) {
    char as[128];
    kd_describe(K, q, as, sizeof as);
    kd_error(K, "expected a quantity, got %s", as);
  }
  return x.lo * factor_or_error(K, x.unit, to, "cannot convert");
}

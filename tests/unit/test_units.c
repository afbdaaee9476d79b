/*
** test_units.c — the unit algebra: interning, conversion, definitions,
** display. The fixture builds the table the way stdlib/units.kader does, with
** an allocator that checks every old_size and that nothing leaks.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "units.h"

/* ---- a checking allocator ---- */

typedef struct Heap {
  size_t live_bytes;
  size_t live_blocks;
} Heap;

typedef struct Block {
  size_t size;
  max_align_t align; /* keeps the payload suitably aligned */
} Block;

static void *check_realloc(void *ud, void *ptr, size_t old_size,
                           size_t new_size) {
  Heap *h = ud;
  Block *b = NULL;
  if (ptr != NULL) {
    b = (Block *)((char *)ptr - offsetof(Block, align));
    assert_int_equal(b->size, old_size); /* the table knows its sizes */
    h->live_bytes -= old_size;
    h->live_blocks--;
  } else {
    assert_int_equal(old_size, 0);
  }
  if (new_size == 0) {
    free(b);
    return NULL;
  }
  b = realloc(b, offsetof(Block, align) + new_size);
  assert_non_null(b);
  b->size = new_size;
  h->live_bytes += new_size;
  h->live_blocks++;
  return (char *)b + offsetof(Block, align);
}

/* ---- the standard table ---- */

typedef struct Std {
  Heap heap;
  UnitTable *t;
  int h, week, euro, day, month, quarter, year, fte, percent, uur;
  UnitId u_h, u_week, u_euro, u_h_week;
} Std;

static int name(UnitTable *t, const char *s) {
  return units_declare(t, s, strlen(s));
}

static UnitId atom(UnitTable *t, int n) { return units_atom(t, n, 1); }

static void define(UnitTable *t, int n, double factor, UnitId def) {
  assert_int_equal(units_define(t, n, factor, def), UNIT_OK);
}

static int setup_std(void **state) {
  Std *s = calloc(1, sizeof *s);
  UnitTable *t = s->t = units_new(check_realloc, &s->heap);
  s->h = name(t, "h");
  s->week = name(t, "week");
  s->euro = name(t, "€");
  units_define_base(t, s->h);
  units_define_base(t, s->week);
  units_define_base(t, s->euro);
  s->u_h = atom(t, s->h);
  s->u_week = atom(t, s->week);
  s->u_euro = atom(t, s->euro);
  s->u_h_week = units_div(t, s->u_h, s->u_week);
  s->day = name(t, "day");
  define(t, s->day, 1.0 / 7, s->u_week);
  s->month = name(t, "month");
  define(t, s->month, 52.0 / 12, s->u_week);
  s->quarter = name(t, "quarter");
  define(t, s->quarter, 13, s->u_week);
  s->year = name(t, "year");
  define(t, s->year, 52, s->u_week);
  s->fte = name(t, "fte");
  define(t, s->fte, 36, s->u_h_week);
  s->percent = name(t, "%");
  define(t, s->percent, 0.01, UNIT_NONE);
  s->uur = name(t, "uur");
  define(t, s->uur, 1, s->u_h);
  *state = s;
  return 0;
}

static int teardown_std(void **state) {
  Std *s = *state;
  units_free(s->t);
  assert_int_equal(s->heap.live_bytes, 0);
  assert_int_equal(s->heap.live_blocks, 0);
  free(s);
  return 0;
}

static double factor(Std *s, UnitId from, UnitId to) {
  double f = -1;
  int bad = -1;
  assert_int_equal(units_factor(s->t, from, to, &f, &bad), UNIT_OK);
  return f;
}

static UnitStatus try_factor(Std *s, UnitId from, UnitId to, int *bad) {
  double f = -1;
  return units_factor(s->t, from, to, &f, bad);
}

static UnitId per(Std *s, int num, int den) {
  return units_div(s->t, atom(s->t, num), atom(s->t, den));
}

static void assert_format(UnitTable *t, UnitId u, const char *want) {
  char buf[64];
  size_t n = units_format(t, u, buf, sizeof buf);
  assert_string_equal(buf, want);
  assert_int_equal(n, strlen(want));
}

#define EPS 1e-12

/* cmocka 1.1 compares floats only as float; conversions need doubles. */
#define assert_near(a, b, eps) near_at((a), (b), (eps), __FILE__, __LINE__)

static void near_at(double a, double b, double eps, const char *file,
                    int line) {
  if (!(fabs(a - b) <= eps)) {
    print_error("%.17g != %.17g (within %g)\n", a, b, eps);
    _fail(file, line);
  }
}

/* ---- names ---- */

static void test_names(void **state) {
  Std *s = *state;
  UnitTable *t = s->t;
  assert_int_equal(units_lookup(t, "h", 1), s->h);
  assert_int_equal(units_lookup(t, "€", strlen("€")), s->euro);
  assert_int_equal(units_lookup(t, "%", 1), s->percent);
  assert_int_equal(units_lookup(t, "kwartaal", 8), -1);
  /* a length, not a NUL, ends the name */
  assert_int_equal(units_lookup(t, "hours", 1), s->h);
  assert_int_equal(units_declare(t, "week", 4), s->week);
  int k = units_declare(t, "kwartaal", 8);
  assert_int_equal(units_lookup(t, "kwartaal", 8), k);
  assert_string_equal(units_name(t, k), "kwartaal");
  assert_string_equal(units_name(t, s->euro), "€");
  assert_false(units_is_defined(t, k));
  assert_true(units_is_defined(t, s->h));
  assert_true(units_is_defined(t, s->fte));
  define(t, k, 1, atom(t, s->quarter));
  assert_true(units_is_defined(t, k));
  assert_near(factor(s, atom(t, k), s->u_week), 13, EPS);
}

/* ---- interning ---- */

static void test_interning(void **state) {
  Std *s = *state;
  UnitTable *t = s->t;
  UnitId h = s->u_h, week = s->u_week, euro = s->u_euro;
  /* h/week built three ways */
  UnitId a = units_div(t, h, week);
  UnitId b = units_mul(t, h, units_atom(t, s->week, -1));
  UnitId c = units_mul(t, units_pow(t, week, -1), h);
  assert_int_equal(a, s->u_h_week);
  assert_int_equal(a, b);
  assert_int_equal(a, c);
  assert_int_equal(units_mul(t, h, euro), units_mul(t, euro, h));
  assert_int_equal(units_div(t, h, h), UNIT_NONE);
  assert_int_equal(units_mul(t, a, week), h);
  assert_int_equal(units_mul(t, a, units_div(t, week, h)), UNIT_NONE);
  assert_int_equal(units_pow(t, h, 2), units_mul(t, h, h));
  assert_int_equal(units_pow(t, h, 2), units_atom(t, s->h, 2));
  assert_int_equal(units_pow(t, a, 0), UNIT_NONE);
  assert_int_equal(units_pow(t, a, 1), a);
  assert_int_equal(units_pow(t, a, -1), units_div(t, week, h));
  assert_int_equal(units_pow(t, UNIT_NONE, 3), UNIT_NONE);
  assert_int_equal(units_atom(t, s->h, 0), UNIT_NONE);
  assert_int_equal(units_mul(t, UNIT_NONE, a), a);
  assert_int_equal(units_div(t, a, UNIT_NONE), a);
  assert_int_equal(units_div(t, UNIT_NONE, a), units_pow(t, a, -1));
  /* three atoms in any order */
  UnitId x = units_mul(t, units_mul(t, euro, h), week);
  UnitId y = units_mul(t, week, units_mul(t, h, euro));
  assert_int_equal(x, y);
  assert_int_not_equal(x, units_mul(t, h, week));
  /* the memo must not confuse mul and div of the same pair */
  assert_int_not_equal(units_mul(t, h, week), units_div(t, h, week));
  assert_int_equal(units_div(t, units_mul(t, h, week), week), h);
}

/* Many distinct expressions (hash table and memo growth/collisions): every
** product must still agree with one built another way. */
static void test_many_expressions(void **state) {
  Std *s = *state;
  UnitTable *t = s->t;
  int names[40];
  UnitId prod[40][40];
  char buf[16];
  for (int i = 0; i < 40; i++) {
    snprintf(buf, sizeof buf, "x%d", i);
    names[i] = name(t, buf);
    units_define_base(t, names[i]);
  }
  for (int i = 0; i < 40; i++)
    for (int j = 0; j < 40; j++)
      prod[i][j] = units_div(t, units_atom(t, names[i], 2),
                             units_atom(t, names[j], 1));
  for (int i = 0; i < 40; i++) {
    for (int j = 0; j < 40; j++) {
      UnitId other = units_mul(t, units_pow(t, atom(t, names[j]), -1),
                               units_pow(t, atom(t, names[i]), 2));
      assert_int_equal(prod[i][j], other);
      if (i == j) assert_int_equal(prod[i][j], atom(t, names[i]));
    }
  }
  for (int i = 0; i < 40; i++)
    for (int j = 0; j < 40; j++)
      if (i != j) assert_int_not_equal(prod[i][j], prod[j][i]);
}

/* ---- conversion ---- */

static void test_conversions(void **state) {
  Std *s = *state;
  UnitTable *t = s->t;
  UnitId h_quarter = per(s, s->h, s->quarter);
  UnitId fte = atom(t, s->fte), pct = atom(t, s->percent);
  UnitId day = atom(t, s->day), week = s->u_week;
  UnitId month = atom(t, s->month), quarter = atom(t, s->quarter);
  UnitId year = atom(t, s->year);
  assert_near(factor(s, h_quarter, s->u_h_week), 1.0 / 13, EPS);
  assert_near(10 * factor(s, h_quarter, s->u_h_week),
                      0.76923076923077, 1e-14);
  assert_near(factor(s, fte, s->u_h_week), 36, 0);
  assert_near(factor(s, s->u_h_week, fte), 1.0 / 36, EPS);
  assert_near(factor(s, pct, UNIT_NONE), 0.01, 0);
  assert_near(factor(s, UNIT_NONE, pct), 100, EPS);
  assert_near(factor(s, day, week), 1.0 / 7, EPS);
  assert_near(factor(s, week, day), 7, EPS);
  assert_near(factor(s, month, week), 52.0 / 12, EPS);
  assert_near(factor(s, year, month), 12, EPS);
  assert_near(factor(s, year, quarter), 4, EPS);
  assert_near(factor(s, quarter, month), 3, EPS);
  assert_near(factor(s, year, day), 364, 1e-9);
  assert_near(factor(s, atom(t, s->uur), s->u_h), 1, 0);
  assert_near(factor(s, per(s, s->uur, s->week), s->u_h_week), 1, 0);
  assert_near(factor(s, fte, per(s, s->h, s->year)), 36 * 52, 1e-9);
  assert_near(factor(s, per(s, s->euro, s->year),
                             per(s, s->euro, s->month)),
                      1.0 / 12, EPS);
  /* €/(fte·week) is €/(36 h) */
  UnitId e_fte_w = units_div(t, units_div(t, s->u_euro, fte), week);
  assert_near(factor(s, e_fte_w, per(s, s->euro, s->h)), 1.0 / 36,
                      EPS);
  assert_near(factor(s, s->u_h, s->u_h), 1, 0);
  assert_near(factor(s, UNIT_NONE, UNIT_NONE), 1, 0);
  /* squares: quarter^2 → week^2 */
  assert_near(factor(s, units_pow(t, quarter, 2),
                             units_pow(t, week, 2)),
                      169, EPS);
  assert_near(factor(s, units_pow(t, quarter, -2),
                             units_pow(t, week, -2)),
                      1.0 / 169, EPS);
}

static void test_reduce(void **state) {
  Std *s = *state;
  UnitTable *t = s->t;
  double scale = 0;
  UnitId base = 99;
  int bad = -7;
  assert_int_equal(units_reduce(t, atom(t, s->fte), &scale, &base, &bad),
                   UNIT_OK);
  assert_near(scale, 36, 0);
  assert_int_equal(base, s->u_h_week);
  assert_int_equal(units_reduce(t, atom(t, s->percent), &scale, &base, &bad),
                   UNIT_OK);
  assert_near(scale, 0.01, 0);
  assert_int_equal(base, UNIT_NONE);
  assert_int_equal(units_reduce(t, UNIT_NONE, &scale, &base, &bad), UNIT_OK);
  assert_near(scale, 1, 0);
  assert_int_equal(base, UNIT_NONE);
  /* fte·quarter = 36·13 h */
  UnitId fq = units_mul(t, atom(t, s->fte), atom(t, s->quarter));
  assert_int_equal(units_reduce(t, fq, &scale, &base, &bad), UNIT_OK);
  assert_near(scale, 36 * 13, EPS);
  assert_int_equal(base, s->u_h);
  assert_int_equal(bad, -7); /* untouched on success */
}

static void test_incompatible(void **state) {
  Std *s = *state;
  UnitTable *t = s->t;
  int bad = -1;
  assert_int_equal(try_factor(s, s->u_h, s->u_week, &bad), UNIT_INCOMPATIBLE);
  assert_int_equal(try_factor(s, s->u_euro, s->u_h, &bad), UNIT_INCOMPATIBLE);
  assert_int_equal(try_factor(s, s->u_h_week, s->u_h, &bad),
                   UNIT_INCOMPATIBLE);
  assert_int_equal(try_factor(s, atom(t, s->fte), s->u_h, &bad),
                   UNIT_INCOMPATIBLE);
  assert_int_equal(try_factor(s, atom(t, s->percent), s->u_h, &bad),
                   UNIT_INCOMPATIBLE);
  assert_int_equal(try_factor(s, UNIT_NONE, atom(t, s->day), &bad),
                   UNIT_INCOMPATIBLE);
  assert_int_equal(try_factor(s, per(s, s->euro, s->year), s->u_euro, &bad),
                   UNIT_INCOMPATIBLE);
}

static void test_pending(void **state) {
  Std *s = *state;
  UnitTable *t = s->t;
  int foo = name(t, "foo"), bar = name(t, "bar");
  int bad = -1;
  double f = 0;
  define(t, bar, 2, units_mul(t, atom(t, foo), s->u_h));
  assert_int_equal(try_factor(s, atom(t, foo), s->u_h, &bad), UNIT_PENDING);
  assert_int_equal(bad, foo);
  bad = -1;
  assert_int_equal(try_factor(s, s->u_h, atom(t, foo), &bad), UNIT_PENDING);
  assert_int_equal(bad, foo);
  bad = -1; /* through a definition, and again from the cache */
  for (int i = 0; i < 2; i++) {
    assert_int_equal(try_factor(s, atom(t, bar), s->u_h, &bad), UNIT_PENDING);
    assert_int_equal(bad, foo);
  }
  assert_false(units_dimensionless(t, atom(t, foo)));
  /* the definition arrives: everything works */
  units_define_base(t, foo);
  assert_int_equal(units_factor(t, atom(t, bar),
                                units_mul(t, atom(t, foo), s->u_h), &f, &bad),
                   UNIT_OK);
  assert_near(f, 2, 0);
}

static void test_cycles(void **state) {
  Std *s = *state;
  UnitTable *t = s->t;
  int a = name(t, "a"), b = name(t, "b"), c = name(t, "c");
  int bad = -1;
  define(t, a, 2, atom(t, b));
  assert_int_equal(units_define(t, b, 3, atom(t, a)), UNIT_CYCLE);
  assert_false(units_is_defined(t, b)); /* no change made */
  assert_int_equal(try_factor(s, atom(t, a), s->u_h, &bad), UNIT_PENDING);
  assert_int_equal(bad, b);
  /* directly, and hidden inside a product */
  assert_int_equal(units_define(t, c, 2, atom(t, c)), UNIT_CYCLE);
  assert_int_equal(units_define(t, c, 2, units_mul(t, s->u_h, atom(t, c))),
                   UNIT_CYCLE);
  assert_false(units_is_defined(t, c));
  /* through a chain x = 2 y, y = 2 z, z = x */
  int x = name(t, "x"), y = name(t, "y"), z = name(t, "z");
  define(t, x, 2, atom(t, y));
  define(t, y, 2, atom(t, z));
  assert_int_equal(units_define(t, z, 1, units_div(t, atom(t, x), s->u_h)),
                   UNIT_CYCLE);
  /* an existing definition is kept when its replacement is rejected */
  define(t, z, 5, s->u_h);
  assert_int_equal(units_define(t, z, 1, atom(t, x)), UNIT_CYCLE);
  assert_near(factor(s, atom(t, x), s->u_h), 20, 0);
  /* c/c cancels: no dependency left */
  assert_int_equal(units_define(t, c, 3, units_div(t, atom(t, c), atom(t, c))),
                   UNIT_OK);
  /* redefining a so it no longer uses b makes b = 3 a legal */
  define(t, a, 2, s->u_h);
  define(t, b, 3, atom(t, a));
  assert_near(factor(s, atom(t, b), s->u_h), 6, 0);
  /* a shared sub-definition (diamond) is not a cycle */
  int d = name(t, "d");
  define(t, d, 1, units_mul(t, atom(t, a), atom(t, b)));
  assert_near(factor(s, atom(t, d), units_pow(t, s->u_h, 2)), 12, 0);
}

static void test_redefinition(void **state) {
  Std *s = *state;
  UnitTable *t = s->t;
  UnitId fte = atom(t, s->fte);
  UnitId half_fte_in = per(s, s->h, s->year);
  int bad = -1;
  assert_near(factor(s, fte, s->u_h_week), 36, 0);
  assert_near(factor(s, fte, half_fte_in), 36 * 52, 1e-9);
  define(t, s->fte, 40, s->u_h_week);
  assert_near(factor(s, fte, s->u_h_week), 40, 0);
  assert_near(factor(s, fte, half_fte_in), 40 * 52, 1e-9);
  /* a dependency further down: a year of 50 weeks changes h/year too */
  define(t, s->year, 50, s->u_week);
  assert_near(factor(s, fte, half_fte_in), 40 * 50, 1e-9);
  assert_near(factor(s, atom(t, s->year), atom(t, s->quarter)),
                      50.0 / 13, EPS);
  /* a derived unit becoming a base unit of its own */
  assert_near(factor(s, atom(t, s->quarter), s->u_week), 13, 0);
  units_define_base(t, s->quarter);
  assert_int_equal(try_factor(s, atom(t, s->quarter), s->u_week, &bad),
                   UNIT_INCOMPATIBLE);
  define(t, s->quarter, 12, s->u_week);
  assert_near(factor(s, atom(t, s->quarter), s->u_week), 12, 0);
  assert_near(factor(s, per(s, s->h, s->quarter), s->u_h_week),
                      1.0 / 12, EPS);
}

static void test_dimensionless(void **state) {
  Std *s = *state;
  UnitTable *t = s->t;
  assert_true(units_dimensionless(t, UNIT_NONE));
  assert_true(units_dimensionless(t, atom(t, s->percent)));
  assert_true(units_dimensionless(t, units_pow(t, atom(t, s->percent), 2)));
  assert_true(units_dimensionless(t, units_div(t, atom(t, s->year),
                                               atom(t, s->day))));
  /* fte·week/h: 36 h/week · week / h */
  assert_true(units_dimensionless(
      t, units_div(t, units_mul(t, atom(t, s->fte), s->u_week), s->u_h)));
  assert_false(units_dimensionless(t, s->u_h));
  assert_false(units_dimensionless(t, atom(t, s->fte)));
  assert_false(units_dimensionless(t, s->u_euro));
  int p = name(t, "promille");
  assert_false(units_dimensionless(t, atom(t, p)));
  define(t, p, 0.001, UNIT_NONE);
  assert_true(units_dimensionless(t, atom(t, p)));
  assert_near(factor(s, atom(t, p), atom(t, s->percent)), 0.1, EPS);
}

/* ---- display ---- */

static void test_format(void **state) {
  Std *s = *state;
  UnitTable *t = s->t;
  int m = name(t, "m"), sec = name(t, "s");
  UnitId week = s->u_week, h = s->u_h, euro = s->u_euro;
  assert_format(t, UNIT_NONE, "");
  assert_format(t, h, "h");
  assert_format(t, euro, "€");
  assert_format(t, atom(t, s->percent), "%");
  assert_format(t, s->u_h_week, "h/week");
  assert_format(t, per(s, s->euro, s->year), "€/year");
  assert_format(t, units_div(t, units_mul(t, h, atom(t, s->quarter)), week),
                "h·quarter/week");
  assert_format(t, units_mul(t, atom(t, s->quarter), units_div(t, h, week)),
                "h·quarter/week"); /* canonical (declaration) order */
  assert_format(t, units_atom(t, m, 2), "m^2");
  assert_format(t, units_pow(t, week, -1), "1/week");
  assert_format(t, units_atom(t, sec, -2), "1/s^2");
  assert_format(t, units_div(t, atom(t, m), units_atom(t, sec, 2)), "m/s^2");
  assert_format(t, units_div(t, euro, units_mul(t, h, week)), "€/(h·week)");
  assert_format(t, units_div(t, UNIT_NONE, units_mul(t, h, week)),
                "1/(h·week)");
  assert_format(t, units_div(t, units_atom(t, m, 2), units_atom(t, sec, 2)),
                "m^2/s^2");
  assert_format(t, units_mul(t, units_atom(t, s->h, 3), units_atom(t, m, 2)),
                "h^3·m^2");
  assert_format(t, units_div(t, units_mul(t, euro, h),
                             units_mul(t, units_atom(t, sec, 2), week)),
                "h·€/(week·s^2)");
}

static void test_format_truncation(void **state) {
  Std *s = *state;
  UnitTable *t = s->t;
  UnitId u = units_div(t, s->u_euro, units_mul(t, s->u_h, s->u_week));
  const char *full = "€/(h·week)";
  size_t len = strlen(full);
  char buf[32];
  for (size_t cap = 0; cap <= len + 1; cap++) {
    memset(buf, 'X', sizeof buf);
    assert_int_equal(units_format(t, u, buf, cap), len);
    if (cap > 0) {
      assert_int_equal(strlen(buf), cap - 1);
      assert_memory_equal(buf, full, cap - 1);
    }
    assert_int_equal(buf[cap], 'X'); /* nothing written past cap */
  }
  assert_int_equal(units_format(t, u, NULL, 0), len);
  assert_int_equal(units_format(t, UNIT_NONE, NULL, 0), 0);
}

static void test_predicates(void **state) {
  Std *s = *state;
  UnitTable *t = s->t;
  UnitId rest = 12345;
  UnitId e = s->u_euro, year = atom(t, s->year);
  UnitId e_year = units_div(t, e, year);
  assert_true(units_is_money(t, e));
  assert_false(units_is_money(t, UNIT_NONE));
  assert_false(units_is_money(t, e_year));
  assert_false(units_is_money(t, units_pow(t, e, 2)));
  assert_false(units_is_money(t, s->u_h));

  assert_true(units_is_money_per(t, e_year, &rest));
  assert_int_equal(rest, year);
  assert_format(t, rest, "year");
  assert_true(units_is_money_per(t, per(s, s->euro, s->h), &rest));
  assert_int_equal(rest, s->u_h);
  UnitId e_hw = units_div(t, e, units_mul(t, s->u_h, s->u_week));
  assert_true(units_is_money_per(t, e_hw, &rest));
  assert_format(t, rest, "h·week");
  assert_true(units_is_money_per(t, units_div(t, e, units_pow(t, year, 2)),
                                 &rest));
  assert_int_equal(rest, units_pow(t, year, 2));
  assert_false(units_is_money_per(t, e, &rest));
  assert_false(units_is_money_per(t, UNIT_NONE, &rest));
  assert_false(units_is_money_per(t, units_mul(t, e, s->u_h), &rest));
  assert_false(units_is_money_per(t, units_div(t, units_pow(t, e, 2), year),
                                  &rest));
  assert_false(units_is_money_per(t, units_div(t, year, e), &rest));
  assert_false(units_is_money_per(t, s->u_h_week, &rest));

  assert_true(units_is_percent(t, atom(t, s->percent)));
  assert_false(units_is_percent(t, UNIT_NONE));
  assert_false(units_is_percent(t, units_pow(t, atom(t, s->percent), 2)));
  assert_false(units_is_percent(t, units_div(t, atom(t, s->percent),
                                             s->u_week)));
}

/* Without € or % declared nothing is money or a percentage. */
static void test_predicates_empty_table(void **state) {
  Heap heap = {0, 0};
  UnitTable *t = units_new(check_realloc, &heap);
  UnitId rest;
  int h = name(t, "h");
  (void)state;
  units_define_base(t, h);
  assert_false(units_is_money(t, atom(t, h)));
  assert_false(units_is_money_per(t, units_pow(t, atom(t, h), -1), &rest));
  assert_false(units_is_percent(t, atom(t, h)));
  assert_false(units_is_money(t, UNIT_NONE));
  units_free(t);
  assert_int_equal(heap.live_bytes, 0);
  assert_int_equal(heap.live_blocks, 0);
}

/* ---- growth and caches ---- */

static void test_many_names(void **state) {
  Heap heap = {0, 0};
  UnitTable *t = units_new(check_realloc, &heap);
  enum { N = 1000 };
  int idx[N];
  char buf[32];
  double f = 0;
  int bad = -1;
  (void)state;
  /* n0 base; n_i = 2 n_(i-1): a chain 1000 definitions deep */
  for (int i = 0; i < N; i++) {
    snprintf(buf, sizeof buf, "eenheid_%d", i);
    idx[i] = units_declare(t, buf, strlen(buf));
    assert_int_equal(idx[i], i);
    if (i == 0) units_define_base(t, idx[0]);
    else define(t, idx[i], 2, atom(t, idx[i - 1]));
  }
  for (int i = 0; i < N; i++) {
    snprintf(buf, sizeof buf, "eenheid_%d", i);
    assert_int_equal(units_lookup(t, buf, strlen(buf)), idx[i]);
    assert_string_equal(units_name(t, idx[i]), buf);
    assert_int_equal(units_declare(t, buf, strlen(buf)), idx[i]);
  }
  assert_int_equal(units_lookup(t, "eenheid_1000", 12), -1);
  assert_int_equal(units_factor(t, atom(t, idx[N - 1]), atom(t, idx[0]), &f,
                                &bad),
                   UNIT_OK);
  assert_near(f, ldexp(1, N - 1), 0);
  assert_int_equal(units_factor(t, atom(t, idx[10]), atom(t, idx[3]), &f,
                                &bad),
                   UNIT_OK);
  assert_near(f, 128, 0);
  /* the cache follows a redefinition at the bottom of the chain */
  define(t, idx[1], 4, atom(t, idx[0]));
  assert_int_equal(units_factor(t, atom(t, idx[N - 1]), atom(t, idx[0]), &f,
                                &bad),
                   UNIT_OK);
  assert_near(f, ldexp(1, N), 0);
  /* and a cycle through the whole chain is still found */
  assert_int_equal(units_define(t, idx[0], 1, atom(t, idx[N - 1])),
                   UNIT_CYCLE);
  units_free(t);
  assert_int_equal(heap.live_bytes, 0);
  assert_int_equal(heap.live_blocks, 0);
}

static void test_cache_invalidation(void **state) {
  Std *s = *state;
  UnitTable *t = s->t;
  UnitId q = atom(t, s->quarter), hq = per(s, s->h, s->quarter);
  int bad = -1;
  /* warm the caches */
  for (int i = 0; i < 3; i++) {
    assert_near(factor(s, q, s->u_week), 13, 0);
    assert_near(factor(s, hq, s->u_h_week), 1.0 / 13, EPS);
  }
  define(t, s->quarter, 12, s->u_week);
  assert_near(factor(s, q, s->u_week), 12, 0);
  assert_near(factor(s, hq, s->u_h_week), 1.0 / 12, EPS);
  /* the chain below a cached expression gets longer, then changes */
  define(t, s->quarter, 3, atom(t, s->month));
  assert_near(factor(s, q, s->u_week), 13, EPS);
  define(t, s->month, 4, s->u_week);
  assert_near(factor(s, q, s->u_week), 12, EPS);
  /* a name that was base in a cached reduction becomes derived */
  UnitId e = s->u_euro;
  assert_int_equal(try_factor(s, e, s->u_h, &bad), UNIT_INCOMPATIBLE);
  define(t, s->euro, 0.5, s->u_h);
  assert_near(factor(s, e, s->u_h), 0.5, 0);
  assert_near(factor(s, per(s, s->euro, s->year), s->u_h_week),
                      0.5 / 52, EPS);
}

/* 100 000 units, each defined by the one before: defining them stays
** linear (a new name cannot change what was already reduced), and reducing
** the last after the first changed walks the chain without recursion. */
static void test_long_chain(void **state) {
  Heap heap = {0, 0};
  UnitTable *t = units_new(check_realloc, &heap);
  enum { N = 100000 };
  char buf[32];
  double f = 0;
  int bad = -1, first = -1, prev = -1;
  (void)state;
  for (int i = 0; i < N; i++) {
    snprintf(buf, sizeof buf, "schakel_%d", i);
    int n = units_declare(t, buf, strlen(buf));
    if (i == 0) {
      first = n;
      units_define_base(t, n);
    } else {
      /* as the interpreter does: reduce the definition, then define */
      assert_int_equal(units_reduce(t, atom(t, prev), NULL, NULL, &bad), UNIT_OK);
      define(t, n, i == 1 ? 2 : 1, atom(t, prev));
    }
    prev = n;
  }
  assert_int_equal(units_factor(t, atom(t, prev), atom(t, first), &f, &bad), UNIT_OK);
  assert_near(f, 2, 0);
  /* the first becomes derived: every cached reduction is stale */
  int h = units_declare(t, "h", 1);
  units_define_base(t, h);
  define(t, first, 60, atom(t, h));
  assert_int_equal(units_factor(t, atom(t, prev), atom(t, h), &f, &bad), UNIT_OK);
  assert_near(f, 120, 0);
  /* and a cycle through the whole chain is still found */
  assert_int_equal(units_define(t, first, 1, atom(t, prev)), UNIT_CYCLE);
  units_free(t);
  assert_int_equal(heap.live_blocks, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_names, setup_std, teardown_std),
      cmocka_unit_test_setup_teardown(test_interning, setup_std, teardown_std),
      cmocka_unit_test_setup_teardown(test_many_expressions, setup_std,
                                      teardown_std),
      cmocka_unit_test_setup_teardown(test_conversions, setup_std,
                                      teardown_std),
      cmocka_unit_test_setup_teardown(test_reduce, setup_std, teardown_std),
      cmocka_unit_test_setup_teardown(test_incompatible, setup_std,
                                      teardown_std),
      cmocka_unit_test_setup_teardown(test_pending, setup_std, teardown_std),
      cmocka_unit_test_setup_teardown(test_cycles, setup_std, teardown_std),
      cmocka_unit_test_setup_teardown(test_redefinition, setup_std,
                                      teardown_std),
      cmocka_unit_test_setup_teardown(test_dimensionless, setup_std,
                                      teardown_std),
      cmocka_unit_test_setup_teardown(test_format, setup_std, teardown_std),
      cmocka_unit_test_setup_teardown(test_format_truncation, setup_std,
                                      teardown_std),
      cmocka_unit_test_setup_teardown(test_predicates, setup_std,
                                      teardown_std),
      cmocka_unit_test(test_predicates_empty_table),
      cmocka_unit_test(test_many_names),
      cmocka_unit_test(test_long_chain),
      cmocka_unit_test_setup_teardown(test_cache_invalidation, setup_std,
                                      teardown_std),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

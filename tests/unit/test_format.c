/*
** test_format.c — numbers, money, quantities and ranges in both locales,
** the spreadsheet rounding rule, and snprintf-style truncation.
*/
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format.h"
#include "units.h"

#define NL LOCALE_NL
#define EN LOCALE_EN

/* Each check formats into a roomy buffer and compares text and length. */
#define CHECK(call, want)                                 \
  do {                                                    \
    char buf[512];                                        \
    size_t cap = sizeof buf;                              \
    size_t got_ = (call);                                 \
    assert_string_equal(buf, (want));                     \
    assert_int_equal(got_, strlen(want));                 \
  } while (0)

/* The same call with every cap from 0 to past the full length: the return
** value never changes, the text is a NUL-terminated prefix, and nothing is
** written at or past buf[cap]. */
#define CHECK_TRUNCATION(call, want)                      \
  do {                                                    \
    size_t len_ = strlen(want);                           \
    for (size_t cap = 0; cap <= len_ + 2; cap++) {        \
      char buf[512];                                      \
      memset(buf, 'X', sizeof buf);                       \
      assert_int_equal((call), len_);                     \
      if (cap > 0) {                                      \
        size_t n_ = cap - 1 < len_ ? cap - 1 : len_;      \
        assert_int_equal(strlen(buf), n_);                \
        assert_memory_equal(buf, (want), n_);             \
      }                                                   \
      assert_int_equal(buf[cap], 'X');                     \
    }                                                     \
  } while (0)

/* ---- fixture: the standard units ---- */

typedef struct Fix {
  UnitTable *t;
  UnitId h, week, h_week, h_quarter, euro, euro_year, euro_h, euro_hw,
      percent, fte, m2, per_week;
} Fix;

static void *plain_realloc(void *ud, void *ptr, size_t old_size,
                           size_t new_size) {
  (void)ud;
  (void)old_size;
  if (new_size == 0) {
    free(ptr);
    return NULL;
  }
  ptr = realloc(ptr, new_size);
  assert_non_null(ptr);
  return ptr;
}

static int declare(UnitTable *t, const char *s) {
  return units_declare(t, s, strlen(s));
}

static int setup(void **state) {
  Fix *f = calloc(1, sizeof *f);
  UnitTable *t = f->t = units_new(plain_realloc, NULL);
  int h = declare(t, "h"), week = declare(t, "week"), euro = declare(t, "€");
  int year = declare(t, "year"), quarter = declare(t, "quarter");
  int fte = declare(t, "fte"), pct = declare(t, "%"), m = declare(t, "m");
  units_define_base(t, h);
  units_define_base(t, week);
  units_define_base(t, euro);
  units_define_base(t, m);
  f->h = units_atom(t, h, 1);
  f->week = units_atom(t, week, 1);
  f->h_week = units_div(t, f->h, f->week);
  units_define(t, year, 52, f->week);
  units_define(t, quarter, 13, f->week);
  units_define(t, fte, 36, f->h_week);
  units_define(t, pct, 0.01, UNIT_NONE);
  f->h_quarter = units_div(t, f->h, units_atom(t, quarter, 1));
  f->euro = units_atom(t, euro, 1);
  f->euro_year = units_div(t, f->euro, units_atom(t, year, 1));
  f->euro_h = units_div(t, f->euro, f->h);
  f->euro_hw = units_div(t, f->euro_h, f->week);
  f->percent = units_atom(t, pct, 1);
  f->fte = units_atom(t, fte, 1);
  f->m2 = units_atom(t, m, 2);
  f->per_week = units_atom(t, week, -1);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  Fix *f = *state;
  units_free(f->t);
  free(f);
  return 0;
}

/* ---- fmt_number ---- */

static void test_number(void **state) {
  (void)state;
  CHECK(fmt_number(buf, cap, 3, NL), "3");
  CHECK(fmt_number(buf, cap, 0.5, NL), "0,5");
  CHECK(fmt_number(buf, cap, 0.5, EN), "0.5");
  CHECK(fmt_number(buf, cap, 10.0 / 4, NL), "2,5");
  CHECK(fmt_number(buf, cap, 10.0 / 13, NL), "0,76923076923077");
  CHECK(fmt_number(buf, cap, 10.0 / 13, EN), "0.76923076923077");
  CHECK(fmt_number(buf, cap, 3 + 10.0 / 13, NL), "3,7692307692308");
  CHECK(fmt_number(buf, cap, -2.25, NL), "-2,25");
  CHECK(fmt_number(buf, cap, -2.25, EN), "-2.25");
  CHECK(fmt_number(buf, cap, 12.88, NL), "12,88");
  CHECK(fmt_number(buf, cap, 12.88, EN), "12.88");
  CHECK(fmt_number(buf, cap, 0.1 + 0.2, NL), "0,3");
  CHECK(fmt_number(buf, cap, 27.5 / 100 * 40, NL), "11");
  CHECK(fmt_number(buf, cap, 1e20, NL), "1e+20");
  CHECK(fmt_number(buf, cap, 1e20, EN), "1e+20");
  CHECK(fmt_number(buf, cap, 1.5e-7, NL), "1,5e-07");
  CHECK(fmt_number(buf, cap, -1.5e300, EN), "-1.5e+300");
  CHECK(fmt_number(buf, cap, 123456789012.0, NL), "123456789012");
  CHECK(fmt_number(buf, cap, 12345678901234.0, NL), "12345678901234");
  /* whole numbers up to 2^53 in full: each is exact (a regression: 15 digits
  ** lost one, 123456789012345 showed as 1,2345678901234e+14) */
  CHECK(fmt_number(buf, cap, 1e15, NL), "1000000000000000");
  CHECK(fmt_number(buf, cap, 123456789012345.0, NL), "123456789012345");
  CHECK(fmt_number(buf, cap, 9007199254740992.0, NL), "9007199254740992");
  CHECK(fmt_number(buf, cap, 1e16, NL), "1e+16");
  CHECK(fmt_number(buf, cap, 1234567.891, NL), "1234567,891"); /* no groups */
  CHECK(fmt_number(buf, cap, 0, NL), "0");
  CHECK(fmt_number(buf, cap, -0.0, NL), "0");
  CHECK(fmt_number(buf, cap, -0.0, EN), "0");
  CHECK(fmt_number(buf, cap, INFINITY, NL), "∞");
  CHECK(fmt_number(buf, cap, -INFINITY, NL), "-∞");
  CHECK(fmt_number(buf, cap, -INFINITY, EN), "-∞");
  CHECK(fmt_number(buf, cap, NAN, NL), "NaN");
  CHECK(fmt_number(buf, cap, NAN, EN), "NaN");
}

/* ---- fmt_fixed ---- */

static void test_fixed_rounding(void **state) {
  (void)state;
  /* binary values just below the half: the 15-digit step rescues them */
  CHECK(fmt_fixed(buf, cap, 2.675, 2, 0, NL), "2,68");
  CHECK(fmt_fixed(buf, cap, 2.675, 2, 0, EN), "2.68");
  CHECK(fmt_fixed(buf, cap, 1.005, 2, 0, NL), "1,01");
  CHECK(fmt_fixed(buf, cap, 0.045, 2, 0, NL), "0,05");
  CHECK(fmt_fixed(buf, cap, 0.125, 2, 0, NL), "0,13");
  CHECK(fmt_fixed(buf, cap, -0.125, 2, 0, NL), "-0,13");
  CHECK(fmt_fixed(buf, cap, 0.005, 2, 0, NL), "0,01");
  CHECK(fmt_fixed(buf, cap, 0.0049, 2, 0, NL), "0,00");
  /* half away from zero */
  CHECK(fmt_fixed(buf, cap, 0.5, 0, 0, NL), "1");
  CHECK(fmt_fixed(buf, cap, 1.5, 0, 0, NL), "2");
  CHECK(fmt_fixed(buf, cap, 2.5, 0, 0, NL), "3");
  CHECK(fmt_fixed(buf, cap, -2.5, 0, 0, NL), "-3");
  CHECK(fmt_fixed(buf, cap, -0.5, 0, 0, EN), "-1");
  CHECK(fmt_fixed(buf, cap, 0.49, 0, 0, NL), "0");
  /* carries through every digit */
  CHECK(fmt_fixed(buf, cap, 9.995, 2, 0, NL), "10,00");
  CHECK(fmt_fixed(buf, cap, 99.5, 0, 0, NL), "100");
  CHECK(fmt_fixed(buf, cap, 999.995, 2, 1, NL), "1.000,00");
  CHECK(fmt_fixed(buf, cap, 999.995, 2, 1, EN), "1,000.00");
  CHECK(fmt_fixed(buf, cap, -999.995, 2, 1, NL), "-1.000,00");
  /* zero and values that round to zero print without a minus */
  CHECK(fmt_fixed(buf, cap, -0.004, 2, 0, NL), "0,00");
  CHECK(fmt_fixed(buf, cap, -0.004, 2, 0, EN), "0.00");
  CHECK(fmt_fixed(buf, cap, -0.0, 2, 0, NL), "0,00");
  CHECK(fmt_fixed(buf, cap, 0, 3, 0, NL), "0,000");
  CHECK(fmt_fixed(buf, cap, -0.4, 0, 0, NL), "0");
  CHECK(fmt_fixed(buf, cap, 1e-20, 2, 0, NL), "0,00");
  CHECK(fmt_fixed(buf, cap, -1e-300, 2, 0, NL), "0,00");
  /* beyond 15 significant digits only zeros */
  CHECK(fmt_fixed(buf, cap, 0.1 + 0.2, 17, 0, NL), "0,30000000000000000");
  CHECK(fmt_fixed(buf, cap, 123.456, 5, 0, NL), "123,45600");
  CHECK(fmt_fixed(buf, cap, 1.0 / 3, 20, 0, EN), "0.33333333333333300000");
  CHECK(fmt_fixed(buf, cap, 123456789.125, 2, 0, NL), "123456789,13");
  /* negative decimals count as none */
  CHECK(fmt_fixed(buf, cap, 12.5, -1, 0, NL), "13");
  CHECK(fmt_fixed(buf, cap, 12.4, 0, 0, NL), "12");
}

static void test_fixed_grouping(void **state) {
  (void)state;
  CHECK(fmt_fixed(buf, cap, 999, 0, 1, NL), "999");
  CHECK(fmt_fixed(buf, cap, 1000, 0, 1, NL), "1.000");
  CHECK(fmt_fixed(buf, cap, 1000, 0, 1, EN), "1,000");
  CHECK(fmt_fixed(buf, cap, 1000, 0, 0, NL), "1000");
  CHECK(fmt_fixed(buf, cap, 999999, 0, 1, NL), "999.999");
  CHECK(fmt_fixed(buf, cap, 1000000, 0, 1, NL), "1.000.000");
  CHECK(fmt_fixed(buf, cap, 100000, 2, 1, NL), "100.000,00");
  CHECK(fmt_fixed(buf, cap, 1234567.891, 2, 1, NL), "1.234.567,89");
  CHECK(fmt_fixed(buf, cap, 1234567.891, 2, 1, EN), "1,234,567.89");
  CHECK(fmt_fixed(buf, cap, 1234567.891, 2, 0, NL), "1234567,89");
  CHECK(fmt_fixed(buf, cap, 1234567.891, 2, 0, EN), "1234567.89");
  CHECK(fmt_fixed(buf, cap, -1234567.891, 2, 1, NL), "-1.234.567,89");
  CHECK(fmt_fixed(buf, cap, -1234567.891, 2, 1, EN), "-1,234,567.89");
  CHECK(fmt_fixed(buf, cap, -999, 0, 1, NL), "-999");
  CHECK(fmt_fixed(buf, cap, -1000, 0, 1, NL), "-1.000");
  CHECK(fmt_fixed(buf, cap, 0.5, 2, 1, NL), "0,50");
  CHECK(fmt_fixed(buf, cap, 1e15, 0, 1, NL), "1.000.000.000.000.000");
  CHECK(fmt_fixed(buf, cap, 1e15, 2, 1, EN), "1,000,000,000,000,000.00");
  CHECK(fmt_fixed(buf, cap, 12.88, 2, 1, NL), "12,88");
}

static void test_fixed_huge_and_special(void **state) {
  char big[400];
  (void)state;
  /* 1e300 has 301 integer digits: a 1 and 300 zeros */
  assert_int_equal(fmt_fixed(big, sizeof big, 1e300, 0, 0, NL), 301);
  assert_int_equal(big[0], '1');
  assert_int_equal(strspn(big + 1, "0"), 300);
  assert_int_equal(fmt_fixed(NULL, 0, 1e300, 0, 1, NL), 301 + 100);
  CHECK(fmt_fixed(buf, cap, INFINITY, 2, 1, NL), "∞");
  CHECK(fmt_fixed(buf, cap, -INFINITY, 2, 1, EN), "-∞");
  CHECK(fmt_fixed(buf, cap, NAN, 2, 1, NL), "NaN");
}

/* ---- fmt_money ---- */

static void test_money_nl(void **state) {
  (void)state;
  CHECK(fmt_money(buf, cap, 5000, 0, NL), "€ 5.000");
  CHECK(fmt_money(buf, cap, 13378.96, 0, NL), "€ 13.378,96");
  CHECK(fmt_money(buf, cap, -1234.5, 0, NL), "€ -1.234,50");
  CHECK(fmt_money(buf, cap, 0, 0, NL), "€ 0");
  CHECK(fmt_money(buf, cap, -0.0, 0, NL), "€ 0");
  CHECK(fmt_money(buf, cap, -0.004, 0, NL), "€ 0");
  CHECK(fmt_money(buf, cap, 0.005, 0, NL), "€ 0,01");
  CHECK(fmt_money(buf, cap, 0.5, 0, NL), "€ 0,50");
  CHECK(fmt_money(buf, cap, 18000, 0, NL), "€ 18.000");
  CHECK(fmt_money(buf, cap, 22500, 0, NL), "€ 22.500");
  CHECK(fmt_money(buf, cap, 999, 0, NL), "€ 999");
  CHECK(fmt_money(buf, cap, 1000, 0, NL), "€ 1.000");
  CHECK(fmt_money(buf, cap, 999.995, 0, NL), "€ 1.000");
  CHECK(fmt_money(buf, cap, 999.994, 0, NL), "€ 999,99");
  CHECK(fmt_money(buf, cap, 2.675, 0, NL), "€ 2,68");
  CHECK(fmt_money(buf, cap, 1234567.891, 0, NL), "€ 1.234.567,89");
  CHECK(fmt_money(buf, cap, 5000, 1, NL), "€ 5.000,00");
  CHECK(fmt_money(buf, cap, 0, 1, NL), "€ 0,00");
  CHECK(fmt_money(buf, cap, 13378.96, 1, NL), "€ 13.378,96");
  CHECK(fmt_money(buf, cap, 1e15, 0, NL), "€ 1.000.000.000.000.000");
  CHECK(fmt_money(buf, cap, -1e15, 1, NL), "€ -1.000.000.000.000.000,00");
  CHECK(fmt_money(buf, cap, 1e20, 0, NL), "€ 100.000.000.000.000.000.000");
  CHECK(fmt_money(buf, cap, INFINITY, 0, NL), "€ ∞");
  CHECK(fmt_money(buf, cap, -INFINITY, 0, NL), "€ -∞");
  CHECK(fmt_money(buf, cap, NAN, 1, NL), "€ NaN");
}

static void test_money_en(void **state) {
  (void)state;
  CHECK(fmt_money(buf, cap, 5000, 0, EN), "€5,000");
  CHECK(fmt_money(buf, cap, 13378.96, 0, EN), "€13,378.96");
  CHECK(fmt_money(buf, cap, -1234.5, 0, EN), "-€1,234.50");
  CHECK(fmt_money(buf, cap, 0, 0, EN), "€0");
  CHECK(fmt_money(buf, cap, -0.004, 0, EN), "€0");
  CHECK(fmt_money(buf, cap, -0.005, 0, EN), "-€0.01");
  CHECK(fmt_money(buf, cap, 5000, 1, EN), "€5,000.00");
  CHECK(fmt_money(buf, cap, 40000, 0, EN), "€40,000");
  CHECK(fmt_money(buf, cap, 1e15, 0, EN), "€1,000,000,000,000,000");
  CHECK(fmt_money(buf, cap, INFINITY, 0, EN), "€∞");
  CHECK(fmt_money(buf, cap, -INFINITY, 0, EN), "-€∞");
  CHECK(fmt_money(buf, cap, NAN, 0, EN), "€NaN");
}

/* ---- fmt_quantity ---- */

static void test_quantity(void **state) {
  Fix *f = *state;
  UnitTable *t = f->t;
  CHECK(fmt_quantity(buf, cap, 3, t, f->h_week, NL), "3 h/week");
  CHECK(fmt_quantity(buf, cap, 3, t, f->h_week, EN), "3 h/week");
  CHECK(fmt_quantity(buf, cap, 10.0 / 13, t, f->h_week, NL),
        "0,76923076923077 h/week");
  CHECK(fmt_quantity(buf, cap, 3 + 10.0 / 13, t, f->h_week, NL),
        "3,7692307692308 h/week");
  CHECK(fmt_quantity(buf, cap, 10, t, f->h_quarter, NL), "10 h/quarter");
  CHECK(fmt_quantity(buf, cap, 16, t, f->h, NL), "16 h");
  CHECK(fmt_quantity(buf, cap, 0.5, t, f->fte, NL), "0,5 fte");
  CHECK(fmt_quantity(buf, cap, 0.5, t, f->fte, EN), "0.5 fte");
  CHECK(fmt_quantity(buf, cap, 27.5, t, f->percent, NL), "27,5%");
  CHECK(fmt_quantity(buf, cap, 27.5, t, f->percent, EN), "27.5%");
  CHECK(fmt_quantity(buf, cap, 5000, t, f->euro, NL), "€ 5.000");
  CHECK(fmt_quantity(buf, cap, 5000, t, f->euro, EN), "€5,000");
  CHECK(fmt_quantity(buf, cap, 13378.96, t, f->euro, NL), "€ 13.378,96");
  CHECK(fmt_quantity(buf, cap, 5000, t, f->euro_year, NL), "€ 5.000/year");
  CHECK(fmt_quantity(buf, cap, 5000, t, f->euro_year, EN), "€5,000/year");
  CHECK(fmt_quantity(buf, cap, 25, t, f->euro_h, NL), "€ 25/h");
  CHECK(fmt_quantity(buf, cap, 12.5, t, f->euro_h, NL), "€ 12,50/h");
  CHECK(fmt_quantity(buf, cap, -12.5, t, f->euro_h, EN), "-€12.50/h");
  CHECK(fmt_quantity(buf, cap, 5, t, f->euro_hw, NL), "€ 5/(h·week)");
  CHECK(fmt_quantity(buf, cap, 2, t, f->m2, NL), "2 m^2");
  CHECK(fmt_quantity(buf, cap, 1.5, t, f->per_week, NL), "1,5 1/week");
  CHECK(fmt_quantity(buf, cap, 12.88, t, UNIT_NONE, NL), "12,88");
  CHECK(fmt_quantity(buf, cap, 12.88, NULL, UNIT_NONE, EN), "12.88");
  CHECK(fmt_quantity(buf, cap, -0.0, t, f->h, NL), "0 h");
  CHECK(fmt_quantity(buf, cap, INFINITY, t, f->h, NL), "∞ h");
  CHECK(fmt_quantity(buf, cap, NAN, t, f->euro, NL), "€ NaN");
}

/* ---- fmt_range ---- */

static void test_range(void **state) {
  Fix *f = *state;
  UnitTable *t = f->t;
  assert_string_equal(fmt_range_word(NL), "tot");
  assert_string_equal(fmt_range_word(EN), "to");
  CHECK(fmt_range(buf, cap, 1, 10, t, UNIT_NONE, NL), "1 tot 10");
  CHECK(fmt_range(buf, cap, 1, 10, t, UNIT_NONE, EN), "1 to 10");
  CHECK(fmt_range(buf, cap, 0.5, 2.25, NULL, UNIT_NONE, NL), "0,5 tot 2,25");
  CHECK(fmt_range(buf, cap, 5000, 40000, t, f->euro, NL),
        "€ 5.000 tot € 40.000");
  CHECK(fmt_range(buf, cap, 5000, 40000, t, f->euro, EN),
        "€5,000 to €40,000");
  CHECK(fmt_range(buf, cap, 6000, 42000, t, f->euro, NL),
        "€ 6.000 tot € 42.000");
  CHECK(fmt_range(buf, cap, 10000, 80000, t, f->euro, NL),
        "€ 10.000 tot € 80.000");
  CHECK(fmt_range(buf, cap, 13378.96, 84739.53, t, f->euro, NL),
        "€ 13.378,96 tot € 84.739,53");
  CHECK(fmt_range(buf, cap, 13378.96, 84739.53, t, f->euro, EN),
        "€13,378.96 to €84,739.53");
  /* one end with cents: both ends get them */
  CHECK(fmt_range(buf, cap, 5000, 5000.5, t, f->euro, NL),
        "€ 5.000,00 tot € 5.000,50");
  CHECK(fmt_range(buf, cap, 5000.5, 6000, t, f->euro, EN),
        "€5,000.50 to €6,000.00");
  CHECK(fmt_range(buf, cap, -1234.5, 0, t, f->euro, NL),
        "€ -1.234,50 tot € 0,00");
  /* cents that round away do not count */
  CHECK(fmt_range(buf, cap, 5000.001, 6000, t, f->euro, NL),
        "€ 5.000 tot € 6.000");
  CHECK(fmt_range(buf, cap, 5000, 8000, t, f->euro_year, NL),
        "€ 5.000/year tot € 8.000/year");
  CHECK(fmt_range(buf, cap, 5000, 8000, t, f->euro_year, EN),
        "€5,000/year to €8,000/year");
  CHECK(fmt_range(buf, cap, 12.5, 20, t, f->euro_h, NL),
        "€ 12,50/h tot € 20,00/h");
  CHECK(fmt_range(buf, cap, 10, 20, t, f->percent, NL), "10% tot 20%");
  CHECK(fmt_range(buf, cap, 10, 27.5, t, f->percent, EN), "10% to 27.5%");
  CHECK(fmt_range(buf, cap, 3, 5, t, f->h_week, NL), "3 tot 5 h/week");
  CHECK(fmt_range(buf, cap, 3, 5, t, f->h_week, EN), "3 to 5 h/week");
  CHECK(fmt_range(buf, cap, 2.0 / 13, 4.0 / 13, t, f->h_week, NL),
        "0,15384615384615 tot 0,30769230769231 h/week");
  CHECK(fmt_range(buf, cap, 0.5, 1, t, f->fte, NL), "0,5 tot 1 fte");
  CHECK(fmt_range(buf, cap, -INFINITY, INFINITY, t, UNIT_NONE, NL),
        "-∞ tot ∞");
  CHECK(fmt_range(buf, cap, 0, INFINITY, t, f->euro, NL), "€ 0 tot € ∞");
}

/* ---- truncation ---- */

static void test_truncation(void **state) {
  Fix *f = *state;
  UnitTable *t = f->t;
  CHECK_TRUNCATION(fmt_number(buf, cap, 10.0 / 13, NL), "0,76923076923077");
  CHECK_TRUNCATION(fmt_number(buf, cap, -INFINITY, NL), "-∞");
  CHECK_TRUNCATION(fmt_fixed(buf, cap, -1234567.891, 2, 1, NL),
                   "-1.234.567,89");
  CHECK_TRUNCATION(fmt_money(buf, cap, -1234.5, 0, NL), "€ -1.234,50");
  CHECK_TRUNCATION(fmt_money(buf, cap, -1234.5, 0, EN), "-€1,234.50");
  CHECK_TRUNCATION(fmt_quantity(buf, cap, 5000, t, f->euro_year, NL),
                   "€ 5.000/year");
  CHECK_TRUNCATION(fmt_quantity(buf, cap, 5, t, f->euro_hw, NL),
                   "€ 5/(h·week)");
  CHECK_TRUNCATION(fmt_quantity(buf, cap, 3, t, f->h_week, NL), "3 h/week");
  CHECK_TRUNCATION(fmt_quantity(buf, cap, 27.5, t, f->percent, NL), "27,5%");
  CHECK_TRUNCATION(fmt_range(buf, cap, 13378.96, 84739.53, t, f->euro, NL),
                   "€ 13.378,96 tot € 84.739,53");
  CHECK_TRUNCATION(fmt_range(buf, cap, 2.0 / 13, 4.0 / 13, t, f->h_week, NL),
                   "0,15384615384615 tot 0,30769230769231 h/week");
  CHECK_TRUNCATION(fmt_range(buf, cap, 5000, 8000, t, f->euro_year, EN),
                   "€5,000/year to €8,000/year");
  /* a NULL buffer with cap 0 just measures */
  assert_int_equal(fmt_number(NULL, 0, 12.88, NL), 5);
  assert_int_equal(fmt_money(NULL, 0, 13378.96, 0, NL), strlen("€ 13.378,96"));
  assert_int_equal(fmt_quantity(NULL, 0, 3, t, f->h_week, NL), 8);
  assert_int_equal(fmt_range(NULL, 0, 3, 5, t, f->h_week, NL), 14);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_number),
      cmocka_unit_test(test_fixed_rounding),
      cmocka_unit_test(test_fixed_grouping),
      cmocka_unit_test(test_fixed_huge_and_special),
      cmocka_unit_test(test_money_nl),
      cmocka_unit_test(test_money_en),
      cmocka_unit_test_setup_teardown(test_quantity, setup, teardown),
      cmocka_unit_test_setup_teardown(test_range, setup, teardown),
      cmocka_unit_test_setup_teardown(test_truncation, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
** test_statlib.c — the t and normal quantiles (statlib.c) against published
** values, their argument ranges, and the region where GSL is called.
**
** The reference values were computed without GSL: z with Python's
** statistics.NormalDist().inv_cdf, t by bisection on the regularized
** incomplete beta function in mpmath 1.3 at 40 digits. They agree with
** printed t and z tables to the digits those give (t(0.975, 31) = 2,040,
** t(0.95, 10) = 1,812, z(0.975) = 1,960).
*/
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <gsl/gsl_cdf.h>

#include "statlib.h"

static const double pi = 3.14159265358979323846;

static double t_ok(double p, double df) {
  double x = NAN;
  assert_int_equal(kd_t_quantile(p, df, &x), KD_QUANTILE_OK);
  return x;
}

static double z_ok(double p) {
  double x = NAN;
  assert_int_equal(kd_normal_quantile(p, &x), KD_QUANTILE_OK);
  return x;
}

#define NEAR(got, want) assert_true(fabs((got) - (want)) < 1e-8)
#define NEAR_REL(got, want) assert_true(fabs((got) / (want) - 1) < 1e-8)

static void normal_table(void **state) {
  (void)state;
  NEAR(z_ok(0.975), 1.959963985);
  NEAR(z_ok(0.95), 1.644853627);
  NEAR(z_ok(0.995), 2.575829304);
  NEAR(z_ok(0.9), 1.281551566);
  NEAR(z_ok(0.025), -1.959963985);
  NEAR(z_ok(0.5), 0);
}

static void t_table(void **state) {
  (void)state;
  NEAR(t_ok(0.975, 31), 2.039513446); /* the old table said 2,021 */
  NEAR(t_ok(0.975, 1), 12.70620474);
  NEAR(t_ok(0.975, 2), 4.302652730);
  NEAR(t_ok(0.95, 10), 1.812461123);
  NEAR(t_ok(0.995, 3), 5.840909310);
  NEAR(t_ok(0.95, 120), 1.657650899);
  NEAR(t_ok(0.999999, 1000), 4.781608620);
  NEAR(t_ok(0.75, 3.5), 0.750937029); /* df need not be whole */
  NEAR(t_ok(0.025, 31), -2.039513446);
  NEAR(t_ok(0.5, 7), 0);
}

/* df 1 and 2 have closed forms: tan(pi (p - 1/2)), which is -1 / tan(pi p)
** without the cancellation, and (2p - 1) / sqrt(2p(1 - p)); also in the far
** tails, where GSL's inverse is not accurate at df = 1 */
static void t_closed_forms(void **state) {
  (void)state;
  for (double p = 0.01; p < 1; p += 0.01) {
    NEAR_REL(t_ok(p, 1), tan(pi * (p - 0.5)));
    NEAR_REL(t_ok(p, 2), (2 * p - 1) / sqrt(2 * p * (1 - p)));
  }
  for (double p = 1e-3; p >= 1e-15; p /= 10) {
    NEAR_REL(t_ok(p, 1), -1 / tan(pi * p));
    NEAR_REL(t_ok(p, 2), (2 * p - 1) / sqrt(2 * p * (1 - p)));
  }
}

/* Where GSL's inverse does not converge: df below 1 and far tails, by
** bisection; a huge df, by the normal limit. */
static void t_outside_gsl_inverse(void **state) {
  (void)state;
  NEAR(t_ok(0.1, 0.5), -10.27032441);
  NEAR(t_ok(0.95, 0.5), 41.13600009);
  NEAR_REL(t_ok(0.001, 0.1), -1.604425706e26);
  NEAR(t_ok(1e-13, 10), -51.07937652);
  NEAR_REL(t_ok(1e-300, 5), -1.568392559e60);
  NEAR(t_ok(0.975, 1e13), 1.959963985);
  NEAR(t_ok(0.975, INFINITY), 1.959963985);
}

static void bad_arguments(void **state) {
  (void)state;
  double x = 7;
  const double bad_p[] = {0, 1, -0.5, 1.5, 97.5, NAN, INFINITY};
  for (size_t i = 0; i < sizeof bad_p / sizeof *bad_p; i++) {
    assert_int_equal(kd_normal_quantile(bad_p[i], &x), KD_QUANTILE_BAD_P);
    assert_int_equal(kd_t_quantile(bad_p[i], 5, &x), KD_QUANTILE_BAD_P);
  }
  const double bad_df[] = {0, -1, 1e-7, NAN, -INFINITY};
  for (size_t i = 0; i < sizeof bad_df / sizeof *bad_df; i++)
    assert_int_equal(kd_t_quantile(0.975, bad_df[i], &x), KD_QUANTILE_BAD_DF);
  assert_int_equal(kd_t_quantile(0.001, 0.01, &x), KD_QUANTILE_TOO_LARGE);
  assert_int_equal(kd_t_quantile(0.05, KD_QUANTILE_DF_MIN, &x), KD_QUANTILE_TOO_LARGE);
  assert_true(x == 7); /* untouched on failure */
}

/* A sparse copy of the grid that found where GSL may be called (30
** million points): GSL's default error handler aborts, so any call outside
** that region ends this test. Each quantile goes back to its p through the
** distribution function. */
static void t_grid(void **state) {
  (void)state;
  for (double ldf = -6; ldf <= 14; ldf += 0.25) {
    double df = pow(10, ldf);
    for (double lp = -300; lp <= log10(0.5); lp += lp < -20 ? 20 : 0.5) {
      double tail = pow(10, lp);
      double sides[2] = {tail, 1 - tail};
      for (int s = 0; s < 2; s++) {
        if (sides[s] == 1) continue; /* 1 - 1e-300 is 1 */
        double x;
        KdQuantileStatus st = kd_t_quantile(sides[s], df, &x);
        if (st == KD_QUANTILE_TOO_LARGE) { /* only beyond 1e150 */
          assert_true(gsl_cdf_tdist_Q(1e150, df) > tail);
          continue;
        }
        assert_int_equal(st, KD_QUANTILE_OK);
        assert_true(isfinite(x));
        assert_true(s == 0 ? x < 0 : x > 0);
        /* the tail it leaves (1 - (1 - tail) is not quite tail), compared
        ** where the distribution function is accurate */
        double want = s == 0 ? sides[0] : 1 - sides[1];
        if (df <= 1e12 && tail >= 1e-250) {
          double back = gsl_cdf_tdist_P(-fabs(x), df);
          assert_true(fabs(back / want - 1) < 1e-6);
        }
      }
    }
  }
}

/* The chi-square upper tail: known critical values (mpmath), the region
** where GSL is called (a sparse copy of the grid that found it), and the
** arguments it refuses. */
static void chi_square(void **state) {
  (void)state;
  double q = 7;
  assert_int_equal(kd_chi_square_upper(3.841458820694124, 1, &q), KD_QUANTILE_OK);
  assert_true(fabs(q - 0.05) < 1e-12);
  assert_int_equal(kd_chi_square_upper(9.487729036781154, 4, &q), KD_QUANTILE_OK);
  assert_true(fabs(q - 0.05) < 1e-12);
  assert_int_equal(kd_chi_square_upper(0, 3, &q), KD_QUANTILE_OK);
  assert_true(q == 1);
  assert_int_equal(kd_chi_square_upper(2e9, 10000, &q), KD_QUANTILE_OK);
  assert_true(q == 0);
  for (double df = 1; df <= 10000; df += df < 50 ? 1 : 331)
    for (double x = 1e-9; x < 1e9; x *= 1.5) {
      assert_int_equal(kd_chi_square_upper(x, df, &q), KD_QUANTILE_OK);
      assert_true(q >= 0 && q <= 1);
    }
  q = 7;
  const double bad_df[] = {0, 1.5, 10001, NAN, -1};
  for (size_t i = 0; i < sizeof bad_df / sizeof *bad_df; i++)
    assert_int_equal(kd_chi_square_upper(1, bad_df[i], &q), KD_QUANTILE_BAD_DF);
  assert_int_equal(kd_chi_square_upper(-1, 1, &q), KD_QUANTILE_BAD_P);
  assert_int_equal(kd_chi_square_upper(NAN, 1, &q), KD_QUANTILE_BAD_P);
  assert_int_equal(kd_chi_square_upper(INFINITY, 1, &q), KD_QUANTILE_BAD_P);
  assert_true(q == 7);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(chi_square),
    cmocka_unit_test(normal_table),
    cmocka_unit_test(t_table),
    cmocka_unit_test(t_closed_forms),
    cmocka_unit_test(t_outside_gsl_inverse),
    cmocka_unit_test(bad_arguments),
    cmocka_unit_test(t_grid),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

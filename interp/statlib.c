/*
** statlib.c — quantiles of the normal and Student's t distributions on
** GSL, the chi-square upper tail, and the natives t_quantile(p, df),
** normal_quantile(p) and chi_square_upper(x, df) that the confidence
** intervals and the tests between strata of stdlib/stats.kader use.
**
** GSL is only called where its routines were checked not to fail (see
** statlib.h): its default error handler would abort the process, and
** setting another one would change every other GSL user in the process.
*/
#include <float.h>
#include <math.h>
#include <stdio.h>

#include <gsl/gsl_cdf.h>

#include "format.h"
#include "statlib.h"
#include "vm.h"

/* gsl_cdf_tdist_Pinv converges for df from 1 to 1e13 with tails down to
** 1e-12 (checked on a grid of 30 million points; test_statlib.c keeps a
** sparse copy of that check), but at df = 1 it is only accurate to 4e-5 at
** 1e-12; from 1e-6 up it is within 4e-11 of the bisection below. */
#define T_PINV_TAIL_MIN 1e-6
/* From here on the t quantile is the normal one: they differ by about
** (z^3 + z) / (4 df), under 1e-10 relative for every p. */
#define T_NORMAL_DF 1e12
/* The largest quantile bisection looks for (see t_upper_by_bisection) */
#define T_BISECT_MAX 1e150

static bool is_probability(double p) { return p > 0 && p < 1; } /* NaN: no */

KdQuantileStatus kd_normal_quantile(double p, double *x) {
  if (!is_probability(p)) return KD_QUANTILE_BAD_P;
  *x = gsl_cdf_ugaussian_Pinv(p);
  return KD_QUANTILE_OK;
}

/* The x > 0 whose upper tail Q(x) is `tail` (below 0.5), by bisection on
** GSL's t distribution function, which never fails from df = 1e-6 up and
** falls monotonically up to about 1e154 (where x * x overflows and it
** drops to 0). For small df and far tails, where the inverse does not
** converge. */
static KdQuantileStatus t_upper_by_bisection(double tail, double df, double *x) {
  double lo = 0, hi = 1;
  while (gsl_cdf_tdist_Q(hi, df) > tail) {
    if (hi > T_BISECT_MAX) return KD_QUANTILE_TOO_LARGE;
    lo = hi;
    hi *= 2;
  }
  /* the bracket halves each round: at most some 1100 rounds down to the
  ** smallest doubles, far fewer in practice */
  for (int i = 0; i < 2200 && hi - lo > 2 * DBL_EPSILON * hi; i++) {
    double mid = lo + (hi - lo) / 2;
    if (gsl_cdf_tdist_Q(mid, df) > tail) lo = mid;
    else hi = mid;
  }
  *x = lo + (hi - lo) / 2;
  return KD_QUANTILE_OK;
}

KdQuantileStatus kd_t_quantile(double p, double df, double *x) {
  if (!is_probability(p)) return KD_QUANTILE_BAD_P;
  if (!(df >= KD_QUANTILE_DF_MIN)) return KD_QUANTILE_BAD_DF;
  if (p == 0.5) {
    *x = 0;
    return KD_QUANTILE_OK;
  }
  if (df > T_NORMAL_DF) return kd_normal_quantile(p, x);
  double tail = p < 0.5 ? p : 1 - p;
  if (df >= 1 && tail >= T_PINV_TAIL_MIN) {
    *x = gsl_cdf_tdist_Pinv(p, df);
    return KD_QUANTILE_OK;
  }
  double upper;
  KdQuantileStatus st = t_upper_by_bisection(tail, df, &upper);
  if (st != KD_QUANTILE_OK) return st;
  *x = p < 0.5 ? -upper : upper;
  return KD_QUANTILE_OK;
}

/* ---- the natives ---- */

/* A probability as a plain number or a percentage (97.5% is 0.975). */
static double probability_arg(KaderState *K, const char *fn, Value v) {
  if (v.type == V_NUM) return v.as.n;
  if (v.type == V_QTY && units_dimensionless(K->units, v.unit))
    return kd_in_unit(K, v, UNIT_NONE);
  kd_arg_error(K, fn, 1, "a probability (a number between 0 and 1, or a %)", v);
}

static _Noreturn void bad_probability(KaderState *K, const char *fn, Value v,
                                      double p) {
  char what[128];
  kd_describe(K, v, what, sizeof what);
  /* 97.5 for 97.5%: a percentage without its sign */
  if (v.type == V_NUM && p > 1 && p < 100) {
    char fraction[64], percent[64];
    fmt_number(fraction, sizeof fraction, p / 100, LOCALE_EN);
    fmt_number(percent, sizeof percent, p, LOCALE_EN);
    kd_error(K, "%s: argument 1 must be a probability between 0 and 1 (both "
             "excluded), not %s: write %s, or %s%% for a percentage", fn, what,
             fraction, percent);
  }
  kd_error(K, "%s: argument 1 must be a probability between 0 and 1 (both "
           "excluded), not %s", fn, what);
}

/* gsl_cdf_chisq_Q returns a probability without calling the error handler
** for whole df from 1 to 10000 and x from 0 to 1e9 (checked on a grid of
** 225 000 points); beyond 1e9 the tail is 0 in double for every such df. */
#define CHISQ_DF_MAX 10000
#define CHISQ_X_MAX 1e9

KdQuantileStatus kd_chi_square_upper(double x, double df, double *q) {
  if (!(df >= 1 && df <= CHISQ_DF_MAX && df == floor(df))) return KD_QUANTILE_BAD_DF;
  if (!(x >= 0) || isinf(x)) return KD_QUANTILE_BAD_P;
  *q = x > CHISQ_X_MAX ? 0.0 : gsl_cdf_chisq_Q(x, df);
  return KD_QUANTILE_OK;
}

static Value s_chi_square_upper(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (args[0].type != V_NUM)
    kd_arg_error(K, "chi_square_upper", 1, "a chi-square statistic (a number from 0 up)", args[0]);
  if (args[1].type != V_NUM)
    kd_arg_error(K, "chi_square_upper", 2, "a whole number of degrees of freedom", args[1]);
  double q;
  switch (kd_chi_square_upper(args[0].as.n, args[1].as.n, &q)) {
    case KD_QUANTILE_OK: return NUM_VAL(q);
    case KD_QUANTILE_BAD_DF:
      kd_arg_error(K, "chi_square_upper", 2, "a whole number of degrees of freedom from 1 to 10000", args[1]);
    default:
      kd_arg_error(K, "chi_square_upper", 1, "a chi-square statistic (a number from 0 up)", args[0]);
  }
  return NIL_VAL;
}

static Value s_normal_quantile(KaderState *K, int argc, Value *args) {
  (void)argc;
  double p = probability_arg(K, "normal_quantile", args[0]), x;
  if (kd_normal_quantile(p, &x) != KD_QUANTILE_OK)
    bad_probability(K, "normal_quantile", args[0], p);
  return NUM_VAL(x);
}

static Value s_t_quantile(KaderState *K, int argc, Value *args) {
  (void)argc;
  double p = probability_arg(K, "t_quantile", args[0]), x;
  if (args[1].type != V_NUM)
    kd_arg_error(K, "t_quantile", 2, "a number of degrees of freedom", args[1]);
  double df = args[1].as.n;
  switch (kd_t_quantile(p, df, &x)) {
    case KD_QUANTILE_OK: return NUM_VAL(x);
    case KD_QUANTILE_BAD_P: bad_probability(K, "t_quantile", args[0], p);
    case KD_QUANTILE_BAD_DF: {
      char what[128];
      kd_describe(K, args[1], what, sizeof what);
      if (df > 0)
        kd_error(K, "t_quantile: %s degrees of freedom are too few: quantiles "
                 "are computed from df = 0.000001 up", what);
      kd_error(K, "t_quantile: argument 2 must be a positive number of degrees "
               "of freedom, not %s", what);
    }
    case KD_QUANTILE_TOO_LARGE: {
      char ps[128], dfs[128];
      kd_describe(K, args[0], ps, sizeof ps);
      kd_describe(K, args[1], dfs, sizeof dfs);
      kd_error(K, "t_quantile: the quantile at p = %s with df = %s is too "
               "large to compute (it is beyond 1e150)", ps, dfs);
    }
  }
  return NIL_VAL;
}

void kd_open_statlib(KaderState *K) {
  static const struct {
    const char *name; NativeFn fn; int min, max; const char *doc;
  } fns[] = {
    {"t_quantile", s_t_quantile, 2, 2, "t_quantile(p, df): the x with P(T <= x) = p for Student's t with df degrees of freedom (t_quantile(0.975, 31) is 2,0395)."},
    {"chi_square_upper", s_chi_square_upper, 2, 2, "chi_square_upper(x, df): P(X >= x) for a chi-square X with df degrees of freedom (chi_square_upper(3.8415, 1) is 0,05): the p-value of a chi-square test."},
    {"normal_quantile", s_normal_quantile, 1, 1, "normal_quantile(p): the x with P(Z <= x) = p for a standard normal Z (normal_quantile(0.975) is 1,96)."},
  };
  for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
    kd_define_native(K, fns[i].name, fns[i].fn, fns[i].min, fns[i].max, fns[i].doc);
}

/*
** statlib.h — quantiles of the standard normal and Student's t
** distributions (GSL), for the confidence intervals of the model library
** and for models that compute their own.
**
** GSL's default error handler aborts the process, and its t inverse does
** not converge everywhere (df below 1, tails beyond 1e-12, df beyond about
** 1e15) nor is it accurate in the far tails at df = 1. These functions
** therefore call GSL's inverse only where it was checked to converge and to
** be accurate (tests/unit/test_statlib.c), and compute the rest
** themselves: the normal limit for huge df, and bisection on GSL's t
** distribution function elsewhere.
*/
#ifndef KADER_STATLIB_H
#define KADER_STATLIB_H

typedef enum {
  KD_QUANTILE_OK,
  KD_QUANTILE_BAD_P,     /* p is not strictly between 0 and 1 */
  KD_QUANTILE_BAD_DF,    /* df is not a number from KD_QUANTILE_DF_MIN up */
  KD_QUANTILE_TOO_LARGE  /* the quantile is beyond 1e150 (df far below 1) */
} KdQuantileStatus;

/* The fewest degrees of freedom a t quantile is computed for. */
#define KD_QUANTILE_DF_MIN 1e-6

/* The x with P(Z <= x) = p for a standard normal Z. */
KdQuantileStatus kd_normal_quantile(double p, double *x);

/* The x with P(T <= x) = p for Student's t with df degrees of freedom (df
** need not be whole). */
KdQuantileStatus kd_t_quantile(double p, double df, double *x);

/* P(X >= x) for a chi-square X with df degrees of freedom: df whole from 1
** to 10000 (else KD_QUANTILE_BAD_DF), x from 0 up (else KD_QUANTILE_BAD_P). */
KdQuantileStatus kd_chi_square_upper(double x, double df, double *q);

/* t_quantile(p, df), normal_quantile(p) and chi_square_upper(x, df) for
** Kader programs. */
struct KaderState;
void kd_open_statlib(struct KaderState *K);

#endif

/*
** numconv.h — numbers to and from the text of programs and data files,
** whatever the process's C locale is.
**
** A host may call setlocale(LC_ALL, "nl_NL.UTF-8"); from then on printf
** writes "0,5" and strtod stops at the '.' of "0.5". Kader's own texts
** (source code, JSON, the digits behind the number formats) always use '.',
** so libkader never calls strtod or printf's floating-point conversions
** directly: it calls these.
*/
#ifndef KADER_NUMCONV_H
#define KADER_NUMCONV_H

#include <stddef.h>

/* strtod for the syntax [blanks][sign]digits[.digits][(e|E)[sign]digits]
** (at least one digit before or after the '.'), with '.' as the decimal
** point in every locale and correctly rounded. No hexadecimal, "inf" or
** "nan": *end == s when no number starts at s. */
double kd_strtod(const char *s, char **end);

/* snprintf of one floating-point conversion (fmt holds exactly one %e, %f
** or %g, optionally with a precision `*` taken from prec; prec < 0: none)
** with '.' as the decimal point in every locale. Returns the length written
** (as snprintf, the length the whole text needs). */
int kd_format_double(char *buf, size_t cap, const char *fmt, int prec, double x);

#endif

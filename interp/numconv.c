/*
** numconv.c — locale-independent number conversion (see numconv.h).
**
** Reading rewrites the number as its digits and a power of ten ("12.5" →
** "125e-1"): text without a decimal point reads the same in every locale,
** and strtod still does the correctly rounded conversion. Writing lets
** snprintf write and then puts '.' back where the locale's decimal point came
** out (the only locale-dependent part of %e, %f and %g without the ' flag).
*/
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numconv.h"

/* Exponents are capped far past any double's range, so that the arithmetic
** on them stays inside a long long. */
#define EXPONENT_CAP 1000000000LL

static int is_digit(char c) { return c >= '0' && c <= '9'; }

double kd_strtod(const char *s, char **end) {
  const char *p = s, *int_start, *frac_start = NULL;
  size_t int_digits, frac_digits = 0;
  long long exp = 0;
  int neg = 0;
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' ||
         *p == '\v')
    p++;
  if (*p == '+' || *p == '-') neg = *p++ == '-';
  int_start = p;
  while (is_digit(*p)) p++;
  int_digits = (size_t)(p - int_start);
  if (*p == '.' && is_digit(p[1])) {
    frac_start = ++p;
    while (is_digit(*p)) p++;
    frac_digits = (size_t)(p - frac_start);
  } else if (*p == '.' && int_digits > 0) {
    p++; /* "5." as strtod reads it */
  }
  if (int_digits + frac_digits == 0) {
    if (end) *end = (char *)s;
    return 0;
  }
  if (*p == 'e' || *p == 'E') {
    const char *q = p + 1;
    int eneg = 0;
    if (*q == '+' || *q == '-') eneg = *q++ == '-';
    if (is_digit(*q)) {
      for (; is_digit(*q); q++)
        if (exp < EXPONENT_CAP) exp = exp * 10 + (*q - '0');
      if (eneg) exp = -exp;
      p = q;
    }
  }
  if (end) *end = (char *)p;
  if (frac_digits > (size_t)EXPONENT_CAP) frac_digits = (size_t)EXPONENT_CAP;
  /* sign, digits, "e", the exponent */
  size_t need = 1 + int_digits + frac_digits + 24;
  char local[128], *d = need <= sizeof local ? local : malloc(need);
  if (d == NULL) return 0;
  size_t n = 0;
  if (neg) d[n++] = '-';
  memcpy(d + n, int_start, int_digits);
  n += int_digits;
  if (frac_start) {
    memcpy(d + n, frac_start, frac_digits);
    n += frac_digits;
  }
  snprintf(d + n, need - n, "e%lld", exp - (long long)frac_digits);
  double x = strtod(d, NULL);
  if (d != local) free(d);
  return x;
}

int kd_format_double(char *buf, size_t cap, const char *fmt, int prec, double x) {
  int n = prec < 0 ? snprintf(buf, cap, fmt, x) : snprintf(buf, cap, fmt, prec, x);
  const char *point = localeconv()->decimal_point;
  size_t plen = point ? strlen(point) : 0;
  if (n < 0 || plen == 0 || (plen == 1 && point[0] == '.') || cap == 0) return n;
  /* one decimal point at most; a longer one (U+066B is 2 bytes) shortens it */
  char *at = strstr(buf, point);
  if (at == NULL) return n;
  *at = '.';
  memmove(at + 1, at + plen, strlen(at + plen) + 1);
  return n - (int)(plen - 1);
}

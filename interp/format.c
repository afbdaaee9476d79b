/*
** format.c — numbers for people (see format.h).
**
** Fixed-decimal output never trusts the binary value's last bits: like a
** spreadsheet it first takes the 15 significant digits printf gives, then
** rounds that decimal string half away from zero. So 2.675 (really
** 2.67499999…) shows as 2,68, which is what a policy researcher expects.
** Everything is written through Out, which has snprintf semantics: output is
** cut at cap-1 bytes but the full length is always counted.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "numconv.h"
#include "textout.h"

#define INFINITY_TEXT "\xE2\x88\x9E" /* ∞ */
#define EURO_TEXT "\xE2\x82\xAC"     /* € */


static char decimal_point(Locale loc) { return loc == LOCALE_EN ? '.' : ','; }
static char group_sep(Locale loc) { return loc == LOCALE_EN ? ',' : '.'; }

const char *fmt_range_word(Locale loc) {
  return loc == LOCALE_EN ? "to" : "tot";
}

/* ---- decimal rounding ---- */

enum { SIG_DIGITS = 15 };

/* |x| as decimal digits: value = 0.d[0]d[1]… × 10^(exp+1), i.e. d[0] is the
** digit at 10^exp. Digits past n are zeros. */
typedef struct Decimal {
  char d[SIG_DIGITS];
  int n;
  int exp;
  int neg;
} Decimal;

/* x rounded to 15 significant digits, then to `decimals` decimals. */
static void decimal_round(double x, int decimals, Decimal *dec) {
  char tmp[40]; /* "d.dddddddddddddde+ddd" */
  long long keep;
  int zero = 1;
  kd_format_double(tmp, sizeof tmp, "%.*e", SIG_DIGITS - 1, fabs(x));
  dec->d[0] = tmp[0];
  memcpy(dec->d + 1, tmp + 2, SIG_DIGITS - 1);
  dec->exp = (int)strtol(strchr(tmp, 'e') + 1, NULL, 10);
  dec->n = SIG_DIGITS;
  keep = (long long)dec->exp + 1 + decimals; /* digits left of the cut */
  if (keep < SIG_DIGITS) {
    int up = keep >= 0 && dec->d[keep] >= '5';
    int i = keep < 0 ? 0 : (int)keep;
    dec->n = i;
    while (up && i > 0) { /* carry leftwards */
      if (dec->d[--i] == '9') {
        dec->d[i] = '0';
      } else {
        dec->d[i]++;
        up = 0;
      }
    }
    if (up) { /* 0.5 → 1, 99.96 → 100.0: one more leading digit */
      dec->d[0] = '1';
      dec->n = 1;
      dec->exp++;
    }
  }
  for (int i = 0; i < dec->n; i++)
    if (dec->d[i] != '0') zero = 0;
  dec->neg = signbit(x) && !zero;
}

static char digit_at(const Decimal *dec, long long pos) {
  long long i = (long long)dec->exp - pos;
  return i >= 0 && i < dec->n ? dec->d[i] : '0';
}

/* The digits without sign: integer part (grouped) and `decimals` decimals. */
static void put_decimal(Out *o, const Decimal *dec, int decimals, int grouping,
                        Locale loc) {
  char sep = group_sep(loc), point = decimal_point(loc);
  for (long long p = dec->exp > 0 ? dec->exp : 0; p >= 0; p--) {
    char c = digit_at(dec, p);
    put(o, &c, 1);
    if (grouping && p > 0 && p % 3 == 0) put(o, &sep, 1);
  }
  if (decimals > 0) put(o, &point, 1);
  for (long long p = -1; p >= -(long long)decimals; p--) {
    char c = digit_at(dec, p);
    put(o, &c, 1);
  }
}

static void put_special(Out *o, double x) {
  if (isnan(x)) put_str(o, "NaN");
  else put_str(o, x < 0 ? "-" INFINITY_TEXT : INFINITY_TEXT);
}

/* ---- plain numbers ---- */

static void put_number(Out *o, double x, Locale loc) {
  char tmp[40];
  if (!isfinite(x)) {
    put_special(o, x);
    return;
  }
  if (x == 0) x = 0; /* -0 prints as 0 */
  kd_format_double(tmp, sizeof tmp, "%.14g", -1, x);
  for (char *p = tmp; *p; p++)
    if (*p == '.') *p = decimal_point(loc);
  put_str(o, tmp);
}

size_t fmt_number(char *buf, size_t cap, double x, Locale loc) {
  /* whole numbers are by far the most common: print them directly, every
  ** digit up to 2^53, where each whole number is exact (the 14 significant
  ** digits below would show 123456789012345 as 1,2345678901234e+14). The
  ** range first: casting a double outside long long's range is undefined. */
  if (x >= -9007199254740992.0 && x <= 9007199254740992.0 && x == (double)(long long)x &&
      cap >= 24) {
    char digits[24];
    long long v = (long long)x;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    int n = 0;
    do digits[n++] = (char)('0' + u % 10); while ((u /= 10) != 0);
    size_t len = 0;
    if (v < 0) buf[len++] = '-';
    while (n) buf[len++] = digits[--n];
    buf[len] = '\0';
    return len;
  }
  Out o = {buf, cap, 0};
  put_number(&o, x, loc);
  return finish(&o);
}

size_t fmt_fixed(char *buf, size_t cap, double x, int decimals, int grouping,
                 Locale loc) {
  Out o = {buf, cap, 0};
  Decimal dec;
  if (decimals < 0) decimals = 0;
  if (!isfinite(x)) {
    put_special(&o, x);
    return finish(&o);
  }
  decimal_round(x, decimals, &dec);
  if (dec.neg) put(&o, "-", 1);
  put_decimal(&o, &dec, decimals, grouping, loc);
  return finish(&o);
}

/* ---- money ---- */

static int whole_euros(const Decimal *cents) {
  return digit_at(cents, -1) == '0' && digit_at(cents, -2) == '0';
}

static int has_cents(double euros) {
  Decimal dec;
  if (!isfinite(euros)) return 0;
  decimal_round(euros, 2, &dec);
  return !whole_euros(&dec);
}

/* nl "€ -1.234,50", en "-€1,234.50". */
static void put_money(Out *o, double euros, int force_cents, Locale loc) {
  Decimal dec;
  int neg, decimals = 2;
  if (isfinite(euros)) {
    decimal_round(euros, 2, &dec);
    neg = dec.neg;
    if (!force_cents && whole_euros(&dec)) decimals = 0;
  } else {
    neg = euros < 0; /* NaN has no sign worth showing */
  }
  if (loc == LOCALE_EN) {
    if (neg) put(o, "-", 1);
    put_str(o, EURO_TEXT);
  } else {
    put_str(o, EURO_TEXT " ");
    if (neg) put(o, "-", 1);
  }
  if (!isfinite(euros)) put_special(o, fabs(euros));
  else put_decimal(o, &dec, decimals, 1, loc);
}

size_t fmt_money(char *buf, size_t cap, double euros, int force_cents,
                 Locale loc) {
  Out o = {buf, cap, 0};
  put_money(&o, euros, force_cents, loc);
  return finish(&o);
}

/* ---- quantities and ranges ---- */

typedef enum { Q_PLAIN, Q_MONEY, Q_MONEY_PER, Q_PERCENT, Q_OTHER } QKind;

static QKind kind_of(UnitTable *t, UnitId u, UnitId *rest) {
  if (u == UNIT_NONE) return Q_PLAIN;
  if (units_is_money(t, u)) return Q_MONEY;
  if (units_is_money_per(t, u, rest)) return Q_MONEY_PER;
  if (units_is_percent(t, u)) return Q_PERCENT;
  return Q_OTHER;
}

static void put_unit(Out *o, UnitTable *t, UnitId u) {
  size_t room = o->len < o->cap ? o->cap - o->len : 0;
  o->len += units_format(t, u, room ? o->buf + o->len : NULL, room);
}

/* "year" of "€ 5.000/year"; "€ 5/(h·week)" needs parentheses like
** units_format's "€/(h·week)". Names cannot contain "·", so a "·" in the
** text (its first 128 bytes suffice in practice) means several atoms. */
static void put_per_unit(Out *o, UnitTable *t, UnitId rest) {
  char tmp[128];
  int several;
  units_format(t, rest, tmp, sizeof tmp);
  several = strstr(tmp, "\xC2\xB7") != NULL;
  if (several) put(o, "(", 1);
  put_unit(o, t, rest);
  if (several) put(o, ")", 1);
}

/* One value with its unit as a quantity of kind k shows it; Q_OTHER puts
** no unit, since a range writes it once at the end. */
static void put_value(Out *o, double x, UnitTable *t, QKind k, UnitId rest,
                      int force_cents, Locale loc) {
  switch (k) {
    case Q_MONEY:
      put_money(o, x, force_cents, loc);
      break;
    case Q_MONEY_PER:
      put_money(o, x, force_cents, loc);
      put(o, "/", 1);
      put_per_unit(o, t, rest);
      break;
    case Q_PERCENT:
      put_number(o, x, loc);
      put(o, "%", 1);
      break;
    default:
      put_number(o, x, loc);
      break;
  }
}

size_t fmt_quantity(char *buf, size_t cap, double x, UnitTable *t, UnitId u,
                    Locale loc) {
  Out o = {buf, cap, 0};
  UnitId rest = UNIT_NONE;
  QKind k = kind_of(t, u, &rest);
  put_value(&o, x, t, k, rest, 0, loc);
  if (k == Q_OTHER) {
    put(&o, " ", 1);
    put_unit(&o, t, u);
  }
  return finish(&o);
}

size_t fmt_range(char *buf, size_t cap, double lo, double hi, UnitTable *t,
                 UnitId u, Locale loc) {
  Out o = {buf, cap, 0};
  UnitId rest = UNIT_NONE;
  QKind k = kind_of(t, u, &rest);
  /* both ends alike: € 5.000,00 tot € 5.000,50, not € 5.000 tot € 5.000,50 */
  int cents = (k == Q_MONEY || k == Q_MONEY_PER) &&
              (has_cents(lo) || has_cents(hi));
  put_value(&o, lo, t, k, rest, cents, loc);
  put(&o, " ", 1);
  put_str(&o, fmt_range_word(loc));
  put(&o, " ", 1);
  put_value(&o, hi, t, k, rest, cents, loc);
  if (k == Q_OTHER) {
    put(&o, " ", 1);
    put_unit(&o, t, u);
  }
  return finish(&o);
}

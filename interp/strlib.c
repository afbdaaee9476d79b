/*
** strlib.c — text functions that are correct for UTF-8: case (Unicode
** simple case mapping), trimming, searching, slicing by character, accent
** folding for matching, and numbers formatted in a locale.
**
** Case mapping uses towlower_l/towupper_l with a C.UTF-8 locale object that
** the state owns, so no global locale is touched.
*/
#define _XOPEN_SOURCE 700
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "vm.h"

static ObjString *text_arg(KaderState *K, const char *fn, Value *args, int i) {
  if (!IS_STRING(args[i])) kd_arg_error(K, fn, i + 1, "a text", args[i]);
  return AS_STRING(args[i]);
}

/* ---- UTF-8 ---- */

/* Decodes the code point at s[*i] (valid UTF-8: strings always are). */
static uint32_t decode(const char *s, size_t len, size_t *i) {
  unsigned char c = (unsigned char)s[*i];
  uint32_t cp;
  int n;
  if (c < 0x80) { cp = c; n = 0; }
  else if (c < 0xE0) { cp = c & 0x1F; n = 1; }
  else if (c < 0xF0) { cp = c & 0x0F; n = 2; }
  else { cp = c & 0x07; n = 3; }
  (*i)++;
  while (n-- > 0 && *i < len) cp = (cp << 6) | ((unsigned char)s[(*i)++] & 0x3F);
  return cp;
}

static void encode(KaderState *K, KdBuf *b, uint32_t cp) {
  char out[4];
  size_t n;
  if (cp < 0x80) { out[0] = (char)cp; n = 1; }
  else if (cp < 0x800) { out[0] = (char)(0xC0 | cp >> 6); out[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
  else if (cp < 0x10000) {
    out[0] = (char)(0xE0 | cp >> 12); out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
  } else {
    out[0] = (char)(0xF0 | cp >> 18); out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
  }
  kd_buf_add(K, b, out, n);
}

static Value from_buf(KaderState *K, KdBuf *b) {
  ObjString *s = str_new(K, b->s ? b->s : "", b->len);
  kd_buf_free(K, b);
  return OBJ_VAL(s);
}

/* ---- case ---- */

static locale_t utf8_locale(KaderState *K) {
  if (!K->utf8_locale) {
    locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (!loc) loc = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", (locale_t)0);
    K->utf8_locale = (void *)loc;
  }
  return (locale_t)K->utf8_locale;
}

void kd_free_strlib(KaderState *K) {
  if (K->utf8_locale) freelocale((locale_t)K->utf8_locale);
  K->utf8_locale = NULL;
}

static Value change_case(KaderState *K, Value *args, const char *fn, bool up) {
  ObjString *s = text_arg(K, fn, args, 0);
  locale_t loc = utf8_locale(K);
  KdBuf b = {0};
  for (size_t i = 0; i < s->len;) {
    uint32_t cp = decode(s->chars, s->len, &i);
    if (loc) cp = (uint32_t)(up ? towupper_l((wint_t)cp, loc) : towlower_l((wint_t)cp, loc));
    else if (cp < 0x80) cp = (uint32_t)(up ? (cp >= 'a' && cp <= 'z' ? cp - 32 : cp)
                                           : (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
    encode(K, &b, cp);
  }
  return from_buf(K, &b);
}

static Value s_lower(KaderState *K, int argc, Value *args) {
  (void)argc;
  return change_case(K, args, "lower", false);
}

static Value s_upper(KaderState *K, int argc, Value *args) {
  (void)argc;
  return change_case(K, args, "upper", true);
}

/* ---- accent folding ---- */

/* The base letters of U+00C0..U+017F; '\0' keeps the character, '*' marks
** the ligatures below. */
static const char latin_base[] =
  "AAAAAAACEEEEIIII" "DNOOOOO*OUUUUYT*"   /* U+00C0 */
  "aaaaaaaceeeeiiii" "dnooooo*ouuuuyty"   /* U+00E0 */
  "AaAaAaCcCcCcCcDd" "DdEeEeEeEeEeGgGg"   /* U+0100 */
  "GgGgHhHhIiIiIiIi" "Ii**JjKkkLlLlLlL"   /* U+0120 */
  "lLlNnNnNnnNnOoOo" "Oo**RrRrRrSsSsSs"   /* U+0140 */
  "SsTtTtTtUuUuUuUu" "UuUuWwYyYZzZzZzs";  /* U+0160 */

static const char *ligature(uint32_t cp) {
  switch (cp) {
    case 0xC6: return "AE"; case 0xE6: return "ae";
    case 0xDF: return "ss"; case 0xDE: return "Th"; case 0xFE: return "th";
    case 0xD7: return "x";  case 0xF7: return "/";
    case 0x132: return "IJ"; case 0x133: return "ij";
    case 0x152: return "OE"; case 0x153: return "oe";
    default: return NULL;
  }
}

/* fold(text): without accents, for matching ("financiën" → "financien",
** "Ærø" → "AEro"); combining marks (U+0300..U+036F) are dropped. */
static Value s_fold(KaderState *K, int argc, Value *args) {
  (void)argc;
  ObjString *s = text_arg(K, "fold", args, 0);
  KdBuf b = {0};
  for (size_t i = 0; i < s->len;) {
    size_t start = i;
    uint32_t cp = decode(s->chars, s->len, &i);
    if (cp >= 0x300 && cp <= 0x36F) continue;
    const char *lig = ligature(cp);
    if (lig) {
      kd_buf_add(K, &b, lig, strlen(lig));
    } else if (cp >= 0xC0 && cp <= 0x17F && latin_base[cp - 0xC0] != '*') {
      kd_buf_add(K, &b, &latin_base[cp - 0xC0], 1);
    } else {
      kd_buf_add(K, &b, s->chars + start, i - start);
    }
  }
  return from_buf(K, &b);
}

/* ---- trimming and searching ---- */

static bool space_at(const char *s, size_t len, size_t i, size_t *n) {
  unsigned char c = (unsigned char)s[i];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') { *n = 1; return true; }
  if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) { *n = 2; return true; } /* NBSP */
  return false;
}

static Value s_trim(KaderState *K, int argc, Value *args) {
  (void)argc;
  ObjString *s = text_arg(K, "trim", args, 0);
  size_t from = 0, to = s->len, n;
  while (from < to && space_at(s->chars, s->len, from, &n)) from += n;
  while (to > from) {
    if (space_at(s->chars, s->len, to - 1, &n)) { to--; continue; }
    if (to >= from + 2 && space_at(s->chars, s->len, to - 2, &n) && n == 2) { to -= 2; continue; }
    break;
  }
  return OBJ_VAL(str_new(K, s->chars + from, to - from));
}

static const char *find(ObjString *s, ObjString *sub) {
  if (sub->len == 0) return s->chars;
  for (size_t i = 0; i + sub->len <= s->len; i++)
    if (memcmp(s->chars + i, sub->chars, sub->len) == 0) return s->chars + i;
  return NULL;
}

static Value s_contains(KaderState *K, int argc, Value *args) {
  (void)argc;
  return BOOL_VAL(find(text_arg(K, "contains", args, 0), text_arg(K, "contains", args, 1)) != NULL);
}

static Value s_starts_with(KaderState *K, int argc, Value *args) {
  (void)argc;
  ObjString *s = text_arg(K, "starts_with", args, 0), *p = text_arg(K, "starts_with", args, 1);
  return BOOL_VAL(p->len <= s->len && memcmp(s->chars, p->chars, p->len) == 0);
}

static Value s_ends_with(KaderState *K, int argc, Value *args) {
  (void)argc;
  ObjString *s = text_arg(K, "ends_with", args, 0), *p = text_arg(K, "ends_with", args, 1);
  return BOOL_VAL(p->len <= s->len &&
                  memcmp(s->chars + s->len - p->len, p->chars, p->len) == 0);
}

/* ---- slicing ---- */

/* slice(text, from [, to]): characters from..to (from 1; negative counts
** from the end; to included, the end when left out). */
static Value s_slice(KaderState *K, int argc, Value *args) {
  ObjString *s = text_arg(K, "slice", args, 0);
  size_t chars = 0;
  for (size_t i = 0; i < s->len; i++) chars += ((unsigned char)s->chars[i] & 0xC0) != 0x80;
  double from, to = (double)chars;
  if (!IS_NUM(args[1]) || args[1].as.n != floor(args[1].as.n))
    kd_arg_error(K, "slice", 2, "a whole number", args[1]);
  from = args[1].as.n;
  if (argc > 2) {
    if (!IS_NUM(args[2]) || args[2].as.n != floor(args[2].as.n))
      kd_arg_error(K, "slice", 3, "a whole number", args[2]);
    to = args[2].as.n;
  }
  if (from < 0) from = (double)chars + from + 1;
  if (to < 0) to = (double)chars + to + 1;
  if (from < 1) from = 1;
  if (to > (double)chars) to = (double)chars;
  if (to < from) return OBJ_VAL(str_cstr(K, ""));
  size_t i = 0, c = 0, start = s->len, end = s->len;
  while (i <= s->len) {
    if (i == s->len || ((unsigned char)s->chars[i] & 0xC0) != 0x80) {
      c++;
      if (c == (size_t)from) start = i;
      if (c == (size_t)to + 1) { end = i; break; }
    }
    if (i == s->len) break;
    i++;
  }
  return OBJ_VAL(str_new(K, s->chars + start, end - start));
}

/* ---- numbers ---- */

/* format(x, decimals [, locale]): a number, quantity, amount or range with
** that many decimals and thousands grouped, in the locale ("nl" by default,
** or the one given): format(1234.5, 2, "en") is "1,234.50". */
static Value s_format(KaderState *K, int argc, Value *args) {
  Value x = args[0];
  if (!IS_NUM(args[1]) || !(args[1].as.n >= 0 && args[1].as.n <= 15) ||
      args[1].as.n != floor(args[1].as.n))
    kd_arg_error(K, "format", 2, "a whole number of decimals from 0 to 15", args[1]);
  int d = (int)args[1].as.n;
  Locale loc = K->locale;
  if (argc > 2) {
    if (!IS_STRING(args[2])) kd_arg_error(K, "format", 3, "\"nl\" or \"en\"", args[2]);
    if (strcmp(AS_STRING(args[2])->chars, "nl") == 0) loc = LOCALE_NL;
    else if (strcmp(AS_STRING(args[2])->chars, "en") == 0) loc = LOCALE_EN;
    else kd_arg_error(K, "format", 3, "\"nl\" or \"en\"", args[2]);
  }
  char buf[400], lo[180], hi[180], unit[120] = "";
  UnitId u = UNIT_NONE;
  if (x.type == V_NUM || x.type == V_QTY) {
    u = x.type == V_QTY ? x.unit : UNIT_NONE;
    fmt_fixed(lo, sizeof lo, x.as.n, d, 1, loc);
    snprintf(buf, sizeof buf, "%s", lo);
  } else if (IS_RANGE(x)) {
    u = AS_RANGE(x)->unit;
    fmt_fixed(lo, sizeof lo, AS_RANGE(x)->lo, d, 1, loc);
    fmt_fixed(hi, sizeof hi, AS_RANGE(x)->hi, d, 1, loc);
    snprintf(buf, sizeof buf, "%s %s %s", lo, fmt_range_word(loc), hi);
  } else {
    kd_arg_error(K, "format", 1, "a number, quantity or range", x);
  }
  if (u != UNIT_NONE) {
    UnitId rest;
    if (units_is_money(K->units, u) || units_is_money_per(K->units, u, &rest)) {
      /* money keeps its own conventions: € before the amount */
      if (IS_RANGE(x)) {
        fmt_fixed(lo, sizeof lo, AS_RANGE(x)->lo, d, 1, loc);
        fmt_fixed(hi, sizeof hi, AS_RANGE(x)->hi, d, 1, loc);
        snprintf(buf, sizeof buf, loc == LOCALE_NL ? "€ %s %s € %s" : "€%s %s €%s",
                 lo, fmt_range_word(loc), hi);
      } else {
        fmt_fixed(lo, sizeof lo, x.as.n, d, 1, loc);
        if (loc == LOCALE_NL) snprintf(buf, sizeof buf, "€ %s", lo);
        else if (lo[0] == '-') snprintf(buf, sizeof buf, "-€%s", lo + 1);
        else snprintf(buf, sizeof buf, "€%s", lo);
      }
      if (!units_is_money(K->units, u)) {
        units_format(K->units, rest, unit, sizeof unit);
        size_t n = strlen(buf);
        snprintf(buf + n, sizeof buf - n, "/%s", unit);
      }
    } else {
      units_format(K->units, u, unit, sizeof unit);
      size_t n = strlen(buf);
      snprintf(buf + n, sizeof buf - n, units_is_percent(K->units, u) ? "%s" : " %s", unit);
    }
  }
  return OBJ_VAL(str_cstr(K, buf));
}

void kd_open_strlib(KaderState *K) {
  static const struct {
    const char *name; NativeFn fn; int min, max; const char *doc;
  } fns[] = {
    {"lower", s_lower, 1, 1, "lower(text): the text in lower case (Unicode: Ë → ë, İ → i)."},
    {"upper", s_upper, 1, 1, "upper(text): the text in upper case (Unicode)."},
    {"fold", s_fold, 1, 1, "fold(text): the text without accents, for matching (financiën → financien)."},
    {"trim", s_trim, 1, 1, "trim(text): without spaces, tabs and line breaks at either end."},
    {"contains", s_contains, 2, 2, "contains(text, part): whether part occurs in text."},
    {"starts_with", s_starts_with, 2, 2, "starts_with(text, part): whether text begins with part."},
    {"ends_with", s_ends_with, 2, 2, "ends_with(text, part): whether text ends with part."},
    {"slice", s_slice, 2, 3, "slice(text, from [, to]): characters from..to, counting from 1; negative counts from the end."},
    {"format", s_format, 2, 3, "format(x, decimals [, locale]): a number, quantity or range with that many decimals, grouped, in the locale (\"nl\" or \"en\")."},
  };
  for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
    kd_define_native(K, fns[i].name, fns[i].fn, fns[i].min, fns[i].max, fns[i].doc);
}

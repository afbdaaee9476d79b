/*
** textlib.c — text for reports: numbers with a fixed number of decimals,
** money, padding and joining for aligned tables, colour, and which output
** format the user asked for. Everything follows the state's locale, so a
** report written with these reads "12,88" and "€ 13.378,96" in Dutch.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numconv.h"
#include "vm.h"

static ObjString *from_buf(KaderState *K, KdBuf *b) {
  ObjString *s = str_new(K, b->s ? b->s : "", b->len);
  kd_buf_free(K, b);
  return s;
}

/* fixed(x, decimals [, grouping]): "7,00", "12,88", "1.234,50"; a range
** gives both ends: "2,00 tot 4,00". The unit is not written. */
static Value t_fixed(KaderState *K, int argc, Value *args) {
  Value x = args[0];
  if (x.type != V_NUM && x.type != V_QTY && !IS_RANGE(x))
    kd_arg_error(K, "fixed", 1, "a number, quantity or range", x);
  if (!IS_NUM(args[1]) || !(args[1].as.n >= 0 && args[1].as.n <= 15))
    kd_arg_error(K, "fixed", 2, "a number of decimals from 0 to 15", args[1]);
  int grouping = argc > 2 && !is_falsey(args[2]);
  int decimals = (int)args[1].as.n;
  char buf[400];
  if (IS_RANGE(x)) {
    char lo[180], hi[180];
    fmt_fixed(lo, sizeof lo, AS_RANGE(x)->lo, decimals, grouping, K->locale);
    fmt_fixed(hi, sizeof hi, AS_RANGE(x)->hi, decimals, grouping, K->locale);
    snprintf(buf, sizeof buf, "%s %s %s", lo, fmt_range_word(K->locale), hi);
  } else {
    fmt_fixed(buf, sizeof buf, x.as.n, decimals, grouping, K->locale);
  }
  return OBJ_VAL(str_cstr(K, buf));
}

static UnitId euro(KaderState *K) {
  int name = units_lookup(K->units, "\xE2\x82\xAC", 3);
  if (name < 0) kd_error(K, "the unit € is not defined");
  return units_atom(K->units, name, 1);
}

static bool is_money_unit(KaderState *K, UnitId u) {
  UnitId rest;
  return units_is_money(K->units, u) || units_is_money_per(K->units, u, &rest);
}

/* money(x [, cents]): the euro amount of x (€, €/year, … or a range of
** them) without its time unit: "€ 13.378,96", "€ 5.000 tot € 40.000". */
static Value t_money(KaderState *K, int argc, Value *args) {
  Value x = args[0];
  bool cents = argc > 1 && !is_falsey(args[1]);
  char buf[400];
  if (x.type == V_QTY && is_money_unit(K, x.unit)) {
    fmt_money(buf, sizeof buf, x.as.n, cents, K->locale);
  } else if (x.type == V_NUM) {
    fmt_money(buf, sizeof buf, x.as.n, cents, K->locale);
  } else if (IS_RANGE(x) && (AS_RANGE(x)->unit == UNIT_NONE ||
                             is_money_unit(K, AS_RANGE(x)->unit))) {
    ObjRange *r = AS_RANGE(x);
    if (cents) {
      char lo[120], hi[120];
      fmt_money(lo, sizeof lo, r->lo, 1, K->locale);
      fmt_money(hi, sizeof hi, r->hi, 1, K->locale);
      snprintf(buf, sizeof buf, "%s %s %s", lo, fmt_range_word(K->locale), hi);
    } else {
      fmt_range(buf, sizeof buf, r->lo, r->hi, K->units, euro(K), K->locale);
    }
  } else {
    kd_arg_error(K, "money", 1, "an amount in euros (or a range of them)", x);
  }
  return OBJ_VAL(str_cstr(K, buf));
}

static Value t_join(KaderState *K, int argc, Value *args) {
  if (!IS_LIST(args[0])) kd_arg_error(K, "join", 1, "a list", args[0]);
  const char *sep = "";
  size_t seplen = 0;
  if (argc > 1) {
    if (!IS_STRING(args[1])) kd_arg_error(K, "join", 2, "a string", args[1]);
    sep = AS_STRING(args[1])->chars;
    seplen = AS_STRING(args[1])->len;
  }
  ObjList *l = AS_LIST(args[0]);
  KdBuf b = {0};
  for (uint32_t i = 0; i < l->count; i++) {
    if (i) kd_buf_add(K, &b, sep, seplen);
    kd_show(K, &b, l->items[i], false);
  }
  return OBJ_VAL(from_buf(K, &b));
}

/* Characters as wide as they print: combining marks (U+0300..U+036F, as
** in "e\u{0301}") take no room. */
static size_t chars_in(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c & 0xC0) == 0x80) continue;
    if ((c == 0xCC || (c == 0xCD && i + 1 < len && (unsigned char)s[i + 1] <= 0xAF))) continue;
    n++;
  }
  return n;
}

/* pad(x, width [, "left" | "right" | "center"]): x as text, padded with
** spaces to width characters (not bytes: "financiën" is 9 wide). */
static Value t_pad(KaderState *K, int argc, Value *args) {
  ObjString *s = kd_to_string(K, args[0]);
  if (!IS_NUM(args[1]) || !(args[1].as.n >= 0 && args[1].as.n <= 10000))
    kd_arg_error(K, "pad", 2, "a width from 0 to 10000", args[1]);
  const char *align = "left";
  if (argc > 2) {
    static const char *const aligns[] = {"left", "right", "center", NULL};
    if (!IS_STRING(args[2])) kd_option_error(K, "pad", 3, aligns, args[2]);
    align = AS_STRING(args[2])->chars;
    if (strcmp(align, "left") && strcmp(align, "right") && strcmp(align, "center"))
      kd_option_error(K, "pad", 3, aligns, args[2]);
  }
  size_t width = (size_t)args[1].as.n, have = chars_in(s->chars, s->len);
  if (have >= width) return OBJ_VAL(s);
  size_t fill = width - have, before = 0;
  if (strcmp(align, "right") == 0) before = fill;
  else if (strcmp(align, "center") == 0) before = fill / 2;
  kd_push_root(K, OBJ_VAL(s));
  KdBuf b = {0};
  for (size_t i = 0; i < before; i++) kd_buf_add(K, &b, " ", 1);
  kd_buf_add(K, &b, s->chars, s->len);
  for (size_t i = before; i < fill; i++) kd_buf_add(K, &b, " ", 1);
  kd_pop_root(K);
  return OBJ_VAL(from_buf(K, &b));
}

/* colored(text, "red" | "green" | "yellow" | "bold"): colour only when the
** output is a terminal and NO_COLOR is not set (decided by the host). */
static Value t_colored(KaderState *K, int argc, Value *args) {
  (void)argc;
  ObjString *s = kd_to_string(K, args[0]);
  static const char *const names[] = {"red", "green", "yellow", "bold", NULL};
  static const char *const codes[] = {"\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[1m"};
  if (!IS_STRING(args[1])) kd_option_error(K, "colored", 2, names, args[1]);
  const char *code = NULL;
  for (size_t i = 0; names[i]; i++)
    if (strcmp(names[i], AS_STRING(args[1])->chars) == 0) code = codes[i];
  if (!code) kd_option_error(K, "colored", 2, names, args[1]);
  if (!K->config.color_output) return OBJ_VAL(s);
  kd_push_root(K, OBJ_VAL(s));
  KdBuf b = {0};
  kd_buf_add(K, &b, code, strlen(code));
  kd_buf_add(K, &b, s->chars, s->len);
  kd_buf_add(K, &b, "\x1b[0m", 4);
  kd_pop_root(K);
  return OBJ_VAL(from_buf(K, &b));
}

static Value t_output_format(KaderState *K, int argc, Value *args) {
  (void)argc;
  (void)args;
  return OBJ_VAL(str_cstr(K, K->config.format ? K->config.format : "text"));
}

static Value t_warn(KaderState *K, int argc, Value *args) {
  (void)argc;
  ObjRecord *where = NULL;
  if (IS_RECORD(args[0]) && AS_RECORD(args[0])->kind) where = AS_RECORD(args[0]);
  else if (!IS_NIL(args[0])) kd_arg_error(K, "warn", 1, "a declaration or nil", args[0]);
  ObjString *msg = kd_to_string(K, args[1]);
  kd_push_root(K, OBJ_VAL(msg));
  ObjRecord *kept = kd_warn(K, where, msg->chars);
  kd_pop_root(K);
  return OBJ_VAL(kept);
}

static Value t_warnings(KaderState *K, int argc, Value *args) {
  (void)argc;
  (void)args;
  return OBJ_VAL(K->warnings);
}

static Value t_on_call(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (!IS_KIND(args[0])) kd_arg_error(K, "on_call", 1, "a kind", args[0]);
  if (!IS_OBJ_TYPE(args[1], O_CLOSURE) && !IS_OBJ_TYPE(args[1], O_NATIVE))
    kd_arg_error(K, "on_call", 2, "a function", args[1]);
  AS_KIND(args[0])->on_call = args[1];
  return NIL_VAL;
}

static Value t_on_declare(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (!IS_KIND(args[0])) kd_arg_error(K, "on_declare", 1, "a kind", args[0]);
  if (!IS_OBJ_TYPE(args[1], O_CLOSURE) && !IS_OBJ_TYPE(args[1], O_NATIVE))
    kd_arg_error(K, "on_declare", 2, "a function", args[1]);
  AS_KIND(args[0])->on_declare = args[1];
  return NIL_VAL;
}

/* where(decl): "file:line:column" of a declaration. */
static Value t_where(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (!IS_RECORD(args[0]) || !AS_RECORD(args[0])->kind || !AS_RECORD(args[0])->module)
    kd_arg_error(K, "where", 1, "a declaration", args[0]);
  ObjRecord *d = AS_RECORD(args[0]);
  uint32_t line, col;
  kd_line_col(d->module->source->chars, d->module->source->len, d->span.off,
              &line, &col);
  char buf[600];
  snprintf(buf, sizeof buf, "%s:%u:%u", d->module->path->chars, line, col);
  return OBJ_VAL(str_cstr(K, buf));
}

/* wrap(text, width): the text's words on lines of at most width characters
** (a longer word gets a line of its own). */
static Value t_wrap(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (!IS_STRING(args[0])) kd_arg_error(K, "wrap", 1, "a string", args[0]);
  if (!IS_NUM(args[1]) || !(args[1].as.n >= 1)) kd_arg_error(K, "wrap", 2, "a width of at least 1", args[1]);
  ObjString *s = AS_STRING(args[0]);
  /* a width beyond any text is as good as infinite (and casts safely) */
  size_t width = args[1].as.n < 1e15 ? (size_t)args[1].as.n : (size_t)1e15;
  ObjList *lines = list_new(K, 0);
  kd_push_root(K, OBJ_VAL(lines));
  KdBuf line = {0};
  size_t line_chars = 0, i = 0;
  while (i < s->len) {
    while (i < s->len && s->chars[i] == ' ') i++;
    size_t start = i;
    while (i < s->len && s->chars[i] != ' ') i++;
    if (i == start) break;
    /* "€ 5.000" stays together */
    if (i - start == 3 && memcmp(s->chars + start, "\xE2\x82\xAC", 3) == 0 && i < s->len) {
      i++;
      while (i < s->len && s->chars[i] != ' ') i++;
    }
    size_t word_chars = chars_in(s->chars + start, i - start);
    if (line_chars > 0 && line_chars + 1 + word_chars > width) {
      list_push(K, lines, OBJ_VAL(str_new(K, line.s, line.len)));
      line.len = 0;
      line_chars = 0;
    }
    if (line_chars > 0) {
      kd_buf_add(K, &line, " ", 1);
      line_chars++;
    }
    kd_buf_add(K, &line, s->chars + start, i - start);
    line_chars += word_chars;
  }
  if (line_chars > 0) list_push(K, lines, OBJ_VAL(str_new(K, line.s, line.len)));
  kd_buf_free(K, &line);
  kd_pop_root(K);
  return OBJ_VAL(lines);
}

/* chars(text): its characters (UTF-8 code points), as a list of strings. */
static Value t_chars(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (!IS_STRING(args[0])) kd_arg_error(K, "chars", 1, "a string", args[0]);
  ObjString *s = AS_STRING(args[0]);
  ObjList *out = list_new(K, 0);
  kd_push_root(K, OBJ_VAL(out));
  for (uint32_t i = 0; i < s->len;) {
    uint32_t j = i + 1;
    while (j < s->len && ((unsigned char)s->chars[j] & 0xC0) == 0x80) j++;
    list_push(K, out, OBJ_VAL(str_new(K, s->chars + i, j - i)));
    i = j;
  }
  kd_pop_root(K);
  return OBJ_VAL(out);
}

static Value t_declarations(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (!IS_KIND(args[0])) kd_arg_error(K, "declarations", 1, "a kind", args[0]);
  ObjKind *k = AS_KIND(args[0]);
  ObjList *copy = list_new(K, k->instances ? k->instances->count : 0);
  for (uint32_t i = 0; k->instances && i < k->instances->count; i++)
    copy->items[copy->count++] = k->instances->items[i];
  return OBJ_VAL(copy);
}

/* decimals(x): how many decimals the shortest way of writing x has (4.63:
** 2, 27.5%: 1, 3: 0); a published figure's precision. */
static Value t_decimals(KaderState *K, int argc, Value *args) {
  (void)argc;
  Value x = args[0];
  if (x.type != V_NUM && x.type != V_QTY) kd_arg_error(K, "decimals", 1, "a number", x);
  /* the fewest decimals that write the value as its 15 significant digits
  ** do (0.00001 has 5, although %g writes it as 1e-05) */
  char buf[400];
  kd_format_double(buf, sizeof buf, "%.15g", -1, x.as.n);
  double target = kd_strtod(buf, NULL);
  for (int d = 0; d <= 20; d++) {
    kd_format_double(buf, sizeof buf, "%.*f", d, x.as.n);
    if (kd_strtod(buf, NULL) == target) return NUM_VAL(d);
  }
  return NUM_VAL(20);
}

static Value t_host_locale(KaderState *K, int argc, Value *args) {
  (void)argc;
  (void)args;
  return K->config.locale ? OBJ_VAL(str_cstr(K, K->config.locale)) : NIL_VAL;
}

void kd_open_textlib(KaderState *K) {
  static const struct {
    const char *name; NativeFn fn; int min, max; const char *doc;
  } fns[] = {
    {"fixed", t_fixed, 2, 3, "fixed(x, decimals [, grouping]): x with that many decimals, in the locale (\"7,00\")."},
    {"money", t_money, 1, 2, "money(x [, cents]): an amount or range in euros, in the locale (\"€ 13.378,96\"), without its time unit."},
    {"join", t_join, 1, 2, "join(list, separator): the items as text, joined."},
    {"pad", t_pad, 2, 3, "pad(x, width [, \"left\"|\"right\"|\"center\"]): x as text padded with spaces to width characters."},
    {"colored", t_colored, 2, 2, "colored(text, colour): the text in red, green, yellow or bold on a terminal; unchanged otherwise or with NO_COLOR."},
    {"output_format", t_output_format, 0, 0, "output_format(): \"text\", \"md\" or \"json\" (kader --format)."},
    {"warn", t_warn, 2, 2, "warn(declaration, message): a warning located at the declaration (for nil, or one of the library's, at the model line that led to it), printed at once and kept for warnings(); returns the record kept."},
    {"warnings", t_warnings, 0, 0, "warnings(): the warnings so far, as records {message, file, line, column}."},
    {"on_call", t_on_call, 2, 2, "on_call(kind, f): calling the kind calls f (a kind that is also a function)."},
    {"on_declare", t_on_declare, 2, 2, "on_declare(kind, f): run f(d) for every new declaration d of the kind."},
    {"wrap", t_wrap, 2, 2, "wrap(text, width): the words of text on lines of at most width characters, as a list."},
    {"chars", t_chars, 1, 1, "chars(text): the characters of text, as a list."},
    {"declarations", t_declarations, 1, 1, "declarations(kind): every declaration of the kind so far, in order."},
    {"decimals", t_decimals, 1, 1, "decimals(x): the number of decimals x is written with (4.63 has 2)."},
    {"host_locale", t_host_locale, 0, 0, "host_locale(): the locale asked for on the command line, or nil."},
    {"where", t_where, 1, 1, "where(declaration): \"file:line:column\" where it was declared."},
  };
  for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
    kd_define_native(K, fns[i].name, fns[i].fn, fns[i].min, fns[i].max, fns[i].doc);
}

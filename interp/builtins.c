/*
** builtins.c — the functions every program has, written in C because they
** need the VM's internals or speed (print, len, sort, …). Everything that
** can be written in Kader lives in stdlib/ instead.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "numconv.h"
#include "suggest.h"
#include "vm.h"

static ObjList *arg_list(KaderState *K, const char *fn, Value *args, int i) {
  if (!IS_LIST(args[i])) kd_arg_error(K, fn, i + 1, "a list", args[i]);
  return AS_LIST(args[i]);
}

static Value b_print(KaderState *K, int argc, Value *args) {
  KdBuf b = {0};
  for (int i = 0; i < argc; i++) {
    if (i) kd_buf_add(K, &b, " ", 1);
    kd_show(K, &b, args[i], false);
  }
  kd_buf_add(K, &b, "\n", 1);
  kd_write(K, b.s, b.len);
  kd_buf_free(K, &b);
  return NIL_VAL;
}

static Value b_type(KaderState *K, int argc, Value *args) {
  (void)argc;
  return OBJ_VAL(str_cstr(K, kd_type_name(args[0])));
}

static size_t utf8_length(ObjString *s) {
  size_t n = 0;
  for (uint32_t i = 0; i < s->len; i++)
    if (((unsigned char)s->chars[i] & 0xC0) != 0x80) n++;
  return n;
}

static Value b_len(KaderState *K, int argc, Value *args) {
  (void)argc;
  Value v = args[0];
  if (IS_STRING(v)) return NUM_VAL((double)utf8_length(AS_STRING(v)));
  if (IS_LIST(v)) return NUM_VAL(AS_LIST(v)->count);
  if (IS_RECORD(v)) {
    ObjRecord *r = AS_RECORD(v);
    uint32_t n = 0;
    for (uint32_t i = 0; i < r->count; i++) n += r->values[i].type != V_UNDEF;
    return NUM_VAL(n);
  }
  kd_arg_error(K, "len", 1, "a string, list or record", v);
}

static Value b_str(KaderState *K, int argc, Value *args) {
  (void)argc;
  return OBJ_VAL(kd_to_string(K, args[0]));
}

static Value b_push(KaderState *K, int argc, Value *args) {
  ObjList *l = arg_list(K, "push", args, 0);
  for (int i = 1; i < argc; i++) list_push(K, l, args[i]);
  return args[0];
}

static Value b_pop(KaderState *K, int argc, Value *args) {
  (void)argc;
  ObjList *l = arg_list(K, "pop", args, 0);
  if (l->count == 0) kd_error(K, "pop: the list is empty");
  return l->items[--l->count];
}

/* Stable merge sort; the comparison may call back into Kader. */
typedef struct { KaderState *K; Value less; } SortCtx;

static bool sort_less(SortCtx *c, Value a, Value b) {
  if (IS_NIL(c->less)) return kd_less(c->K, CMP_LT, a, b);
  Value pair[2] = {a, b};
  return !is_falsey(kd_call(c->K, c->less, 2, pair));
}

static void merge_sort(SortCtx *c, Value *xs, Value *tmp, uint32_t n) {
  if (n < 2) return;
  uint32_t mid = n / 2;
  merge_sort(c, xs, tmp, mid);
  merge_sort(c, xs + mid, tmp, n - mid);
  uint32_t i = 0, j = mid, k = 0;
  while (i < mid && j < n) {
    if (sort_less(c, xs[j], xs[i])) tmp[k++] = xs[j++];
    else tmp[k++] = xs[i++];
  }
  while (i < mid) tmp[k++] = xs[i++];
  while (j < n) tmp[k++] = xs[j++];
  memcpy(xs, tmp, sizeof(Value) * n);
}

static Value b_sort(KaderState *K, int argc, Value *args) {
  ObjList *l = arg_list(K, "sort", args, 0);
  SortCtx c = {K, argc > 1 ? args[1] : NIL_VAL};
  if (l->count < 2) return args[0];
  /* sort a copy: a comparison that changes the list cannot break us */
  ObjList *work = list_new(K, l->count);
  memcpy(work->items, l->items, sizeof(Value) * l->count);
  work->count = l->count;
  kd_push_root(K, OBJ_VAL(work));
  ObjList *tmp = list_new(K, l->count);
  kd_push_root(K, OBJ_VAL(tmp));
  merge_sort(&c, work->items, tmp->items, work->count);
  uint32_t n = work->count < l->count ? work->count : l->count;
  memcpy(l->items, work->items, sizeof(Value) * n);
  kd_pop_root(K);
  kd_pop_root(K);
  return args[0];
}

static Value b_keys(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (!IS_RECORD(args[0])) kd_arg_error(K, "keys", 1, "a record", args[0]);
  ObjRecord *r = AS_RECORD(args[0]);
  ObjList *l = list_new(K, r->count);
  for (uint32_t i = 0; i < r->count; i++)
    if (r->values[i].type != V_UNDEF) l->items[l->count++] = OBJ_VAL(r->keys[i]);
  return OBJ_VAL(l);
}

static Value b_has(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (!IS_RECORD(args[0])) kd_arg_error(K, "has", 1, "a record", args[0]);
  if (!IS_STRING(args[1])) kd_arg_error(K, "has", 2, "a string", args[1]);
  int i = record_find(AS_RECORD(args[0]), str_key(K, AS_STRING(args[1])));
  return BOOL_VAL(i >= 0 && AS_RECORD(args[0])->values[i].type != V_UNDEF);
}

static Value b_assert(KaderState *K, int argc, Value *args) {
  if (!is_falsey(args[0])) return NIL_VAL;
  if (argc > 1) {
    ObjString *s = kd_to_string(K, args[1]);
    kd_error(K, "assertion failed: %s", s->chars);
  }
  kd_error(K, "assertion failed");
}

static Value b_error(KaderState *K, int argc, Value *args) {
  (void)argc;
  ObjString *s = kd_to_string(K, args[0]);
  kd_error(K, "%s", s->chars);
}

/* did_you_mean(name, candidates): " (did you mean 'x'?)" for the candidate
** closest to a misspelt name (a list of strings, or a record's field names),
** or "": for the messages the library and models write themselves, in the
** interpreter's own words. */
static Value b_did_you_mean(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (!IS_STRING(args[0])) kd_arg_error(K, "did_you_mean", 1, "a string", args[0]);
  KdSuggest s = kd_suggest_begin(AS_STRING(args[0])->chars);
  if (IS_LIST(args[1])) {
    ObjList *l = AS_LIST(args[1]);
    for (uint32_t i = 0; i < l->count; i++)
      if (IS_STRING(l->items[i])) kd_suggest_consider(&s, AS_STRING(l->items[i])->chars);
  } else if (IS_RECORD(args[1])) {
    ObjRecord *r = AS_RECORD(args[1]);
    for (uint32_t i = 0; i < r->count; i++)
      if (r->values[i].type != V_UNDEF) kd_suggest_consider(&s, r->keys[i]->chars);
  } else {
    kd_arg_error(K, "did_you_mean", 2, "a list of names or a record", args[1]);
  }
  char buf[120];
  return OBJ_VAL(str_cstr(K, kd_suggest_text(&s, buf, sizeof buf)));
}

/* Applies f to the number inside a number or quantity, keeping the unit. */
static Value map_number(KaderState *K, const char *name, Value v,
                        double (*f)(double)) {
  if (v.type == V_NUM) return NUM_VAL(f(v.as.n));
  if (v.type == V_QTY) return QTY_VAL(f(v.as.n), v.unit);
  kd_arg_error(K, name, 1, "a number or quantity", v);
}

static Value b_abs(KaderState *K, int argc, Value *args) {
  (void)argc;
  return map_number(K, "abs", args[0], fabs);
}
static Value b_floor(KaderState *K, int argc, Value *args) {
  (void)argc;
  return map_number(K, "floor", args[0], floor);
}
static Value b_ceil(KaderState *K, int argc, Value *args) {
  (void)argc;
  return map_number(K, "ceil", args[0], ceil);
}

/* Half away from zero, on the value as 15 significant digits show it (so
** round(2.675, 2) is 2.68 and round(1.005, 2) is 1.01, as in a
** spreadsheet): the same rule as the number formats, so a rounded value
** prints the way it was rounded. */
static double round_to(double x, int decimals) {
  if (!isfinite(x)) return x;
  char buf[400];
  fmt_fixed(buf, sizeof buf, x, decimals < 0 ? 0 : decimals, 0, LOCALE_EN);
  double r = kd_strtod(buf, NULL);
  if (decimals < 0) {
    double p = pow(10, -decimals);
    r = round(r / p) * p;
  }
  return r == 0 ? 0 : r;
}

static Value b_round(KaderState *K, int argc, Value *args) {
  int d = 0;
  if (argc > 1) {
    if (!IS_NUM(args[1]) || args[1].as.n != floor(args[1].as.n) ||
        fabs(args[1].as.n) > 15)
      kd_arg_error(K, "round", 2, "a whole number of decimals (0 to 15)", args[1]);
    d = (int)args[1].as.n;
  }
  Value v = args[0];
  if (v.type == V_NUM) return NUM_VAL(round_to(v.as.n, d));
  if (v.type == V_QTY) return QTY_VAL(round_to(v.as.n, d), v.unit);
  if (IS_RANGE(v)) {
    ObjRange *r = AS_RANGE(v);
    return OBJ_VAL(range_new(K, round_to(r->lo, d), round_to(r->hi, d), r->unit));
  }
  kd_arg_error(K, "round", 1, "a number, quantity or range", v);
}

static Value b_sqrt(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (!IS_NUM(args[0])) kd_arg_error(K, "sqrt", 1, "a plain number", args[0]);
  if (args[0].as.n < 0) kd_error(K, "sqrt: cannot take the square root of a "
                                 "negative number");
  return NUM_VAL(sqrt(args[0].as.n));
}

static Value extreme(KaderState *K, const char *name, int argc, Value *args,
                     CompareOp op) {
  Value *xs = args;
  int n = argc;
  if (argc == 1 && IS_LIST(args[0])) {
    xs = AS_LIST(args[0])->items;
    n = (int)AS_LIST(args[0])->count;
  }
  if (n == 0) kd_error(K, "%s of an empty list", name);
  Value best = xs[0];
  for (int i = 1; i < n; i++)
    if (kd_less(K, op, xs[i], best)) best = xs[i];
  return best;
}

static Value b_min(KaderState *K, int argc, Value *args) {
  return extreme(K, "min", argc, args, CMP_LT);
}
static Value b_max(KaderState *K, int argc, Value *args) {
  return extreme(K, "max", argc, args, CMP_GT);
}

static Value b_sum(KaderState *K, int argc, Value *args) {
  (void)argc;
  ObjList *l = arg_list(K, "sum", args, 0);
  if (l->count == 0) return NUM_VAL(0);
  Value acc = l->items[0];
  kd_push_root(K, acc);
  for (uint32_t i = 1; i < l->count; i++) {
    acc = kd_arith(K, AR_ADD, acc, l->items[i]);
    K->roots[K->root_count - 1] = acc;
  }
  kd_pop_root(K);
  return acc;
}

static Value b_range(KaderState *K, int argc, Value *args) {
  (void)argc;
  return kd_make_range(K, args[0], args[1]);
}

/* Which mark is the decimal one in a number written as text: the last of
** '.' and ',' when both appear ("1.234,5", "1,234.5"); a lone mark that
** appears twice groups thousands ("1.234.567"); a lone mark followed by
** exactly three digits after a group-sized whole part ("1.234", "12,500") is
** ambiguous: 0 then. */
static char decimal_mark(const char *s, size_t len) {
  const char *dot = memchr(s, '.', len), *comma = memchr(s, ',', len);
  if (dot && comma) {
    const char *last = s + len;
    while (last > s && last[-1] != '.' && last[-1] != ',') last--;
    return last[-1];
  }
  if (!dot && !comma) return '.';
  char mark = dot ? '.' : ',';
  const char *at = dot ? dot : comma;
  if (memchr(at + 1, mark, len - (size_t)(at + 1 - s))) return mark == '.' ? ',' : '.';
  size_t whole = 0, after = 0;
  for (const char *p = at; p > s && p[-1] >= '0' && p[-1] <= '9'; p--) whole++;
  for (const char *p = at + 1; p < s + len && *p >= '0' && *p <= '9'; p++) after++;
  bool group_sized = whole >= 1 && whole <= 3 && *(at - whole) != '0';
  bool rest_is_digits = at + 1 + after == s + len;
  if (group_sized && after == 3 && rest_is_digits) return 0;
  return mark;
}

static Value b_number(KaderState *K, int argc, Value *args) {
  (void)argc;
  Value v = args[0];
  if (v.type == V_NUM || v.type == V_QTY) return NUM_VAL(v.as.n);
  if (IS_STRING(v)) {
    ObjString *s = AS_STRING(v);
    const char *p = s->chars, *e = s->chars + s->len;
    while (p < e && (*p == ' ' || *p == '\t')) p++;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t')) e--;
    char buf[128];
    double d;
    if (e == p || (size_t)(e - p) >= sizeof buf || memchr(p, '\0', (size_t)(e - p)))
      kd_error(K, "number: \"%s\" is not a number", s->chars);
    memcpy(buf, p, (size_t)(e - p));
    buf[e - p] = '\0';
    char mark = decimal_mark(buf, (size_t)(e - p));
    if (mark == 0) {
      char m = buf[strcspn(buf, ".,")];
      kd_error(K, "number: \"%s\" is ambiguous: the '%c' may be a decimal %s or "
               "separate thousands; say which with csv_number(text, \"%c\") (a "
               "decimal %s) or csv_number(text, \"%c\") (thousands)",
               buf, m, m == ',' ? "comma" : "point", m, m == ',' ? "comma" : "point",
               m == ',' ? '.' : ',');
    }
    if (csv_number(buf, mark, &d) != 0)
      kd_error(K, "number: \"%s\" is not a number", s->chars);
    return NUM_VAL(d);
  }
  kd_arg_error(K, "number", 1, "a number, quantity or string", v);
}

static Value b_unit_of(KaderState *K, int argc, Value *args) {
  (void)argc;
  Value v = args[0];
  UnitId u = UNIT_NONE;
  if (v.type == V_QTY) u = v.unit;
  else if (IS_RANGE(v)) u = AS_RANGE(v)->unit;
  else if (v.type != V_NUM) kd_arg_error(K, "unit_of", 1, "a number, quantity or range", v);
  char buf[256];
  units_format(K->units, u, buf, sizeof buf);
  return OBJ_VAL(str_cstr(K, buf));
}

static Value b_set_locale(KaderState *K, int argc, Value *args) {
  (void)argc;
  static const char *const locales[] = {"nl", "en", NULL};
  if (!IS_STRING(args[0]) || !kader_set_locale(K, AS_STRING(args[0])->chars))
    kd_option_error(K, "set_locale", 1, locales, args[0]);
  return NIL_VAL;
}

static Value b_locale(KaderState *K, int argc, Value *args) {
  (void)argc;
  (void)args;
  return OBJ_VAL(str_cstr(K, K->locale == LOCALE_NL ? "nl" : "en"));
}

/* The items of a list, or the whole numbers of a range (1 to 5), as a list. */
static ObjList *items_of(KaderState *K, const char *fn, Value *args) {
  if (IS_RANGE(args[0]) && AS_RANGE(args[0])->unit == UNIT_NONE &&
      AS_RANGE(args[0])->lo == floor(AS_RANGE(args[0])->lo)) {
    ObjRange *r = AS_RANGE(args[0]);
    if (r->hi - r->lo > KD_MAX_LIST) kd_error(K, "%s: the range is too long", fn);
    ObjList *l = list_new(K, 0);
    kd_push_root(K, OBJ_VAL(l));
    for (double x = r->lo; x <= r->hi; x++) list_push(K, l, NUM_VAL(x));
    kd_pop_root(K);
    args[0] = OBJ_VAL(l); /* keep it reachable while we work */
    return l;
  }
  return arg_list(K, fn, args, 0);
}

static Value b_map(KaderState *K, int argc, Value *args) {
  (void)argc;
  ObjList *src = items_of(K, "map", args);
  ObjList *out = list_new(K, src->count);
  kd_push_root(K, OBJ_VAL(out));
  for (uint32_t i = 0; i < src->count; i++) {
    Value v = kd_call(K, args[1], 1, &src->items[i]);
    list_push(K, out, v);
  }
  kd_pop_root(K);
  return OBJ_VAL(out);
}

static Value b_filter(KaderState *K, int argc, Value *args) {
  (void)argc;
  ObjList *src = items_of(K, "filter", args);
  ObjList *out = list_new(K, 0);
  kd_push_root(K, OBJ_VAL(out));
  for (uint32_t i = 0; i < src->count; i++) {
    Value item = src->items[i];
    if (!is_falsey(kd_call(K, args[1], 1, &item))) list_push(K, out, item);
  }
  kd_pop_root(K);
  return OBJ_VAL(out);
}

void kd_open_builtins(KaderState *K) {
  static const struct {
    const char *name; NativeFn fn; int min, max; const char *doc;
  } fns[] = {
    {"print", b_print, 0, -1, "print(a, b, …): writes the values, separated by spaces."},
    {"type", b_type, 1, 1, "type(x): the name of x's type, or its kind for a declaration."},
    {"len", b_len, 1, 1, "len(x): characters of a string, items of a list or record."},
    {"str", b_str, 1, 1, "str(x): x as print shows it."},
    {"push", b_push, 2, -1, "push(list, x, …): appends to the list and returns it."},
    {"pop", b_pop, 1, 1, "pop(list): removes and returns the last item."},
    {"sort", b_sort, 1, 2, "sort(list [, less]): sorts in place (stable) and returns the list."},
    {"keys", b_keys, 1, 1, "keys(record): the field names, in order."},
    {"has", b_has, 2, 2, "has(record, key): whether the record has that field."},
    {"assert", b_assert, 1, 2, "assert(condition [, message]): an error when the condition is false."},
    {"error", b_error, 1, 1, "error(message): stops with a runtime error."},
    {"did_you_mean", b_did_you_mean, 2, 2, "did_you_mean(name, candidates): \" (did you mean 'x'?)\" for the candidate (a list of names, or a record's fields) closest to a misspelt name, or \"\"."},
    {"abs", b_abs, 1, 1, "abs(x): the absolute value, keeping the unit."},
    {"floor", b_floor, 1, 1, "floor(x): rounds down, keeping the unit."},
    {"ceil", b_ceil, 1, 1, "ceil(x): rounds up, keeping the unit."},
    {"round", b_round, 1, 2, "round(x [, decimals]): half away from zero, keeping the unit; a range rounds both ends."},
    {"sqrt", b_sqrt, 1, 1, "sqrt(x): the square root of a plain number."},
    {"min", b_min, 1, -1, "min(a, b, …) or min(list): the smallest."},
    {"max", b_max, 1, -1, "max(a, b, …) or max(list): the largest."},
    {"sum", b_sum, 1, 1, "sum(list): the total of numbers, quantities or ranges."},
    {"range", b_range, 2, 2, "range(lo, hi): the same as lo to hi."},
    {"number", b_number, 1, 1, "number(x): the plain number in a quantity (in its own unit), or parsed from a string."},
    {"unit_of", b_unit_of, 1, 1, "unit_of(x): the unit of a quantity or range, as text."},
    {"set_locale", b_set_locale, 1, 1, "set_locale(\"nl\" or \"en\"): how numbers are shown from now on."},
    {"locale", b_locale, 0, 0, "locale(): the current locale."},
    {"map", b_map, 2, 2, "map(list, f): a new list of f(x) for each x."},
    {"filter", b_filter, 2, 2, "filter(list, keep): the items for which keep(x) is true."},
  };
  for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
    kd_define_native(K, fns[i].name, fns[i].fn, fns[i].min, fns[i].max, fns[i].doc);
}

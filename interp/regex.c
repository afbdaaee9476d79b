/*
** regex.c — regular expressions on PCRE2: regex values, and test, match,
** match_all, replace and split.
**
** A pattern is compiled once (UTF mode, JIT when the platform has it) and
** kept on its value. Matching is bounded by PCRE2's match and depth limits,
** so a pattern that backtracks catastrophically stops with an error instead
** of hanging; a model may change the limits with regex_limits(). Positions
** given to programs count characters from 1, like list indices.
*/
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

struct ObjRegex {
  Obj obj;
  ObjString *source;
  ObjString *flags;
  pcre2_code *code;
  uint32_t capture_count;
};

/* ---- compiling ---- */

static bool flag_options(const char *flags, uint32_t *options, char *bad) {
  *options = PCRE2_UTF;
  for (const char *f = flags; *f; f++) {
    switch (*f) {
      case 'i': *options |= PCRE2_CASELESS; break;
      case 'm': *options |= PCRE2_MULTILINE; break;
      case 's': *options |= PCRE2_DOTALL; break;
      case 'x': *options |= PCRE2_EXTENDED; break;
      case 'u': *options |= PCRE2_UCP; break;
      default: *bad = *f; return false;
    }
  }
  return true;
}

ObjRegex *kd_regex_compile(KaderState *K, ObjString *pattern, ObjString *flags,
                           size_t *error_offset, char *error, size_t cap) {
  uint32_t options;
  char bad = 0;
  if (!flag_options(flags->chars, &options, &bad)) {
    snprintf(error, cap, "unknown flag '%c' (the flags are i, m, s, x and u)", bad);
    *error_offset = 0;
    return NULL;
  }
  int code_error;
  PCRE2_SIZE offset;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern->chars, pattern->len,
                                   options, &code_error, &offset, NULL);
  if (!code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(code_error, msg, sizeof msg);
    snprintf(error, cap, "%s", (const char *)msg);
    *error_offset = offset;
    return NULL;
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* without JIT it still works */
  kd_push_root(K, OBJ_VAL(pattern));
  kd_push_root(K, OBJ_VAL(flags));
  ObjRegex *re = (ObjRegex *)kd_alloc_obj(K, sizeof(ObjRegex), O_REGEX);
  kd_pop_root(K);
  kd_pop_root(K);
  re->source = pattern;
  re->flags = flags;
  re->code = code;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &re->capture_count);
  return re;
}

void kd_regex_free(ObjRegex *re) { pcre2_code_free(re->code); }

size_t kd_regex_size(void) { return sizeof(ObjRegex); }

void kd_regex_mark(KaderState *K, ObjRegex *re) {
  kd_mark_obj(K, (Obj *)re->source);
  kd_mark_obj(K, (Obj *)re->flags);
}

ObjString *kd_regex_source(ObjRegex *re) { return re->source; }
ObjString *kd_regex_flags(ObjRegex *re) { return re->flags; }

/* regex(text [, flags]): a pattern made while the program runs. A bad one
** is an error showing the pattern with a caret where PCRE2 stopped. */
static Value r_regex(KaderState *K, int argc, Value *args) {
  if (!IS_STRING(args[0])) kd_arg_error(K, "regex", 1, "a pattern (text)", args[0]);
  ObjString *flags = str_cstr(K, "");
  if (argc > 1) {
    if (!IS_STRING(args[1])) kd_arg_error(K, "regex", 2, "flags (text)", args[1]);
    flags = AS_STRING(args[1]);
  }
  char error[300];
  size_t offset = 0;
  ObjRegex *re = kd_regex_compile(K, AS_STRING(args[0]), flags, &offset,
                                  error, sizeof error);
  if (!re && strncmp(error, "unknown flag", 12) == 0) kd_error(K, "regex: %s", error);
  if (!re) {
    ObjString *p = AS_STRING(args[0]);
    uint32_t col = 0;
    for (size_t i = 0; i < offset && i < p->len; i++)
      col += ((unsigned char)p->chars[i] & 0xC0) != 0x80;
    kd_error(K, "invalid regular expression: %s\n        /%s/\n         %*s^",
             error, p->chars, (int)col, "");
  }
  return OBJ_VAL(re);
}

/* ---- matching ---- */

typedef struct Matcher {
  KaderState *K;
  ObjRegex *re;
  ObjString *text;
  pcre2_match_data *md;
  pcre2_match_context *ctx;
} Matcher;

static ObjRegex *as_regex(KaderState *K, const char *fn, int i, Value v) {
  if (IS_OBJ_TYPE(v, O_REGEX)) return (ObjRegex *)v.as.o;
  kd_arg_error(K, fn, i, "a regular expression (/…/)", v);
}

static void matcher_init(Matcher *m, KaderState *K, const char *fn, Value text,
                         Value re) {
  if (!IS_STRING(text)) kd_arg_error(K, fn, 1, "a text", text);
  m->K = K;
  m->re = as_regex(K, fn, 2, re);
  m->text = AS_STRING(text);
  m->md = pcre2_match_data_create_from_pattern(m->re->code, NULL);
  m->ctx = pcre2_match_context_create(NULL);
  if (!m->md || !m->ctx) {
    pcre2_match_data_free(m->md);
    pcre2_match_context_free(m->ctx);
    kd_error(K, "out of memory");
  }
  pcre2_set_match_limit(m->ctx, K->regex_match_limit);
  pcre2_set_depth_limit(m->ctx, K->regex_depth_limit);
}

static void matcher_free(Matcher *m) {
  pcre2_match_data_free(m->md);
  pcre2_match_context_free(m->ctx);
}

/* A failed match (not a mere "no match"): the matcher is freed, then the
** error raised. */
static _Noreturn void match_failed(Matcher *m, int rc) {
  KaderState *K = m->K;
  unsigned long limit = rc == PCRE2_ERROR_MATCHLIMIT ? K->regex_match_limit
                                                     : K->regex_depth_limit;
  PCRE2_UCHAR msg[256];
  pcre2_get_error_message(rc, msg, sizeof msg);
  size_t at = (size_t)pcre2_get_startchar(m->md) + 1; /* before freeing it */
  matcher_free(m);
  if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
      rc == PCRE2_ERROR_HEAPLIMIT)
    kd_error(K, "the regular expression needs too much backtracking on this "
             "text (PCRE2: %s; the limit is %lu); simplify the pattern or "
             "raise the limits with regex_limits(match, depth)", msg, limit);
  if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
    kd_error(K, "the text is not valid UTF-8 (byte %zu: %s)", at, msg);
  kd_error(K, "regular expression: %s", msg);
}

/* One match from byte offset `from`: 1 when found, 0 when not; errors
** (limits, invalid UTF-8) are raised after freeing the matcher. */
static int match_at(Matcher *m, size_t from, uint32_t options) {
  int rc = pcre2_match(m->re->code, (PCRE2_SPTR)m->text->chars, m->text->len,
                       from, options, m->md, m->ctx);
  if (rc >= 0) return 1;
  if (rc == PCRE2_ERROR_NOMATCH) return 0;
  match_failed(m, rc);
}

static size_t char_index(ObjString *s, size_t byte) {
  size_t n = 0;
  for (size_t i = 0; i < byte && i < s->len; i++)
    n += ((unsigned char)s->chars[i] & 0xC0) != 0x80;
  return n;
}

/* The current match as {text, start, end, groups, named}; start and end
** are character positions from 1 (end is the last character). */
static Value match_record(Matcher *m) {
  KaderState *K = m->K;
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
  ObjRecord *r = record_new(K);
  kd_push_root(K, OBJ_VAL(r));
  record_set(K, r, str_cstr(K, "text"),
             OBJ_VAL(str_new(K, m->text->chars + ov[0], ov[1] - ov[0])));
  record_set(K, r, str_cstr(K, "start"), NUM_VAL((double)char_index(m->text, ov[0]) + 1));
  record_set(K, r, str_cstr(K, "end"), NUM_VAL((double)char_index(m->text, ov[1])));
  ObjList *groups = list_new(K, m->re->capture_count);
  record_set(K, r, str_cstr(K, "groups"), OBJ_VAL(groups));
  for (uint32_t g = 1; g <= m->re->capture_count; g++) {
    if (ov[2 * g] == PCRE2_UNSET) list_push(K, groups, NIL_VAL);
    else list_push(K, groups, OBJ_VAL(str_new(K, m->text->chars + ov[2 * g],
                                              ov[2 * g + 1] - ov[2 * g])));
  }
  ObjRecord *named = record_new(K);
  record_set(K, r, str_cstr(K, "named"), OBJ_VAL(named));
  uint32_t count = 0, entry_size = 0;
  PCRE2_SPTR table = NULL;
  pcre2_pattern_info(m->re->code, PCRE2_INFO_NAMECOUNT, &count);
  pcre2_pattern_info(m->re->code, PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
  pcre2_pattern_info(m->re->code, PCRE2_INFO_NAMETABLE, &table);
  for (uint32_t i = 0; i < count; i++) {
    PCRE2_SPTR e = table + i * entry_size;
    uint32_t g = (uint32_t)(e[0] << 8 | e[1]);
    ObjString *name = str_cstr(K, (const char *)(e + 2));
    Value v = NIL_VAL;
    if (ov[2 * g] != PCRE2_UNSET)
      v = OBJ_VAL(str_new(K, m->text->chars + ov[2 * g], ov[2 * g + 1] - ov[2 * g]));
    kd_push_root(K, v);
    record_set(K, named, name, v);
    kd_pop_root(K);
  }
  kd_pop_root(K);
  return OBJ_VAL(r);
}

/* Where the search goes on after a match: past it, or one character on
** after an empty match (so that /x*​/ cannot loop for ever). */
static size_t next_start(Matcher *m, bool *empty) {
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
  *empty = ov[0] == ov[1];
  return ov[1];
}

static size_t skip_char(ObjString *s, size_t at) {
  at++;
  while (at < s->len && ((unsigned char)s->chars[at] & 0xC0) == 0x80) at++;
  return at;
}

/* Finds the next match from `at`, handling empty matches; 0 at the end. */
static int find_next(Matcher *m, size_t *at, bool *last_empty) {
  for (;;) {
    if (*at > m->text->len) return 0;
    uint32_t options = *last_empty ? PCRE2_NOTEMPTY_ATSTART : 0;
    if (match_at(m, *at, options)) return 1;
    if (!*last_empty || *at >= m->text->len) return 0;
    *at = skip_char(m->text, *at);
    *last_empty = false;
  }
}

static Value r_test(KaderState *K, int argc, Value *args) {
  (void)argc;
  Matcher m;
  matcher_init(&m, K, "test", args[0], args[1]);
  int found = match_at(&m, 0, 0);
  matcher_free(&m);
  return BOOL_VAL(found);
}

static Value r_match(KaderState *K, int argc, Value *args) {
  (void)argc;
  Matcher m;
  matcher_init(&m, K, "match", args[0], args[1]);
  Value result = NIL_VAL;
  if (match_at(&m, 0, 0)) result = match_record(&m);
  matcher_free(&m);
  return result;
}

static Value r_match_all(KaderState *K, int argc, Value *args) {
  (void)argc;
  Matcher m;
  matcher_init(&m, K, "match_all", args[0], args[1]);
  ObjList *out = list_new(K, 0);
  kd_push_root(K, OBJ_VAL(out));
  size_t at = 0;
  bool empty = false;
  while (find_next(&m, &at, &empty)) {
    list_push(K, out, match_record(&m));
    at = next_start(&m, &empty);
  }
  matcher_free(&m);
  kd_pop_root(K);
  return OBJ_VAL(out);
}

typedef struct {
  Matcher *m;
  Value with;
  KdBuf out;
  Value result;
  bool matcher_gone; /* match_failed freed it already */
} ReplaceJob;

/* The matches replaced by what a function returns for each; run under
** kd_protect so that an error in the function cannot leak the matcher. */
static void replace_job(KaderState *K, void *ud) {
  ReplaceJob *j = ud;
  Matcher *m = j->m;
  size_t at = 0, copied = 0;
  bool empty = false;
  for (;;) {
    j->matcher_gone = true; /* find_next frees it when it raises */
    int found = find_next(m, &at, &empty);
    j->matcher_gone = false;
    if (!found) break;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
    kd_buf_add(K, &j->out, m->text->chars + copied, ov[0] - copied);
    copied = ov[1];
    Value rec = match_record(m);
    at = next_start(m, &empty);
    kd_push_root(K, rec);
    Value piece = kd_call(K, j->with, 1, &rec);
    kd_pop_root(K);
    if (IS_NIL(piece))
      kd_error(K, "replace: the function returned nil for the match \"%s\"; "
               "return a text (the match itself is m.text)", AS_STRING(
               AS_RECORD(rec)->values[0])->chars);
    ObjString *s = kd_to_string(K, piece);
    kd_buf_add(K, &j->out, s->chars, s->len);
  }
  kd_buf_add(K, &j->out, m->text->chars + copied, m->text->len - copied);
  j->result = OBJ_VAL(str_new(K, j->out.s ? j->out.s : "", j->out.len));
}

/* replace(text, re, with): every match replaced. `with` is a text in which
** $1 and ${name} stand for groups ($$ for a dollar), or a function that
** gets the match record and returns the text to put in its place. */
static Value r_replace(KaderState *K, int argc, Value *args) {
  (void)argc;
  Matcher m;
  matcher_init(&m, K, "replace", args[0], args[1]);
  Value with = args[2];
  if (IS_STRING(with)) {
    ObjString *w = AS_STRING(with);
    PCRE2_SIZE out_len = m.text->len * 2 + w->len + 64;
    for (int attempt = 0; attempt < 2; attempt++) {
      PCRE2_UCHAR *out = malloc(out_len + 1);
      if (!out) {
        matcher_free(&m);
        kd_error(K, "out of memory");
      }
      PCRE2_SIZE len = out_len;
      int rc = pcre2_substitute(m.re->code, (PCRE2_SPTR)m.text->chars, m.text->len,
                                0, PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH |
                                PCRE2_SUBSTITUTE_UNSET_EMPTY,
                                m.md, m.ctx, (PCRE2_SPTR)w->chars, w->len, out, &len);
      if (rc >= 0) {
        matcher_free(&m);
        ObjString *s = str_new(K, (const char *)out, len);
        free(out);
        return OBJ_VAL(s);
      }
      free(out);
      if (rc == PCRE2_ERROR_NOMEMORY && attempt == 0) {
        out_len = len;
        continue;
      }
      if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
          rc == PCRE2_ERROR_HEAPLIMIT ||
          (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21))
        match_failed(&m, rc);
      PCRE2_UCHAR msg[256];
      pcre2_get_error_message(rc, msg, sizeof msg);
      matcher_free(&m);
      kd_error(K, "replace: %s (in the replacement, $1 or ${name} stands for a "
               "group and $$ for a dollar sign)", msg);
    }
  }
  if (!IS_OBJ_TYPE(with, O_CLOSURE) && !IS_OBJ_TYPE(with, O_NATIVE)) {
    matcher_free(&m);
    kd_arg_error(K, "replace", 3, "a text or a function", with);
  }
  ReplaceJob job = {&m, with, {0}, NIL_VAL, false};
  KaderResult r = kd_protect(K, replace_job, &job);
  if (!job.matcher_gone) matcher_free(&m);
  if (r != KADER_OK) {
    kd_buf_free(K, &job.out);
    kd_rethrow(K, r);
  }
  kd_buf_free(K, &job.out);
  return job.result;
}

/* split(text, separator): the pieces between matches of a regex (or
** occurrences of a text). */
static Value r_split(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (!IS_STRING(args[0])) kd_arg_error(K, "split", 1, "a text", args[0]);
  ObjString *s = AS_STRING(args[0]);
  ObjList *out = list_new(K, 0);
  kd_push_root(K, OBJ_VAL(out));
  if (IS_STRING(args[1])) {
    ObjString *sep = AS_STRING(args[1]);
    if (sep->len == 0) kd_error(K, "split: the separator is empty");
    size_t from = 0;
    for (;;) {
      const char *hit = NULL;
      for (size_t i = from; i + sep->len <= s->len; i++)
        if (memcmp(s->chars + i, sep->chars, sep->len) == 0) { hit = s->chars + i; break; }
      size_t end = hit ? (size_t)(hit - s->chars) : s->len;
      list_push(K, out, OBJ_VAL(str_new(K, s->chars + from, end - from)));
      if (!hit) break;
      from = end + sep->len;
    }
    kd_pop_root(K);
    return OBJ_VAL(out);
  }
  Matcher m;
  matcher_init(&m, K, "split", args[0], args[1]);
  size_t at = 0, piece = 0;
  bool empty = false;
  while (find_next(&m, &at, &empty)) {
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m.md);
    if (ov[0] == ov[1] && (ov[0] == 0 || ov[0] == s->len)) {
      /* an empty match at either end splits nothing */
      at = next_start(&m, &empty);
      continue;
    }
    list_push(K, out, OBJ_VAL(str_new(K, s->chars + piece, ov[0] - piece)));
    piece = ov[1];
    at = next_start(&m, &empty);
  }
  list_push(K, out, OBJ_VAL(str_new(K, s->chars + piece, s->len - piece)));
  matcher_free(&m);
  kd_pop_root(K);
  return OBJ_VAL(out);
}

static Value r_limits(KaderState *K, int argc, Value *args) {
  (void)argc;
  for (int i = 0; i < 2; i++)
    if (!IS_NUM(args[i]) || !(args[i].as.n >= 1 && args[i].as.n <= 4e9) ||
        args[i].as.n != floor(args[i].as.n))
      kd_arg_error(K, "regex_limits", i + 1, "a positive whole number", args[i]);
  K->regex_match_limit = (unsigned long)args[0].as.n;
  K->regex_depth_limit = (unsigned long)args[1].as.n;
  return NIL_VAL;
}

void kd_open_regex(KaderState *K) {
  static const struct {
    const char *name; NativeFn fn; int min, max; const char *doc;
  } fns[] = {
    {"regex", r_regex, 1, 2, "regex(pattern [, flags]): a regular expression made from text (flags: i, m, s, x, u)."},
    {"test", r_test, 2, 2, "test(text, re): whether the regular expression matches somewhere in the text."},
    {"match", r_match, 2, 2, "match(text, re): the first match as {text, start, end, groups, named}, or nil; positions count characters from 1."},
    {"match_all", r_match_all, 2, 2, "match_all(text, re): every match, as a list of match records."},
    {"replace", r_replace, 3, 3, "replace(text, re, with): every match replaced by a text ($1, ${name}, $$) or by what a function returns for the match."},
    {"split", r_split, 2, 2, "split(text, separator): the pieces between the matches of a regular expression or the occurrences of a text."},
    {"regex_limits", r_limits, 2, 2, "regex_limits(match, depth): how much backtracking a match may do before it stops with an error."},
  };
  for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
    kd_define_native(K, fns[i].name, fns[i].fn, fns[i].min, fns[i].max, fns[i].doc);
}

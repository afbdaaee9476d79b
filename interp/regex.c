/*
** regex.c — regular expressions on PCRE2: regex values, and test, match,
** match_all, replace and split.
**
** A pattern is compiled once (UTF mode, JIT when the platform has it) and
** kept on its value. PCRE2 allocates through the interpreter (a general
** context), so patterns, match data and backtracking frames count against
** the memory limit. Matching is bounded by PCRE2's match and depth limits,
** so a pattern that backtracks catastrophically stops with an error instead
** of hanging; a model may change the limits with regex_limits(), up to
** REGEX_MAX_LIMIT. Positions given to programs count characters from 1,
** like list indices.
**
** Interrupts: PCRE2 cannot be stopped from outside, but a callout can stop
** it from inside. Callouts before every item (PCRE2_AUTO_CALLOUT) cost
** ordinary matching dearly, so a match first runs on the plain code with a
** match limit of at most REGEX_QUICK_LIMIT (a few milliseconds). Only a
** match that needs more, when the model raised the limit, runs again on a
** second compilation of the pattern with a callout everywhere, which looks
** at K->interrupted: Ctrl-C or kader_interrupt stops it within a callout.
*/
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <math.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

/* regex_limits' largest values: about ten seconds of backtracking */
#define REGEX_MAX_LIMIT 1000000000ul
/* the match limit of the first, unwatched try: well under 100 ms */
#define REGEX_QUICK_LIMIT 1000000ul

struct ObjRegex {
  Obj obj;
  ObjString *source;
  ObjString *flags;
  pcre2_code *code;
  pcre2_code *watched; /* with auto-callouts, made on first need, or NULL */
  uint32_t options;
  uint32_t capture_count;
};

/* PCRE2's memory: through kd_try_realloc (PCRE2 must see NULL, not an
** error that unwinds through it), with the size in front for freeing. */
typedef union { max_align_t align; size_t size; } RxHeader;

static void *rx_malloc(PCRE2_SIZE size, void *ud) {
  if (size > SIZE_MAX - sizeof(RxHeader)) return NULL;
  RxHeader *h = kd_try_realloc(ud, NULL, 0, sizeof *h + size);
  if (!h) return NULL;
  h->size = sizeof *h + size;
  return h + 1;
}

static void rx_free(void *p, void *ud) {
  if (!p) return;
  RxHeader *h = (RxHeader *)p - 1;
  kd_try_realloc(ud, h, h->size, 0);
}

/* The interpreter's PCRE2 contexts, made once (kd_open_regex). */
typedef struct RegexContexts {
  pcre2_general_context *memory;
  pcre2_compile_context *compile;
  pcre2_match_context *match;
  /* match data kept for the next match (with PCRE2's backtracking frames):
  ** most matches need no allocation; a nested one (in replace's function)
  ** makes its own */
  pcre2_match_data *spare;
  bool spare_busy;
} RegexContexts;

/* A callout (auto-callouts: before every item of a watched pattern). */
static int rx_watch(pcre2_callout_block *block, void *ud) {
  (void)block;
  return ((KaderState *)ud)->interrupted ? PCRE2_ERROR_CALLOUT : 0;
}

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

static pcre2_code *compile(KaderState *K, ObjString *pattern, uint32_t options,
                           int *error, PCRE2_SIZE *offset) {
  RegexContexts *rc = K->regex;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern->chars, pattern->len, options,
                                   error, offset, rc->compile);
  if (code) pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* without JIT it still works */
  return code;
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
  /* PCRE2 allocates through us, and so may collect garbage */
  kd_push_root(K, OBJ_VAL(pattern));
  kd_push_root(K, OBJ_VAL(flags));
  int code_error;
  PCRE2_SIZE offset;
  pcre2_code *code = compile(K, pattern, options, &code_error, &offset);
  if (!code) {
    kd_pop_root(K);
    kd_pop_root(K);
    if (code_error == PCRE2_ERROR_HEAP_FAILED) kd_out_of_memory(K);
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(code_error, msg, sizeof msg);
    snprintf(error, cap, "%s", (const char *)msg);
    *error_offset = offset;
    return NULL;
  }
  ObjRegex *re = (ObjRegex *)kd_alloc_obj(K, sizeof(ObjRegex), O_REGEX);
  kd_pop_root(K);
  kd_pop_root(K);
  re->source = pattern;
  re->flags = flags;
  re->code = code;
  re->watched = NULL;
  re->options = options;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &re->capture_count);
  return re;
}

void kd_regex_free(ObjRegex *re) {
  pcre2_code_free(re->code);
  pcre2_code_free(re->watched);
}

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
} Matcher;

static ObjRegex *as_regex(KaderState *K, const char *fn, int i, Value v) {
  if (IS_OBJ_TYPE(v, O_REGEX)) return (ObjRegex *)v.as.o;
  kd_arg_error(K, fn, i, "a regular expression (/…/)", v);
}

/* A failed match (not a mere "no match") as an error. */
static _Noreturn void match_failed(Matcher *m, int rc) {
  KaderState *K = m->K;
  if (rc == PCRE2_ERROR_CALLOUT) { /* only rx_watch returns it */
    K->interrupted = 0;
    kd_error(K, "interrupted");
  }
  if (rc == PCRE2_ERROR_NOMEMORY || rc == PCRE2_ERROR_HEAPLIMIT) kd_out_of_memory(K);
  unsigned long limit = rc == PCRE2_ERROR_MATCHLIMIT ? K->regex_match_limit
                                                     : K->regex_depth_limit;
  PCRE2_UCHAR msg[256];
  pcre2_get_error_message(rc, msg, sizeof msg);
  if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT)
    kd_error(K, "the regular expression needs too much backtracking on this "
             "text (PCRE2: %s; the limit is %lu); simplify the pattern or "
             "raise the limits with regex_limits(match, depth)", msg, limit);
  if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21) {
    size_t at = (size_t)pcre2_get_startchar(m->md) + 1;
    kd_error(K, "the text is not valid UTF-8 (byte %zu: %s)", at, msg);
  }
  kd_error(K, "regular expression: %s", msg);
}

/* The code a second try runs: the pattern compiled again with a callout
** before every item, so that it can be interrupted. */
static pcre2_code *watched_code(KaderState *K, ObjRegex *re) {
  if (re->watched) return re->watched;
  int error;
  PCRE2_SIZE offset;
  kd_push_root(K, OBJ_VAL(re));
  re->watched = compile(K, re->source, re->options | PCRE2_AUTO_CALLOUT, &error, &offset);
  kd_pop_root(K);
  if (!re->watched) kd_out_of_memory(K); /* it compiled once already */
  return re->watched;
}

/* Runs a PCRE2 matcher (a closure over pcre2_match or pcre2_substitute) on
** code with the match context's limits: first quickly on the plain code,
** then, when that was not enough and the model allows more, on the watched
** code with the model's limits. Returns what PCRE2 returned. */
typedef int (*RunFn)(void *ud, const pcre2_code *code, pcre2_match_context *ctx,
                     uint32_t extra_options);

static int run_bounded(KaderState *K, ObjRegex *re, RunFn run, void *ud) {
  pcre2_match_context *ctx = ((RegexContexts *)K->regex)->match;
  unsigned long quick = K->regex_match_limit < REGEX_QUICK_LIMIT ? K->regex_match_limit
                                                                 : REGEX_QUICK_LIMIT;
  pcre2_set_match_limit(ctx, (uint32_t)quick);
  pcre2_set_depth_limit(ctx, (uint32_t)K->regex_depth_limit);
  int rc = run(ud, re->code, ctx, 0);
  if (rc == PCRE2_ERROR_JIT_STACKLIMIT) /* deep: the interpreter's frames */
    rc = run(ud, re->code, ctx, PCRE2_NO_JIT);
  if (rc != PCRE2_ERROR_MATCHLIMIT || quick == K->regex_match_limit) return rc;
  if (K->interrupted) {
    K->interrupted = 0;
    kd_error(K, "interrupted");
  }
  pcre2_code *watched = watched_code(K, re);
  pcre2_set_match_limit(ctx, (uint32_t)K->regex_match_limit);
  rc = run(ud, watched, ctx, 0);
  if (rc == PCRE2_ERROR_JIT_STACKLIMIT) rc = run(ud, watched, ctx, PCRE2_NO_JIT);
  return rc;
}

typedef struct { Matcher *m; size_t from; uint32_t options; } MatchRun;

static int run_match(void *ud, const pcre2_code *code, pcre2_match_context *ctx,
                     uint32_t extra) {
  MatchRun *r = ud;
  Matcher *m = r->m;
  return pcre2_match(code, (PCRE2_SPTR)m->text->chars, m->text->len, r->from,
                     r->options | extra, m->md, ctx);
}

/* One match from byte offset `from`: 1 when found, 0 when not; errors
** (limits, invalid UTF-8, an interrupt) are raised. */
static int match_at(Matcher *m, size_t from, uint32_t options) {
  MatchRun r = {m, from, options};
  int rc = run_bounded(m->K, m->re, run_match, &r);
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
  record_put(K, r, "text", OBJ_VAL(str_new(K, m->text->chars + ov[0], ov[1] - ov[0])));
  record_put(K, r, "start", NUM_VAL((double)char_index(m->text, ov[0]) + 1));
  record_put(K, r, "end", NUM_VAL((double)char_index(m->text, ov[1])));
  ObjList *groups = list_new(K, m->re->capture_count);
  record_put(K, r, "groups", OBJ_VAL(groups));
  for (uint32_t g = 1; g <= m->re->capture_count; g++) {
    if (ov[2 * g] == PCRE2_UNSET) list_push(K, groups, NIL_VAL);
    else list_push(K, groups, OBJ_VAL(str_new(K, m->text->chars + ov[2 * g],
                                              ov[2 * g + 1] - ov[2 * g])));
  }
  ObjRecord *named = record_new(K);
  record_put(K, r, "named", OBJ_VAL(named));
  uint32_t count = 0, entry_size = 0;
  PCRE2_SPTR table = NULL;
  pcre2_pattern_info(m->re->code, PCRE2_INFO_NAMECOUNT, &count);
  pcre2_pattern_info(m->re->code, PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
  pcre2_pattern_info(m->re->code, PCRE2_INFO_NAMETABLE, &table);
  for (uint32_t i = 0; i < count; i++) {
    PCRE2_SPTR e = table + i * entry_size;
    uint32_t g = (uint32_t)(e[0] << 8 | e[1]);
    Value v = NIL_VAL;
    if (ov[2 * g] != PCRE2_UNSET)
      v = OBJ_VAL(str_new(K, m->text->chars + ov[2 * g], ov[2 * g + 1] - ov[2 * g]));
    record_put(K, named, (const char *)(e + 2), v);
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

/* Finds the next match from `at`, handling empty matches; 0 at the end.
** Many quick matches on a long text add up: an interrupt stops them too. */
static int find_next(Matcher *m, size_t *at, bool *last_empty) {
  if (m->K->interrupted) {
    m->K->interrupted = 0;
    kd_error(m->K, "interrupted");
  }
  for (;;) {
    if (*at > m->text->len) return 0;
    uint32_t options = *last_empty ? PCRE2_NOTEMPTY_ATSTART : 0;
    if (match_at(m, *at, options)) return 1;
    if (!*last_empty || *at >= m->text->len) return 0;
    *at = skip_char(m->text, *at);
    *last_empty = false;
  }
}

/* Every native that matches runs its body here: the match data exists only
** around it, and an error in the body (a limit, an interrupt, a function
** that fails, memory) cannot leak it. */
typedef Value (*MatchBody)(Matcher *m, Value *args);
typedef struct { Matcher m; MatchBody body; Value *args; Value result; } MatchJob;

static void match_job(KaderState *K, void *ud) {
  (void)K;
  MatchJob *j = ud;
  j->result = j->body(&j->m, j->args);
}

/* Match data with room for re's groups: the spare when it is free and big
** enough, else new. */
static pcre2_match_data *take_match_data(KaderState *K, ObjRegex *re) {
  RegexContexts *rc = K->regex;
  if (rc->spare && !rc->spare_busy &&
      pcre2_get_ovector_count(rc->spare) > re->capture_count) {
    rc->spare_busy = true;
    return rc->spare;
  }
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(re->code, rc->memory);
  if (!md) kd_out_of_memory(K);
  return md;
}

/* Done with md: it becomes the spare unless the spare is in use. */
static void give_back_match_data(KaderState *K, pcre2_match_data *md) {
  RegexContexts *rc = K->regex;
  if (md == rc->spare) {
    rc->spare_busy = false;
  } else if (!rc->spare_busy) {
    pcre2_match_data_free(rc->spare);
    rc->spare = md;
  } else {
    pcre2_match_data_free(md);
  }
}

static Value with_matcher(KaderState *K, const char *fn, Value *args, MatchBody body) {
  if (!IS_STRING(args[0])) kd_arg_error(K, fn, 1, "a text", args[0]);
  MatchJob j;
  j.m.K = K;
  j.m.re = as_regex(K, fn, 2, args[1]);
  j.m.text = AS_STRING(args[0]);
  j.m.md = take_match_data(K, j.m.re);
  j.body = body;
  j.args = args;
  j.result = NIL_VAL;
  KaderResult r = kd_protect(K, match_job, &j);
  give_back_match_data(K, j.m.md);
  if (r != KADER_OK) kd_rethrow(K, r);
  return j.result;
}

static Value test_body(Matcher *m, Value *args) {
  (void)args;
  return BOOL_VAL(match_at(m, 0, 0));
}

static Value r_test(KaderState *K, int argc, Value *args) {
  (void)argc;
  return with_matcher(K, "test", args, test_body);
}

static Value match_body(Matcher *m, Value *args) {
  (void)args;
  return match_at(m, 0, 0) ? match_record(m) : NIL_VAL;
}

static Value r_match(KaderState *K, int argc, Value *args) {
  (void)argc;
  return with_matcher(K, "match", args, match_body);
}

static Value match_all_body(Matcher *m, Value *args) {
  (void)args;
  KaderState *K = m->K;
  ObjList *out = list_new(K, 0);
  kd_push_root(K, OBJ_VAL(out));
  size_t at = 0;
  bool empty = false;
  while (find_next(m, &at, &empty)) {
    list_push(K, out, match_record(m));
    at = next_start(m, &empty);
  }
  kd_pop_root(K);
  return OBJ_VAL(out);
}

static Value r_match_all(KaderState *K, int argc, Value *args) {
  (void)argc;
  return with_matcher(K, "match_all", args, match_all_body);
}

/* The matches replaced by what a function returns for each. */
static Value replace_fn_body(Matcher *m, Value *args) {
  KaderState *K = m->K;
  Value with = args[2];
  KdBuf out = {0};
  size_t at = 0, copied = 0;
  bool empty = false;
  while (find_next(m, &at, &empty)) {
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
    kd_buf_add(K, &out, m->text->chars + copied, ov[0] - copied);
    copied = ov[1];
    Value rec = match_record(m);
    at = next_start(m, &empty);
    kd_push_root(K, rec);
    Value piece = kd_call(K, with, 1, &rec);
    kd_pop_root(K);
    if (IS_NIL(piece))
      kd_error(K, "replace: the function returned nil for the match \"%s\"; "
               "return a text (the match itself is m.text)", AS_STRING(
               AS_RECORD(rec)->values[0])->chars);
    ObjString *s = kd_to_string(K, piece);
    kd_buf_add(K, &out, s->chars, s->len);
  }
  kd_buf_add(K, &out, m->text->chars + copied, m->text->len - copied);
  Value result = OBJ_VAL(str_new(K, out.s, out.len));
  kd_buf_free(K, &out);
  return result;
}

/* pcre2_substitute into a buffer of `cap` bytes; *len: what it wrote, or
** (PCRE2_ERROR_NOMEMORY) what it needs. */
typedef struct { Matcher *m; ObjString *with; PCRE2_UCHAR *out; PCRE2_SIZE cap, len; } SubstituteRun;

static int run_substitute(void *ud, const pcre2_code *code, pcre2_match_context *ctx,
                          uint32_t extra) {
  SubstituteRun *r = ud;
  Matcher *m = r->m;
  r->len = r->cap;
  return pcre2_substitute(code, (PCRE2_SPTR)m->text->chars, m->text->len, 0,
                          PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH |
                          PCRE2_SUBSTITUTE_UNSET_EMPTY | extra,
                          m->md, ctx, (PCRE2_SPTR)r->with->chars, r->with->len, r->out,
                          &r->len);
}

static Value replace_text_body(Matcher *m, Value *args) {
  KaderState *K = m->K;
  SubstituteRun r = {m, AS_STRING(args[2]), NULL, 0, 0};
  r.cap = m->text->len * 2 + r.with->len + 64;
  for (int attempt = 0; attempt < 2; attempt++) {
    r.out = kd_scratch_realloc(K, NULL, r.cap + 1);
    int rc = run_bounded(K, m->re, run_substitute, &r);
    if (rc >= 0) {
      ObjString *s = str_new(K, (const char *)r.out, r.len);
      kd_scratch_realloc(K, r.out, 0);
      return OBJ_VAL(s);
    }
    kd_scratch_realloc(K, r.out, 0);
    if (rc == PCRE2_ERROR_NOMEMORY && attempt == 0 && r.len > r.cap) {
      r.cap = r.len;
      continue;
    }
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_NOMEMORY || rc == PCRE2_ERROR_HEAPLIMIT ||
        rc == PCRE2_ERROR_CALLOUT ||
        (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21))
      match_failed(m, rc);
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(rc, msg, sizeof msg);
    kd_error(K, "replace: %s (in the replacement, $1 or ${name} stands for a "
             "group and $$ for a dollar sign)", msg);
  }
  kd_out_of_memory(K);
}

/* replace(text, re, with): every match replaced. `with` is a text in which
** $1 and ${name} stand for groups ($$ for a dollar), or a function that
** gets the match record and returns the text to put in its place. */
static Value r_replace(KaderState *K, int argc, Value *args) {
  (void)argc;
  Value with = args[2];
  if (IS_STRING(with)) return with_matcher(K, "replace", args, replace_text_body);
  if (!IS_OBJ_TYPE(with, O_CLOSURE) && !IS_OBJ_TYPE(with, O_NATIVE)) {
    if (!IS_STRING(args[0])) kd_arg_error(K, "replace", 1, "a text", args[0]);
    as_regex(K, "replace", 2, args[1]);
    kd_arg_error(K, "replace", 3, "a text or a function", with);
  }
  return with_matcher(K, "replace", args, replace_fn_body);
}

static Value split_body(Matcher *m, Value *args) {
  (void)args;
  KaderState *K = m->K;
  ObjString *s = m->text;
  ObjList *out = list_new(K, 0);
  kd_push_root(K, OBJ_VAL(out));
  size_t at = 0, piece = 0;
  bool empty = false;
  while (find_next(m, &at, &empty)) {
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
    if (ov[0] == ov[1] && (ov[0] == 0 || ov[0] == s->len)) {
      /* an empty match at either end splits nothing */
      at = next_start(m, &empty);
      continue;
    }
    list_push(K, out, OBJ_VAL(str_new(K, s->chars + piece, ov[0] - piece)));
    piece = ov[1];
    at = next_start(m, &empty);
  }
  list_push(K, out, OBJ_VAL(str_new(K, s->chars + piece, s->len - piece)));
  kd_pop_root(K);
  return OBJ_VAL(out);
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
  kd_pop_root(K);
  return with_matcher(K, "split", args, split_body);
}

/* regex_limits(match, depth): whole numbers from 1 to REGEX_MAX_LIMIT. */
static Value r_limits(KaderState *K, int argc, Value *args) {
  (void)argc;
  for (int i = 0; i < 2; i++) {
    if (IS_NUM(args[i]) && args[i].as.n > (double)REGEX_MAX_LIMIT)
      kd_error(K, "regex_limits: argument %d is %.0f, more than the largest limit, "
               "%lu (about ten seconds of backtracking); a pattern that needs "
               "more should be simplified", i + 1, args[i].as.n, REGEX_MAX_LIMIT);
    if (!IS_NUM(args[i]) || !(args[i].as.n >= 1) || args[i].as.n != floor(args[i].as.n))
      kd_arg_error(K, "regex_limits", i + 1, "a whole number from 1 to 1000000000", args[i]);
  }
  K->regex_match_limit = (unsigned long)args[0].as.n;
  K->regex_depth_limit = (unsigned long)args[1].as.n;
  return NIL_VAL;
}

void kd_open_regex(KaderState *K) {
  RegexContexts *rc = kd_realloc(K, NULL, 0, sizeof *rc);
  memset(rc, 0, sizeof *rc);
  K->regex = rc;
  rc->memory = pcre2_general_context_create(rx_malloc, rx_free, K);
  if (rc->memory) rc->compile = pcre2_compile_context_create(rc->memory);
  if (rc->memory) rc->match = pcre2_match_context_create(rc->memory);
  if (!rc->compile || !rc->match) kd_out_of_memory(K);
  pcre2_set_callout(rc->match, rx_watch, K);
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

void kd_free_regex(KaderState *K) {
  RegexContexts *rc = K->regex;
  if (!rc) return;
  pcre2_match_data_free(rc->spare);
  pcre2_match_context_free(rc->match);
  pcre2_compile_context_free(rc->compile);
  pcre2_general_context_free(rc->memory);
  kd_realloc(K, rc, sizeof *rc, 0);
  K->regex = NULL;
}

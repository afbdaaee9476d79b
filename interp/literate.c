/*
** literate.c — literate models: a Markdown paper whose ```kader blocks are
** the model and whose prose takes its numbers from it (docs/literate.md).
**
** A report typed in a word processor goes stale as soon as a number in the
** model changes. `kader run paper.md` runs the paper's kader blocks in
** order, in one state, and writes paper.out.md: the paper byte for byte,
** with each block's output after the block and every inline code span
** `k: expression` replaced by the expression's value as print shows it.
**
** Each block and each inline expression is compiled as source named after
** the paper and padded in front with blank lines (and, for an inline
** expression, with one blank per character before it on its line), so its
** errors and warnings name the paper's own line and column without any
** change to the compiler or to the error renderer. An error stops the run
** and no .out.md is written.
**
** Output of a block: what the standard library prints (reports and their
** tables) is Markdown when the report format is "md", which is the format
** of a paper unless the user asked for another; what the block's own code
** prints is plain text and goes into a ```text block, lines kept.
*/
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "vm.h"

/* ---- a growable byte buffer that remembers running out of memory ---- */

typedef struct { char *s; size_t len, cap; bool failed; } Buf;

static void buf_add(Buf *b, const char *s, size_t n) {
  if (b->failed || n == 0) return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1) cap *= 2;
    char *p = realloc(b->s, cap);
    if (!p) {
      b->failed = true;
      return;
    }
    b->s = p;
    b->cap = cap;
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

static void buf_str(Buf *b, const char *s) { buf_add(b, s, strlen(s)); }

static void buf_repeat(Buf *b, char c, size_t n) {
  char chunk[64];
  memset(chunk, c, sizeof chunk);
  for (; n > sizeof chunk; n -= sizeof chunk) buf_add(b, chunk, sizeof chunk);
  buf_add(b, chunk, n);
}

static bool buf_ends_with_newline(const Buf *b) {
  return b->len == 0 || b->s[b->len - 1] == '\n';
}

/* ---- captured output: runs of plain text, Markdown and JSON ---- */

typedef enum { OUT_TEXT, OUT_MD, OUT_JSON } OutKind;

typedef struct { OutKind kind; size_t start, len; } Segment;

typedef struct {
  KaderState *K;
  Buf text;
  Segment *segs;
  size_t count, cap;
  bool failed;
  const char *path;   /* the paper as the user named it ... */
  const char *name;   /* ... and its file name, which the .out.md says */
} Capture;

/* Output printed by a function of the standard library (a report) is in
** the report format; the paper's own print calls write plain text. */
static OutKind kind_now(KaderState *K) {
  if (K->frame_count == 0) return OUT_TEXT;
  ObjModule *m = K->frames[K->frame_count - 1].closure->fn->module;
  if (!m || !m->embedded || !K->config.format) return OUT_TEXT;
  if (strcmp(K->config.format, "md") == 0) return OUT_MD;
  if (strcmp(K->config.format, "json") == 0) return OUT_JSON;
  return OUT_TEXT;
}

/* Adds what was printed, with each location in the paper ("dir/paper.md:32")
** given by the paper's file name alone ("paper.md:32"): the .out.md lies
** beside the paper, and must not change with the directory `kader run` was
** started from (a rerun gives the same bytes). */
static void add_renamed(Capture *c, const char *s, size_t n) {
  size_t plen = strlen(c->path), from = 0;
  if (c->name == c->path) {
    buf_add(&c->text, s, n);
    return;
  }
  for (size_t i = 0; i + plen < n; i++) {
    if (s[i] == c->path[0] && memcmp(s + i, c->path, plen) == 0 && s[i + plen] == ':' &&
        (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\n' || s[i - 1] == '(' || s[i - 1] == '"')) {
      buf_add(&c->text, s + from, i - from);
      buf_str(&c->text, c->name);
      from = i + plen;
      i = from - 1;
    }
  }
  buf_add(&c->text, s + from, n - from);
}

static void capture_write(void *ud, const char *s, size_t n) {
  Capture *c = ud;
  if (n == 0 || c->failed) return;
  OutKind kind = kind_now(c->K);
  if (c->count == 0 || c->segs[c->count - 1].kind != kind) {
    if (c->count == c->cap) {
      size_t cap = c->cap ? c->cap * 2 : 8;
      Segment *segs = realloc(c->segs, cap * sizeof *segs);
      if (!segs) {
        c->failed = true;
        return;
      }
      c->segs = segs;
      c->cap = cap;
    }
    c->segs[c->count++] = (Segment){kind, c->text.len, 0};
  }
  size_t before = c->text.len;
  add_renamed(c, s, n);
  c->segs[c->count - 1].len += c->text.len - before;
  c->failed = c->text.failed;
}

static void capture_reset(Capture *c) {
  c->text.len = 0;
  c->count = 0;
}

static void capture_free(Capture *c) {
  free(c->text.s);
  free(c->segs);
}

/* ---- the paper ---- */

typedef struct {
  KaderState *K;
  const char *path;   /* as the user named it: errors and warnings say it */
  const char *src;
  size_t len;
  Buf out;            /* the .out.md being built */
  Capture capture;    /* what the running block or expression prints */
  size_t seen_off, seen_line; /* line_no's cursor: seen_off is on seen_line */
} Paper;

/* One line: [start, end) without its "\n" (or "\r\n"); next: the next line. */
typedef struct { size_t start, end, next; } Line;

static Line line_at(const Paper *p, size_t pos) {
  Line l = {pos, pos, pos};
  while (l.end < p->len && p->src[l.end] != '\n') l.end++;
  l.next = l.end < p->len ? l.end + 1 : l.end;
  if (l.end > l.start && p->src[l.end - 1] == '\r') l.end--;
  return l;
}

static bool is_blank(const Paper *p, Line l) {
  for (size_t i = l.start; i < l.end; i++)
    if (p->src[i] != ' ' && p->src[i] != '\t') return false;
  return true;
}

/* Columns of leading white space (a tab goes to the next multiple of 4). */
static size_t indent_of(const Paper *p, Line l) {
  size_t col = 0;
  for (size_t i = l.start; i < l.end; i++) {
    if (p->src[i] == ' ') col++;
    else if (p->src[i] == '\t') col += 4 - col % 4;
    else break;
  }
  return col;
}

/* The 1-based line of a byte offset; offsets mostly come in order, so the
** count goes on from the last one asked. */
static size_t line_no(Paper *p, size_t off) {
  if (off < p->seen_off) {
    p->seen_off = 0;
    p->seen_line = 1;
  }
  for (; p->seen_off < off; p->seen_off++)
    if (p->src[p->seen_off] == '\n') p->seen_line++;
  return p->seen_line;
}

/* ---- diagnostics ---- */

/* An error that belongs to no line ("cannot read paper.md: ..."). */
static KaderResult plain_error(KaderState *K, KaderResult r, const char *file,
                               const char *fmt, const char *a, const char *b) {
  char msg[1000];
  snprintf(msg, sizeof msg, fmt, a, b);
  snprintf(K->error_message, sizeof K->error_message, "%s", msg);
  snprintf(K->error_file, sizeof K->error_file, "%s", file ? file : "");
  K->error_line = K->error_column = 0;
  char text[1100];
  snprintf(text, sizeof text, "kader: %s\n", msg);
  free(K->last_error);
  K->last_error = strdup(text);
  kd_write_error(K, K->last_error);
  return r;
}

static KaderResult out_of_memory(KaderState *K) {
  return plain_error(K, KADER_RUNTIME_ERROR, NULL, "%s%s", "out of memory", "");
}

typedef struct { const char *path, *src; size_t len; Span span; const char *msg; } PaperErrorJob;

static void paper_error_job(KaderState *K, void *ud) {
  PaperErrorJob *j = ud;
  ObjModule *m = kd_load_module(K, j->path, j->src, j->len, false);
  kd_push_root(K, OBJ_VAL(m));
  kd_error_at(K, m, j->span, true, "%s", j->msg);
}

/* A syntax error at [off, off + n) of the paper, shown with its line. */
static KaderResult paper_error(Paper *p, size_t off, size_t n, const char *msg) {
  size_t start = off;
  while (start > 0 && p->src[start - 1] != '\n') start--;
  Line l = line_at(p, start);
  Buf src = {0};
  size_t before = line_no(p, l.start) - 1;
  buf_repeat(&src, '\n', before);
  buf_add(&src, p->src + l.start, l.end - l.start);
  if (src.failed) {
    free(src.s);
    return out_of_memory(p->K);
  }
  Span span = {(uint32_t)(before + off - l.start), (uint32_t)n};
  PaperErrorJob job = {p->path, src.s ? src.s : "", src.len, span, msg};
  KaderResult r = kd_protect(p->K, paper_error_job, &job);
  free(src.s);
  kd_write_error(p->K, p->K->last_error);
  return r;
}

/* The start of line `n` (from 1) of text, or NULL. */
static const char *nth_line(const char *text, size_t len, size_t n) {
  const char *s = text, *end = text + len;
  for (size_t i = 1; i < n; i++) {
    s = memchr(s, '\n', (size_t)(end - s));
    if (!s) return NULL;
    s++;
  }
  return s;
}

/* An inline expression's source has the prose around it blanked out; its
** error shows the paper's own line instead of that blanked line. */
static void show_paper_line(Paper *p, const char *src, size_t len) {
  KaderState *K = p->K;
  if (!K->last_error || K->error_line == 0 || strcmp(K->error_file, p->path) != 0) return;
  const char *ps = nth_line(src, len, K->error_line);
  const char *rs = nth_line(p->src, p->len, K->error_line);
  if (!ps || !rs) return;
  const char *pe = memchr(ps, '\n', (size_t)(src + len - ps));
  if (!pe) pe = src + len;
  Line real = line_at(p, (size_t)(rs - p->src));
  size_t plen = (size_t)(pe - ps);
  bool blank = true;
  for (size_t i = 0; i < plen; i++) blank = blank && (ps[i] == ' ' || ps[i] == '\t');
  if (blank) return;   /* the error is elsewhere (in a block's function) */
  Buf needle = {0}, fixed = {0};
  buf_add(&needle, "| ", 2);
  buf_add(&needle, ps, plen);
  buf_add(&needle, "\n", 1);
  const char *hit = needle.failed ? NULL : strstr(K->last_error, needle.s);
  if (hit) {
    buf_add(&fixed, K->last_error, (size_t)(hit - K->last_error) + 2);
    buf_add(&fixed, p->src + real.start, real.end - real.start);
    buf_str(&fixed, hit + needle.len - 1);
    if (!fixed.failed) {
      free(K->last_error);
      K->last_error = fixed.s;
      fixed.s = NULL;
    }
  }
  free(needle.s);
  free(fixed.s);
}

/* ---- block output ---- */

/* A Markdown segment without the blank lines around it: [*from, *to). */
static void trim_blank_lines(const char *s, size_t *from, size_t *to) {
  size_t a = *from, b = *to;
  for (size_t i = a; i < b && strchr(" \t\r\n", s[i]); i++)
    if (s[i] == '\n') a = i + 1;
  while (b > a && strchr(" \t\r\n", s[b - 1])) b--;
  *from = a;
  *to = b;
}

/* Plain output in a fenced block, longer than any run of backticks in it. */
static void add_fenced(Buf *out, const char *s, size_t n, const char *info) {
  size_t longest = 2, run = 0;
  for (size_t i = 0; i < n; i++) {
    run = s[i] == '`' ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  buf_repeat(out, '`', longest + 1);
  buf_str(out, info);
  buf_add(out, "\n", 1);
  buf_add(out, s, n);
  if (s[n - 1] != '\n') buf_add(out, "\n", 1);
  buf_repeat(out, '`', longest + 1);
  buf_add(out, "\n", 1);
}

/* Appends what the block printed, after a blank line; `next` is where the
** paper goes on, which gets a blank line before it when it has none. */
static void add_output(Paper *p, size_t next) {
  Capture *c = &p->capture;
  bool any = false;
  for (size_t i = 0; i < c->count; i++) {
    const Segment *g = &c->segs[i];
    size_t from = g->start, to = g->start + g->len;
    if (g->kind == OUT_MD) trim_blank_lines(c->text.s, &from, &to);
    if (from == to) continue;
    if (!buf_ends_with_newline(&p->out)) buf_add(&p->out, "\n", 1);
    buf_add(&p->out, "\n", 1);
    any = true;
    if (g->kind == OUT_MD) {
      buf_add(&p->out, c->text.s + from, to - from);
      buf_add(&p->out, "\n", 1);
    } else {
      add_fenced(&p->out, c->text.s + from, to - from,
                 g->kind == OUT_JSON ? "json" : "text");
    }
  }
  if (any && next < p->len && !is_blank(p, line_at(p, next))) buf_add(&p->out, "\n", 1);
}

/* ---- running blocks and inline expressions ---- */

/* Runs the block whose code is [from, to) of the paper. */
static KaderResult run_block(Paper *p, size_t from, size_t to, size_t next) {
  Buf src = {0};
  buf_repeat(&src, '\n', line_no(p, from) - 1);
  buf_add(&src, p->src + from, to - from);
  if (src.failed) {
    free(src.s);
    return out_of_memory(p->K);
  }
  capture_reset(&p->capture);
  KaderResult r = kd_run_source(p->K, p->path, src.s ? src.s : "", src.len, false, false);
  free(src.s);
  if (r != KADER_OK) {
    kd_write_error(p->K, p->K->last_error);
    return r;
  }
  if (p->capture.failed) return out_of_memory(p->K);
  add_output(p, next);
  return KADER_OK;
}

typedef struct {
  const char *path, *src;
  size_t len;
  Buf *value;   /* gets the value, as print shows it */
} InlineJob;

/* Compiles the expression in REPL mode (its value becomes last_result) and
** shows the value; the REPL's `_` is left as it was. */
static void inline_job(KaderState *K, void *ud) {
  InlineJob *j = ud;
  ObjModule *m = kd_load_module(K, j->path, j->src, j->len, false);
  kd_push_root(K, OBJ_VAL(m));
  ObjString *under = str_cstr(K, "_");
  kd_push_root(K, OBJ_VAL(under));
  uint32_t slot;
  bool had = imap_get(&K->global_index, under, &slot);
  Value old = had ? K->globals[slot] : UNDEF_VAL;
  uint8_t old_flags = had ? K->global_flags[slot] : 0;
  kd_push_root(K, old);
  K->last_result = NIL_VAL;
  kd_run_module(K, m, true);
  if (imap_get(&K->global_index, under, &slot)) {
    K->globals[slot] = old;
    K->global_flags[slot] = old_flags;
  }
  KdBuf b = {0};
  kd_show(K, &b, K->last_result, false);
  K->last_result = NIL_VAL;
  buf_add(j->value, b.s ? b.s : "", b.len);
  kd_buf_free(K, &b);
  kd_pop_root(K);
  kd_pop_root(K);
  kd_pop_root(K);
}

/* Is src (parsed on its own) one expression? Syntax errors count as yes:
** running it reports them. */
static bool one_expression(const char *src, size_t len, bool *empty) {
  Arena a;
  arena_init(&a);
  ParseError err;
  memset(&err, 0, sizeof err);
  Node *prog = kd_parse(&a, src, len, &err);
  bool one = !prog || (prog->items.count == 1 && prog->items.items[0]->kind == N_EXPR_STMT);
  *empty = prog && prog->items.count == 0;
  arena_free(&a);
  return one;
}

/* The source of an inline expression at [from, to): blank lines before it,
** and a blank (a tab for a tab) for each character before it on its line. */
static void inline_source(Paper *p, size_t from, size_t to, Buf *src) {
  size_t start = from;
  while (start > 0 && p->src[start - 1] != '\n') start--;
  buf_repeat(src, '\n', line_no(p, start) - 1);
  for (size_t i = start; i < from; i++) {
    unsigned char c = (unsigned char)p->src[i];
    if ((c & 0xC0) != 0x80) buf_add(src, c == '\t' ? "\t" : " ", 1);
  }
  buf_add(src, p->src + from, to - from);
}

/* Replaces the code span [span, span_end) by the value of the expression
** [from, to) in it. */
static KaderResult run_inline(Paper *p, size_t span, size_t span_end, size_t from, size_t to) {
  Buf src = {0};
  inline_source(p, from, to, &src);
  if (src.failed) {
    free(src.s);
    return out_of_memory(p->K);
  }
  bool empty = false;
  if (!one_expression(src.s, src.len, &empty)) {
    free(src.s);
    return paper_error(p, span, span_end - span, empty
        ? "`k:` needs an expression after it"
        : "`k:` takes one expression; statements belong in a ```kader block");
  }
  Buf value = {0};
  InlineJob job = {p->path, src.s, src.len, &value};
  capture_reset(&p->capture);   /* what the expression prints is dropped */
  KaderResult r = kd_protect(p->K, inline_job, &job);
  if (r != KADER_OK) {
    show_paper_line(p, src.s, src.len);
    kd_write_error(p->K, p->K->last_error);
  }
  free(src.s);
  if (r == KADER_OK && value.failed) r = out_of_memory(p->K);
  if (r == KADER_OK) buf_add(&p->out, value.s, value.len);
  free(value.s);
  return r;
}

/* ---- prose: inline code spans ---- */

static bool is_punct(char c) {
  return c > ' ' && c < 127 && !(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'z') &&
         !(c >= 'A' && c <= 'Z');
}

static size_t run_of(const Paper *p, size_t i, size_t end, char c) {
  size_t n = 0;
  while (i + n < end && p->src[i + n] == c) n++;
  return n;
}

/* The backtick run of exactly n that closes a code span opened before
** `from`, within the paragraph (a blank line ends it); `end` when none. */
static size_t closing_run(const Paper *p, size_t from, size_t end, size_t n) {
  size_t i = from;
  while (i < end) {
    if (p->src[i] == '\n') {
      Line next = line_at(p, i + 1);
      if (i + 1 >= end || is_blank(p, next)) return end;
      i++;
    } else if (p->src[i] == '`') {
      size_t m = run_of(p, i, end, '`');
      if (m == n) return i;
      i += m;
    } else {
      i++;
    }
  }
  return end;
}

/* Is the code span content [*from, *to) an inline expression `k: ...`? If
** so, narrows it to the expression. One space on both sides is stripped,
** as CommonMark does. */
static bool inline_expression(const Paper *p, size_t *from, size_t *to) {
  size_t a = *from, b = *to;
  const char *s = p->src;
  if (b - a >= 2 && (s[a] == ' ' || s[a] == '\n') && (s[b - 1] == ' ' || s[b - 1] == '\n')) {
    bool spaces = true;
    for (size_t i = a; i < b; i++) spaces = spaces && (s[i] == ' ' || s[i] == '\n');
    if (!spaces) {
      a++;
      b--;
    }
  }
  if (b - a < 2 || s[a] != 'k' || s[a + 1] != ':') return false;
  a += 2;
  while (a < b && (s[a] == ' ' || s[a] == '\t')) a++;
  *from = a;
  *to = b;
  return true;
}

/* Copies the prose [from, end) with its inline expressions evaluated. */
static KaderResult prose(Paper *p, size_t from, size_t end) {
  size_t i = from, copied = from;
  while (i < end) {
    char c = p->src[i];
    if (c == '\\' && i + 1 < end && is_punct(p->src[i + 1])) {
      i += 2;   /* \` is a backtick, not a code span */
      continue;
    }
    if (c != '`') {
      i++;
      continue;
    }
    size_t n = run_of(p, i, end, '`');
    size_t close = closing_run(p, i + n, end, n);
    if (close == end) {
      i += n;   /* an unmatched run is literal */
      continue;
    }
    size_t a = i + n, b = close;
    if (inline_expression(p, &a, &b)) {
      buf_add(&p->out, p->src + copied, i - copied);
      KaderResult r = run_inline(p, i, close + n, a, b);
      if (r != KADER_OK) return r;
      copied = close + n;
    }
    i = close + n;
  }
  buf_add(&p->out, p->src + copied, end - copied);
  return KADER_OK;
}

/* ---- block structure: fences, indented code, lists ---- */

typedef struct { char ch; size_t count; Line line; bool kader; } Fence;

/* Up to three spaces, then ``` or ~~~ (or longer); the info string's first
** word is the language. */
static bool fence_open(const Paper *p, Line l, Fence *f) {
  const char *s = p->src;
  size_t i = l.start;
  while (i < l.end && i - l.start < 4 && s[i] == ' ') i++;
  if (i - l.start > 3 || i >= l.end || (s[i] != '`' && s[i] != '~')) return false;
  char ch = s[i];
  size_t n = run_of(p, i, l.end, ch);
  if (n < 3) return false;
  size_t info = i + n;
  while (info < l.end && (s[info] == ' ' || s[info] == '\t')) info++;
  if (ch == '`' && memchr(s + info, '`', l.end - info)) return false;
  size_t word = info;
  while (word < l.end && s[word] != ' ' && s[word] != '\t') word++;
  f->kader = word - info == 5 && memcmp(s + info, "kader", 5) == 0;
  f->ch = ch;
  f->count = n;
  f->line = l;
  return true;
}

static bool fence_closes(const Paper *p, const Fence *f, Line l) {
  size_t i = l.start;
  while (i < l.end && i - l.start < 4 && p->src[i] == ' ') i++;
  if (i - l.start > 3) return false;
  size_t n = run_of(p, i, l.end, f->ch);
  if (n < f->count) return false;
  for (i += n; i < l.end; i++)
    if (p->src[i] != ' ' && p->src[i] != '\t') return false;
  return true;
}

/* A fenced block: copied as it is; a kader block also runs, and its output
** follows it. *pos becomes the line after the block. */
static KaderResult fenced(Paper *p, const Fence *f, size_t *pos) {
  Line close = {p->len, p->len, p->len};
  bool closed = false;
  for (size_t at = f->line.next; at < p->len && !closed;) {
    close = line_at(p, at);
    closed = fence_closes(p, f, close);
    at = close.next;
  }
  size_t end = closed ? close.next : p->len;
  if (f->kader && !closed)
    return paper_error(p, f->line.start, f->line.end - f->line.start,
                       "this ```kader block is never closed (a line of ``` closes it)");
  buf_add(&p->out, p->src + f->line.start, end - f->line.start);
  *pos = end;
  if (!f->kader) return KADER_OK;
  return run_block(p, f->line.next, close.start, end);
}

/* A list item ("- ", "* ", "+ ", "1. ", "1) " after at most three spaces):
** how many columns come before its text (the marker and up to four spaces
** after it, as CommonMark counts them); 0 when l is no list item. */
static size_t list_item(const Paper *p, Line l) {
  const char *s = p->src;
  size_t i = l.start;
  while (i < l.end && i - l.start < 4 && s[i] == ' ') i++;
  if (i - l.start > 3 || i >= l.end) return 0;
  if (s[i] == '-' || s[i] == '*' || s[i] == '+') {
    i++;
  } else {
    size_t d = 0;
    while (i < l.end && s[i] >= '0' && s[i] <= '9' && d < 9) i++, d++;
    if (d == 0 || i >= l.end || (s[i] != '.' && s[i] != ')')) return 0;
    i++;
  }
  if (i < l.end && s[i] != ' ' && s[i] != '\t') return 0;
  size_t spaces = 0;
  while (i + spaces < l.end && s[i + spaces] == ' ') spaces++;
  if (spaces == 0 || spaces > 4 || i + spaces == l.end) spaces = 1;
  return i - l.start + spaces;
}

static bool heading(const Paper *p, Line l) {
  size_t i = l.start;
  while (i < l.end && i - l.start < 4 && p->src[i] == ' ') i++;
  size_t n = run_of(p, i, l.end, '#');
  return i - l.start <= 3 && n >= 1 && n <= 6 &&
         (i + n == l.end || p->src[i + n] == ' ' || p->src[i + n] == '\t');
}

/* The end of an indented code block that starts at l: its indented lines
** and the blank lines between them. */
static size_t indented_end(const Paper *p, Line l, size_t margin) {
  size_t end = l.next;
  for (size_t at = l.next; at < p->len;) {
    Line next = line_at(p, at);
    if (!is_blank(p, next) && indent_of(p, next) < margin + 4) break;
    if (!is_blank(p, next)) end = next.next;
    at = next.next;
  }
  return end;
}

/* What the lines so far say about the next one. */
typedef struct {
  bool paragraph;   /* inside a paragraph: an indented line continues it */
  size_t list_col;  /* inside a list item: the column of its text (else 0) */
  bool blank;       /* the previous line was blank */
} Context;

/* An indented code block: four columns past the text of the list item it
** is in (past the margin outside lists), and not inside a paragraph. */
static bool indented_code(const Paper *p, Line l, const Context *c) {
  return !is_blank(p, l) && !c->paragraph && indent_of(p, l) >= c->list_col + 4;
}

static void next_context(const Paper *p, Line l, Context *c) {
  bool blank = is_blank(p, l);
  size_t item = blank ? 0 : list_item(p, l);
  if (blank) {
    c->paragraph = false;
  } else if (item) {
    c->list_col = item;
    c->paragraph = true;
  } else {
    /* after a blank line, text left of the item's column leaves the item */
    size_t indent = indent_of(p, l);
    if (c->blank && indent < c->list_col) c->list_col = indent;
    c->paragraph = !heading(p, l);
  }
  c->blank = blank;
}

static KaderResult walk(Paper *p) {
  size_t pos = 0, prose_from = 0;
  Context ctx = {false, 0, true};
  while (pos < p->len) {
    Line l = line_at(p, pos);
    Fence f;
    bool code = indented_code(p, l, &ctx);
    if (!code && !fence_open(p, l, &f)) {
      next_context(p, l, &ctx);
      pos = l.next;
      continue;
    }
    KaderResult r = prose(p, prose_from, l.start);
    if (r != KADER_OK) return r;
    if (code) {
      pos = indented_end(p, l, ctx.list_col);
      buf_add(&p->out, p->src + l.start, pos - l.start);
    } else {
      r = fenced(p, &f, &pos);
      if (r != KADER_OK) return r;
    }
    prose_from = pos;
    ctx = (Context){false, ctx.list_col, false};
  }
  return prose(p, prose_from, p->len);
}

/* ---- files ---- */

/* paper.md -> paper.out.md, beside it or in the output directory. */
static char *out_name(const KaderState *K, const char *path) {
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  size_t stem = strlen(base);
  if (stem > 3 && strcmp(base + stem - 3, ".md") == 0) stem -= 3;
  Buf b = {0};
  if (K->config.output_dir) {
    buf_str(&b, K->config.output_dir);
    if (b.len && b.s[b.len - 1] != '/') buf_add(&b, "/", 1);
  } else {
    buf_add(&b, path, (size_t)(base - path));
  }
  buf_add(&b, base, stem);
  buf_str(&b, ".out.md");
  if (b.failed) {
    free(b.s);
    return NULL;
  }
  return b.s;
}

static KaderResult write_out(KaderState *K, const char *path, const char *out_path,
                             const Buf *out) {
  char *name = out_path ? strdup(out_path) : out_name(K, path);
  if (!name) return out_of_memory(K);
  if (!out_path && K->config.output_dir) kd_make_dirs(K->config.output_dir);
  FILE *f = fopen(name, "wb");
  bool ok = f && fwrite(out->s ? out->s : "", 1, out->len, f) == out->len;
  int e = errno;
  if (f && fclose(f) != 0) ok = false;
  KaderResult r = KADER_OK;
  if (!ok)
    r = plain_error(K, KADER_RUNTIME_ERROR, name, "cannot write %s: %s", name,
                    strerror(e ? e : EIO));
  free(name);
  return r;
}

/* A sandbox is the directory of the first model run: here, the paper's. */
static void sandbox_at(KaderState *K, const char *path) {
  if (!K->config.sandbox || K->sandbox_dir[0]) return;
  char *full = realpath(path, NULL);
  if (!full) return;
  char *slash = strrchr(full, '/');
  if (slash && slash != full) *slash = '\0';
  else if (slash) slash[1] = '\0';
  snprintf(K->sandbox_dir, sizeof K->sandbox_dir, "%s", full);
  free(full);
}

/* ---- the entry point ---- */

KaderResult kader_run_markdown(KaderState *K, const char *path, const char *out_path) {
  K->interrupted = 0;
  K->steps_left = K->config.step_limit;
  size_t len = 0;
  const char *why = "";
  char *src = kd_read_source(path, &len, &why);
  if (!src) return plain_error(K, KADER_SYNTAX_ERROR, path, "cannot read %s: %s", path, why);
  sandbox_at(K, path);
  Paper p = {K, path, src, len, {0}, {0}, 0, 1};
  p.capture.K = K;
  p.capture.path = path;
  p.capture.name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  /* while the paper runs: reports in Markdown unless the user chose a
  ** format, no colour codes, and the output captured */
  KaderConfig saved = K->config;
  if (!K->config.format) K->config.format = "md";
  K->config.color_output = 0;
  K->config.write = capture_write;
  K->config.write_userdata = &p.capture;
  KaderResult r = walk(&p);
  K->config.format = saved.format;
  K->config.color_output = saved.color_output;
  K->config.write = saved.write;
  K->config.write_userdata = saved.write_userdata;
  if (r == KADER_OK && p.out.failed) r = out_of_memory(K);
  if (r == KADER_OK) r = write_out(K, path, out_path, &p.out);
  if (r == KADER_OK) {
    free(K->last_error);
    K->last_error = NULL;
  }
  capture_free(&p.capture);
  free(p.out.s);
  free(src);
  return r;
}

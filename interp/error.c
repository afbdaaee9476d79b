/*
** error.c — located diagnostics and error unwinding.
**
** Every error a user sees has the same shape, whether the parser, the
** compiler or the VM found it:
**
**   model.kader:3:9: runtime error: cannot add h/week and €
**       3 | let x = 3 h/week + € 5
**         |         ^^^^^^^^^^^^^^
**     at per_week (model.kader:7:3)
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

typedef struct Buf { char *s; size_t len, cap; } Buf;

static void buf_add(Buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = (b->len + n + 1) * 2;
    char *p = realloc(b->s, cap);
    if (!p) return; /* a diagnostic that is cut short beats none */
    b->s = p;
    b->cap = cap;
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

static void buf_fmt(Buf *b, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n > 0) buf_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

void kd_line_col(const char *src, size_t len, uint32_t off, uint32_t *line,
                 uint32_t *col) {
  uint32_t l = 1, c = 1;
  if (off > len) off = (uint32_t)len;
  for (uint32_t i = 0; i < off; i++) {
    if (src[i] == '\n') {
      l++;
      c = 1;
    } else if (!is_continuation((unsigned char)src[i])) {
      c++;
    }
  }
  *line = l;
  *col = c;
}

/* A long source line is shown as a window of about this many characters
** around the caret, at most DIAG_BEFORE of them before it (a 20 KB line of
** data must not fill the terminal). */
#define DIAG_WIDTH 100
#define DIAG_BEFORE 40

/* The byte n characters before i, not before lo (at a character's start). */
static size_t chars_back(const char *src, size_t i, size_t n, size_t lo) {
  while (i > lo && n > 0) {
    i--;
    while (i > lo && is_continuation((unsigned char)src[i])) i--;
    n--;
  }
  return i;
}

/* The byte n characters after i, not after hi. */
static size_t chars_forward(const char *src, size_t i, size_t n, size_t hi) {
  while (i < hi && n > 0) {
    i++;
    while (i < hi && is_continuation((unsigned char)src[i])) i++;
    n--;
  }
  return i;
}

static size_t chars_between(const char *src, size_t a, size_t b) {
  size_t n = 0;
  for (size_t i = a; i < b; i++) n += !is_continuation((unsigned char)src[i]);
  return n;
}

char *kd_render_diag(KaderState *K, ObjModule *m, Span span, const char *kind,
                     const char *message) {
  Buf b = {0};
  bool color = K->config.color;
  const char *red = color ? "\x1b[1;31m" : "", *reset = color ? "\x1b[0m" : "";
  if (!m || !m->source) {
    buf_fmt(&b, "%s%s:%s %s\n", red, kind, reset, message);
    return b.s;
  }
  const char *src = m->source->chars;
  size_t len = m->source->len;
  if (span.off >= len) {
    /* "at the end of the input": point just after the last thing written */
    span.off = (uint32_t)len;
    while (span.off > 0 && strchr(" \t\r\n", src[span.off - 1])) span.off--;
    span.len = 0;
  }
  uint32_t line, col;
  kd_line_col(src, len, span.off, &line, &col);
  buf_fmt(&b, "%s:%u:%u: %s%s:%s %s\n", m->path->chars, line, col, red, kind,
          reset, message);
  /* the source line, and a caret under the span */
  size_t off = span.off > len ? len : span.off;
  size_t start = off;
  while (start > 0 && src[start - 1] != '\n') start--;
  size_t end = start;
  while (end < len && src[end] != '\n') end++;
  if (end > start && src[end - 1] == '\r') end--;
  if (off > end) off = end;
  /* the part of the line shown: all of it, or a window around the caret
  ** (more of what comes before when the caret is near the end) */
  size_t from = start, to = end;
  if (chars_between(src, start, end) > DIAG_WIDTH) {
    size_t after = chars_between(src, off, end);
    size_t before = after < DIAG_WIDTH - DIAG_BEFORE ? DIAG_WIDTH - after : DIAG_BEFORE;
    from = chars_back(src, off, before, start);
    to = chars_forward(src, from, DIAG_WIDTH, end);
  }
  const char *cut = "\xE2\x80\xA6"; /* … where the line goes on */
  char gutter[32];
  int gw = snprintf(gutter, sizeof gutter, "%5u | ", line);
  buf_add(&b, gutter, (size_t)gw);
  if (from > start) buf_add(&b, cut, 3);
  buf_add(&b, src + from, to - from);
  if (to < end) buf_add(&b, cut, 3);
  buf_add(&b, "\n", 1);
  for (int i = 0; i < gw - 2; i++) buf_add(&b, " ", 1);
  buf_add(&b, "| ", 2);
  if (from > start) buf_add(&b, " ", 1); /* under the … */
  for (size_t i = from; i < off; i++) {
    if (is_continuation((unsigned char)src[i])) continue;
    buf_add(&b, src[i] == '\t' ? "\t" : " ", 1);
  }
  buf_add(&b, red, strlen(red));
  size_t stop = off + span.len;
  if (stop > to) stop = to;
  int carets = 0;
  for (size_t i = off; i < stop; i++)
    if (!is_continuation((unsigned char)src[i])) {
      buf_add(&b, "^", 1);
      carets++;
    }
  if (carets == 0) buf_add(&b, "^", 1);
  buf_add(&b, reset, strlen(reset));
  buf_add(&b, "\n", 1);
  return b.s;
}

static Span frame_span(CallFrame *f) {
  Chunk *c = &f->closure->fn->chunk;
  size_t at = (size_t)(f->ip - c->code);
  if (at > 0) at--;
  if (at >= c->count) return (Span){0, 0};
  return c->spans[at];
}

/* Where the running instruction is: its module (NULL outside any frame). */
Span kd_current_span(KaderState *K, ObjModule **module) {
  if (K->frame_count == 0) { *module = NULL; return (Span){0, 0}; }
  CallFrame *top = &K->frames[K->frame_count - 1];
  *module = top->closure->fn->module;
  return frame_span(top);
}

/* The innermost frame running the user's own code (a file that is not part
** of the embedded library), or -1 when there is none. */
static int user_frame(KaderState *K) {
  for (int i = K->frame_count - 1; i >= 0; i--)
    if (!K->frames[i].closure->fn->module->embedded) return i;
  return -1;
}

bool kd_user_span(KaderState *K, ObjModule **module, Span *span) {
  int i = user_frame(K);
  if (i < 0) return false;
  *module = K->frames[i].closure->fn->module;
  *span = frame_span(&K->frames[i]);
  return true;
}

/* Where a runtime error is reported: at the user's own line, as Rust's
** #[track_caller] and Python's warnings.warn(stacklevel=) do, so that an
** error the library raises on the user's behalf ("grade 11 is outside 1 to
** 10") points at the call or declaration that caused it. The library's
** frames stay in the trace; an error with no user frame at all (a bug in
** the library at load time) keeps the library's place. */
static CallFrame *report_frame(KaderState *K) {
  int i = user_frame(K);
  return &K->frames[i >= 0 ? i : K->frame_count - 1];
}

_Noreturn static void throw(KaderState *K, KaderResult status) {
  if (!K->err_jmp) {
    /* No protected call: a host called into the VM without kd_protect. */
    fprintf(stderr, "kader: unprotected error: %s\n",
            K->last_error ? K->last_error : "?");
    abort();
  }
  K->err_jmp->status = (int)status;
  longjmp(K->err_jmp->buf, 1);
}

_Noreturn void kd_rethrow(KaderState *K, KaderResult status) {
  throw(K, status);
}

static void set_last_error(KaderState *K, char *msg) {
  free(K->last_error);
  K->last_error = msg;
}

/* The error's plain message and where it happened (no module: nowhere). */
static void note_error(KaderState *K, ObjModule *m, Span span, const char *message) {
  snprintf(K->error_message, sizeof K->error_message, "%s", message);
  K->error_file[0] = '\0';
  K->error_line = K->error_column = 0;
  if (!m) return;
  snprintf(K->error_file, sizeof K->error_file, "%s", m->path->chars);
  kd_line_col(m->source->chars, m->source->len, span.off, &K->error_line, &K->error_column);
}

/* Adds the trace of the running functions to a rendered error, and raises
** it. */
_Noreturn static void raise_with_trace(KaderState *K, char *text) {
  Buf b = {text, text ? strlen(text) : 0, text ? strlen(text) + 1 : 0};
  /* the Kader functions that were running, innermost first; a run of
  ** identical lines (deep recursion) is shown once with a count, and a very
  ** long trace (mutual recursion) keeps its first and last lines */
  enum { HEAD = 12, TAIL = 4 };
  char prev[600] = "";
  int repeats = 0, lines = 0, hidden = 0;
  char tail[TAIL][600];
  int tail_count = 0;
  for (int i = K->frame_count - 1; i >= 0; i--) {
    CallFrame *f = &K->frames[i];
    ObjFunction *fn = f->closure->fn;
    if (i == K->frame_count - 1 && !fn->name) break; /* top level only */
    uint32_t line, col;
    kd_line_col(fn->module->source->chars, fn->module->source->len,
                frame_span(f).off, &line, &col);
    char entry[600];
    snprintf(entry, sizeof entry, "    at %s (%s:%u:%u)\n",
             fn->name ? fn->name->chars : "top level", fn->module->path->chars,
             line, col);
    if (strcmp(entry, prev) == 0) {
      repeats++;
      continue;
    }
    memcpy(prev, entry, sizeof prev);
    if (repeats && lines < HEAD)
      buf_fmt(&b, "    ... the line above %d more time%s\n", repeats,
              repeats == 1 ? "" : "s");
    repeats = 0;
    if (lines < HEAD) {
      buf_add(&b, entry, strlen(entry));
      lines++;
      continue;
    }
    /* past the head: remember the last few, count the rest */
    if (tail_count == TAIL) {
      memmove(tail[0], tail[1], sizeof tail[0] * (TAIL - 1));
      tail_count--;
      hidden++;
    }
    memcpy(tail[tail_count++], entry, sizeof entry);
  }
  if (hidden) buf_fmt(&b, "    ... %d more calls\n", hidden);
  for (int i = 0; i < tail_count; i++) buf_add(&b, tail[i], strlen(tail[i]));
  if (repeats) buf_fmt(&b, "    ... the line above %d more time%s\n", repeats,
                       repeats == 1 ? "" : "s");
  set_last_error(K, b.s);
  K->error_is_syntax = false;
  throw(K, KADER_RUNTIME_ERROR);
}

_Noreturn void kd_verror(KaderState *K, const char *fmt, va_list ap) {
  char message[1024];
  vsnprintf(message, sizeof message, fmt, ap);
  if (K->frame_count == 0) {
    /* no Kader code running: a host changing a declaration (api.c) names
    ** the declaration as the place */
    ObjModule *m = K->error_site_module;
    Span span = m ? K->error_site : (Span){0, 0};
    note_error(K, m, span, message);
    set_last_error(K, kd_render_diag(K, m, span, "runtime error", message));
    K->error_is_syntax = false;
    throw(K, KADER_RUNTIME_ERROR);
  }
  CallFrame *at = report_frame(K);
  note_error(K, at->closure->fn->module, frame_span(at), message);
  char *text = kd_render_diag(K, at->closure->fn->module, frame_span(at),
                              "runtime error", message);
  raise_with_trace(K, text);
}

_Noreturn void kd_error_rendered(KaderState *K, char *text, const char *file,
                                 uint32_t line, uint32_t column,
                                 const char *message) {
  snprintf(K->error_message, sizeof K->error_message, "%s", message);
  snprintf(K->error_file, sizeof K->error_file, "%s", file ? file : "");
  K->error_line = file ? line : 0;
  K->error_column = file ? column : 0;
  raise_with_trace(K, text);
}

_Noreturn void kd_error(KaderState *K, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  kd_verror(K, fmt, ap);
}

_Noreturn void kd_error_at(KaderState *K, ObjModule *m, Span span, bool syntax,
                           const char *fmt, ...) {
  char message[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  note_error(K, m, span, message);
  set_last_error(K, kd_render_diag(K, m, span,
                                   syntax ? "error" : "runtime error", message));
  K->error_is_syntax = syntax;
  throw(K, syntax ? KADER_SYNTAX_ERROR : KADER_RUNTIME_ERROR);
}

void kd_close_upvalues(KaderState *K, Value *last);

KaderResult kd_protect(KaderState *K, void (*fn)(KaderState *, void *),
                       void *ud) {
  size_t sp = (size_t)(K->sp - K->stack);
  int frames = K->frame_count, roots = K->root_count;
  int depth = K->native_depth;
  Value *api_base = K->api_base;   /* a host function's stack (api.c) */
  Compiler *compiler = K->compiler;
  uint32_t loading = K->loading ? K->loading->count : 0;
  unsigned long long scratch = kd_scratch_mark(K);
  KdJmp jmp;
  jmp.prev = K->err_jmp;
  jmp.status = KADER_OK;
  K->err_jmp = &jmp;
  if (setjmp(jmp.buf) == 0) {
    fn(K, ud);
  } else {
    kd_close_upvalues(K, K->stack + sp);
    K->sp = K->stack + sp;
    K->frame_count = frames;
    K->root_count = roots;
    K->native_depth = depth;
    K->api_base = api_base;
    K->compiler = compiler;
    if (K->loading && K->loading->count > loading) K->loading->count = loading;
    kd_scratch_unwind(K, scratch); /* the buffers of C code the error cut short */
  }
  K->err_jmp = jmp.prev;
  return (KaderResult)jmp.status;
}

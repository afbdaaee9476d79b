/*
** fmt.c — a model's source in the canonical layout (kader_format_source in
** kader.h; `kader fmt` in cli_fmt.c; the rules are in docs/fmt.md).
**
** The formatter works on the tokens and the comments between them, not on
** the syntax tree: everything the user wrote (comments, line breaks, text
** and regex literals, numbers and units) is still there to copy, and only
** the whitespace between tokens is decided anew. The parser is asked only
** what the tokens cannot tell by themselves: where a regular expression
** literal is, which '{' opens a record rather than a block, and which '{'
** alone on a line belongs to the header above it.
**
** A formatter that changes what a model means would be worse than none, so
** before the text is returned it is parsed and lexed again and its tokens
** compared with the original's: any difference is an internal error and
** the caller keeps the original.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler.h"
#include "lexer.h"
#include "parser.h"
#include "vm.h"

#define FT_REGEX TK_COUNT /* a regular expression literal as one token */
#define INDENT 2          /* spaces per block level */
#define CONTINUED 4       /* more for a line that continues a statement */
#define TAB_WIDTH 8       /* for columns of comments written after tabs */

static const char meaning_msg[] =
    "kader fmt would change the meaning; please report this";

/* ---- growable buffers ------------------------------------------------ */

typedef struct Buf { char *s; size_t len, cap; int failed; } Buf;

static void *grow(void *p, size_t *cap, size_t need, size_t elem, int *failed) {
  size_t c = *cap ? *cap : 16;
  void *q;
  if (need <= *cap) return p;
  while (c < need) c *= 2;
  q = realloc(p, c * elem);
  if (!q) { *failed = 1; return p; }
  *cap = c;
  return q;
}

static void buf_add(Buf *b, const char *s, size_t n) {
  if (b->failed) return;
  b->s = grow(b->s, &b->cap, b->len + n + 1, 1, &b->failed);
  if (b->failed) return;
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

static void buf_spaces(Buf *b, int n) {
  while (n-- > 0) buf_add(b, " ", 1);
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Display width of s[0, n): characters, tabs to the next multiple of 8. */
static int width(const char *s, size_t n) {
  int w = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\t') w = (w / TAB_WIDTH + 1) * TAB_WIDTH;
    else if ((c & 0xC0) != 0x80) w++;
  }
  return w;
}

/* ---- what the parser knows -------------------------------------------- */

enum { MK_BLOCK = 1, MK_RECORD = 2 }; /* Marks.brace, per source offset */

typedef struct Marks {
  Span *regex;          /* regex literals, sorted by offset */
  size_t nregex, cap;
  unsigned char *brace; /* MK_* at the offset of each '{' the tree knows */
  int failed;
} Marks;

typedef struct NodeStack { const Node **items; size_t n, cap; int failed; } NodeStack;

static void push_node(NodeStack *s, const Node *n) {
  if (!n) return;
  s->items = grow((void *)s->items, &s->cap, s->n + 1, sizeof *s->items, &s->failed);
  if (!s->failed) s->items[s->n++] = n;
}

/* Where the expression of node n really starts: the parser widens a
** parenthesised expression's span to cover the parentheses, so skip them
** and the blanks and comments after them. */
static size_t expr_start(const char *src, size_t len, size_t p) {
  while (p < len) {
    if (src[p] == '#') {
      while (p < len && src[p] != '\n') p++;
    } else if (src[p] == '(' || src[p] == '\n' || is_blank(src[p])) {
      p++;
    } else {
      break;
    }
  }
  return p;
}

static void note_node(Marks *m, const Node *n, const char *src, size_t len) {
  size_t at = expr_start(src, len, n->span.off);
  if (at >= len) return;
  if (n->kind == N_REGEX) {
    Span r;
    r.off = (uint32_t)at; /* /pattern/flags, the pattern as written */
    r.len = (uint32_t)(n->str_len + 2 + (n->name ? strlen(n->name) : 0));
    m->regex = grow(m->regex, &m->cap, m->nregex + 1, sizeof *m->regex, &m->failed);
    if (!m->failed) m->regex[m->nregex++] = r;
  } else if (n->kind == N_RECORD) {
    m->brace[at] |= MK_RECORD;
  } else if (n->kind == N_BLOCK) {
    /* `fn () => e` has a made-up block spanning e: only a real '{' counts,
    ** and a record there is marked as one too (records win) */
    m->brace[at] |= MK_BLOCK;
  }
}

static int by_offset(const void *a, const void *b) {
  uint32_t x = ((const Span *)a)->off, y = ((const Span *)b)->off;
  return x < y ? -1 : x > y;
}

/* Walks the whole tree with a stack of its own (a long chain of `+` is a
** deep tree, and the C stack is not to be spent on it). Interpolations are
** skipped: they are inside text literals, which are copied as written. */
static void collect_marks(const Node *root, const char *src, size_t len, Marks *m) {
  NodeStack st = {0};
  m->brace = calloc(len + 1, 1);
  if (!m->brace) { m->failed = 1; return; }
  push_node(&st, root);
  while (st.n > 0 && !st.failed && !m->failed) {
    const Node *n = st.items[--st.n];
    if (n->kind == N_INTERP) continue;
    note_node(m, n, src, len);
    push_node(&st, n->a);
    push_node(&st, n->b);
    push_node(&st, n->c);
    push_node(&st, n->fn);
    for (uint32_t i = 0; i < n->items.count; i++) push_node(&st, n->items.items[i]);
    for (uint32_t i = 0; i < n->field_count; i++) push_node(&st, n->fields[i].default_value);
  }
  if (st.failed) m->failed = 1;
  free((void *)st.items);
  if (m->nregex > 1) qsort(m->regex, m->nregex, sizeof *m->regex, by_offset);
}

static void free_marks(Marks *m) {
  free(m->regex);
  free(m->brace);
}

static const Span *find_regex(const Marks *m, uint32_t off) {
  Span key;
  key.off = off;
  key.len = 0;
  if (m->nregex == 0) return NULL;
  return bsearch(&key, m->regex, m->nregex, sizeof *m->regex, by_offset);
}

static int block_brace(const Marks *m, uint32_t off) {
  return (m->brace[off] & (MK_BLOCK | MK_RECORD)) == MK_BLOCK;
}

/* ---- tokens ------------------------------------------------------------ */

enum { BR_BLOCK = 1, BR_RECORD = 2 };

typedef struct FTok {
  int type;              /* TokenType, or FT_REGEX */
  uint32_t off, len;
  unsigned char sp;      /* whitespace, a comment or a line break before it */
  unsigned char nl;      /* a line break before it */
  unsigned char sep;     /* a statement-ending line break (TK_NEWLINE) before */
  unsigned char name;    /* a keyword used as a field name: r.to */
  unsigned char brace;   /* '{' and '}': BR_BLOCK or BR_RECORD */
  unsigned char unary;   /* a '-' that is a sign */
  unsigned char glued;   /* '/', '*', '^' or '·' kept without spaces */
  unsigned char join;    /* a block's '{' that goes on its header's line */
} FTok;

typedef struct Toks { FTok *t; size_t n, cap; int failed; } Toks;

enum { TOK_OK, TOK_NOMEM, TOK_UNSURE };

static int is_keyword(int type) {
  return type >= TK_FIRST_KEYWORD && type <= TK_LAST_KEYWORD;
}

/* Can t end an operand? Then a '/' after it divides, a '-' subtracts and
** a '(' or '[' calls or indexes. */
static int operand_end(const FTok *t) {
  if (t->name) return 1;
  switch (t->type) {
  case TK_NAME: case TK_NUMBER: case TK_STRING: case FT_REGEX:
  case TK_RPAREN: case TK_RBRACKET: case TK_RBRACE:
  case TK_TRUE: case TK_FALSE: case TK_NIL: case TK_PERCENT: case TK_EURO:
  case TK_BREAK: case TK_CONTINUE:
    return 1;
  default:
    return 0;
  }
}

/* Names and numbers, the things a unit or a fraction is made of. */
static int atom(const FTok *t) {
  return t->name || t->type == TK_NAME || t->type == TK_NUMBER ||
         t->type == TK_EURO || t->type == TK_PERCENT;
}

/* What a unit is made of: h, week, €, % (the parser's unit atoms). */
static int unit_atom(const FTok *t) {
  return t->type == TK_NAME || t->type == TK_EURO || t->type == TK_PERCENT;
}

/* An operator written with no space on either side that may be part of a
** unit or a number as written, and so is kept that way (and compared as
** such): '/', '*' or '·' before a unit atom (h/week, € 25/h, h·week) or
** between two numbers (52/12), '^' after a unit atom (m^2, h^-1). The
** parser reads '/', '*', '·' and '^' as part of a unit only when glued
** like this, so an operator that is not is safely spaced out. */
static int glued_at(const FTok *t, size_t n, size_t i) {
  const FTok *p, *c = &t[i], *x;
  if (i == 0 || i + 1 >= n) return 0;
  p = &t[i - 1];
  x = &t[i + 1];
  if (c->sp || x->sp) return 0;
  switch (c->type) {
  case TK_SLASH: case TK_STAR: case TK_MIDDOT:
    return (atom(p) && unit_atom(x)) ||
           (p->type == TK_NUMBER && x->type == TK_NUMBER);
  case TK_CARET:
    return unit_atom(p) && !p->name;
  default:
    return 0;
  }
}

static void add_tok(Toks *ts, const FTok *t) {
  ts->t = grow(ts->t, &ts->cap, ts->n + 1, sizeof *ts->t, &ts->failed);
  if (!ts->failed) ts->t[ts->n++] = *t;
}

/* Lexes src into tokens, line breaks (TK_NEWLINE) included, with the
** regex literals the tree found as single tokens. A slash where an
** expression starts that the tree does not know as a regex means the two
** disagree: TOK_UNSURE, and nothing is formatted. */
static int tokenize(const char *src, size_t len, const Marks *m, Toks *ts) {
  Lexer L;
  FTok prev = {0}; /* the last token that is not a line break (a copy: ts grows) */
  int sep = 0, have_prev = 0;
  lex_init(&L, src, 0, len, 0);
  for (;;) {
    Token k = lex_next(&L);
    FTok t;
    if (k.type == TK_EOF) break;
    if (k.type == TK_ERROR) return TOK_UNSURE; /* it parsed, so cannot be */
    memset(&t, 0, sizeof t);
    t.type = (int)k.type;
    t.off = k.span.off;
    t.len = k.span.len;
    t.sp = k.space_before;
    t.nl = k.newline_before;
    if (k.type == TK_NEWLINE) {
      sep = 1;
      add_tok(ts, &t);
      continue;
    }
    t.sep = (unsigned char)sep;
    sep = 0;
    if (have_prev && prev.type == TK_DOT && is_keyword(t.type)) t.name = 1;
    if (k.type == TK_SLASH || k.type == TK_SLASH_ASSIGN) {
      const Span *r = find_regex(m, k.span.off);
      if (r) {
        /* as the parser does: the lexer goes on after the literal */
        t.type = FT_REGEX;
        t.len = r->len;
        L.pos = (size_t)r->off + r->len;
        L.last = TK_STRING;
      } else if (!have_prev || t.sep || !operand_end(&prev)) {
        return TOK_UNSURE;
      }
    }
    add_tok(ts, &t);
    if (ts->failed) return TOK_NOMEM;
    prev = t;
    have_prev = 1;
  }
  return ts->failed ? TOK_NOMEM : TOK_OK;
}

static int has_comment(const char *src, size_t from, size_t to) {
  return memchr(src + from, '#', to - from) != NULL;
}

/* The tokens the layout works on: no TK_NEWLINE, each with what the
** layout needs to know about it. */
static int code_tokens(const char *src, const Toks *all, const Marks *m, Toks *out) {
  size_t depth = 0, cap = 0;
  unsigned char *open = NULL; /* the kinds of the '{' still open */
  int failed = 0;
  for (size_t i = 0; i < all->n; i++)
    if (all->t[i].type != TK_NEWLINE) add_tok(out, &all->t[i]);
  for (size_t i = 0; i < out->n && !out->failed && !failed; i++) {
    FTok *t = &out->t[i], *p = i ? &out->t[i - 1] : NULL;
    t->glued = (unsigned char)glued_at(out->t, out->n, i);
    if (t->type == TK_MINUS)
      t->unary = !p || t->sep || !operand_end(p) || p->type == TK_EURO;
    if (t->type == TK_LBRACE) {
      t->brace = (m->brace[t->off] & MK_RECORD) ? BR_RECORD : BR_BLOCK;
      open = grow(open, &cap, depth + 1, 1, &failed);
      if (!failed) open[depth++] = t->brace;
      t->join = t->nl && p && block_brace(m, t->off) &&
                !has_comment(src, p->off + p->len, t->off);
    } else if (t->type == TK_RBRACE) {
      t->brace = depth ? open[--depth] : BR_BLOCK;
    }
  }
  free(open);
  return out->failed || failed ? TOK_NOMEM : TOK_OK;
}

/* ---- spacing ------------------------------------------------------------ */

static int is_word(const char *src, const FTok *t, const char *w) {
  size_t n = strlen(w);
  return t->type == TK_NAME && t->len == n && memcmp(src + t->off, w, n) == 0;
}

/* Whether one space goes between tokens i - 1 and i on one line. */
static int space_between(const char *src, const FTok *t, size_t i) {
  const FTok *p = &t[i - 1], *c = &t[i];
  /* numbers and units exactly as written: 3 h, 27.5%, € 5000, 5000 €, €-5 */
  if (p->type == TK_NUMBER && atom(c) && c->type != TK_NUMBER) return c->sp;
  if (p->type == TK_EURO && (c->type == TK_NUMBER || c->type == TK_MINUS)) return c->sp;
  if (p->type == TK_MINUS && i >= 2 && t[i - 2].type == TK_EURO) return c->sp;
  if (p->glued || c->glued) return 0;
  switch (c->type) {
  case TK_RPAREN: case TK_RBRACKET: case TK_COMMA: case TK_SEMI:
  case TK_COLON: case TK_DOT:
    return 0;
  default:
    break;
  }
  switch (p->type) {
  case TK_LPAREN: case TK_LBRACKET: case TK_DOT: return 0;
  case TK_LBRACE: return p->brace == BR_BLOCK && c->type != TK_RBRACE;
  default: break;
  }
  if (c->type == TK_RBRACE) return c->brace == BR_BLOCK;
  if (p->unary) return 0;
  /* a call or an index; `one of [...]` in a kind is a type, not an index */
  if (c->type == TK_LPAREN && operand_end(p)) return 0;
  if (c->type == TK_LBRACKET && operand_end(p)) return is_word(src, p, "of");
  return 1;
}

/* Tokens after which a line break does not end the statement: the next
** line is a continuation and is indented one level more. */
static int continues(const FTok *t) {
  if (t->name) return 0;
  switch (t->type) {
  case TK_PLUS: case TK_MINUS: case TK_STAR: case TK_SLASH: case TK_CARET:
  case TK_EQ: case TK_NE: case TK_LT: case TK_LE: case TK_GT: case TK_GE:
  case TK_ASSIGN: case TK_PLUS_ASSIGN: case TK_MINUS_ASSIGN:
  case TK_STAR_ASSIGN: case TK_SLASH_ASSIGN: case TK_DOT: case TK_COLON:
  case TK_ARROW: case TK_TO: case TK_IN: case TK_AND: case TK_OR:
  case TK_NOT: case TK_MOD: case TK_ELSE:
    return 1;
  default:
    return 0;
  }
}

/* ---- layout ------------------------------------------------------------- */

enum { FR_PAREN, FR_RECORD, FR_BLOCK };

/* An open bracket: where the lines inside it start, and where the line
** that closes it starts (the indentation of the line that opened it). */
typedef struct Frame { int indent, close_indent, kind; } Frame;

typedef struct Fmt {
  const char *src;
  const FTok *t;
  size_t n;
  Buf out;
  size_t line_start; /* where the current output line starts in out */
  int line_open;     /* something is on the current output line */
  int line_indent;   /* its indentation */
  int line_base;     /* the same without the extra of a continued statement */
  int continues;     /* the last token leaves the statement open */
  Frame *frames;
  size_t depth, cap;
  int failed;
} Fmt;

/* Appends s[0, n) to the output; a text literal may hold line breaks. */
static void put(Fmt *F, const char *s, size_t n) {
  size_t last = n;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '\n') last = i;
  buf_add(&F->out, s, n);
  if (last < n) F->line_start = F->out.len - (n - last - 1);
}

static int column(const Fmt *F) {
  if (F->out.failed) return 0;
  return width(F->out.s + F->line_start, F->out.len - F->line_start);
}

static void end_line(Fmt *F) {
  put(F, "\n", 1);
  F->line_open = 0;
}

static int is_closer(int type) {
  return type == TK_RPAREN || type == TK_RBRACKET || type == TK_RBRACE;
}

static int is_opener(int type) {
  return type == TK_LPAREN || type == TK_LBRACKET || type == TK_LBRACE;
}

/* Starts an output line for token t (NULL: a comment line). Inside a
** bracket it starts where the bracket's lines start, or for a closing
** bracket where the line that opened it started; a line that continues a
** statement (the line before ended with an operator, '=', ':', ...) goes
** CONTINUED further in. */
static void start_line(Fmt *F, const FTok *t) {
  const Frame *top = F->depth ? &F->frames[F->depth - 1] : NULL;
  int base = top ? top->indent : 0, extra = 0;
  if (t && is_closer(t->type)) base = top ? top->close_indent : 0;
  else if (F->continues && (!top || top->kind != FR_PAREN)) extra = CONTINUED;
  else if (t && t->type == TK_ARROW) extra = CONTINUED; /* fn (x)\n=> x */
  buf_spaces(&F->out, base + extra);
  F->line_indent = base + extra;
  F->line_base = base;
  F->line_open = 1;
}

/* Column of source offset off, and the indentation of its line. */
static int src_column(const char *src, size_t off) {
  size_t ls = off;
  while (ls > 0 && src[ls - 1] != '\n') ls--;
  return width(src + ls, off - ls);
}

/* The indentation of the source line holding offset off (off is a token,
** so the line does not end before it). */
static int src_indent(const char *src, size_t off) {
  size_t ls = off, e;
  while (ls > 0 && src[ls - 1] != '\n') ls--;
  for (e = ls; e < off && (src[e] == ' ' || src[e] == '\t'); e++) {}
  return width(src + ls, e - ls);
}

/* A comment after code keeps its column when the code still leaves room
** for it (so comments aligned by hand stay aligned), else it follows the
** code after one space. */
static void trailing_comment(Fmt *F, size_t from, size_t to) {
  int want = src_column(F->src, from), now = column(F);
  buf_spaces(&F->out, want > now ? want - now : 1);
  put(F, F->src + from, to - from);
}

/* The whitespace and comments between two tokens (next NULL: the end of
** the file). Comments are copied without their trailing blanks; a run of
** blank lines becomes one, none at the start or the end of the file. */
static void gap(Fmt *F, size_t from, size_t to, const FTok *next) {
  const char *s = F->src;
  int newlines = 0;
  size_t p = from;
  while (p < to) {
    size_t end, trim;
    if (s[p] == '\n') newlines++;
    if (s[p] != '#') { p++; continue; }
    for (end = p; end < to && s[end] != '\n'; end++) {}
    for (trim = end; trim > p && is_blank(s[trim - 1]); trim--) {}
    if (newlines == 0 && F->line_open) {
      trailing_comment(F, p, trim);
    } else {
      if (F->line_open) end_line(F);
      if (newlines >= 2 && F->out.len > 0) put(F, "\n", 1);
      start_line(F, NULL);
      put(F, s + p, trim - p);
    }
    newlines = 0;
    p = end;
  }
  if (!next) {
    if (F->line_open) end_line(F);
  } else if (F->line_open && (newlines == 0 || next->join)) {
    if (next != F->t && space_between(s, F->t, (size_t)(next - F->t))) put(F, " ", 1);
  } else {
    if (F->line_open) end_line(F);
    if (newlines >= 2 && F->out.len > 0) put(F, "\n", 1);
    start_line(F, next);
  }
}

/* A bracket (token i) with more after it on its line: did the file align
** its next line with what follows the bracket, rather than start it one
** level in? Exactly at that column, or deeper than two levels in, counts
** as aligned. */
static int aligned_in_source(const Fmt *F, size_t i) {
  const FTok *t = F->t;
  int depth = 0;
  for (size_t j = i + 1; j < F->n; j++) {
    if (t[j].nl && !t[j].join && depth == 0) {
      int c = src_column(F->src, t[j].off);
      if (is_closer(t[j].type)) return 1;
      return c == src_column(F->src, t[i + 1].off) ||
             c > src_indent(F->src, t[i].off) + 2 * INDENT;
    }
    if (is_opener(t[j].type)) depth++;
    else if (is_closer(t[j].type) && depth-- == 0) return 1;
  }
  return 1;
}

/* Opens a frame for the bracket just written (token i). A block's lines
** are one level in from the line of its statement. The lines inside any
** other bracket are one level in from the line that opened it, or, when
** the bracket has more after it on its line and the file aligned with
** that, aligned with it. */
static void open_frame(Fmt *F, size_t i) {
  const FTok *t = &F->t[i];
  Frame f;
  f.kind = t->type != TK_LBRACE ? FR_PAREN : t->brace == BR_RECORD ? FR_RECORD : FR_BLOCK;
  f.close_indent = f.kind == FR_BLOCK ? F->line_base : F->line_indent;
  f.indent = f.close_indent + INDENT;
  if (f.kind != FR_BLOCK && i + 1 < F->n) {
    const FTok *x = &F->t[i + 1];
    size_t after = (size_t)t->off + t->len;
    if (!memchr(F->src + after, '\n', x->off - after) &&
        !has_comment(F->src, after, x->off) && aligned_in_source(F, i))
      f.indent = column(F);
  }
  F->frames = grow(F->frames, &F->cap, F->depth + 1, sizeof *F->frames, &F->failed);
  if (!F->failed) F->frames[F->depth++] = f;
}

static void emit(Fmt *F, size_t i) {
  const FTok *t = &F->t[i];
  if (is_closer(t->type) && F->depth > 0) F->depth--;
  put(F, F->src + t->off, t->len);
  if (is_opener(t->type)) open_frame(F, i);
  F->continues = continues(t);
}

/* The formatted text (malloc'd, NUL-terminated), or NULL when out of
** memory. */
static char *layout(const char *src, size_t len, const Toks *code, size_t *out_len) {
  Fmt F;
  memset(&F, 0, sizeof F);
  F.src = src;
  F.t = code->t;
  F.n = code->n;
  for (size_t i = 0; i < F.n; i++) {
    gap(&F, i ? (size_t)F.t[i - 1].off + F.t[i - 1].len : 0, F.t[i].off, &F.t[i]);
    emit(&F, i);
  }
  gap(&F, F.n ? (size_t)F.t[F.n - 1].off + F.t[F.n - 1].len : 0, len, NULL);
  free(F.frames);
  if (F.failed || F.out.failed) {
    free(F.out.s);
    return NULL;
  }
  if (!F.out.s) F.out.s = calloc(1, 1); /* an empty file stays empty */
  *out_len = F.out.len;
  return F.out.s;
}

/* ---- the same meaning --------------------------------------------------- */

/* A source parsed, with its marks and tokens. */
typedef struct Parsed {
  const char *src;
  size_t len;
  Arena arena;
  Node *tree;
  ParseError err;
  Marks marks;
  Toks toks;
  int status; /* TOK_* */
} Parsed;

static void parse_source(KaderState *K, Parsed *P, const char *src, size_t len) {
  memset(P, 0, sizeof *P);
  P->src = src;
  P->len = len;
  kd_arena_init(K, &P->arena);
  P->tree = kd_parse(&P->arena, src, len, &P->err);
  if (!P->tree) return;
  collect_marks(P->tree, src, len, &P->marks);
  if (P->marks.failed) { P->status = TOK_NOMEM; return; }
  P->status = tokenize(src, len, &P->marks, &P->toks);
}

static void free_parsed(Parsed *P) {
  arena_free(&P->arena);
  free_marks(&P->marks);
  free(P->toks.t);
}

/* Line breaks the formatter may remove: before the '{' of a block (the
** parser skips them). */
static int removable_newline(const Parsed *P, size_t i) {
  const FTok *x;
  if (P->toks.t[i].type != TK_NEWLINE || i + 1 >= P->toks.n) return 0;
  x = &P->toks.t[i + 1];
  return x->type == TK_LBRACE && block_brace(&P->marks, x->off);
}

static size_t next_kept(const Parsed *P, size_t i) {
  while (i < P->toks.n && removable_newline(P, i)) i++;
  return i;
}

/* Whether nothing but line breaks (and the end) is left from token i: the
** line break the layout adds after a last line that had none ends no
** statement the end of the input did not end already. */
static int only_line_breaks(const Parsed *P, size_t i) {
  for (; i < P->toks.n; i++)
    if (P->toks.t[i].type != TK_NEWLINE && P->toks.t[i].type != TK_EOF) return 0;
  return 1;
}

/* Same tokens with the same text, the same statement-ending line breaks
** (but those the layout may remove), and every operator that was part of
** a unit still glued. */
static int same_meaning(const Parsed *a, const Parsed *b) {
  size_t i = next_kept(a, 0), j = next_kept(b, 0);
  while (i < a->toks.n && j < b->toks.n) {
    const FTok *x = &a->toks.t[i], *y = &b->toks.t[j];
    if (x->type != y->type || x->len != y->len ||
        memcmp(a->src + x->off, b->src + y->off, x->len) != 0 ||
        glued_at(a->toks.t, a->toks.n, i) != glued_at(b->toks.t, b->toks.n, j))
      return 0;
    i = next_kept(a, i + 1);
    j = next_kept(b, j + 1);
  }
  return only_line_breaks(a, i) && only_line_breaks(b, j);
}

/* ---- errors ------------------------------------------------------------- */

typedef struct SyntaxJob {
  const char *name, *src;
  size_t len;
  const ParseError *err;
} SyntaxJob;

static void raise_syntax(KaderState *K, void *ud) {
  SyntaxJob *j = ud;
  ObjModule *m = kd_load_module(K, j->name, j->src, j->len, false);
  kd_error_at(K, m, j->err->span, true, "%s",
              j->err->message[0] ? j->err->message : "out of memory");
}

/* An error without a place in the file: "name: message". */
static void plain_error(KaderState *K, const char *name, const char *message) {
  size_t n = strlen(name) + strlen(message) + 4;
  char *text = malloc(n);
  if (text) snprintf(text, n, "%s: %s\n", name, message);
  free(K->last_error);
  K->last_error = text;
  snprintf(K->error_message, sizeof K->error_message, "%s", message);
  snprintf(K->error_file, sizeof K->error_file, "%s", name);
  K->error_line = K->error_column = 0;
  K->error_is_syntax = true;
}

/* ---- the entry point ---------------------------------------------------- */

static char *format_parsed(KaderState *K, const char *name, Parsed *orig) {
  Toks code = {0};
  Parsed again;
  size_t out_len = 0;
  char *out = NULL;
  int ok;
  if (orig->status == TOK_OK) orig->status = code_tokens(orig->src, &orig->toks, &orig->marks, &code);
  if (orig->status == TOK_OK) out = layout(orig->src, orig->len, &code, &out_len);
  free(code.t);
  if (orig->status == TOK_UNSURE) { plain_error(K, name, meaning_msg); return NULL; }
  if (!out) { plain_error(K, name, "out of memory"); return NULL; }
  parse_source(K, &again, out, out_len);
  ok = again.tree && again.status == TOK_OK && same_meaning(orig, &again);
  if (!ok && again.tree && again.status == TOK_NOMEM) plain_error(K, name, "out of memory");
  else if (!ok) plain_error(K, name, meaning_msg);
  free_parsed(&again);
  if (!ok) { free(out); return NULL; }
  return out;
}

char *kader_format_source(KaderState *K, const char *name, const char *src, size_t len) {
  Parsed orig;
  char *out;
  size_t bom = kd_bom_length(src, len); /* kept as the user had it */
  if (!name) name = "<input>";
  src += bom;
  len -= bom;
  if (len >= UINT32_MAX) { plain_error(K, name, "the file is too large to format"); return NULL; }
  if (memchr(src, '\0', len)) {
    plain_error(K, name, "the file holds a NUL byte; kader fmt leaves it as it is");
    return NULL;
  }
  parse_source(K, &orig, src, len);
  if (!orig.tree) {
    SyntaxJob job;
    job.name = name;
    job.src = src;
    job.len = len;
    job.err = &orig.err;
    if (kd_protect(K, raise_syntax, &job) == KADER_OK) plain_error(K, name, orig.err.message);
    free_parsed(&orig);
    return NULL;
  }
  out = format_parsed(K, name, &orig);
  free_parsed(&orig);
  if (out && bom) {
    size_t n = strlen(out);
    char *with = realloc(out, n + bom + 1);
    if (!with) {
      free(out);
      plain_error(K, name, "out of memory");
      return NULL;
    }
    memmove(with + bom, with, n + 1);
    memcpy(with, "\xEF\xBB\xBF", bom);
    out = with;
  }
  if (out) {
    free(K->last_error);
    K->last_error = NULL;
  }
  return out;
}

/*
** parser.c — tokens to syntax tree (ast.h), by recursive descent.
**
** One function per grammar level, as in Lua's lparser.c. The first error
** longjmps back to kd_parse; all memory lives in the caller's arena, so
** nothing needs unwinding. Every recursive path passes through enter(),
** which bounds the nesting and so the C stack.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "parser.h"
#include "suggest.h"


typedef struct Parser {
  Arena *arena;
  const char *src;
  Lexer lx;
  Token cur, ahead;
  int has_ahead;
  TokenType prev; /* the last token before cur that was not a line break */
  uint32_t prev_end; /* where that token ended: errors at the end of the
                        input point there, not past trailing comments */
  int depth;
  uint32_t ntok;     /* tokens read so far (not line breaks) */
  Token stmt_first;  /* the first token of the statement being parsed */
  uint32_t stmt_ntok; /* ntok when it was read */
  int in_expect;   /* in `expect …`: a number followed by `within` is no unit */
  ParseError *err;
  jmp_buf fail;
} Parser;

/* A growable array in the arena; outgrown copies are simply abandoned. */
typedef struct Vec { void *items; uint32_t count, cap; } Vec;

/* Names seen so far (record keys, parameters), to report duplicates. */
typedef struct NameSet { const char **slots; uint32_t cap, count; } NameSet;

static Node *expr(Parser *P);
static Node *block(Parser *P);
static Node *statement(Parser *P);

/* ---- errors ----------------------------------------------------------- */

static _Noreturn void vfail(Parser *P, Span sp, int incomplete, const char *fmt,
                            va_list ap) {
  P->err->span = sp;
  P->err->incomplete = incomplete;
  vsnprintf(P->err->message, sizeof P->err->message, fmt, ap);
  longjmp(P->fail, 1);
}

static _Noreturn void fail(Parser *P, Span sp, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(P, sp, 0, fmt, ap);
}

/* Tokens after which a line (and so the input) cannot end. */
static int continues(TokenType t) {
  switch (t) {
  case TK_PLUS: case TK_MINUS: case TK_STAR: case TK_SLASH: case TK_CARET:
  case TK_EQ: case TK_NE: case TK_LT: case TK_LE: case TK_GT: case TK_GE:
  case TK_ASSIGN: case TK_PLUS_ASSIGN: case TK_MINUS_ASSIGN:
  case TK_STAR_ASSIGN: case TK_SLASH_ASSIGN: case TK_COMMA: case TK_DOT:
  case TK_COLON: case TK_ARROW: case TK_TO: case TK_IN: case TK_AND:
  case TK_OR: case TK_NOT: case TK_MOD: case TK_ELSE:
    return 1;
  default:
    return 0;
  }
}

/* Two three-letter words of the same letters: "fro" and "for". */
static int same_letters(const char *a, const char *b) {
  char x[4], y[4], t;
  int i, j;
  memcpy(x, a, 4);
  memcpy(y, b, 4);
  for (i = 0; i < 3; i++)
    for (j = i + 1; j < 3; j++) {
      if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t; }
      if (y[j] < y[i]) { t = y[i]; y[i] = y[j]; y[j] = t; }
    }
  return memcmp(x, y, 3) == 0;
}

const char *kd_keyword_typo(const char *name, size_t len) {
  /* Kader's keywords of three letters or more (shorter ones are a letter
  ** away from too many names; of three letters only the same letters in
  ** another order count), and other languages' words for them */
  static const struct { const char *word, *keyword; } words[] = {
    {"and", "and"}, {"break", "break"}, {"continue", "continue"}, {"else", "else"},
    {"expect", "expect"}, {"false", "false"}, {"for", "for"}, {"import", "import"},
    {"kind", "kind"}, {"let", "let"}, {"mod", "mod"}, {"nil", "nil"}, {"not", "not"},
    {"return", "return"}, {"true", "true"}, {"unit", "unit"}, {"var", "var"},
    {"while", "while"}, {"function", "fn"}, {"func", "fn"}, {"def", "fn"},
    {"elif", "else if"}, {"elsif", "else if"}, {"elseif", "else if"}, {"const", "let"},
    {"null", "nil"}, {"foreach", "for"},
  };
  char q[KD_SUGGEST_MAX_LEN + 1];
  size_t i;
  KdSuggest s;
  if (len < 3 || len > KD_SUGGEST_MAX_LEN) return NULL;
  memcpy(q, name, len);
  q[len] = '\0';
  s = kd_suggest_begin(q);
  for (i = 0; i < sizeof words / sizeof *words; i++) {
    if (strcmp(words[i].word, q) == 0) /* another language's word as it is */
      return strcmp(words[i].word, words[i].keyword) != 0 ? words[i].keyword : NULL;
    kd_suggest_consider(&s, words[i].word);
  }
  if (s.best && len == 3 && !same_letters(q, s.best)) return NULL; /* foo, bar, vat */
  for (i = 0; s.best && i < sizeof words / sizeof *words; i++)
    if (words[i].word == s.best) return words[i].keyword;
  return NULL;
}

/* A statement that fails at its second or third token and starts with a
** name that is a keyword misspelt ("improt \"x\"", "fro x in l", "lte x = 1"):
** the error is the misspelling. Only then: a variable called `retrun`
** still works. */
static void check_keyword_typo(Parser *P, Token name) {
  const char *kw;
  if (name.type != TK_NAME || P->lx.sub) return;
  kw = kd_keyword_typo(P->src + name.span.off, name.span.len);
  if (kw)
    fail(P, name.span, "'%.*s' is not a keyword: did you mean '%s'?", (int)name.span.len,
         P->src + name.span.off, kw);
}

/* An error about token t. At the end of the input, a REPL can still fix it
** with another line when a bracket is open or the last token continues. */
static _Noreturn void fail_at(Parser *P, Token t, const char *fmt, ...) {
  va_list ap;
  int incomplete = t.type == TK_EOF && !P->lx.sub &&
                   (P->lx.nest > 0 || continues(P->prev));
  Span sp = t.span;
  if (P->ntok - P->stmt_ntok <= 2 && t.span.off > P->stmt_first.span.off)
    check_keyword_typo(P, P->stmt_first);
  if (P->lx.runaway && P->lx.runaway - 1 < t.span.off && !P->lx.sub)
    /* a string ran on into code: what follows is all out of step */
    fail(P, (Span){(uint32_t)P->lx.runaway - 1, 1}, "the string on line %u is never "
         "closed: its closing '\"' is probably missing at the end of that line",
         (unsigned)kd_line_of(P->src, P->lx.runaway - 1));
  if (t.type == TK_EOF && !P->lx.sub && P->lx.nest > 0 && !continues(P->prev) &&
      kd_unclosed(P->src, P->lx.end, P->err)) {
    /* not "expected '}'" at the end of the file: the bracket left open */
    P->err->incomplete = 1;
    longjmp(P->fail, 1);
  }
  if (t.type == TK_EOF && !P->lx.sub && P->prev_end > 0) sp = (Span){P->prev_end, 0};
  va_start(ap, fmt);
  vfail(P, sp, incomplete, fmt, ap);
}

/* How a token reads in "found ...". */
static const char *found(Parser *P, Token t, char *buf, size_t cap) {
  size_t n = t.span.len;
  switch (t.type) {
  case TK_EOF: return P->lx.sub ? "the end of the interpolation" : "the end of the input";
  case TK_NEWLINE: return "the end of the line";
  case TK_STRING: return "a string";
  default: break;
  }
  if (n > 40) { /* cut at a character boundary */
    n = 40;
    while (n > 0 && ((unsigned char)P->src[t.span.off + n] & 0xC0) == 0x80) n--;
  }
  snprintf(buf, cap, "'%.*s%s'", (int)n, P->src + t.span.off,
           n < t.span.len ? "..." : "");
  return buf;
}

#define FOUND(P) found(P, (P)->cur, fbuf, sizeof fbuf)

/* ---- tokens ----------------------------------------------------------- */

static void next(Parser *P) {
  if (P->cur.type != TK_NEWLINE) {
    P->prev = P->cur.type;
    P->prev_end = P->cur.span.off + P->cur.span.len;
  }
  if (P->has_ahead) { P->cur = P->ahead; P->has_ahead = 0; }
  else P->cur = lex_next(&P->lx);
  if (P->cur.type != TK_NEWLINE) P->ntok++;
  if (P->cur.type == TK_ERROR) {
    P->err->span = P->lx.err_span;
    P->err->incomplete = P->lx.err_incomplete && !P->lx.sub;
    snprintf(P->err->message, sizeof P->err->message, "%s", P->lx.err_msg);
    longjmp(P->fail, 1);
  }
}

static Token *peek(Parser *P) {
  if (!P->has_ahead) { P->ahead = lex_next(&P->lx); P->has_ahead = 1; }
  return &P->ahead;
}

static int check(Parser *P, TokenType t) { return P->cur.type == t; }

/* Inside the bracket at `open` something that cannot be there: when the
** layout shows a statement after the bracket's line at its indentation or
** less (this one, or one the bracket swallowed), the bracket was left open
** before that line, and the error is at the bracket. */
static void check_left_open(Parser *P, Span open) {
  uint32_t line;
  char what[160];
  if (P->lx.sub) return;
  line = kd_left_open_before(P->src, P->lx.end, open.off, P->cur.span.off);
  if (line == 0) return;
  kd_opener_text(P->src, open.off, what, sizeof what);
  fail(P, (Span){open.off, 1}, "%s on line %u is never closed; it probably should be "
       "closed before line %u", what, (unsigned)kd_line_of(P->src, open.off),
       (unsigned)line);
}

static void skip_newlines(Parser *P) {
  while (check(P, TK_NEWLINE)) next(P);
}

static int is_separator(TokenType t) {
  return t == TK_NEWLINE || t == TK_SEMI || t == TK_COMMA;
}

/* Field and key names may be keywords: r.to, {unit: "h"}. */
static int name_like(TokenType t) {
  return t == TK_NAME || (t >= TK_FIRST_KEYWORD && t <= TK_LAST_KEYWORD);
}

static int is_unit_atom(TokenType t) {
  return t == TK_NAME || t == TK_EURO || t == TK_PERCENT;
}

static void enter(Parser *P, Span where) {
  if (++P->depth > KD_MAX_NESTING)
    fail(P, where, "nested too deeply (more than %d levels)", KD_MAX_NESTING);
}

static void leave(Parser *P) { P->depth--; }

/* ---- memory ----------------------------------------------------------- */

static void *alloc(Parser *P, size_t size) {
  void *p = arena_alloc(P->arena, size);
  if (p == NULL) fail(P, P->cur.span, "out of memory");
  return p;
}

static const char *text(Parser *P, Span sp) {
  char *s = arena_strdup(P->arena, P->src + sp.off, sp.len);
  if (s == NULL) fail(P, sp, "out of memory");
  return s;
}

static Span cover(Span a, Span b) {
  uint32_t lo = a.off < b.off ? a.off : b.off;
  uint32_t ea = a.off + a.len, eb = b.off + b.len;
  Span s;
  s.off = lo;
  s.len = (ea > eb ? ea : eb) - lo;
  return s;
}

static Node *node(Parser *P, NodeKind kind, Span sp) {
  Node *n = alloc(P, sizeof *n);
  n->kind = kind;
  n->span = sp;
  n->height = 1;
  return n;
}

static uint32_t height_of(const Node *n) { return n ? n->height : 0; }

/* Sets n's height from its children, once they are all there. A tree
** higher than KD_MAX_HEIGHT is an error at `at`, the operator or bracket
** that makes it so: every later walk over the tree recurses this deep. */
static Node *seal(Parser *P, Node *n, Span at) {
  uint32_t h = height_of(n->a), i;
  if (height_of(n->b) > h) h = height_of(n->b);
  if (height_of(n->c) > h) h = height_of(n->c);
  if (height_of(n->fn) > h) h = height_of(n->fn);
  for (i = 0; i < n->items.count; i++)
    if (n->items.items[i]->height > h) h = n->items.items[i]->height;
  for (i = 0; i < n->field_count; i++) {
    if (height_of(n->fields[i].default_value) > h) h = n->fields[i].default_value->height;
    if (n->fields[i].type->height > h) h = n->fields[i].type->height;
  }
  if (h >= KD_MAX_HEIGHT)
    fail(P, at, "this expression is too long: more than %d operators, calls, fields "
         "or indexes in a row; split it into parts with let", KD_MAX_HEIGHT);
  n->height = (uint16_t)(h + 1);
  return n;
}

static void *vec_push(Parser *P, Vec *v, size_t elem) {
  if (v->count == v->cap) {
    uint32_t cap = v->cap ? v->cap * 2 : 4;
    void *items;
    if (v->cap > UINT32_MAX / 4) fail(P, P->cur.span, "out of memory");
    items = alloc(P, (size_t)cap * elem);
    if (v->count) memcpy(items, v->items, (size_t)v->count * elem);
    v->items = items;
    v->cap = cap;
  }
  return (char *)v->items + (size_t)v->count++ * elem;
}

static void add_node(Parser *P, Vec *v, Node *n) {
  *(Node **)vec_push(P, v, sizeof n) = n;
}

static NodeList node_list(Vec v) {
  NodeList l;
  l.items = v.items;
  l.count = v.count;
  return l;
}

/* 0 when the name was already in the set. */
static int name_add(Parser *P, NameSet *s, const char *name) {
  uint32_t h = 2166136261u, i;
  const unsigned char *c;
  if ((s->count + 1) * 2 > s->cap) {
    NameSet bigger = {0, s->cap ? s->cap * 2 : 16, 0};
    if (s->cap > UINT32_MAX / 4) fail(P, P->cur.span, "out of memory");
    bigger.slots = alloc(P, bigger.cap * sizeof *bigger.slots);
    for (i = 0; i < s->cap; i++)
      if (s->slots[i]) name_add(P, &bigger, s->slots[i]);
    *s = bigger;
  }
  for (c = (const unsigned char *)name; *c; c++) h = (h ^ *c) * 16777619u;
  for (i = h & (s->cap - 1); s->slots[i]; i = (i + 1) & (s->cap - 1))
    if (strcmp(s->slots[i], name) == 0) return 0;
  s->slots[i] = name;
  s->count++;
  return 1;
}

/* The comment lines of a doc span, without their '#' marks ("#" or "##")
** and one space. */
static const char *doc_text(Parser *P, Span d) {
  const char *s = P->src;
  size_t p = d.off, end = (size_t)d.off + d.len, n = 0;
  char *out;
  if (d.len == 0) return NULL;
  out = alloc(P, d.len + 1);
  while (p < end) {
    size_t q, r;
    while (p < end && (s[p] == ' ' || s[p] == '\t' || s[p] == '\r')) p++;
    while (p < end && s[p] == '#') p++;
    if (p < end && s[p] == ' ') p++;
    for (q = p; q < end && s[q] != '\n'; q++) {}
    r = q > p && s[q - 1] == '\r' ? q - 1 : q;
    memcpy(out + n, s + p, r - p);
    n += r - p;
    if (q < end) out[n++] = '\n';
    p = q + 1;
  }
  out[n] = '\0';
  return out;
}

/* ---- strings ---------------------------------------------------------- */

static Node *text_node(Parser *P, size_t from, size_t to, Span sp) {
  Node *n = node(P, N_STRING, sp);
  char *out = alloc(P, to - from + 1);
  n->str_len = lex_unescape(P->src, from, to, out);
  out[n->str_len] = '\0';
  n->str = out;
  return n;
}

/* The expression inside "{...}", lexed on its own from the same source so
** that spans stay offsets into it. */
static Node *interpolation(Parser *P, size_t open, size_t close) {
  Lexer saved = P->lx;
  Token cur = P->cur, ahead = P->ahead;
  int has_ahead = P->has_ahead;
  TokenType prev = P->prev;
  Span where;
  Node *e;
  char fbuf[64];
  where.off = (uint32_t)open;
  where.len = (uint32_t)(close + 1 - open);
  enter(P, where);
  lex_init(&P->lx, P->src, open + 1, close, 1);
  P->has_ahead = 0;
  P->cur.type = TK_NEWLINE;
  next(P);
  e = expr(P);
  if (!check(P, TK_EOF))
    fail_at(P, P->cur, "expected '}' after the expression in the string, found %s",
            FOUND(P));
  P->lx = saved;
  P->cur = cur;
  P->ahead = ahead;
  P->has_ahead = has_ahead;
  P->prev = prev;
  leave(P);
  return e;
}

/* A string token: N_STRING, or N_INTERP of text and expression parts. */
static Node *string_node(Parser *P, Token t) {
  size_t from = t.span.off + 1, to = (size_t)t.span.off + t.span.len - 1;
  size_t at = lex_next_interp(P->src, from, to);
  Vec parts = {0};
  Node *n;
  if (at == to) return text_node(P, from, to, t.span);
  n = node(P, N_INTERP, t.span);
  while (from < to) {
    at = lex_next_interp(P->src, from, to);
    if (at > from) {
      Span sp;
      sp.off = (uint32_t)from;
      sp.len = (uint32_t)(at - from);
      add_node(P, &parts, text_node(P, from, at, sp));
    }
    if (at >= to) break;
    from = lex_interp_end(P->src, at, to);
    add_node(P, &parts, interpolation(P, at, from));
    from++;
  }
  n->items = node_list(parts);
  return seal(P, n, t.span);
}

/* A string that must not interpolate: labels, imports, keys, options. */
static Node *plain_string(Parser *P, const char *what) {
  Node *s = string_node(P, P->cur);
  if (s->kind != N_STRING)
    fail(P, s->span, "%s must be a plain string, without '{...}'", what);
  next(P);
  return s;
}

/* ---- units ------------------------------------------------------------ */

/* atom: (NAME | € | %) ['^' ['-'] INT], everything glued. */
static void unit_atom(Parser *P, Vec *factors, int sign) {
  char fbuf[64];
  Token t = P->cur;
  const char *name = text(P, t.span);
  UnitFactor *f = vec_push(P, factors, sizeof *f);
  f->name = name;
  f->span = t.span;
  f->exp = sign;
  next(P);
  if (check(P, TK_CARET) && !P->cur.space_before) {
    int neg = 0;
    const char *s;
    uint32_t i;
    next(P);
    if (check(P, TK_MINUS) && !P->cur.space_before) { neg = 1; next(P); }
    s = P->src + P->cur.span.off;
    for (i = 0; check(P, TK_NUMBER) && i < P->cur.span.len; i++)
      if (s[i] < '0' || s[i] > '9') break;
    if (!check(P, TK_NUMBER) || P->cur.space_before || i < P->cur.span.len)
      fail_at(P, P->cur, "expected a whole number right after '^' in a unit, found %s",
              FOUND(P));
    if (P->cur.number > 99)
      fail(P, P->cur.span, "a unit exponent must be at most 99");
    f->exp = sign * (neg ? -1 : 1) * (int)P->cur.number;
    f->span = cover(f->span, P->cur.span);
    next(P);
  }
}

/* The rest of a unit after its first atom: ( ('/' | '*' | '·') atom )*,
** with operator and atom glued; a spaced '/' is division again. */
static UnitExpr *unit_rest(Parser *P, Vec *factors, Span start) {
  UnitExpr *u;
  while ((check(P, TK_SLASH) || check(P, TK_STAR) || check(P, TK_MIDDOT)) &&
         !P->cur.space_before) {
    Token *after = peek(P);
    int sign = check(P, TK_SLASH) ? -1 : 1;
    if (!is_unit_atom(after->type) || after->space_before) break;
    next(P);
    unit_atom(P, factors, sign);
  }
  u = alloc(P, sizeof *u);
  u->factors = factors->items;
  u->count = factors->count;
  u->span = cover(start, u->factors[u->count - 1].span);
  return u;
}

static UnitExpr *unit_expr(Parser *P) {
  Vec factors = {0};
  Span start = P->cur.span;
  unit_atom(P, &factors, 1);
  return unit_rest(P, &factors, start);
}

/* ---- expressions ------------------------------------------------------ */

/* `at` is the operator, where a too long chain is reported. */
static Node *binary(Parser *P, NodeKind kind, int op, Node *a, Node *b, Span at) {
  Node *n = node(P, kind, cover(a->span, b->span));
  n->op = (uint16_t)op;
  n->a = a;
  n->b = b;
  return seal(P, n, at);
}

/* Parameters and body, after 'fn' (and the name, for a declaration). */
static Node *function(Parser *P, Node *fn) {
  char fbuf[64];
  Vec params = {0};
  NameSet seen = {0};
  if (!check(P, TK_LPAREN))
    fail_at(P, P->cur, "expected '(' to start the parameters, found %s", FOUND(P));
  next(P);
  while (!check(P, TK_RPAREN)) {
    Param *p;
    const char *name;
    if (!check(P, TK_NAME))
      fail_at(P, P->cur, "expected a parameter name, found %s", FOUND(P));
    name = text(P, P->cur.span);
    if (!name_add(P, &seen, name))
      fail(P, P->cur.span, "duplicate parameter '%s'", name);
    p = vec_push(P, &params, sizeof *p);
    p->name = name;
    p->span = P->cur.span;
    next(P);
    if (check(P, TK_COMMA)) next(P);
    else if (!check(P, TK_RPAREN))
      fail_at(P, P->cur, "expected ')' to close the parameters");
  }
  next(P);
  fn->params = params.items;
  fn->param_count = params.count;
  skip_newlines(P);
  if (check(P, TK_ARROW)) {
    Node *e, *ret, *body;
    enter(P, P->cur.span); /* fn () => fn () => ... */
    next(P);
    skip_newlines(P);
    e = expr(P);
    leave(P);
    ret = node(P, N_RETURN, e->span);
    ret->a = e;
    seal(P, ret, fn->span);
    body = node(P, N_BLOCK, e->span);
    body->items.items = alloc(P, sizeof ret);
    body->items.items[0] = ret;
    body->items.count = 1;
    fn->a = seal(P, body, fn->span);
  } else if (check(P, TK_LBRACE)) {
    fn->a = block(P);
  } else {
    fail_at(P, P->cur, "expected '{' or '=>' after the parameters, found %s",
            FOUND(P));
  }
  seal(P, fn, fn->span);
  fn->span = cover(fn->span, fn->a->span);
  return fn;
}

/* After a number or '€ NUMBER': '%' followed by an operand is a misspelt
** remainder, not a percentage. */
static void check_percent_as_mod(Parser *P) {
  Token *after;
  if (!check(P, TK_PERCENT) || !P->cur.space_before) return;
  after = peek(P);
  if (!after->newline_before && after->space_before &&
      (after->type == TK_NUMBER || after->type == TK_NAME || after->type == TK_LPAREN))
    fail(P, P->cur.span, "unexpected '%%'; for the remainder use 'mod'");
}

static int at_within(Parser *P) {
  return P->cur.type == TK_NAME && P->cur.span.len == 6 &&
         memcmp(P->src + P->cur.span.off, "within", 6) == 0;
}

static Node *quantity_or_number(Parser *P) {
  Token num = P->cur;
  Node *n;
  next(P);
  check_percent_as_mod(P);
  if (is_unit_atom(P->cur.type) && !P->cur.newline_before && !(P->in_expect && at_within(P))) {
    UnitExpr *u = unit_expr(P);
    n = node(P, N_QUANTITY, cover(num.span, u->span));
    n->unit = u;
  } else {
    n = node(P, N_NUMBER, num.span);
  }
  n->number = num.number;
  return n;
}

/* € [-] NUMBER [glued /unit...] */
static Node *amount(Parser *P) {
  Token euro = P->cur, num;
  Vec factors = {0};
  UnitFactor *f;
  Node *n;
  double sign = 1;
  next(P);
  if (check(P, TK_MINUS) && peek(P)->type == TK_NUMBER) { sign = -1; next(P); }
  if (!check(P, TK_NUMBER)) fail(P, euro.span, "expected an amount after '\xe2\x82\xac'");
  num = P->cur;
  f = vec_push(P, &factors, sizeof *f);
  f->name = text(P, euro.span);
  f->span = euro.span;
  f->exp = 1;
  next(P);
  n = node(P, N_QUANTITY, cover(euro.span, num.span));
  n->number = sign * num.number;
  n->unit = unit_rest(P, &factors, euro.span);
  n->span = cover(n->span, n->unit->span);
  return n;
}

static Node *list_literal(Parser *P) {
  Token open = P->cur;
  Vec items = {0};
  Node *n;
  enter(P, open.span);
  next(P);
  while (!check(P, TK_RBRACKET)) {
    add_node(P, &items, expr(P));
    if (check(P, TK_COMMA)) next(P);
    else if (!check(P, TK_RBRACKET)) {
      check_left_open(P, open.span);
      fail_at(P, P->cur, "expected ']' to close the list");
    }
  }
  n = node(P, N_LIST, cover(open.span, P->cur.span));
  n->items = node_list(items);
  seal(P, n, open.span);
  next(P);
  leave(P);
  return n;
}

static Node *record_literal(Parser *P) {
  char fbuf[64];
  Token open = P->cur;
  Vec keys = {0}, spans = {0}, values = {0};
  NameSet seen = {0};
  Node *n;
  enter(P, open.span);
  next(P);
  for (;;) {
    const char *key;
    Span key_span;
    int newline;
    skip_newlines(P);
    key_span = P->cur.span;
    if (check(P, TK_RBRACE)) break;
    if (name_like(P->cur.type)) {
      if (P->cur.type != TK_NAME && peek(P)->type != TK_COLON) check_left_open(P, open.span);
      key = text(P, key_span);
      next(P);
    } else if (check(P, TK_STRING)) {
      key = plain_string(P, "a record key")->str;
    } else if (check(P, TK_NUMBER)) {
      /* a frequency table {4: 4, 5: 2}: the key is the number as written */
      key = text(P, key_span);
      next(P);
    } else if (check(P, TK_EOF)) {
      fail_at(P, P->cur, "expected '}' to close the record");
    } else {
      fail_at(P, P->cur, "expected a record key (a name or a string), found %s",
              FOUND(P));
    }
    if (!name_add(P, &seen, key))
      fail(P, key_span, "duplicate key '%s' in the record", key);
    skip_newlines(P);
    if (!check(P, TK_COLON)) {
      check_left_open(P, open.span);
      fail_at(P, P->cur, "expected ':' after the record key, found %s", FOUND(P));
    }
    next(P);
    skip_newlines(P);
    *(const char **)vec_push(P, &keys, sizeof key) = key;
    *(Span *)vec_push(P, &spans, sizeof key_span) = key_span;
    add_node(P, &values, expr(P));
    newline = check(P, TK_NEWLINE);
    skip_newlines(P);
    if (check(P, TK_COMMA)) next(P);
    else if (check(P, TK_EOF)) fail_at(P, P->cur, "expected '}' to close the record");
    else if (!check(P, TK_RBRACE) && !newline)
      fail_at(P, P->cur, "expected ',' or '}' in the record, found %s", FOUND(P));
  }
  n = node(P, N_RECORD, cover(open.span, P->cur.span));
  n->keys = keys.items;
  n->key_spans = spans.items;
  n->items = node_list(values);
  seal(P, n, open.span);
  next(P);
  leave(P);
  return n;
}

/* /pattern/flags where an expression starts (a slash there cannot be a
** division). The lexer read only the slash; the pattern is scanned here:
** up to the next / that is not escaped or inside [...], on the same line. */
static Node *regex_literal(Parser *P) {
  Token t = P->cur;
  const char *s = P->src;
  size_t end = P->lx.end, p = lex_regex_end(s, t.span.off, end);
  if (p >= end || s[p] != '/')
    fail(P, (Span){t.span.off, 1}, "unterminated regular expression: a pattern "
         "ends with / on the same line");
  size_t from = t.span.off + 1, to = p++;
  size_t flags = p;
  while (p < end && ((s[p] >= 'a' && s[p] <= 'z') || (s[p] >= 'A' && s[p] <= 'Z'))) p++;
  Node *n = node(P, N_REGEX, (Span){t.span.off, (uint32_t)(p - t.span.off)});
  char *pattern = alloc(P, to - from + 1);
  memcpy(pattern, s + from, to - from);
  pattern[to - from] = '\0';
  n->str = pattern;
  n->str_len = to - from;
  char *f = alloc(P, p - flags + 1);
  memcpy(f, s + flags, p - flags);
  f[p - flags] = '\0';
  n->name = f;
  /* go on lexing after the literal, as after any operand */
  P->lx.pos = p;
  P->lx.last = TK_STRING;
  P->has_ahead = 0;
  P->cur.type = TK_STRING;
  next(P);
  return n;
}

static Node *primary(Parser *P) {
  char fbuf[64];
  Token t = P->cur;
  Node *n;
  switch (t.type) {
  case TK_NIL: case TK_TRUE: case TK_FALSE:
    n = node(P, t.type == TK_NIL ? N_NIL : t.type == TK_TRUE ? N_TRUE : N_FALSE,
             t.span);
    next(P);
    return n;
  case TK_NUMBER: return quantity_or_number(P);
  case TK_EURO: return amount(P);
  case TK_STRING:
    n = string_node(P, t);
    next(P);
    return n;
  case TK_NAME:
    n = node(P, N_NAME, t.span);
    n->name = text(P, t.span);
    next(P);
    return n;
  case TK_LPAREN:
    enter(P, t.span);
    next(P);
    n = expr(P);
    if (!check(P, TK_RPAREN)) {
      check_left_open(P, t.span);
      fail_at(P, P->cur, "expected ')' to close the parenthesis");
    }
    n->span = cover(t.span, P->cur.span); /* errors then point at "(a + b)" */
    next(P);
    leave(P);
    return n;
  case TK_LBRACKET: return list_literal(P);
  case TK_LBRACE: return record_literal(P);
  case TK_FN:
    next(P);
    return function(P, node(P, N_FN, t.span));
  case TK_SLASH:
  case TK_SLASH_ASSIGN:
    return regex_literal(P);
  case TK_PERCENT:
    fail(P, t.span, "unexpected '%%'; for the remainder use 'mod'");
  default:
    fail_at(P, t, "expected an expression, found %s", FOUND(P));
  }
}

static Node *postfix(Parser *P) {
  char fbuf[64];
  Node *e = primary(P), *n;
  for (;;) {
    Token t = P->cur;
    switch (t.type) {
    case TK_LPAREN: {
      Vec args = {0};
      Vec keys = {0}, spans = {0}, values = {0}; /* named: one record, last */
      NameSet seen = {0};
      Span named_at = t.span;
      enter(P, t.span);
      next(P);
      skip_newlines(P);
      while (!check(P, TK_RPAREN)) {
        if (P->cur.type == TK_NAME && peek(P)->type == TK_COLON) {
          /* f(x, n: 1000, seed: 1) passes {n: 1000, seed: 1} after x */
          Span key_span = P->cur.span;
          const char *key = text(P, key_span);
          if (!keys.count) named_at = key_span;
          if (!name_add(P, &seen, key))
            fail(P, key_span, "'%s' is named twice in the call", key);
          next(P);
          next(P);
          skip_newlines(P);
          *(const char **)vec_push(P, &keys, sizeof key) = key;
          *(Span *)vec_push(P, &spans, sizeof key_span) = key_span;
          add_node(P, &values, expr(P));
        } else {
          if (keys.count)
            fail(P, P->cur.span, "an argument without a name cannot follow named ones "
                 "(name: value); put it before them");
          add_node(P, &args, expr(P));
        }
        skip_newlines(P);
        if (check(P, TK_COMMA)) {
          next(P);
          skip_newlines(P);
        } else if (!check(P, TK_RPAREN)) {
          check_left_open(P, t.span);
          fail_at(P, P->cur, "expected ')' to close the call");
        }
      }
      if (keys.count) {
        Node *r = node(P, N_RECORD, cover(named_at, P->cur.span));
        r->keys = keys.items;
        r->key_spans = spans.items;
        r->items = node_list(values);
        add_node(P, &args, r);
      }
      n = node(P, N_CALL, cover(e->span, P->cur.span));
      n->a = e;
      n->items = node_list(args);
      seal(P, n, t.span);
      next(P);
      leave(P);
      break;
    }
    case TK_LBRACKET:
      enter(P, t.span);
      next(P);
      n = node(P, N_INDEX, e->span);
      n->a = e;
      n->b = expr(P);
      if (!check(P, TK_RBRACKET)) {
        check_left_open(P, t.span);
        fail_at(P, P->cur, "expected ']' to close the index");
      }
      n->span = cover(e->span, P->cur.span);
      seal(P, n, t.span);
      next(P);
      leave(P);
      break;
    case TK_DOT:
      next(P);
      skip_newlines(P);
      if (!name_like(P->cur.type))
        fail_at(P, P->cur, "expected a field name after '.', found %s", FOUND(P));
      n = node(P, N_FIELD, cover(e->span, P->cur.span));
      n->a = e;
      n->name = text(P, P->cur.span);
      n->name_span = P->cur.span;
      seal(P, n, t.span);
      next(P);
      break;
    default:
      return e;
    }
    e = n;
  }
}

static Node *unary(Parser *P);

/* '^' is right-associative and its exponent may be negated: 2^-1. */
static Node *power(Parser *P) {
  Node *base = postfix(P), *e;
  Token op = P->cur;
  if (!check(P, TK_CARET)) return base;
  next(P);
  skip_newlines(P);
  enter(P, op.span);
  e = unary(P);
  leave(P);
  return binary(P, N_BINARY, B_POW, base, e, op.span);
}

static Node *unary(Parser *P) {
  Token op = P->cur;
  Node *n;
  if (!check(P, TK_MINUS)) return power(P);
  next(P);
  skip_newlines(P);
  enter(P, op.span);
  n = node(P, N_UNARY, op.span);
  n->op = U_NEG;
  n->a = unary(P);
  n->span = cover(op.span, n->a->span);
  seal(P, n, op.span);
  leave(P);
  return n;
}

static Node *multiplicative(Parser *P) {
  Node *a = unary(P);
  for (;;) {
    int op;
    Span at;
    switch (P->cur.type) {
    case TK_STAR: op = B_MUL; break;
    case TK_SLASH: op = B_DIV; break;
    case TK_MOD: op = B_MOD; break;
    case TK_PERCENT:
      fail(P, P->cur.span, "unexpected '%%'; for the remainder use 'mod'");
    default: return a;
    }
    at = P->cur.span;
    next(P);
    skip_newlines(P);
    a = binary(P, N_BINARY, op, a, unary(P), at);
  }
}

static Node *additive(Parser *P) {
  Node *a = multiplicative(P);
  while (check(P, TK_PLUS) || check(P, TK_MINUS)) {
    int op = check(P, TK_PLUS) ? B_ADD : B_SUB;
    Span at = P->cur.span;
    next(P);
    skip_newlines(P);
    a = binary(P, N_BINARY, op, a, multiplicative(P), at);
  }
  return a;
}

static Node *range(Parser *P) {
  Node *a = additive(P);
  Span at = P->cur.span;
  if (!check(P, TK_TO)) return a;
  next(P);
  skip_newlines(P);
  a = binary(P, N_RANGE, 0, a, additive(P), at);
  if (check(P, TK_TO))
    fail(P, P->cur.span, "ranges cannot be chained; use parentheses");
  return a;
}

static Node *conversion(Parser *P) {
  Node *a = range(P);
  while (check(P, TK_IN)) {
    Node *n;
    Span at = P->cur.span;
    next(P);
    skip_newlines(P);
    if (!is_unit_atom(P->cur.type)) fail_at(P, P->cur, "expected a unit after 'in'");
    n = node(P, N_CONVERT, a->span);
    n->a = a;
    n->unit = unit_expr(P);
    n->span = cover(a->span, n->unit->span);
    a = seal(P, n, at);
  }
  return a;
}

static int comparison_op(TokenType t) {
  switch (t) {
  case TK_EQ: return B_EQ;
  case TK_NE: return B_NE;
  case TK_LT: return B_LT;
  case TK_LE: return B_LE;
  case TK_GT: return B_GT;
  case TK_GE: return B_GE;
  default: return B_NONE;
  }
}

static Node *comparison(Parser *P) {
  Node *a = conversion(P);
  int op = comparison_op(P->cur.type);
  Span at = P->cur.span;
  if (op == B_NONE) return a;
  next(P);
  skip_newlines(P);
  a = binary(P, N_BINARY, op, a, conversion(P), at);
  if (comparison_op(P->cur.type) != B_NONE)
    fail(P, P->cur.span, "comparisons cannot be chained; use 'and'");
  return a;
}

static Node *negation(Parser *P) {
  Token op = P->cur;
  Node *n;
  if (!check(P, TK_NOT)) return comparison(P);
  next(P);
  skip_newlines(P);
  enter(P, op.span);
  n = node(P, N_UNARY, op.span);
  n->op = U_NOT;
  n->a = negation(P);
  n->span = cover(op.span, n->a->span);
  seal(P, n, op.span);
  leave(P);
  return n;
}

static Node *conjunction(Parser *P) {
  Node *a = negation(P);
  while (check(P, TK_AND)) {
    Span at = P->cur.span;
    next(P);
    skip_newlines(P);
    a = binary(P, N_AND, 0, a, negation(P), at);
  }
  return a;
}

static Node *expr(Parser *P) {
  Node *a = conjunction(P);
  while (check(P, TK_OR)) {
    Span at = P->cur.span;
    next(P);
    skip_newlines(P);
    a = binary(P, N_OR, 0, a, conjunction(P), at);
  }
  return a;
}

/* ---- kinds ------------------------------------------------------------ */

static int is_word(Parser *P, Token t, const char *w) {
  size_t n = strlen(w);
  return t.type == TK_NAME && t.span.len == n && memcmp(P->src + t.span.off, w, n) == 0;
}

static TypeExpr *type_expr(Parser *P);

static TypeExpr *one_of(Parser *P, TypeExpr *t) {
  char fbuf[64];
  Vec options = {0};
  if (!check(P, TK_LBRACKET))
    fail_at(P, P->cur, "expected '[' after 'one of', found %s", FOUND(P));
  next(P);
  while (!check(P, TK_RBRACKET)) {
    Token lit = P->cur;
    Node *o;
    switch (lit.type) {
    case TK_STRING: o = plain_string(P, "an option"); break;
    case TK_TRUE: case TK_FALSE:
      o = node(P, lit.type == TK_TRUE ? N_TRUE : N_FALSE, lit.span);
      next(P);
      break;
    case TK_NUMBER: case TK_MINUS:
      if (lit.type == TK_MINUS) next(P);
      if (!check(P, TK_NUMBER))
        fail_at(P, P->cur, "expected a number after '-', found %s", FOUND(P));
      o = node(P, N_NUMBER, cover(lit.span, P->cur.span));
      o->number = lit.type == TK_MINUS ? -P->cur.number : P->cur.number;
      next(P);
      break;
    default:
      fail_at(P, lit, "expected a string, number, true or false as an option, found %s",
              FOUND(P));
    }
    add_node(P, &options, o);
    if (check(P, TK_COMMA)) next(P);
    else if (!check(P, TK_RBRACKET))
      fail_at(P, P->cur, "expected ']' to close the options");
  }
  t->kind = T_ONE_OF;
  t->options = node_list(options);
  t->span = cover(t->span, P->cur.span);
  next(P);
  return t;
}

/* list of T | one of [...] | a unit expression (a lone name is T_NAME). */
static TypeExpr *type_atom(Parser *P) {
  char fbuf[64];
  TypeExpr *t = alloc(P, sizeof *t);
  Token first = P->cur;
  enter(P, first.span);
  t->span = first.span;
  if ((is_word(P, first, "list") || is_word(P, first, "one")) &&
      is_word(P, *peek(P), "of")) {
    next(P);
    next(P);
    if (is_word(P, first, "one")) {
      one_of(P, t);
    } else {
      t->kind = T_LIST_OF;
      t->a = type_atom(P);
      t->span = cover(first.span, t->a->span);
      t->height = t->a->height;
    }
  } else if (first.type == TK_FN) { /* the keyword is also the type name */
    UnitFactor *f = alloc(P, sizeof *f);
    f->name = t->name = text(P, first.span);
    f->span = first.span;
    f->exp = 1;
    t->unit = alloc(P, sizeof *t->unit);
    t->unit->factors = f;
    t->unit->count = 1;
    t->unit->span = first.span;
    t->kind = T_NAME;
    next(P);
  } else if (is_unit_atom(first.type)) {
    t->unit = unit_expr(P);
    t->span = t->unit->span;
    if (first.type == TK_NAME && t->unit->count == 1 && t->unit->factors[0].exp == 1) {
      t->kind = T_NAME;
      t->name = t->unit->factors[0].name;
    } else {
      t->kind = T_UNIT;
    }
  } else {
    fail_at(P, first, "expected a type, found %s", FOUND(P));
  }
  t->height++;
  leave(P);
  return t;
}

static TypeExpr *type_expr(Parser *P) {
  TypeExpr *t = type_atom(P);
  while (check(P, TK_OR)) {
    TypeExpr *o = alloc(P, sizeof *o);
    Span at = P->cur.span;
    next(P);
    skip_newlines(P);
    o->kind = T_OR;
    o->a = t;
    o->b = type_atom(P);
    o->span = cover(t->span, o->b->span);
    o->height = (t->height > o->b->height ? t->height : o->b->height) + 1;
    if (o->height > KD_MAX_HEIGHT)
      fail(P, at, "too many types joined with 'or' (more than %d)", KD_MAX_HEIGHT);
    t = o;
  }
  return t;
}

/* After an item of a kind or declaration body. */
static void item_end(Parser *P, const char *what) {
  char fbuf[64];
  if (!is_separator(P->cur.type) && !check(P, TK_RBRACE))
    fail_at(P, P->cur, "expected a line break, ';' or ',' after the %s, found %s",
            what, FOUND(P));
}

/* Skips separators; 0 at the closing '}'. */
static int more_items(Parser *P, const char *closing) {
  while (is_separator(P->cur.type)) next(P);
  if (check(P, TK_EOF)) fail_at(P, P->cur, "expected '}' to close the %s", closing);
  return !check(P, TK_RBRACE);
}

static void label(Parser *P, Node *n) {
  if (check(P, TK_STRING)) {
    Node *s = plain_string(P, "a label");
    n->str = s->str;
    n->str_len = s->str_len;
  }
}

static Node *kind_decl(Parser *P) {
  char fbuf[64];
  Token kw = P->cur;
  Node *n = node(P, N_KIND_DECL, kw.span);
  Vec fields = {0};
  Span brace;
  n->doc = doc_text(P, kw.doc);
  next(P);
  if (!check(P, TK_NAME))
    fail_at(P, P->cur, "expected a name after 'kind', found %s", FOUND(P));
  n->name = text(P, P->cur.span);
  n->name_span = P->cur.span;
  next(P);
  label(P, n);
  if (!check(P, TK_LBRACE))
    fail_at(P, P->cur, "expected '{' to start the fields of the kind, found %s",
            FOUND(P));
  brace = P->cur.span;
  enter(P, P->cur.span);
  next(P);
  while (more_items(P, "kind")) {
    KindField *f;
    Token name = P->cur;
    if (!name_like(name.type) || (name.type != TK_NAME && peek(P)->type != TK_COLON)) {
      check_left_open(P, brace);
      if (!name_like(name.type)) fail_at(P, name, "expected a field name, found %s", FOUND(P));
    }
    f = vec_push(P, &fields, sizeof *f);
    f->name = text(P, name.span);
    f->span = name.span;
    f->doc = doc_text(P, name.doc);
    next(P);
    if (!check(P, TK_COLON)) {
      check_left_open(P, brace);
      fail_at(P, P->cur, "expected ':' after the field name, found %s", FOUND(P));
    }
    next(P);
    skip_newlines(P);
    f->type = type_expr(P);
    if (check(P, TK_ASSIGN)) {
      next(P);
      skip_newlines(P);
      f->default_value = expr(P);
    }
    item_end(P, "field");
  }
  n->fields = fields.items;
  n->field_count = fields.count;
  n->span = cover(kw.span, P->cur.span);
  seal(P, n, kw.span);
  next(P);
  leave(P);
  return n;
}

/* kindname id ["label"] [{ (name: expr | declaration)* }] */
static Node *declaration(Parser *P) {
  char fbuf[64];
  Token kind = P->cur;
  Node *n = node(P, N_DECL, kind.span);
  Vec items = {0};
  enter(P, kind.span);
  n->doc = doc_text(P, kind.doc);
  n->name2 = text(P, kind.span);
  n->name2_span = kind.span;
  next(P);
  n->name = text(P, P->cur.span);
  n->name_span = P->cur.span;
  n->span = cover(kind.span, P->cur.span);
  next(P);
  if (check(P, TK_STRING)) n->span = cover(n->span, P->cur.span);
  label(P, n);
  if (check(P, TK_LBRACE)) {
    Span brace = P->cur.span;
    next(P);
    while (more_items(P, "declaration")) {
      Token first = P->cur;
      TokenType after = peek(P)->type;
      if (name_like(first.type) && after == TK_COLON) {
        Node *f = node(P, N_DECL_FIELD, first.span);
        f->name = text(P, first.span);
        f->name_span = first.span;
        next(P);
        next(P);
        skip_newlines(P);
        f->a = expr(P);
        f->span = cover(first.span, f->a->span);
        add_node(P, &items, seal(P, f, first.span));
      } else if (first.type == TK_NAME && after == TK_NAME) {
        add_node(P, &items, declaration(P));
      } else {
        check_keyword_typo(P, kind); /* whlie x { print(x) } */
        check_left_open(P, brace);
        fail_at(P, first,
                "expected a field ('name: value') or a nested declaration, found %s",
                FOUND(P));
      }
      item_end(P, "item");
    }
    n->span = cover(n->span, P->cur.span);
    next(P);
  }
  n->items = node_list(items);
  seal(P, n, kind.span);
  leave(P);
  return n;
}

/* ---- statements ------------------------------------------------------- */

static Node *unit_decl(Parser *P) {
  char fbuf[64];
  Token kw = P->cur;
  Node *n = node(P, N_UNIT_DECL, kw.span);
  n->doc = doc_text(P, kw.doc);
  next(P);
  if (!is_unit_atom(P->cur.type))
    fail_at(P, P->cur, "expected a unit name after 'unit', found %s", FOUND(P));
  n->name = text(P, P->cur.span);
  n->name_span = P->cur.span;
  n->span = cover(kw.span, P->cur.span);
  next(P);
  if (!check(P, TK_ASSIGN)) return n;
  next(P);
  skip_newlines(P);
  n->has_def = 1;
  n->number = 1;
  if (check(P, TK_NUMBER)) {
    n->number = P->cur.number;
    n->span = cover(n->span, P->cur.span);
    next(P);
    /* a factor may be a fraction: unit month = 52/12 week */
    while ((check(P, TK_SLASH) || check(P, TK_STAR)) && peek(P)->type == TK_NUMBER) {
      int div = check(P, TK_SLASH);
      next(P);
      n->number = div ? n->number / P->cur.number : n->number * P->cur.number;
      n->span = cover(n->span, P->cur.span);
      next(P);
    }
    if (is_unit_atom(P->cur.type) && !P->cur.newline_before) n->unit = unit_expr(P);
  } else if (is_unit_atom(P->cur.type)) {
    n->unit = unit_expr(P);
  } else {
    fail_at(P, P->cur, "expected a number or a unit after '=', found %s", FOUND(P));
  }
  if (n->unit) n->span = cover(n->span, n->unit->span);
  return n;
}

static Node *binding(Parser *P) {
  char fbuf[64];
  Token kw = P->cur;
  Node *n = node(P, check(P, TK_LET) ? N_LET : N_VAR, kw.span);
  n->doc = doc_text(P, kw.doc);
  next(P);
  if (!check(P, TK_NAME))
    fail_at(P, P->cur, "expected a name after '%s', found %s",
            n->kind == N_LET ? "let" : "var", FOUND(P));
  n->name = text(P, P->cur.span);
  n->name_span = P->cur.span;
  n->span = cover(kw.span, P->cur.span);
  next(P);
  if (check(P, TK_ASSIGN)) {
    next(P);
    skip_newlines(P);
    n->a = expr(P);
    n->span = cover(n->span, n->a->span);
    seal(P, n, kw.span);
  } else if (n->kind == N_LET) {
    fail_at(P, P->cur, "expected '=' after 'let %s', found %s", n->name, FOUND(P));
  }
  return n;
}

static Node *fn_decl(Parser *P) {
  Token kw = P->cur;
  Node *n = node(P, N_FN_DECL, kw.span), *fn = node(P, N_FN, kw.span);
  n->doc = doc_text(P, kw.doc);
  next(P);
  fn->name = n->name = text(P, P->cur.span);
  fn->name_span = n->name_span = P->cur.span;
  next(P);
  n->fn = function(P, fn);
  n->span = fn->span;
  return seal(P, n, kw.span);
}

/* An else-if chain is parsed in a loop, but it is a deep tree all the
** same (each 'else if' one level): its heights are set from the end up. */
static Node *if_stmt(Parser *P) {
  Node *top = NULL, **link = &top, *n, *last;
  Vec chain = {0};
  Span end;
  uint32_t i;
  for (;;) {
    n = node(P, N_IF, P->cur.span);
    if (chain.count + 1 >= KD_MAX_HEIGHT)
      fail(P, n->span, "too long an 'else if' chain: more than %d; split it, or "
           "look the value up in a record or list", KD_MAX_HEIGHT);
    add_node(P, &chain, n);
    *link = n;
    next(P);
    n->a = expr(P);
    n->b = last = block(P);
    if (check(P, TK_NEWLINE) && peek(P)->type == TK_ELSE) next(P);
    if (!check(P, TK_ELSE)) break;
    next(P);
    if (!check(P, TK_IF)) {
      n->c = last = block(P);
      break;
    }
    link = &n->c;
  }
  for (i = chain.count; i-- > 0;) {
    n = ((Node **)chain.items)[i];
    seal(P, n, n->span); /* still the span of its 'if' */
  }
  end = last->span;
  for (n = top; n != NULL && n->kind == N_IF; n = n->c) n->span = cover(n->span, end);
  return top;
}

static Node *for_stmt(Parser *P) {
  char fbuf[64];
  Token kw = P->cur;
  Node *n = node(P, N_FOR, kw.span);
  next(P);
  if (!check(P, TK_NAME))
    fail_at(P, P->cur, "expected a loop variable after 'for', found %s", FOUND(P));
  n->name = text(P, P->cur.span);
  n->name_span = P->cur.span;
  next(P);
  if (check(P, TK_COMMA)) {
    next(P);
    if (!check(P, TK_NAME))
      fail_at(P, P->cur, "expected a second loop variable after ',', found %s",
              FOUND(P));
    n->name2 = text(P, P->cur.span);
    n->name2_span = P->cur.span;
    next(P);
  }
  if (!check(P, TK_IN))
    fail_at(P, P->cur, "expected 'in' after the loop variable, found %s", FOUND(P));
  next(P);
  skip_newlines(P);
  n->a = expr(P);
  n->b = block(P);
  n->span = cover(kw.span, n->b->span);
  return seal(P, n, kw.span);
}

static int at_statement_end(Parser *P) {
  TokenType t = P->cur.type;
  return t == TK_NEWLINE || t == TK_SEMI || t == TK_RBRACE || t == TK_EOF;
}

static Node *simple_statement(Parser *P) {
  Node *e = expr(P), *n;
  Span at;
  int op;
  switch (P->cur.type) {
  case TK_ASSIGN: op = B_NONE; break;
  case TK_PLUS_ASSIGN: op = B_ADD; break;
  case TK_MINUS_ASSIGN: op = B_SUB; break;
  case TK_STAR_ASSIGN: op = B_MUL; break;
  case TK_SLASH_ASSIGN: op = B_DIV; break;
  default:
    n = node(P, N_EXPR_STMT, e->span);
    n->a = e;
    return seal(P, n, e->span);
  }
  if (e->kind != N_NAME && e->kind != N_FIELD && e->kind != N_INDEX)
    fail(P, e->span, "cannot assign to this expression");
  at = P->cur.span;
  next(P);
  skip_newlines(P);
  n = binary(P, N_ASSIGN, op, e, expr(P), at);
  return n;
}

/* requires kader >= 0.3: the versions of Kader a model was written for. */
static Node *requires_stmt(Parser *P) {
  char fbuf[64];
  Token start = P->cur;
  next(P);
  if (!is_word(P, P->cur, "kader"))
    fail_at(P, P->cur, "expected 'kader' after 'requires', found %s", FOUND(P));
  next(P);
  static const struct { TokenType tk; int op; } ops[] = {
    {TK_GE, B_GE}, {TK_GT, B_GT}, {TK_LE, B_LE}, {TK_LT, B_LT}, {TK_EQ, B_EQ}};
  int op = -1;
  for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
    if (check(P, ops[i].tk)) op = ops[i].op;
  if (op < 0)
    fail_at(P, P->cur, "expected >=, >, <=, < or == and a version after 'requires kader', found %s",
            FOUND(P));
  next(P);
  if (!check(P, TK_NUMBER))
    fail_at(P, P->cur, "expected a version such as 0.3 after 'requires kader', found %s", FOUND(P));
  /* the version as written ("0.3", "1.2.1"): a number token, and a ".N" after it */
  Span v = P->cur.span;
  next(P);
  while (check(P, TK_DOT) || (check(P, TK_NUMBER) && P->cur.span.off == v.off + v.len &&
                              P->src[P->cur.span.off] == '.')) {
    v = cover(v, P->cur.span);
    next(P);
    if (check(P, TK_NUMBER)) { v = cover(v, P->cur.span); next(P); }
  }
  Node *n = node(P, N_REQUIRES, cover(start.span, v));
  n->op = op;
  n->str = P->src + v.off;
  n->str_len = v.len;
  return n;
}

static Node *statement(Parser *P) {
  char fbuf[64];
  Token t = P->cur;
  Node *n;
  switch (t.type) {
  case TK_LET: case TK_VAR: return binding(P);
  case TK_FN:
    if (peek(P)->type == TK_NAME) return fn_decl(P);
    break;
  case TK_IF: return if_stmt(P);
  case TK_WHILE:
    n = node(P, N_WHILE, t.span);
    next(P);
    n->a = expr(P);
    n->b = block(P);
    n->span = cover(t.span, n->b->span);
    return seal(P, n, t.span);
  case TK_FOR: return for_stmt(P);
  case TK_RETURN:
    n = node(P, N_RETURN, t.span);
    next(P);
    if (!at_statement_end(P)) {
      n->a = expr(P);
      n->span = cover(t.span, n->a->span);
    }
    return seal(P, n, t.span);
  case TK_BREAK: case TK_CONTINUE:
    n = node(P, t.type == TK_BREAK ? N_BREAK : N_CONTINUE, t.span);
    next(P);
    return n;
  case TK_IMPORT: {
    Node *s;
    next(P);
    if (!check(P, TK_STRING))
      fail_at(P, P->cur, "expected a file name in quotes after 'import', found %s",
              FOUND(P));
    s = plain_string(P, "the file name");
    n = node(P, N_IMPORT, cover(t.span, s->span));
    n->str = s->str;
    n->str_len = s->str_len;
    return n;
  }
  case TK_EXPECT:
    n = node(P, N_EXPECT, t.span);
    next(P);
    P->in_expect = 1;
    n->a = expr(P);
    P->in_expect = 0;
    n->span = cover(t.span, n->a->span);
    /* `within` is a word only here (it is a field name elsewhere) */
    if (at_within(P)) {
      next(P);
      n->b = expr(P);
      n->span = cover(t.span, n->b->span);
    }
    return seal(P, n, t.span);
  case TK_UNIT: return unit_decl(P);
  case TK_KIND: return kind_decl(P);
  case TK_NAME:
    if (is_word(P, t, "requires") && peek(P)->type == TK_NAME) return requires_stmt(P);
    /* `main {`: a word only here, so a model may still name a value main */
    if (is_word(P, t, "main") && peek(P)->type == TK_LBRACE) {
      n = node(P, N_MAIN, t.span);
      next(P);
      n->b = block(P);
      n->span = cover(t.span, n->b->span);
      return seal(P, n, t.span);
    }
    if (peek(P)->type == TK_NAME) return declaration(P);
    break;
  default:
    break;
  }
  return simple_statement(P);
}

/* The next statement, or NULL at the '}' that ends a block or at the end
** of the input. */
static Node *next_statement(Parser *P, int in_block) {
  char fbuf[64];
  Node *n;
  while (check(P, TK_NEWLINE) || check(P, TK_SEMI)) next(P);
  if (check(P, TK_EOF)) {
    if (in_block) fail_at(P, P->cur, "expected '}' to close the block");
    return NULL;
  }
  if (check(P, TK_RBRACE)) {
    if (in_block) return NULL;
    fail(P, P->cur.span, "found '}' without a matching '{'");
  }
  P->stmt_first = P->cur;
  P->stmt_ntok = P->ntok;
  n = statement(P);
  if (!at_statement_end(P))
    fail_at(P, P->cur, "expected a line break or ';' after the statement, found %s",
            FOUND(P));
  return n;
}

/* Statements up to '}' (in a block) or the end of the input. */
static NodeList statements(Parser *P, int in_block) {
  Vec items = {0};
  Node *n;
  while ((n = next_statement(P, in_block)) != NULL) add_node(P, &items, n);
  return node_list(items);
}

static Node *block(Parser *P) {
  char fbuf[64];
  Token open;
  Node *n;
  skip_newlines(P);
  open = P->cur;
  if (!check(P, TK_LBRACE))
    fail_at(P, open, "expected '{' to start the block, found %s", FOUND(P));
  enter(P, open.span);
  next(P);
  n = node(P, N_BLOCK, open.span);
  n->items = statements(P, 1);
  n->span = cover(open.span, P->cur.span);
  seal(P, n, open.span);
  next(P);
  leave(P);
  return n;
}

static Node *program(Parser *P, size_t len) {
  Span all;
  Node *n;
  all.off = 0;
  all.len = (uint32_t)len;
  P->cur.type = TK_NEWLINE;
  next(P);
  n = node(P, N_PROGRAM, all);
  n->items = statements(P, 0);
  return n;
}

static int too_large(size_t len, ParseError *err) {
  if (len <= KD_MAX_SOURCE) return 0;
  snprintf(err->message, sizeof err->message, "the model is larger than "
           KD_MAX_SOURCE_TEXT ", the most a model may be; data belongs in a CSV file");
  return 1;
}

static void parser_init(Parser *P, Arena *arena, const char *src, size_t len,
                        ParseError *err) {
  memset(err, 0, sizeof *err);
  memset(P, 0, sizeof *P);
  P->arena = arena;
  P->src = src;
  P->err = err;
  lex_init(&P->lx, src, 0, len, 0);
}

Node *kd_parse(Arena *arena, const char *src, size_t len, ParseError *err) {
  Parser P;
  parser_init(&P, arena, src, len, err);
  if (too_large(len, err)) return NULL;
  if (setjmp(P.fail)) return NULL;
  return program(&P, len);
}

/* ---- statement by statement ------------------------------------------- */

struct ParseStream {
  Parser P;
  int state; /* 0: nothing read yet, 1: reading, 2: at the end or failed */
};

ParseStream *kd_parse_open(Arena *arena, const char *src, size_t len,
                           ParseError *err) {
  ParseStream *s;
  memset(err, 0, sizeof *err);
  if (too_large(len, err)) return NULL;
  s = malloc(sizeof *s);
  if (s == NULL) {
    snprintf(err->message, sizeof err->message, "out of memory");
    return NULL;
  }
  parser_init(&s->P, arena, src, len, err);
  s->state = 0;
  return s;
}

int kd_parse_next(ParseStream *s, Node **out) {
  Parser *P = &s->P;
  Node *n;
  if (s->state == 2) return 0;
  if (setjmp(P->fail)) {
    s->state = 2;
    return -1;
  }
  if (s->state == 0) {
    P->cur.type = TK_NEWLINE;
    next(P);
    s->state = 1;
  }
  n = next_statement(P, 0);
  if (n == NULL) {
    s->state = 2;
    return 0;
  }
  *out = n;
  return 1;
}

void kd_parse_close(ParseStream *s) { free(s); }

ParseError *kd_parse_error(ParseStream *s) { return s->P.err; }

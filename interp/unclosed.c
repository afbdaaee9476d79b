/*
** unclosed.c — which bracket a model forgot to close, for the parser's
** error when the input ends inside one (parser.h).
**
** The parser only sees that the input ended with a bracket open, and the
** bracket it is in then is often not the one that was left open: the
** closing '}' of a later block closes it instead. The layout tells more. A
** bracket's lines are indented further than the line that opened it, so a
** later line that starts a statement at the opening line's indentation (or
** less), before the bracket is closed, is a line the bracket should have
** been closed before. The source is lexed once more (only on this error)
** to find the bracket with the earliest such line; without one, the
** bracket the input ended in is the answer.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "parser.h"

typedef struct Opener {
  uint32_t off, line, indent;
  uint32_t end;       /* its closing bracket, or the end of the input */
  char c;             /* '(', '[' or '{' */
  int open;           /* never closed */
} Opener;

/* The first token of a line: its place, and whether it starts a statement. */
typedef struct LineStart {
  uint32_t off, line, indent;
  int closer, statement;
} LineStart;

typedef struct Scan {
  Opener *openers;
  size_t nopen, capopen;
  LineStart *lines;
  size_t nlines, caplines;
  size_t *stack;      /* indexes of the openers still open */
  size_t depth, capstack;
  int failed;
} Scan;

static void *grow(void *p, size_t *cap, size_t need, size_t elem, int *failed) {
  size_t c = *cap ? *cap * 2 : 64;
  void *q;
  if (need <= *cap) return p;
  q = realloc(p, c * elem);
  if (!q) { *failed = 1; return p; }
  *cap = c;
  return q;
}

static int starts_statement(TokenType t) {
  switch (t) {
  case TK_LET: case TK_VAR: case TK_FN: case TK_IF: case TK_FOR: case TK_WHILE:
  case TK_RETURN: case TK_BREAK: case TK_CONTINUE: case TK_IMPORT: case TK_KIND:
  case TK_UNIT: case TK_EXPECT:
    return 1;
  default:
    return 0;
  }
}

/* Does a line that starts with `first`, followed by `second` (on the same
** line), start a statement? A name followed by a name is a declaration;
** followed by '=' an assignment, by '(' a call such as print(...). */
static int statement_line(TokenType first, TokenType second) {
  if (starts_statement(first)) return 1;
  if (first != TK_NAME) return 0;
  switch (second) {
  case TK_NAME: case TK_ASSIGN: case TK_PLUS_ASSIGN: case TK_MINUS_ASSIGN:
  case TK_STAR_ASSIGN: case TK_SLASH_ASSIGN: case TK_LPAREN:
    return 1;
  default:
    return 0;
  }
}

/* Can a token end an operand? Then a '/' after it divides; otherwise it
** starts a regular expression, which the parser scans by itself. */
static int operand_end(TokenType t) {
  switch (t) {
  case TK_NAME: case TK_NUMBER: case TK_STRING: case TK_RPAREN: case TK_RBRACKET:
  case TK_RBRACE: case TK_TRUE: case TK_FALSE: case TK_NIL: case TK_PERCENT:
  case TK_EURO:
    return 1;
  default:
    return 0;
  }
}

/* Steps the lexer over a regular expression literal whose '/' is at off,
** as the parser reads one: to the next '/' on the line that is not escaped
** or in a [...] class, then the flags. */
static void skip_regex(Lexer *L, size_t off) {
  const char *s = L->src;
  size_t end = L->end, p = lex_regex_end(s, off, end);
  if (p < end && s[p] == '/') p++;
  while (p < end && ((s[p] >= 'a' && s[p] <= 'z') || (s[p] >= 'A' && s[p] <= 'Z'))) p++;
  L->pos = p;
  L->last = TK_STRING;
}

/* Indentation of the line holding off: its leading blanks (a tab counts
** as one, as long as the file is consistent that is enough). */
static uint32_t indent_of(const char *src, size_t off) {
  size_t ls = off, p;
  while (ls > 0 && src[ls - 1] != '\n') ls--;
  for (p = ls; p < off && (src[p] == ' ' || src[p] == '\t'); p++) {}
  return (uint32_t)(p - ls);
}

static int scan(const char *src, size_t len, Scan *S) {
  Lexer L;
  TokenType prev = TK_NEWLINE;
  uint32_t line = 1;
  size_t counted = 0;
  LineStart *pending = NULL;
  lex_init(&L, src, 0, len, 0);
  for (;;) {
    Token t = lex_next(&L);
    if (t.type == TK_ERROR || t.type == TK_EOF) break; /* what is there so far */
    if (t.type == TK_NEWLINE) continue;
    for (; counted < t.span.off; counted++)
      if (src[counted] == '\n') line++;
    if (pending) {
      pending->statement = statement_line(prev, t.newline_before ? TK_NEWLINE : t.type);
      pending = NULL;
    }
    if (t.newline_before || t.span.off == 0) {
      S->lines = grow(S->lines, &S->caplines, S->nlines + 1, sizeof *S->lines, &S->failed);
      if (S->failed) return 0;
      pending = &S->lines[S->nlines++];
      memset(pending, 0, sizeof *pending);
      pending->off = t.span.off;
      pending->line = line;
      pending->indent = indent_of(src, t.span.off);
      pending->closer = t.type == TK_RBRACE || t.type == TK_RPAREN ||
                        t.type == TK_RBRACKET || t.type == TK_ELSE;
    }
    if ((t.type == TK_SLASH || t.type == TK_SLASH_ASSIGN) && !operand_end(prev)) {
      skip_regex(&L, t.span.off);
      prev = TK_STRING;
      continue;
    }
    if (t.type == TK_LPAREN || t.type == TK_LBRACKET || t.type == TK_LBRACE) {
      Opener *o;
      S->openers = grow(S->openers, &S->capopen, S->nopen + 1, sizeof *o, &S->failed);
      S->stack = grow(S->stack, &S->capstack, S->depth + 1, sizeof *S->stack, &S->failed);
      if (S->failed) return 0;
      o = &S->openers[S->nopen];
      o->off = t.span.off;
      o->line = line;
      o->indent = indent_of(src, t.span.off);
      o->end = (uint32_t)len;
      o->c = src[t.span.off];
      o->open = 1;
      S->stack[S->depth++] = S->nopen++;
    } else if ((t.type == TK_RPAREN || t.type == TK_RBRACKET || t.type == TK_RBRACE) &&
               S->depth > 0) {
      Opener *o = &S->openers[S->stack[--S->depth]];
      o->end = t.span.off;
      o->open = 0;
    }
    prev = t.type;
  }
  if (pending) pending->statement = statement_line(prev, TK_NEWLINE);
  return 1;
}

/* The first line, after the opener's own, that starts a statement at the
** opener's indentation or less before the opener is closed; NULL if none. */
static const LineStart *closes_before(const Scan *S, const Opener *o) {
  size_t lo = 0, hi = S->nlines;
  while (lo < hi) { /* the first line start after the opener */
    size_t mid = (lo + hi) / 2;
    if (S->lines[mid].off <= o->off) lo = mid + 1;
    else hi = mid;
  }
  for (; lo < S->nlines && S->lines[lo].off < o->end; lo++) {
    const LineStart *l = &S->lines[lo];
    if (l->line == o->line) continue;
    if (l->indent <= o->indent && !l->closer && l->statement) return l;
  }
  return NULL;
}

static void free_scan(Scan *S) {
  free(S->openers);
  free(S->lines);
  free(S->stack);
}

uint32_t kd_left_open_before(const char *src, size_t len, size_t open, size_t at) {
  Scan S;
  Opener o;
  const LineStart *l = NULL;
  const char *nl = at < len ? memchr(src + at, '\n', len - at) : NULL;
  memset(&S, 0, sizeof S);
  o.off = (uint32_t)open;
  o.line = kd_line_of(src, open);
  o.indent = indent_of(src, open);
  o.end = (uint32_t)at + 1;
  /* lexed to the end of at's line, which tells whether it starts a statement */
  if (scan(src, nl ? (size_t)(nl - src) : len, &S)) l = closes_before(&S, &o);
  uint32_t line = l ? l->line : 0;
  free_scan(&S);
  return line;
}

/* ---- how an opening bracket reads ---------------------------------------- */

static int word(const char *src, Token t, char *buf, size_t cap) {
  return snprintf(buf, cap, "%.*s", t.span.len > 60 ? 60 : (int)t.span.len,
                  src + t.span.off);
}

void kd_opener_text(const char *src, size_t off, char *buf, size_t cap) {
  Lexer L;
  Token first, second, prev, t;
  size_t ls = off;
  char a[64], b[64], c = src[off];
  int n = 0;
  while (ls > 0 && src[ls - 1] != '\n') ls--;
  lex_init(&L, src, ls, off, 0);
  memset(&first, 0, sizeof first);
  second = prev = first;
  for (;;) { /* the line's first two tokens and the one before the bracket */
    t = lex_next(&L);
    if (t.type == TK_EOF || t.type == TK_ERROR) break;
    if (t.type == TK_NEWLINE) continue;
    if (n == 0) first = t;
    else if (n == 1) second = t;
    prev = t;
    n++;
  }
  if (t.type == TK_ERROR) n = 0;
  if (c == '{' && n >= 1) {
    word(src, first, a, sizeof a);
    word(src, second, b, sizeof b);
    switch (first.type) {
    case TK_FN:
      if (n >= 2 && second.type == TK_NAME) { snprintf(buf, cap, "the '{' of fn %s", b); return; }
      snprintf(buf, cap, "the '{' of the function");
      return;
    case TK_KIND:
      if (n >= 2) { snprintf(buf, cap, "the '{' of kind %s", b); return; }
      break;
    case TK_IF: snprintf(buf, cap, "the '{' of the if"); return;
    case TK_ELSE: snprintf(buf, cap, "the '{' of the else"); return;
    case TK_FOR: snprintf(buf, cap, "the '{' of the for loop"); return;
    case TK_WHILE: snprintf(buf, cap, "the '{' of the while loop"); return;
    case TK_NAME:
      if (n >= 2 && second.type == TK_NAME && prev.type != TK_ASSIGN &&
          prev.type != TK_COLON && prev.type != TK_LPAREN && prev.type != TK_COMMA) {
        snprintf(buf, cap, "the '{' of %s %s", a, b);
        return;
      }
      break;
    default: break;
    }
    if (prev.type == TK_ASSIGN || prev.type == TK_COLON || prev.type == TK_LPAREN ||
        prev.type == TK_COMMA || prev.type == TK_LBRACKET) {
      snprintf(buf, cap, "the '{' of the record");
      return;
    }
  }
  if (c == '(' && n >= 1 && prev.type == TK_NAME) {
    word(src, prev, a, sizeof a);
    snprintf(buf, cap, "the '(' of the call to %s", a);
    return;
  }
  if (c == '(' && n >= 1 && (prev.type == TK_RPAREN || prev.type == TK_RBRACKET)) {
    snprintf(buf, cap, "the '(' of the call");
    return;
  }
  if (c == '[') {
    snprintf(buf, cap, n >= 1 && operand_end(prev.type) ? "the '[' of the index"
                                                        : "the '[' of the list");
    return;
  }
  snprintf(buf, cap, "the '%c'", c);
}

uint32_t kd_line_of(const char *src, size_t off) {
  uint32_t line = 1;
  const char *p = src, *end = src + off;
  while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
    line++;
    p++;
  }
  return line;
}

int kd_unclosed(const char *src, size_t len, ParseError *err) {
  Scan S;
  const Opener *pick = NULL;
  const LineStart *before = NULL;
  char what[160];
  size_t i;
  memset(&S, 0, sizeof S);
  if (scan(src, len, &S)) {
    /* the bracket with the earliest line it should be closed before; of
    ** brackets that share it, the innermost */
    for (i = 0; i < S.nopen; i++) {
      const LineStart *l = closes_before(&S, &S.openers[i]);
      if (l && (!before || l->off <= before->off)) {
        before = l;
        pick = &S.openers[i];
      }
    }
    for (i = S.nopen; !pick && i-- > 0;) /* the innermost left open */
      if (S.openers[i].open) pick = &S.openers[i];
  }
  if (pick) {
    kd_opener_text(src, pick->off, what, sizeof what);
    err->span.off = pick->off;
    err->span.len = 1;
    if (before)
      snprintf(err->message, sizeof err->message,
               "%s on line %u is never closed; it probably should be closed "
               "before line %u", what, (unsigned)pick->line, (unsigned)before->line);
    else
      snprintf(err->message, sizeof err->message, "%s on line %u is never closed", what,
               (unsigned)pick->line);
  }
  free_scan(&S);
  return pick != NULL;
}

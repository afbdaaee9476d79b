/*
** checklib.c — error_at(d, path, message): an error located at what the
** user wrote inside a declaration, for the model library's checks.
**
** The library checks a declaration when it is complete (on_declare), after
** its fields were set, and a wrong count sits deep inside a field:
** `published: {past: {ja: 0.275}}`. The path names it: the field and then
** the keys, or positions from 1 in a list, inside its value (["published",
** "past", "ja"]). The place is found again by lexing the declaration's
** source from its name on; the message points at the deepest part of the
** path that is written out in the source (a value computed elsewhere is
** pointed at where the field gets it), or at the declaration itself.
*/
#include <string.h>

#include "checklib.h"
#include "lexer.h"
#include "vm.h"

typedef struct Scan {
  Lexer lex;
  Token tok;
  int depth; /* brackets open before tok (tok itself not counted) */
} Scan;

static void advance(Scan *s) {
  TokenType prev = s->tok.type;
  if (prev == TK_LBRACE || prev == TK_LBRACKET || prev == TK_LPAREN) s->depth++;
  s->tok = lex_next(&s->lex);
  TokenType t = s->tok.type;
  if (t == TK_RBRACE || t == TK_RBRACKET || t == TK_RPAREN) s->depth--;
}

static bool at_end(const Scan *s) {
  return s->tok.type == TK_EOF || s->tok.type == TK_ERROR;
}

/* Is token t a word: a name, or a keyword written as a record key ({from:
** 1, to: 2, unit: "x"})? */
static bool is_word(const char *src, Token t) {
  if (t.type == TK_NAME) return true;
  if (t.span.len == 0) return false;
  for (uint32_t i = 0; i < t.span.len; i++) {
    char c = src[t.span.off + i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')) return false;
  }
  return true;
}

/* Does token t (a name, a keyword, a number or a string) spell key? */
static bool spells(const char *src, Token t, ObjString *key) {
  if (is_word(src, t) || t.type == TK_NUMBER) /* {4: 4}: the number as written */
    return t.span.len == key->len && memcmp(src + t.span.off, key->chars, key->len) == 0;
  char text[512]; /* the unescaped text is never longer than the source */
  if (t.type != TK_STRING || t.span.len < 2 || t.span.len - 2 > sizeof text) return false;
  size_t n = lex_unescape(src, t.span.off + 1, t.span.off + t.span.len - 1, text);
  return n == key->len && memcmp(text, key->chars, n) == 0;
}

/* Does the item at s (at depth `depth`) end here: a separator at its own
** depth, or the bracket that closes its container? */
static bool item_ends(const Scan *s, int depth) {
  if (at_end(s) || s->depth < depth) return true;
  TokenType t = s->tok.type;
  return s->depth == depth && (t == TK_COMMA || t == TK_NEWLINE || t == TK_SEMI);
}

/* The span from `from` to the end of the item that starts at s (a copy:
** the caller's scan stays where it is). */
static Span item_span(Scan s, uint32_t from, int depth) {
  uint32_t end = s.tok.span.off + s.tok.span.len;
  while (!item_ends(&s, depth)) {
    end = s.tok.span.off + s.tok.span.len;
    advance(&s);
  }
  return (Span){from, end - from};
}

/* Moves s to the item of its container (at `depth`) that `key` names: the
** value after `key:`, or the key-th item of a list. False when the
** container has no such item written out. */
static bool find_item(Scan *s, const char *src, int depth, Value key, Span *where) {
  int position = 1;
  bool item_start = true;
  while (!at_end(s) && s->depth >= depth) {
    if (s->depth == depth) {
      if (IS_NUM(key) && item_start && s->tok.type != TK_NEWLINE) {
        if (position == key.as.n) {
          *where = item_span(*s, s->tok.span.off, depth);
          return true;
        }
        item_start = false;
      } else if (IS_STRING(key) &&
                 (is_word(src, s->tok) || s->tok.type == TK_STRING || s->tok.type == TK_NUMBER) &&
                 spells(src, s->tok, AS_STRING(key))) {
        uint32_t from = s->tok.span.off;
        advance(s);
        if (s->tok.type == TK_COLON) {
          advance(s);
          *where = item_span(*s, from, depth);
          return true;
        }
        continue;
      }
      if (s->tok.type == TK_COMMA) {
        position++;
        item_start = true;
      }
    }
    advance(s);
  }
  return false;
}

/* Where path (a list of keys and positions) is written in declaration d:
** the deepest part found, or the declaration's own place. */
static Span locate(ObjRecord *d, ObjList *path) {
  ObjString *source = d->module->source;
  const char *src = source->chars;
  Span where = d->span;
  Scan s = {.depth = 0};
  lex_init(&s.lex, src, d->span.off, source->len, 0);
  s.tok = lex_next(&s.lex); /* the declaration's name */
  do advance(&s); while (s.tok.type == TK_STRING); /* its label */
  if (s.tok.type != TK_LBRACE) return where;
  advance(&s);
  for (uint32_t i = 0; i < path->count; i++) {
    int depth = s.depth;
    if (!find_item(&s, src, depth, path->items[i], &where)) break;
    if (s.tok.type != TK_LBRACE && s.tok.type != TK_LBRACKET) break;
    advance(&s);
  }
  return where;
}

static Value c_error_at(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (!IS_RECORD(args[0]) || !AS_RECORD(args[0])->kind)
    kd_arg_error(K, "error_at", 1, "a declaration", args[0]);
  if (!IS_LIST(args[1]) && !IS_STRING(args[1]))
    kd_arg_error(K, "error_at", 2, "a field name or a list of keys", args[1]);
  if (!IS_STRING(args[2])) kd_arg_error(K, "error_at", 3, "a text", args[2]);
  ObjRecord *d = AS_RECORD(args[0]);
  const char *message = AS_STRING(args[2])->chars;
  if (!d->module || !d->module->source) kd_error(K, "%s", message);
  ObjList one = {.items = &args[1], .count = 1};
  ObjList *path = IS_LIST(args[1]) ? AS_LIST(args[1]) : &one;
  kd_error_at(K, d->module, locate(d, path), false, "%s", message);
}

void kd_open_checklib(KaderState *K) {
  kd_define_native(K, "error_at", c_error_at, 3, 3,
                   "error_at(declaration, path, message): stops with an error located "
                   "at what path names inside the declaration: a field, then keys or "
                   "positions inside its value ([\"published\", \"past\", \"ja\"]).");
}

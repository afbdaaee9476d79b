/*
** parser.h — source text to syntax tree (ast.h).
**
** The lexer and parser stop at the first error and describe it in a
** ParseError; they never print and never exit.
*/
#ifndef KADER_PARSER_H
#define KADER_PARSER_H

#include "ast.h"

/* The highest tree the parser builds. Every walk over a tree (compiler,
** checks, formatter) recurses at most this deep, so this bounds their C
** stack; a chain of N operators, calls, fields or indexes is N high. */
#ifndef KD_MAX_HEIGHT /* -D for measuring the stack a level takes */
#define KD_MAX_HEIGHT 1000
#endif

/* How deeply brackets, blocks and interpolations may nest: this bounds the
** parser's own recursion. */
#define KD_MAX_NESTING 200

typedef struct ParseError {
  Span span;            /* what is wrong; len 0 means "at this point" */
  char message[256];    /* plain words, no location: the renderer adds it */
  int incomplete;       /* 1 when the input ended inside an open bracket,
                           block, string or after a binary operator: a REPL
                           asks for another line instead of reporting */
} ParseError;

/* Parses a whole program (N_PROGRAM). On error returns NULL and fills *err.
** `src` need not be NUL-terminated. A first line starting with "#!" is a
** comment like any other. */
Node *kd_parse(Arena *arena, const char *src, size_t len, ParseError *err);

#endif

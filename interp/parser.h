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

/* The largest source the parser reads: a model of more than this is an
** error that says so (data belongs in a CSV file), before anything grows
** with it. */
#define KD_MAX_SOURCE (16u << 20)
#define KD_MAX_SOURCE_TEXT "16 MB"

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

/* A program parsed one top-level statement at a time, so that the compiler
** can compile each and reset the arena before the next: the memory a large
** model needs then follows its largest statement, not the whole file. */
typedef struct ParseStream ParseStream;

/* NULL with *err filled when the source is larger than KD_MAX_SOURCE or
** memory runs out. */
ParseStream *kd_parse_open(Arena *arena, const char *src, size_t len,
                           ParseError *err);

/* The next top-level statement: 1 (in *out, in the arena), 0 at the end,
** -1 on a syntax error (in the ParseError given to kd_parse_open). */
int kd_parse_next(ParseStream *s, Node **out);

void kd_parse_close(ParseStream *s);

/* The ParseError the stream fills. */
ParseError *kd_parse_error(ParseStream *s);

/* For the parser's errors about brackets (unclosed.c). When src ends inside
** brackets: which bracket was probably left open, by the layout, with its
** line and, where a later line shows it, the line it should have been
** closed before; 0 when src does not lex. */
int kd_unclosed(const char *src, size_t len, ParseError *err);

/* The line of the first statement after the bracket at `open` that starts
** at the bracket's line's indentation or less, up to offset `at` (in
** src[0, len)); 0 if there is none. */
uint32_t kd_left_open_before(const char *src, size_t len, size_t open, size_t at);

/* "the '{' of task a", "the '(' of the call to f": the bracket at off. */
void kd_opener_text(const char *src, size_t off, char *buf, size_t cap);

/* The keyword a name probably misspells ("retrun": "return"), or that
** another language's word stands for ("function": "fn"); NULL if none. */
const char *kd_keyword_typo(const char *name, size_t len);

/* The line (from 1) that holds offset off. */
uint32_t kd_line_of(const char *src, size_t off);

#endif

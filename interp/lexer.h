/*
** lexer.h — source bytes to tokens, one at a time, for the parser.
**
** The lexer validates UTF-8, skips comments, keeps the stack of open brackets
** that decides whether a line break is a statement separator, and collects
** the comment lines directly above a token (doc comments). String literals
** come out whole (quotes included, already checked); the parser splits them
** into text and interpolations with lex_interp_end and lex_unescape.
*/
#ifndef KADER_LEXER_H
#define KADER_LEXER_H

#include <stddef.h>
#include "ast.h"

typedef enum TokenType {
  TK_EOF, TK_ERROR, TK_NEWLINE, TK_NAME, TK_NUMBER, TK_STRING,
  /* keywords, alphabetical */
  TK_AND, TK_BREAK, TK_CONTINUE, TK_ELSE, TK_EXPECT, TK_FALSE, TK_FN, TK_FOR, TK_IF,
  TK_IMPORT, TK_IN, TK_KIND, TK_LET, TK_MOD, TK_NIL, TK_NOT, TK_OR,
  TK_RETURN, TK_TO, TK_TRUE, TK_UNIT, TK_VAR, TK_WHILE,
  /* punctuation */
  TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_CARET,
  TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE,
  TK_ASSIGN, TK_PLUS_ASSIGN, TK_MINUS_ASSIGN, TK_STAR_ASSIGN, TK_SLASH_ASSIGN,
  TK_LPAREN, TK_RPAREN, TK_LBRACKET, TK_RBRACKET, TK_LBRACE, TK_RBRACE,
  TK_COMMA, TK_DOT, TK_COLON, TK_SEMI, TK_ARROW,
  TK_EURO,    /* € */
  TK_MIDDOT,  /* · (unit multiplication) */
  TK_PERCENT, /* % (only valid as a unit) */
  TK_COUNT
} TokenType;

#define TK_FIRST_KEYWORD TK_AND
#define TK_LAST_KEYWORD TK_WHILE

typedef struct Token {
  TokenType type;
  Span span;
  unsigned char space_before;   /* blank, comment or line start right before */
  unsigned char newline_before; /* a line break somewhere before, since the
                                   previous token */
  double number;                /* TK_NUMBER */
  Span doc;                     /* comment lines directly above; len 0: none */
} Token;

#define LEX_MAX_BRACKETS 256

typedef struct Lexer {
  const char *src;
  size_t start, pos, end;        /* absolute offsets into src */
  int sub;                       /* lexing the inside of an interpolation */
  TokenType last;                /* last token returned */
  unsigned char brackets[LEX_MAX_BRACKETS];
  unsigned nest;                 /* open brackets (may exceed the array) */
  int after_newline;             /* a line break was skipped */
  int line_code, line_comment;   /* what the current line holds so far */
  int has_doc;
  size_t doc_start, doc_end;
  size_t runaway;                /* 1 + the offset of the last string that ran
                                    over a line break into what looks like
                                    code; 0: none */
  /* the error, when a TK_ERROR token was returned */
  Span err_span;
  int err_incomplete;
  char err_msg[256];
} Lexer;

/* Lexes src[start, end). Offsets in tokens are absolute (into src). `sub`
** lexes an interpolation: line breaks never separate statements there. */
void lex_init(Lexer *L, const char *src, size_t start, size_t end, int sub);

/* The next token. After TK_ERROR (see err_*) it keeps returning TK_ERROR. */
Token lex_next(Lexer *L);

/* "'+'", "'and'", "a string": how a token type reads in a message. */
const char *lex_type_name(TokenType t);

/* In an already lexed string token: the offset of the '}' that closes the
** interpolation whose '{' is at `open`. */
size_t lex_interp_end(const char *src, size_t open, size_t end);

/* In already lexed string text src[from, to): the offset of the next '{'
** that starts an interpolation (not an escaped one), or `to`. */
size_t lex_next_interp(const char *src, size_t from, size_t to);

/* Decodes the escapes of already lexed string text src[from, to) into out
** (which needs to - from bytes) and returns the decoded length. */
size_t lex_unescape(const char *src, size_t from, size_t to, char *out);

/* A regular expression literal whose '/' is at `slash` (the parser reads
** it, not the lexer): the offset of the '/' that ends its pattern, the
** next one on the line not escaped or in a [...] class; when there is none,
** the offset of the line break or `end`. */
size_t lex_regex_end(const char *src, size_t slash, size_t end);

/* Length of the valid UTF-8 sequence at s[0..n) (code point in *cp), or 0. */
int lex_utf8(const unsigned char *s, size_t n, unsigned long *cp);

#endif

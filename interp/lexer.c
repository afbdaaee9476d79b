/*
** lexer.c — source bytes to tokens (see lexer.h).
**
** The source is not NUL-terminated: every read checks against L->end.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "numconv.h"

#define MAX_DEPTH 200 /* interpolations inside strings inside interpolations */

#define IS_DIGIT(c) ((c) >= '0' && (c) <= '9')
#define IS_ALPHA(c) \
  (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') || (c) == '_')
#define IS_ALNUM(c) (IS_ALPHA(c) || IS_DIGIT(c))

enum { SCAN_OK, SCAN_UNTERMINATED, SCAN_ERROR };

static const char *const keywords[] = {
  "and", "break", "continue", "else", "expect", "false", "fn", "for", "if", "import",
  "in", "kind", "let", "mod", "nil", "not", "or", "return", "to", "true",
  "unit", "var", "while"
};

static const char *const type_names[TK_COUNT] = {
  "the end of the input", "an invalid token", "the end of the line",
  "a name", "a number", "a string",
  "'and'", "'break'", "'continue'", "'else'", "'expect'", "'false'", "'fn'", "'for'",
  "'if'", "'import'", "'in'", "'kind'", "'let'", "'mod'", "'nil'", "'not'",
  "'or'", "'return'", "'to'", "'true'", "'unit'", "'var'", "'while'",
  "'+'", "'-'", "'*'", "'/'", "'^'", "'=='", "'!='", "'<'", "'<='", "'>'",
  "'>='", "'='", "'+='", "'-='", "'*='", "'/='", "'('", "')'", "'['", "']'",
  "'{'", "'}'", "','", "'.'", "':'", "';'", "'=>'", "'\xe2\x82\xac'",
  "'\xc2\xb7'", "'%'"
};

const char *lex_type_name(TokenType t) {
  return (unsigned)t < TK_COUNT ? type_names[t] : "a token";
}

int lex_utf8(const unsigned char *s, size_t n, unsigned long *cp) {
  unsigned c = s[0], lo = 0x80, hi = 0xBF;
  if (c < 0x80) { *cp = c; return 1; }
  if (c < 0xC2) return 0; /* continuation byte or overlong 2-byte lead */
  if (c < 0xE0) {
    if (n < 2 || (s[1] & 0xC0) != 0x80) return 0;
    *cp = ((unsigned long)(c & 0x1F) << 6) | (s[1] & 0x3F);
    return 2;
  }
  if (c < 0xF0) {
    if (c == 0xE0) lo = 0xA0;      /* overlong */
    else if (c == 0xED) hi = 0x9F; /* surrogates */
    if (n < 3 || s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80) return 0;
    *cp = ((unsigned long)(c & 0x0F) << 12) | ((unsigned long)(s[1] & 0x3F) << 6) |
          (s[2] & 0x3F);
    return 3;
  }
  if (c < 0xF5) {
    if (c == 0xF0) lo = 0x90;      /* overlong */
    else if (c == 0xF4) hi = 0x8F; /* above U+10FFFF */
    if (n < 4 || s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80 ||
        (s[3] & 0xC0) != 0x80)
      return 0;
    *cp = ((unsigned long)(c & 0x07) << 18) | ((unsigned long)(s[1] & 0x3F) << 12) |
          ((unsigned long)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    return 4;
  }
  return 0;
}

void lex_init(Lexer *L, const char *src, size_t start, size_t end, int sub) {
  memset(L, 0, sizeof *L);
  L->src = src;
  L->start = L->pos = start;
  L->end = end;
  L->sub = sub;
  L->last = TK_NEWLINE; /* no separator before the first statement */
  if (sub) { L->brackets[0] = '('; L->nest = 1; }
}

static Token error_at(Lexer *L, size_t off, size_t len, int incomplete,
                      const char *fmt, ...) {
  Token t;
  va_list ap;
  memset(&t, 0, sizeof t);
  va_start(ap, fmt);
  vsnprintf(L->err_msg, sizeof L->err_msg, fmt, ap);
  va_end(ap);
  L->err_span.off = (uint32_t)off;
  L->err_span.len = (uint32_t)len;
  L->err_incomplete = incomplete;
  L->last = TK_ERROR;
  t.type = TK_ERROR;
  t.span = L->err_span;
  return t;
}

static Token bad_utf8(Lexer *L, size_t p) {
  return error_at(L, p, 1, 0, "invalid UTF-8 byte 0x%02x",
                  (unsigned char)L->src[p]);
}

/* Names a character for a message: itself when printable, else U+XXXX. */
static Token unexpected_char(Lexer *L, size_t p, size_t n, unsigned long cp) {
  if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
    return error_at(L, p, n, 0, "unexpected character U+%04lX", cp);
  return error_at(L, p, n, 0, "unexpected character '%.*s'", (int)n, L->src + p);
}

static int is_letter(unsigned long cp) {
  return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
         (cp >= 0x370 && cp <= 0x4FF);
}

/* ---- strings -------------------------------------------------------- */

static int is_hex(int c) {
  return IS_DIGIT(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned hex_value(int c) {
  return IS_DIGIT(c) ? (unsigned)(c - '0') : (unsigned)((c | 32) - 'a' + 10);
}

static int scan_string(Lexer *L, size_t p, size_t *after, int depth);

/* Checks the escape whose backslash is at *pp and steps over it. */
static int scan_escape(Lexer *L, size_t *pp) {
  const unsigned char *s = (const unsigned char *)L->src;
  size_t p = *pp, q;
  unsigned long v = 0, cp;
  int digits = 0, n;
  if (p + 1 >= L->end) return SCAN_UNTERMINATED;
  switch (s[p + 1]) {
  case 'n': case 't': case 'r': case '\\': case '"': case '{': case '}':
  case '0':
    *pp = p + 2;
    return SCAN_OK;
  case 'u':
    q = p + 2;
    if (q < L->end && s[q] == '{') {
      for (q++; q < L->end && is_hex(s[q]) && digits < 7; q++, digits++)
        v = v * 16 + hex_value(s[q]);
      if (q >= L->end) return SCAN_UNTERMINATED;
      if (s[q] == '}' && digits >= 1 && digits <= 6) {
        if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
          error_at(L, p, q + 1 - p, 0, "'\\u{%.*s}' is not a valid character",
                   digits, L->src + p + 3);
          return SCAN_ERROR;
        }
        *pp = q + 1;
        return SCAN_OK;
      }
    }
    error_at(L, p, 2, 0,
             "invalid escape '\\u'; write 1 to 6 hex digits in braces, as in "
             "'\\u{20AC}'");
    return SCAN_ERROR;
  default:
    n = lex_utf8(s + p + 1, L->end - p - 1, &cp);
    if (n == 0) bad_utf8(L, p + 1);
    else if (cp < 0x20 || cp == 0x7F)
      error_at(L, p, 2, 0, "unknown escape '\\' followed by U+%04lX", cp);
    else
      error_at(L, p, (size_t)n + 1, 0, "unknown escape '\\%.*s'", n,
               L->src + p + 1);
    return SCAN_ERROR;
  }
}

/* Checks an interpolation whose '{' is at *pp and steps over it. */
static int scan_interp(Lexer *L, size_t *pp, int depth) {
  const unsigned char *s = (const unsigned char *)L->src;
  size_t open = *pp, p = open + 1;
  unsigned long cp;
  int braces = 1, blank = 1, r, n;
  if (depth >= MAX_DEPTH) {
    error_at(L, open, 1, 0, "nested too deeply (more than %d levels)", MAX_DEPTH);
    return SCAN_ERROR;
  }
  while (p < L->end) {
    int c = s[p];
    if (c == '"') {
      blank = 0;
      if ((r = scan_string(L, p, &p, depth + 1)) != SCAN_OK) return r;
      continue;
    }
    if (c >= 0x80) {
      if ((n = lex_utf8(s + p, L->end - p, &cp)) == 0) {
        bad_utf8(L, p);
        return SCAN_ERROR;
      }
      blank = 0;
      p += (size_t)n;
      continue;
    }
    if (c == '{') braces++;
    else if (c == '}' && --braces == 0) {
      if (blank) {
        error_at(L, open, p + 1 - open, 0,
                 "empty interpolation '{}'; write '\\{' for a brace");
        return SCAN_ERROR;
      }
      *pp = p + 1;
      return SCAN_OK;
    }
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') blank = 0;
    p++;
  }
  return SCAN_UNTERMINATED;
}

static int scan_string(Lexer *L, size_t p, size_t *after, int depth) {
  const unsigned char *s = (const unsigned char *)L->src;
  unsigned long cp;
  int r, n;
  for (p++; p < L->end;) {
    int c = s[p];
    if (c == '"') { *after = p + 1; return SCAN_OK; }
    if (c == '\\') r = scan_escape(L, &p);
    else if (c == '{') r = scan_interp(L, &p, depth);
    else if (c < 0x80) { p++; continue; }
    else if ((n = lex_utf8(s + p, L->end - p, &cp)) != 0) { p += (size_t)n; continue; }
    else { bad_utf8(L, p); return SCAN_ERROR; }
    if (r != SCAN_OK) return r;
  }
  return SCAN_UNTERMINATED;
}

/* Steps over a checked escape at p (a backslash). */
static size_t skip_escape(const char *s, size_t p, size_t end) {
  if (p + 1 < end && s[p + 1] == 'u') {
    for (p += 2; p < end && s[p] != '}'; p++) {}
    return p < end ? p + 1 : end;
  }
  return p + 2 < end ? p + 2 : end;
}

static size_t skip_string(const char *s, size_t p, size_t end) {
  for (p++; p < end;) {
    if (s[p] == '"') return p + 1;
    if (s[p] == '\\') p = skip_escape(s, p, end);
    else if (s[p] == '{') p = lex_interp_end(s, p, end) + 1;
    else p++;
  }
  return end;
}

size_t lex_interp_end(const char *s, size_t open, size_t end) {
  size_t p = open + 1;
  int braces = 1;
  while (p < end) {
    if (s[p] == '"') { p = skip_string(s, p, end); continue; }
    if (s[p] == '{') braces++;
    else if (s[p] == '}' && --braces == 0) return p;
    p++;
  }
  return end;
}

size_t lex_next_interp(const char *s, size_t from, size_t to) {
  while (from < to && s[from] != '{')
    from = s[from] == '\\' ? skip_escape(s, from, to) : from + 1;
  return from < to ? from : to;
}

static size_t put_utf8(char *out, unsigned long cp) {
  if (cp < 0x80) { out[0] = (char)cp; return 1; }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

size_t lex_unescape(const char *s, size_t from, size_t to, char *out) {
  size_t n = 0;
  while (from < to) {
    char c = s[from];
    if (c != '\\' || from + 1 >= to) { out[n++] = c; from++; continue; }
    c = s[from + 1];
    from += 2;
    switch (c) {
    case 'n': out[n++] = '\n'; break;
    case 't': out[n++] = '\t'; break;
    case 'r': out[n++] = '\r'; break;
    case '0': out[n++] = '\0'; break;
    case 'u': {
      /* "\u{X}" is at least 5 bytes and yields at most 4, so out keeps up */
      unsigned long v = 0;
      for (from++; from < to && is_hex((unsigned char)s[from]); from++)
        v = v * 16 + hex_value((unsigned char)s[from]);
      from++; /* the '}' */
      n += put_utf8(out + n, v);
      break;
    }
    default: out[n++] = c; break; /* \\ \" \{ \} */
    }
  }
  return n;
}

/* A string whose text goes on after a line break with what reads as a
** statement ("abc<newline>let b = ") has probably lost its closing quote:
** the quotes after it are then all paired the wrong way round. */
static int runs_into_code(const Lexer *L, size_t from, size_t to) {
  static const char *const starts[] = {"let ", "var ", "fn ", "if ", "for ", "while ",
                                       "return", "import ", "kind ", "print("};
  const char *s = L->src, *nl = memchr(s + from, '\n', to - from);
  size_t p, k;
  if (nl == NULL) return 0;
  for (p = (size_t)(nl - s) + 1; p < to && (s[p] == ' ' || s[p] == '\t'); p++) {}
  for (k = 0; k < sizeof starts / sizeof *starts; k++) {
    size_t n = strlen(starts[k]);
    if (to - p > n && memcmp(s + p, starts[k], n) == 0) return 1;
  }
  return 0;
}

/* The input ends inside a string, and an earlier string ran on into code:
** that one is the string left open. */
static Token runaway_string(Lexer *L) {
  size_t open = L->runaway - 1, p;
  unsigned line = 1;
  for (p = 0; p < open; p++)
    if (L->src[p] == '\n') line++;
  return error_at(L, open, 1, 1, "the string on line %u is never closed: its closing "
                  "'\"' is probably missing at the end of that line", line);
}

size_t lex_regex_end(const char *s, size_t slash, size_t end) {
  size_t p = slash + 1;
  int in_class = 0;
  while (p < end && s[p] != '\n') {
    if (s[p] == '\\' && p + 1 < end && s[p + 1] != '\n') { p += 2; continue; }
    if (s[p] == '[') in_class = 1;
    else if (s[p] == ']') in_class = 0;
    else if (s[p] == '/' && !in_class) break;
    p++;
  }
  return p;
}

/* ---- tokens --------------------------------------------------------- */

static int suppress_newlines(const Lexer *L) {
  unsigned char top;
  if (L->nest == 0) return 0;
  top = L->nest <= LEX_MAX_BRACKETS ? L->brackets[L->nest - 1] : '(';
  return top == '(' || top == '[';
}

/* A line that is blank or holds code ends a run of doc comment lines. */
static void end_line(Lexer *L) {
  if (L->line_code || !L->line_comment) L->has_doc = 0;
  L->line_code = L->line_comment = 0;
}

static size_t scan_digits(const unsigned char *s, size_t p, size_t end) {
  while (p < end &&
         (IS_DIGIT(s[p]) || (s[p] == '_' && p + 1 < end && IS_DIGIT(s[p + 1]))))
    p++;
  return p;
}

/* The end of the number that starts at p: digits, a fraction, an exponent. */
static size_t number_end(const unsigned char *s, size_t p, size_t end) {
  size_t q;
  p = scan_digits(s, p, end);
  if (p + 1 < end && s[p] == '.' && IS_DIGIT(s[p + 1])) p = scan_digits(s, p + 1, end);
  if (p < end && (s[p] == 'e' || s[p] == 'E')) {
    q = p + 1;
    if (q < end && (s[q] == '+' || s[q] == '-')) q++;
    if (q < end && IS_DIGIT(s[q])) p = scan_digits(s, q, end);
  }
  return p;
}

/* `6,5` with nothing between: a Dutch decimal comma or two list items? Both
** are plausible, and guessing either gives a silently wrong number, so it is
** an error at the comma that names both readings. */
static Token decimal_comma(Lexer *L, size_t from, size_t comma) {
  const unsigned char *s = (const unsigned char *)L->src;
  size_t to = number_end(s, comma + 1, L->end), i;
  int a = comma - from > 24 ? 24 : (int)(comma - from);
  int b = to - comma - 1 > 24 ? 24 : (int)(to - comma - 1);
  const char *x = L->src + from, *y = L->src + comma + 1;
  int whole = 1; /* the part before the comma could take a decimal part */
  for (i = from; i < comma; i++)
    if (!IS_DIGIT(s[i]) && s[i] != '_') whole = 0;
  if (whole)
    return error_at(L, comma, 1, 0,
                    "'%.*s,%.*s' is ambiguous: write %.*s.%.*s for one number "
                    "(the decimal point is '.'), or %.*s, %.*s for two numbers",
                    a, x, b, y, a, x, b, y, a, x, b, y);
  return error_at(L, comma, 1, 0,
                  "'%.*s,%.*s' is ambiguous: write %.*s, %.*s for two numbers "
                  "(a comma is never a decimal point)", a, x, b, y, a, x, b, y);
}

static Token scan_number(Lexer *L, Token t) {
  const unsigned char *s = (const unsigned char *)L->src;
  size_t p = number_end(s, L->pos, L->end), i, n = 0;
  char small[128], *buf = small;
  if (p - L->pos + 1 > sizeof small) {
    buf = malloc(p - L->pos + 1);
    if (buf == NULL) return error_at(L, L->pos, p - L->pos, 0, "out of memory");
  }
  for (i = L->pos; i < p; i++)
    if (s[i] != '_') buf[n++] = (char)s[i];
  buf[n] = '\0';
  t.type = TK_NUMBER;
  t.number = kd_strtod(buf, NULL); /* overflow gives HUGE_VAL: accepted */
  if (buf != small) free(buf);
  t.span.len = (uint32_t)(p - L->pos);
  if (p + 1 < L->end && s[p] == ',' && IS_DIGIT(s[p + 1]))
    return decimal_comma(L, L->pos, p);
  L->pos = p;
  return t;
}

static Token scan_name(Lexer *L, Token t) {
  const unsigned char *s = (const unsigned char *)L->src;
  size_t p = L->pos, len;
  unsigned long cp;
  unsigned k;
  int n;
  while (p < L->end) {
    if (s[p] < 0x80) {
      if (!IS_ALNUM(s[p])) break;
      p++;
      continue;
    }
    if ((n = lex_utf8(s + p, L->end - p, &cp)) == 0) return bad_utf8(L, p);
    if (!is_letter(cp) && !(cp >= 0x300 && cp <= 0x36F && p > L->pos)) break;
    p += (size_t)n;
  }
  len = p - L->pos;
  t.type = TK_NAME;
  t.span.len = (uint32_t)len;
  for (k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
    if (strlen(keywords[k]) == len && memcmp(keywords[k], s + L->pos, len) == 0) {
      t.type = (TokenType)(TK_FIRST_KEYWORD + k);
      break;
    }
  L->pos = p;
  return t;
}

static void push_bracket(Lexer *L, unsigned char c) {
  if (L->nest < LEX_MAX_BRACKETS) L->brackets[L->nest] = c;
  if (L->nest < (unsigned)-1) L->nest++;
}

static void pop_bracket(Lexer *L) {
  if (L->nest > (L->sub ? 1u : 0u)) L->nest--;
}

Token lex_next(Lexer *L) {
  const unsigned char *s = (const unsigned char *)L->src;
  int space = L->pos == L->start || L->after_newline, n;
  unsigned long cp;
  size_t p;
  Token t;
  memset(&t, 0, sizeof t);
  if (L->last == TK_ERROR) { t.type = TK_ERROR; t.span = L->err_span; return t; }
  while (L->pos < L->end) {
    int c = s[L->pos];
    if (c == ' ' || c == '\t' || c == '\r') {
      space = 1;
      L->pos++;
    } else if (c == '\n') {
      end_line(L);
      L->after_newline = space = 1;
      if (!suppress_newlines(L) && L->last != TK_NEWLINE) {
        t.type = L->last = TK_NEWLINE;
        t.span.off = (uint32_t)L->pos++;
        t.span.len = 1;
        return t;
      }
      L->pos++;
    } else if (c == '#') {
      int shebang = L->pos == 0 && !L->sub && L->end > 1 && s[1] == '!';
      for (p = L->pos; p < L->end && s[p] != '\n'; p += (size_t)n)
        if ((n = lex_utf8(s + p, L->end - p, &cp)) == 0) return bad_utf8(L, p);
      if (!L->line_code && !shebang) {
        if (!L->has_doc) L->doc_start = L->pos;
        L->doc_end = p;
        L->has_doc = L->line_comment = 1;
      }
      space = 1;
      L->pos = p;
    } else {
      break;
    }
  }
  t.space_before = (unsigned char)space;
  t.newline_before = (unsigned char)L->after_newline;
  L->after_newline = 0;
  t.span.off = (uint32_t)L->pos;
  if (L->pos >= L->end) {
    t.type = L->last = TK_EOF;
    return t;
  }
  if (L->has_doc && !L->line_code) {
    t.doc.off = (uint32_t)L->doc_start;
    t.doc.len = (uint32_t)(L->doc_end - L->doc_start);
  }
  L->has_doc = 0;
  L->line_code = 1;
  p = L->pos;
  t.span.len = 1;
  switch (s[p]) {
  case '"': {
    size_t after = p;
    int r = scan_string(L, p, &after, 0);
    if (r == SCAN_UNTERMINATED && L->runaway)
      return runaway_string(L);
    if (r == SCAN_UNTERMINATED)
      return error_at(L, p, 1, 1, "unterminated string");
    if (r == SCAN_OK && runs_into_code(L, p, after)) L->runaway = p + 1;
    if (r == SCAN_ERROR) {
      t.type = TK_ERROR;
      t.span = L->err_span;
      return t;
    }
    t.type = TK_STRING;
    t.span.len = (uint32_t)(after - p);
    L->pos = after;
    break;
  }
  case '+': case '-': case '*': case '/': {
    static const TokenType plain[] = {TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH};
    static const TokenType assign[] = {TK_PLUS_ASSIGN, TK_MINUS_ASSIGN,
                                       TK_STAR_ASSIGN, TK_SLASH_ASSIGN};
    int k = s[p] == '+' ? 0 : s[p] == '-' ? 1 : s[p] == '*' ? 2 : 3;
    if (p + 1 < L->end && s[p + 1] == '=') { t.type = assign[k]; t.span.len = 2; }
    else t.type = plain[k];
    break;
  }
  case '=':
    if (p + 1 < L->end && s[p + 1] == '=') { t.type = TK_EQ; t.span.len = 2; }
    else if (p + 1 < L->end && s[p + 1] == '>') { t.type = TK_ARROW; t.span.len = 2; }
    else t.type = TK_ASSIGN;
    break;
  case '!':
    if (p + 1 < L->end && s[p + 1] == '=') { t.type = TK_NE; t.span.len = 2; break; }
    return unexpected_char(L, p, 1, '!');
  case '<': case '>': {
    int eq = p + 1 < L->end && s[p + 1] == '=';
    t.type = s[p] == '<' ? (eq ? TK_LE : TK_LT) : (eq ? TK_GE : TK_GT);
    t.span.len = eq ? 2 : 1;
    break;
  }
  case '(': t.type = TK_LPAREN; push_bracket(L, '('); break;
  case '[': t.type = TK_LBRACKET; push_bracket(L, '['); break;
  case '{': t.type = TK_LBRACE; push_bracket(L, '{'); break;
  case ')': t.type = TK_RPAREN; pop_bracket(L); break;
  case ']': t.type = TK_RBRACKET; pop_bracket(L); break;
  case '}': t.type = TK_RBRACE; pop_bracket(L); break;
  case '^': t.type = TK_CARET; break;
  case ',': t.type = TK_COMMA; break;
  case '.': t.type = TK_DOT; break;
  case ':': t.type = TK_COLON; break;
  case ';': t.type = TK_SEMI; break;
  case '%': t.type = TK_PERCENT; break;
  default:
    if (IS_DIGIT(s[p])) { t = scan_number(L, t); L->last = t.type; return t; }
    if (s[p] < 0x80) {
      if (IS_ALPHA(s[p])) { t = scan_name(L, t); L->last = t.type; return t; }
      return unexpected_char(L, p, 1, s[p]);
    }
    if ((n = lex_utf8(s + p, L->end - p, &cp)) == 0) return bad_utf8(L, p);
    if (is_letter(cp)) { t = scan_name(L, t); L->last = t.type; return t; }
    if (cp == 0x20AC) t.type = TK_EURO;
    else if (cp == 0xB7) t.type = TK_MIDDOT;
    else return unexpected_char(L, p, (size_t)n, cp);
    t.span.len = (uint32_t)n;
    break;
  }
  L->pos = p + t.span.len;
  L->last = t.type;
  return t;
}

/*
** csv.c — RFC 4180 CSV reader (see csv.h).
**
** Two passes over the bytes. The first checks the encoding (valid UTF-8, no
** NUL bytes), so the parser after it can count characters by skipping UTF-8
** continuation bytes. The second is the parser proper: a cursor that keeps
** the line and character column of the byte it is at, so every error can
** point at its place. Rows are collected in a growable array; the cells of
** the row being read live in a scratch array until the row is complete, so
** on an error everything owned is either in the table or in the scratch
** array, and one cleanup frees it all.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

typedef struct Parser {
  const char *src;
  size_t len;
  size_t pos;
  uint32_t line; /* 1-based line of src[pos] */
  uint32_t col;  /* characters before src[pos] on its line */
  char delim;    /* 0: nothing splits a line (single-column file) */
  CsvError *err;
  char *buf; /* a quoted field with its doubled quotes undone */
  size_t blen, bcap;
  char **cells; /* the row being read; owned until it moves into a row */
  CsvPlace *places; /* where each of those cells is */
  size_t ncells, ccap, pcap;
  CsvPlace row_end; /* just after the last field of the row read last */
  CsvTable *t;
  size_t rcap;
} Parser;

/* Names longer than this are cut in messages, so the message fits. */
enum { NAME_IN_MESSAGE = 120 };

static int fail(Parser *p, uint32_t line, uint32_t col, const char *fmt, ...) {
  va_list ap;
  p->err->line = line;
  p->err->column = col;
  p->err->place = col ? (CsvPlace){p->pos, line, col, 1} : (CsvPlace){0, 0, 0, 0};
  va_start(ap, fmt);
  vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
  va_end(ap);
  return -1;
}

static int out_of_memory(Parser *p) { return fail(p, 0, 0, "out of memory"); }

/* Returns ptr grown to hold `need` items of `size` bytes (capacity *cap),
** doubling so that appending stays linear; NULL when out of memory, and then
** ptr is untouched. */
static void *grow(void *ptr, size_t *cap, size_t need, size_t size) {
  size_t ncap = *cap ? *cap : 8;
  void *np;
  if (need <= *cap) return ptr;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2) return NULL;
    ncap *= 2;
  }
  if (ncap > SIZE_MAX / size) return NULL;
  np = realloc(ptr, ncap * size);
  if (np != NULL) *cap = ncap;
  return np;
}


/* ---- the cursor ---- */

static int peek(const Parser *p) {
  return p->pos < p->len ? (unsigned char)p->src[p->pos] : -1;
}

/* Moves past one byte. A line end is LF, CRLF or a lone CR; in CRLF the LF
** counts the line. UTF-8 continuation bytes are not characters of their own. */
static void advance(Parser *p) {
  unsigned char c = (unsigned char)p->src[p->pos++];
  if (c == '\n' || (c == '\r' && peek(p) != '\n')) {
    p->line++;
    p->col = 0;
  } else if ((c & 0xC0) != 0x80) {
    p->col++;
  }
}

static int at_line_end(const Parser *p) {
  int c = peek(p);
  return c == '\n' || c == '\r';
}

static int at_delim(const Parser *p) {
  return p->delim != 0 && peek(p) == (unsigned char)p->delim;
}

/* Where a field stops: the delimiter, a line end or the end of the input. */
static int at_field_end(const Parser *p) {
  return p->pos == p->len || at_delim(p) || at_line_end(p);
}

static void skip_line_end(Parser *p) {
  if (peek(p) == '\r') advance(p);
  if (peek(p) == '\n') advance(p);
}

/* Completely empty lines are not rows; the cursor still counts them. */
static void skip_empty_lines(Parser *p) {
  while (at_line_end(p)) skip_line_end(p);
}


/* ---- encoding ---- */

/* Length of the well-formed UTF-8 sequence at s[0..n), 0 if it is not one
** (stray continuation byte, overlong form, surrogate, past U+10FFFF, cut
** short). */
static size_t utf8_length(const unsigned char *s, size_t n) {
  unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
  size_t need, i;
  if (s[0] < 0x80) return 1;
  if (s[0] < 0xC2) return 0;
  if (s[0] < 0xE0) {
    need = 2;
  } else if (s[0] < 0xF0) {
    need = 3;
    if (s[0] == 0xE0) lo = 0xA0;
    if (s[0] == 0xED) hi = 0x9F;
  } else if (s[0] < 0xF5) {
    need = 4;
    if (s[0] == 0xF0) lo = 0x90;
    if (s[0] == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (n < need || s[1] < lo || s[1] > hi) return 0;
  for (i = 2; i < need; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  return need;
}

/* Checks the whole input before parsing; the cursor ends where it began. */
static int check_encoding(Parser *p) {
  size_t pos = p->pos;
  uint32_t line = p->line, col = p->col;
  while (p->pos < p->len) {
    const unsigned char *s = (const unsigned char *)p->src + p->pos;
    size_t n = utf8_length(s, p->len - p->pos);
    if (s[0] == 0) return fail(p, p->line, p->col + 1, "a NUL byte in the data");
    if (n == 0) return fail(p, p->line, p->col + 1, "invalid UTF-8");
    while (n-- > 0) advance(p);
  }
  p->pos = pos;
  p->line = line;
  p->col = col;
  return 0;
}


/* ---- fields and rows ---- */

static int add_cell(Parser *p, const char *s, size_t n, CsvPlace place) {
  char *cell;
  char **cells = grow(p->cells, &p->ccap, p->ncells + 1, sizeof *cells);
  if (cells == NULL) return out_of_memory(p);
  p->cells = cells;
  CsvPlace *places = grow(p->places, &p->pcap, p->ncells + 1, sizeof *places);
  if (places == NULL) return out_of_memory(p);
  p->places = places;
  p->places[p->ncells] = place;
  cell = malloc(n + 1);
  if (cell == NULL) return out_of_memory(p);
  if (n > 0) memcpy(cell, s, n);
  cell[n] = '\0';
  p->cells[p->ncells++] = cell;
  return 0;
}

static int append(Parser *p, const char *s, size_t n) {
  char *buf = grow(p->buf, &p->bcap, p->blen + n + 1, 1);
  if (buf == NULL) return out_of_memory(p);
  p->buf = buf;
  if (n > 0) memcpy(p->buf + p->blen, s, n);
  p->blen += n;
  return 0;
}

/* Where the field that starts at the cursor is (bytes: filled in later). */
static CsvPlace here(const Parser *p) { return (CsvPlace){p->pos, p->line, p->col + 1, 0}; }

static uint32_t bytes_since(const Parser *p, size_t start) {
  size_t n = p->pos - start;
  return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

static int read_unquoted(Parser *p) {
  size_t start = p->pos;
  CsvPlace place = here(p);
  while (!at_field_end(p)) {
    if (peek(p) == '"')
      return fail(p, p->line, p->col + 1,
                  "a quote in the middle of an unquoted field "
                  "(quote the whole field)");
    advance(p);
  }
  place.bytes = bytes_since(p, start);
  return add_cell(p, p->src + start, p->pos - start, place);
}

/* A field in quotes: may hold delimiters and line ends; "" is one quote. */
static int read_quoted(Parser *p) {
  uint32_t line = p->line, col = p->col + 1;
  size_t start = p->pos;
  p->blen = 0;
  advance(p); /* the opening quote */
  for (;;) {
    size_t run = p->pos;
    while (p->pos < p->len && p->src[p->pos] != '"') advance(p);
    if (append(p, p->src + run, p->pos - run)) return -1;
    if (p->pos == p->len) {
      fail(p, line, col, "unterminated quoted field");
      p->err->place.offset = start;
      return -1;
    }
    advance(p); /* the closing quote, or the first of a doubled one */
    if (peek(p) != '"') break;
    if (append(p, "\"", 1)) return -1;
    advance(p);
  }
  if (!at_field_end(p))
    return fail(p, p->line, p->col + 1, "unexpected text after a closing quote");
  return add_cell(p, p->buf, p->blen, (CsvPlace){start, line, col, bytes_since(p, start)});
}

/* Reads the row at the cursor (not at an empty line or the end) into the
** next slot of the table, and the line end after it. */
static int read_row(Parser *p) {
  CsvTable *t = p->t;
  CsvRow *row;
  if (t->count == UINT32_MAX) return fail(p, p->line, 0, "too many rows");
  row = grow(t->rows, &p->rcap, (size_t)t->count + 1, sizeof *row);
  if (row == NULL) return out_of_memory(p);
  t->rows = row;
  row = &t->rows[t->count];
  row->line = p->line;
  p->ncells = 0;
  for (;;) {
    int r;
    if (p->ncells == UINT32_MAX)
      return fail(p, row->line, 0, "too many fields in a row");
    r = peek(p) == '"' ? read_quoted(p) : read_unquoted(p);
    if (r != 0) return r;
    if (!at_delim(p)) break;
    advance(p);
  }
  p->row_end = here(p);
  skip_line_end(p);
  row->places = NULL;
  row->cells = malloc(p->ncells * sizeof *row->cells);
  if (row->cells == NULL) return out_of_memory(p);
  memcpy(row->cells, p->cells, p->ncells * sizeof *row->cells);
  row->places = malloc(p->ncells * sizeof *row->places);
  if (row->places == NULL) { /* the row owns the cells: free them with it */
    row->count = (uint32_t)p->ncells;
    p->ncells = 0;
    t->count++;
    return out_of_memory(p);
  }
  memcpy(row->places, p->places, p->ncells * sizeof *row->places);
  row->count = (uint32_t)p->ncells;
  p->ncells = 0; /* the row owns the cells now */
  t->count++;
  return 0;
}

/* The delimiter the header line uses most outside quotes; quotes toggle, so a
** doubled quote inside a quoted field changes nothing. 0 for neither. */
static char detect_delimiter(const Parser *p) {
  size_t commas = 0, semicolons = 0, i;
  int quoted = 0;
  for (i = p->pos; i < p->len; i++) {
    char c = p->src[i];
    if (c == '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c == '\n' || c == '\r') break;
    else if (c == ',') commas++;
    else if (c == ';') semicolons++;
  }
  if (semicolons > commas) return ';';
  return commas > 0 ? ',' : 0;
}


/* ---- the header ---- */

typedef struct Name {
  const char *s; /* trimmed */
  size_t n;
  uint32_t field; /* 1-based */
} Name;

static int same_name(const Name *a, const Name *b) {
  return a->n == b->n && memcmp(a->s, b->s, a->n) == 0;
}

/* By name, then by field number, so the first of equal names comes first. */
static int compare_names(const void *va, const void *vb) {
  const Name *a = va, *b = vb;
  int c = memcmp(a->s, b->s, a->n < b->n ? a->n : b->n);
  if (c != 0) return c;
  if (a->n != b->n) return a->n < b->n ? -1 : 1;
  return a->field < b->field ? -1 : a->field > b->field;
}

static Name trimmed(const char *s, uint32_t field) {
  Name nm;
  size_t n = strlen(s);
  while (n > 0 && *s == ' ') s++, n--;
  while (n > 0 && s[n - 1] == ' ') n--;
  nm.s = s;
  nm.n = n;
  nm.field = field;
  return nm;
}

/* The first field (in header order) that repeats an earlier name, 0 for none.
** Sorting keeps a header with thousands of columns fast. */
static uint32_t first_duplicate(Name *names, size_t n) {
  uint32_t first = 0;
  size_t i;
  qsort(names, n, sizeof *names, compare_names);
  for (i = 1; i < n; i++) {
    int second_of_group = same_name(&names[i], &names[i - 1]) &&
                          (i == 1 || !same_name(&names[i - 1], &names[i - 2]));
    if (second_of_group && (first == 0 || names[i].field < first))
      first = names[i].field;
  }
  return first;
}

static int duplicate_error(Parser *p, const Name *nm) {
  size_t n = nm->n;
  const char *more = "";
  if (n > NAME_IN_MESSAGE) { /* cut at a character boundary */
    n = NAME_IN_MESSAGE;
    while (n > 0 && ((unsigned char)nm->s[n] & 0xC0) == 0x80) n--;
    more = "...";
  }
  int r = fail(p, p->t->rows[0].line, nm->field,
               "duplicate column name '%.*s%s'", (int)n, nm->s, more);
  p->err->place = p->t->rows[0].places[nm->field - 1];
  return r;
}

/* Column names must be there and unique after trimming spaces. The error is
** the one for the leftmost bad column. */
static int check_header(Parser *p) {
  const CsvRow *h = &p->t->rows[0];
  uint32_t empty = 0, dup, i;
  size_t nnames = 0;
  Name *names = malloc(h->count * sizeof *names);
  if (names == NULL) return out_of_memory(p);
  for (i = 0; i < h->count; i++) {
    Name nm = trimmed(h->cells[i], i + 1);
    if (nm.n > 0) names[nnames++] = nm;
    else if (empty == 0) empty = i + 1;
  }
  dup = first_duplicate(names, nnames);
  if (dup != 0 && (empty == 0 || dup < empty)) {
    Name nm = trimmed(h->cells[dup - 1], dup);
    free(names);
    return duplicate_error(p, &nm);
  }
  free(names);
  if (empty != 0) {
    fail(p, h->line, empty, "column %lu has no name", (unsigned long)empty);
    p->err->place = h->places[empty - 1];
    return -1;
  }
  return 0;
}


/* ---- the table ---- */

static int check_width(Parser *p, const CsvRow *row) {
  uint32_t want = p->t->rows[0].count;
  if (row->count == want) return 0;
  fail(p, row->line, 0, "row has %lu field%s, the header has %lu",
       (unsigned long)row->count, row->count == 1 ? "" : "s", (unsigned long)want);
  /* the first field too many, or where the missing ones should be */
  p->err->place = row->count > want ? row->places[want] : p->row_end;
  return -1;
}

static int parse(Parser *p, char delimiter) {
  if (delimiter != 0 && delimiter != ',' && delimiter != ';')
    return fail(p, 0, 0, "the delimiter must be ',' or ';'");
  if (p->len >= 3 && memcmp(p->src, "\xEF\xBB\xBF", 3) == 0) p->pos = 3;
  if (check_encoding(p)) return -1;
  skip_empty_lines(p);
  if (p->pos == p->len) return fail(p, 0, 0, "the file is empty");
  p->delim = delimiter != 0 ? delimiter : detect_delimiter(p);
  if (read_row(p) || check_header(p)) return -1;
  for (;;) {
    skip_empty_lines(p);
    if (p->pos == p->len) break;
    if (read_row(p) || check_width(p, &p->t->rows[p->t->count - 1])) return -1;
  }
  p->t->delimiter = p->delim;
  return 0;
}

int csv_parse(const char *src, size_t len, char delimiter, CsvTable *out,
              CsvError *err) {
  CsvError spare;
  Parser p;
  int r;
  size_t i;
  if (err == NULL) err = &spare;
  err->line = err->column = 0;
  err->place = (CsvPlace){0, 0, 0, 0};
  err->message[0] = '\0';
  if (out == NULL) {
    snprintf(err->message, sizeof err->message, "no table to fill");
    return -1;
  }
  out->rows = NULL;
  out->count = 0;
  out->delimiter = 0;
  memset(&p, 0, sizeof p);
  p.src = src;
  p.len = src != NULL ? len : 0;
  p.line = 1;
  p.err = err;
  p.t = out;
  r = parse(&p, delimiter);
  for (i = 0; i < p.ncells; i++) free(p.cells[i]);
  free(p.cells);
  free(p.places);
  free(p.buf);
  if (r != 0) csv_free(out);
  return r;
}

void csv_free(CsvTable *t) {
  uint32_t i, j;
  if (t == NULL) return;
  for (i = 0; i < t->count; i++) {
    for (j = 0; j < t->rows[i].count; j++) free(t->rows[i].cells[j]);
    free(t->rows[i].cells);
    free(t->rows[i].places);
  }
  free(t->rows);
  t->rows = NULL;
  t->count = 0;
  t->delimiter = 0;
}


/* ---- numbers ---- */

/* The cell is rewritten as plain digits and a power of ten ("1.234,5" →
** "12345e-1") for strtod, so the result never depends on the C locale's
** decimal point, and strtod still does the correctly rounded conversion. */

/* Far past any double's exponent, and small enough that exponent arithmetic
** stays inside a long long. */
#define EXPONENT_CAP 1000000000LL

typedef struct NumText {
  char *d; /* digits, then the exponent */
  size_t n;
} NumText;

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Integer digits with optional thousands separators `group`: the first group
** 1–3 digits not starting with 0, every later one exactly 3. */
static const char *integer_part(const char *s, char group, NumText *t,
                                size_t *ndigits) {
  size_t run = 0, start = t->n;
  int grouped = 0;
  for (;; s++) {
    if (is_digit(*s)) {
      t->d[t->n++] = *s;
      run++;
    } else if (*s == group) {
      if (grouped ? run != 3 : (run == 0 || run > 3 || t->d[start] == '0'))
        return NULL;
      grouped = 1;
      run = 0;
    } else {
      break;
    }
  }
  if (grouped && run != 3) return NULL;
  *ndigits = t->n - start;
  return s;
}

/* "e", optional sign, digits; the value is capped (the result is 0 or
** infinite long before the cap matters). */
static const char *exponent_part(const char *s, long long *exp) {
  int neg = 0;
  long long e = 0;
  if (*s != 'e' && *s != 'E') return s;
  s++;
  if (*s == '+' || *s == '-') neg = *s++ == '-';
  if (!is_digit(*s)) return NULL;
  for (; is_digit(*s); s++)
    if (e < EXPONENT_CAP) e = e * 10 + (*s - '0');
  *exp = neg ? -e : e;
  return s;
}

static int number_text(const char *s, char decimal, NumText *t) {
  char group = decimal == ',' ? '.' : ',';
  size_t int_digits, frac_digits = 0;
  long long exp = 0;
  while (*s == ' ') s++;
  if (*s == '+' || *s == '-') t->d[t->n++] = *s++;
  s = integer_part(s, group, t, &int_digits);
  if (s == NULL) return -1;
  if (*s == decimal) {
    for (s++; is_digit(*s); s++, frac_digits++) t->d[t->n++] = *s;
    if (frac_digits == 0) return -1;
  }
  if (int_digits + frac_digits == 0) return -1;
  s = exponent_part(s, &exp);
  if (s == NULL) return -1;
  while (*s == ' ') s++;
  if (*s != '\0') return -1;
  if (frac_digits > EXPONENT_CAP) return -1; /* a billion decimals: no */
  t->n += (size_t)sprintf(t->d + t->n, "e%lld", exp - (long long)frac_digits);
  return 0;
}

int csv_number(const char *cell, char decimal, double *out) {
  char local[64], *end;
  NumText t;
  size_t len;
  int r = -1;
  double x;
  if (cell == NULL || out == NULL || (decimal != ',' && decimal != '.'))
    return -1;
  len = strlen(cell);
  /* the digits are at most the cell, plus "e-" and a capped exponent */
  t.d = len + 24 <= sizeof local ? local : malloc(len + 24);
  t.n = 0;
  if (t.d == NULL) return -1;
  if (number_text(cell, decimal, &t) == 0) {
    x = strtod(t.d, &end);
    if (end == t.d + t.n && isfinite(x)) {
      *out = x;
      r = 0;
    }
  }
  if (t.d != local) free(t.d);
  return r;
}

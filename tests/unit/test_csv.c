/*
** test_csv.c — the CSV reader: delimiters and their detection, BOM, line
** ends, quoting, empty lines, every error with its line and column, number
** cells in Dutch and English notation, a round trip of random tables and a
** loop of random and mutated inputs that must never crash.
**
** Every input goes through an exact-size heap copy without a NUL after it,
** so ASan reports any read past len.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"

/* A string literal as (pointer, length), so literals may hold NUL bytes. */
#define S(lit) lit, sizeof(lit) - 1

static int parse(const char *text, size_t len, char delim, CsvTable *t,
                 CsvError *e) {
  char *copy = malloc(len > 0 ? len : 1);
  int r;
  assert_non_null(copy);
  if (len > 0) memcpy(copy, text, len);
  r = csv_parse(copy, len, delim, t, e);
  free(copy); /* the table must not point into the input */
  return r;
}

/* Parses text that must be valid. */
static CsvTable ok(const char *text, size_t len, char delim) {
  CsvTable t;
  CsvError e;
  int r = parse(text, len, delim, &t, &e);
  if (r != 0) print_error("unexpected error %u:%u %s\n", e.line, e.column,
                          e.message);
  assert_int_equal(r, 0);
  return t;
}

/* Checks one row: its line, its cells (n strings follow). */
static void row_is(const CsvTable *t, uint32_t i, uint32_t line, uint32_t n,
                   ...) {
  va_list ap;
  uint32_t j;
  assert_true(i < t->count);
  assert_int_equal(t->rows[i].line, line);
  assert_int_equal(t->rows[i].count, n);
  va_start(ap, n);
  for (j = 0; j < n; j++) assert_string_equal(t->rows[i].cells[j], va_arg(ap, const char *));
  va_end(ap);
}

/* Parses text that must fail with exactly this error, leaving *out empty. */
static void fails(const char *text, size_t len, char delim, uint32_t line,
                  uint32_t column, const char *message) {
  CsvTable t = {(CsvRow *)&t, 99, 'x'}; /* garbage that must be cleared */
  CsvError e;
  assert_int_equal(parse(text, len, delim, &t, &e), -1);
  assert_string_equal(e.message, message);
  assert_int_equal(e.line, line);
  assert_int_equal(e.column, column);
  assert_null(t.rows);
  assert_int_equal(t.count, 0);
}

/* ---- delimiters ---- */

static void test_comma(void **state) {
  CsvTable t = ok(S("naam,uren\nOverleg,3\nKennis,4\n"), ',');
  (void)state;
  assert_int_equal(t.count, 3);
  assert_int_equal(t.delimiter, ',');
  row_is(&t, 0, 1, 2, "naam", "uren");
  row_is(&t, 1, 2, 2, "Overleg", "3");
  row_is(&t, 2, 3, 2, "Kennis", "4");
  csv_free(&t);
  assert_null(t.rows);
  assert_int_equal(t.count, 0);
}

static void test_semicolon(void **state) {
  CsvTable t = ok(S("taak;uren;kosten\nOverleg;3,5;1.234,50\n"), ';');
  (void)state;
  assert_int_equal(t.delimiter, ';');
  row_is(&t, 1, 2, 3, "Overleg", "3,5", "1.234,50");
  csv_free(&t);
}

static void test_explicit_delimiter_wins(void **state) {
  /* given ',', a ';' is just text */
  CsvTable t = ok(S("a;b,c\n1;2,3\n"), ',');
  (void)state;
  row_is(&t, 0, 1, 2, "a;b", "c");
  row_is(&t, 1, 2, 2, "1;2", "3");
  csv_free(&t);
}

static void test_detection(void **state) {
  CsvTable t;
  (void)state;
  t = ok(S("a;b;c\n1,5;2,5;3\n"), 0); /* data commas do not count */
  assert_int_equal(t.delimiter, ';');
  row_is(&t, 1, 2, 3, "1,5", "2,5", "3");
  csv_free(&t);

  t = ok(S("a,b\n1;2,3\n"), 0);
  assert_int_equal(t.delimiter, ',');
  row_is(&t, 1, 2, 2, "1;2", "3");
  csv_free(&t);

  t = ok(S("a,b;c\n1,2;3\n"), 0); /* a tie: ',' */
  assert_int_equal(t.delimiter, ',');
  row_is(&t, 0, 1, 2, "a", "b;c");
  csv_free(&t);

  t = ok(S("a;b;c,d\n1;2;3,4\n"), 0);
  assert_int_equal(t.delimiter, ';');
  row_is(&t, 0, 1, 3, "a", "b", "c,d");
  csv_free(&t);
}

static void test_detection_ignores_quoted(void **state) {
  CsvTable t;
  (void)state;
  /* two ';' outside quotes, four ',' inside them */
  t = ok(S("\"Kosten, totaal\";\"Uren, per week\";\"a,b,\"\"c\"\"\"\n1;2;3\n"), 0);
  assert_int_equal(t.delimiter, ';');
  row_is(&t, 0, 1, 3, "Kosten, totaal", "Uren, per week", "a,b,\"c\"");
  csv_free(&t);

  t = ok(S("\"a;b\",\"c;d;e\"\n1,2\n"), 0); /* all the ';' are quoted */
  assert_int_equal(t.delimiter, ',');
  row_is(&t, 0, 1, 2, "a;b", "c;d;e");
  csv_free(&t);

  t = ok(S("\"x,y,z\"\n1,5\n"), 0); /* only quoted ones: single column */
  assert_int_equal(t.delimiter, 0);
  row_is(&t, 1, 2, 1, "1,5");
  csv_free(&t);
}

static void test_detection_multiline_header(void **state) {
  /* the header record spans two lines; the ';' on line 2 is outside quotes */
  CsvTable t = ok(S("\"naam,\nvolledig\";x;y\n1;2;3\n"), 0);
  (void)state;
  assert_int_equal(t.delimiter, ';');
  row_is(&t, 0, 1, 3, "naam,\nvolledig", "x", "y");
  row_is(&t, 1, 3, 3, "1", "2", "3");
  csv_free(&t);
}

static void test_single_column(void **state) {
  /* neither delimiter in the header: lines are not split at all */
  CsvTable t = ok(S("bedrag\n1,5\n2;5\n\"3\"\n"), 0);
  (void)state;
  assert_int_equal(t.delimiter, 0);
  assert_int_equal(t.count, 4);
  row_is(&t, 0, 1, 1, "bedrag");
  row_is(&t, 1, 2, 1, "1,5");
  row_is(&t, 2, 3, 1, "2;5");
  row_is(&t, 3, 4, 1, "3");
  csv_free(&t);

  /* a given delimiter still splits */
  fails(S("bedrag\n1,5\n"), ',', 2, 0, "row has 2 fields, the header has 1");
}

/* ---- BOM, line ends, empty lines ---- */

static void test_bom(void **state) {
  CsvTable t = ok(S("\xEF\xBB\xBFnaam;uren\nA;1\n"), 0);
  (void)state;
  assert_int_equal(t.delimiter, ';');
  row_is(&t, 0, 1, 2, "naam", "uren"); /* not "\xEF\xBB\xBFnaam" */
  csv_free(&t);

  /* columns on line 1 count from after the BOM */
  fails(S("\xEF\xBB\xBF" "ab\"c\n"), 0, 1, 3,
        "a quote in the middle of an unquoted field (quote the whole field)");
  /* a BOM alone is an empty file; a BOM later on is data */
  fails(S("\xEF\xBB\xBF"), 0, 0, 0, "the file is empty");
  t = ok(S("a\n\xEF\xBB\xBFx\n"), 0);
  row_is(&t, 1, 2, 1, "\xEF\xBB\xBFx");
  csv_free(&t);
}

static void test_line_ends(void **state) {
  static const char *texts[] = {"a,b\n1,2\n3,4\n", "a,b\r\n1,2\r\n3,4\r\n",
                                "a,b\r1,2\r3,4\r", "a,b\r\n1,2\r3,4\n",
                                "a,b\n1,2\n3,4", "a,b\r\n1,2\r\n3,4"};
  size_t i;
  (void)state;
  for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    CsvTable t = ok(texts[i], strlen(texts[i]), 0);
    assert_int_equal(t.count, 3);
    row_is(&t, 0, 1, 2, "a", "b");
    row_is(&t, 1, 2, 2, "1", "2");
    row_is(&t, 2, 3, 2, "3", "4");
    csv_free(&t);
  }
}

static void test_empty_lines(void **state) {
  CsvTable t = ok(S("\n\r\na,b\n\n1,2\r\n\r\n\r3,4\n\n"), 0);
  (void)state;
  assert_int_equal(t.count, 3);
  row_is(&t, 0, 3, 2, "a", "b");
  row_is(&t, 1, 5, 2, "1", "2");
  row_is(&t, 2, 8, 2, "3", "4");
  csv_free(&t);

  /* line numbers of errors keep counting the empty lines */
  fails(S("a,b\n\n\n1,2,3\n"), 0, 4, 0, "row has 3 fields, the header has 2");
}

static void test_delimiters_only(void **state) {
  CsvTable t = ok(S("a;b;c\n;;\n;;"), 0);
  (void)state;
  assert_int_equal(t.count, 3);
  row_is(&t, 1, 2, 3, "", "", "");
  row_is(&t, 2, 3, 3, "", "", "");
  csv_free(&t);

  t = ok(S("a,b\n1,\n,2\n"), 0); /* empty first or last field */
  row_is(&t, 1, 2, 2, "1", "");
  row_is(&t, 2, 3, 2, "", "2");
  csv_free(&t);
}

static void test_spaces_kept(void **state) {
  CsvTable t = ok(S(" a , b \n 1 ,2  \n   \t,\t\n"), 0);
  (void)state;
  row_is(&t, 0, 1, 2, " a ", " b ");
  row_is(&t, 1, 2, 2, " 1 ", "2  ");
  row_is(&t, 2, 3, 2, "   \t", "\t");
  csv_free(&t);

  /* one column: a line of spaces is a row, not an empty line */
  t = ok(S("a\n  \n"), 0);
  assert_int_equal(t.count, 2);
  row_is(&t, 1, 2, 1, "  ");
  csv_free(&t);
}

static void test_header_only(void **state) {
  CsvTable t;
  (void)state;
  t = ok(S("a;b"), 0);
  assert_int_equal(t.count, 1);
  row_is(&t, 0, 1, 2, "a", "b");
  csv_free(&t);
  t = ok(S("a;b\r\n\r\n"), 0);
  assert_int_equal(t.count, 1);
  csv_free(&t);
}

/* ---- quoting ---- */

static void test_quoted(void **state) {
  CsvTable t = ok(S("naam,opmerking\n\"Jansen, P.\",\"zegt \"\"ja\"\"\"\n"
                    "\"\",\"\"\"\"\n\"x\",y\n"),
                  0);
  (void)state;
  row_is(&t, 1, 2, 2, "Jansen, P.", "zegt \"ja\"");
  row_is(&t, 2, 3, 2, "", "\"");
  row_is(&t, 3, 4, 2, "x", "y");
  csv_free(&t);

  t = ok(S("a;b\n\"1;2\";\"3,4\"\n"), 0);
  row_is(&t, 1, 2, 2, "1;2", "3,4");
  csv_free(&t);

  t = ok(S("a,b\n1,\"x\""), 0); /* closing quote at the end of the input */
  row_is(&t, 1, 2, 2, "1", "x");
  csv_free(&t);
}

static void test_quoted_newlines(void **state) {
  CsvTable t = ok(S("a,b\n\"regel 1\nregel 2\r\nregel 3\rregel 4\",x\n"
                    "volgende,\"\n\"\nlaatste,z\n"),
                  0);
  (void)state;
  assert_int_equal(t.count, 4);
  /* line ends inside quotes are kept as written; the row keeps its start line */
  row_is(&t, 1, 2, 2, "regel 1\nregel 2\r\nregel 3\rregel 4", "x");
  row_is(&t, 2, 6, 2, "volgende", "\n");
  row_is(&t, 3, 8, 2, "laatste", "z");
  csv_free(&t);

  /* an empty line inside quotes is data, not skipped */
  t = ok(S("a\n\"\n\n\"\nb\n"), 0);
  row_is(&t, 1, 2, 1, "\n\n");
  row_is(&t, 2, 5, 1, "b");
  csv_free(&t);
}

static void test_utf8_cells(void **state) {
  CsvTable t = ok(S("gemeente;bedrag\n's-Hertogenbosch;\xE2\x82\xAC 5\n"
                    "Zoë;\xF0\x9F\x98\x80\n"),
                  0);
  (void)state;
  row_is(&t, 1, 2, 2, "'s-Hertogenbosch", "\xE2\x82\xAC 5");
  row_is(&t, 2, 3, 2, "Zoë", "\xF0\x9F\x98\x80");
  csv_free(&t);
}

/* ---- errors ---- */

static void test_error_empty(void **state) {
  (void)state;
  fails(S(""), 0, 0, 0, "the file is empty");
  fails(S("\n\r\n\r"), ';', 0, 0, "the file is empty");
  {
    CsvTable t;
    CsvError e;
    assert_int_equal(csv_parse(NULL, 0, 0, &t, &e), -1);
    assert_string_equal(e.message, "the file is empty");
  }
}

static void test_error_bad_delimiter(void **state) {
  (void)state;
  fails(S("a\tb\n"), '\t', 0, 0, "the delimiter must be ',' or ';'");
}

static void test_error_invalid_utf8(void **state) {
  (void)state;
  /* column counts characters: "é" is one */
  fails(S("a,b\nné,\xFF\n"), 0, 2, 4, "invalid UTF-8");
  fails(S("\xC3"), 0, 1, 1, "invalid UTF-8");                  /* cut short */
  fails(S("a\nxy\xE2\x82"), 0, 2, 3, "invalid UTF-8");         /* cut short */
  fails(S("a\n\x80"), 0, 2, 1, "invalid UTF-8");               /* stray */
  fails(S("a\n\xC0\xAF"), 0, 2, 1, "invalid UTF-8");           /* overlong */
  fails(S("a\n\xE0\x80\xAF"), 0, 2, 1, "invalid UTF-8");       /* overlong */
  fails(S("a\n\xED\xA0\x80"), 0, 2, 1, "invalid UTF-8");       /* surrogate */
  fails(S("a\n\xF4\x90\x80\x80"), 0, 2, 1, "invalid UTF-8");   /* > U+10FFFF */
  fails(S("a\n\xF5\x80\x80\x80"), 0, 2, 1, "invalid UTF-8");
  fails(S("a\nb\xC3(\n"), 0, 2, 2, "invalid UTF-8");
  /* lines count the same way as in the parser: CR, CRLF and inside quotes */
  fails(S("a\r1\r\n\"x\ny\"\xFE\n"), 0, 4, 3, "invalid UTF-8");
  /* the encoding is checked before anything else */
  fails(S("a,b\n1,2,3\n\xFF"), 0, 3, 1, "invalid UTF-8");
  /* a broken BOM is not skipped */
  fails(S("\xEF\xBB" "a\n"), 0, 1, 1, "invalid UTF-8");
}

static void test_error_nul(void **state) {
  (void)state;
  fails(S("a,b\n1,x\0y\n"), 0, 2, 4, "a NUL byte in the data");
  fails(S("a,b\n1,\"x\0\"\n"), 0, 2, 5, "a NUL byte in the data");
  fails(S("\0"), 0, 1, 1, "a NUL byte in the data");
}

static void test_error_quote_in_unquoted(void **state) {
  (void)state;
  fails(S("a,b\n1,2\"3\n"), 0, 2, 4,
        "a quote in the middle of an unquoted field (quote the whole field)");
  fails(S("a,b\n1, \"x\"\n"), 0, 2, 4, /* a space before the quote */
        "a quote in the middle of an unquoted field (quote the whole field)");
  fails(S("ab\"\n"), 0, 1, 3,
        "a quote in the middle of an unquoted field (quote the whole field)");
  fails(S("a,b\nzoë\",x\n"), 0, 2, 4, /* character column, not byte */
        "a quote in the middle of an unquoted field (quote the whole field)");
}

static void test_error_after_closing_quote(void **state) {
  (void)state;
  fails(S("a,b\n\"x\"y,1\n"), 0, 2, 4, "unexpected text after a closing quote");
  fails(S("a,b\n1,\"x\" \n"), 0, 2, 6, "unexpected text after a closing quote");
  /* after a multi-line field the column is on the line of the closing quote */
  fails(S("a,b\n1,\"x\nyz\"!\n"), 0, 3, 4, "unexpected text after a closing quote");
  /* in a single-column file a ';' is text too */
  fails(S("a\n\"x\";\n"), 0, 2, 4, "unexpected text after a closing quote");
}

static void test_error_unterminated(void **state) {
  (void)state;
  fails(S("a,b\n1,\"abc\n\ndef"), 0, 2, 3, "unterminated quoted field");
  fails(S("a,b\n1,\"abc\"\"\n"), 0, 2, 3, "unterminated quoted field");
  fails(S("\"a"), 0, 1, 1, "unterminated quoted field");
  fails(S("a;b\n\n\nx;\""), 0, 4, 3, "unterminated quoted field");
  fails(S("a;b\nzoë;\""), 0, 2, 5, "unterminated quoted field");
}

static void test_error_field_count(void **state) {
  (void)state;
  fails(S("a,b,c\n1,2\n"), 0, 2, 0, "row has 2 fields, the header has 3");
  fails(S("a,b,c\n1,2,3\n1,2,3,4"), 0, 3, 0, "row has 4 fields, the header has 3");
  fails(S("a,b\n1\n"), 0, 2, 0, "row has 1 field, the header has 2");
  /* the line of a row is where it starts */
  fails(S("a,b\n\"x\ny\"\n"), 0, 2, 0, "row has 1 field, the header has 2");
  fails(S("a;b\r\n\r\n1;2;\r\n"), 0, 3, 0, "row has 3 fields, the header has 2");
}

static void test_error_header_names(void **state) {
  (void)state;
  fails(S("a,b,a\n1,2,3\n"), 0, 1, 3, "duplicate column name 'a'");
  fails(S("uren; uren \n1;2\n"), 0, 1, 2, "duplicate column name 'uren'");
  fails(S("x,a,b,a,b\n"), 0, 1, 4, "duplicate column name 'a'");
  fails(S("x,b,a,b,a\n"), 0, 1, 4, "duplicate column name 'b'");
  fails(S("a,,b\n1,2,3\n"), 0, 1, 2, "column 2 has no name");
  fails(S("a,b,  \n1,2,3\n"), 0, 1, 3, "column 3 has no name");
  fails(S("\"\"\n1\n"), 0, 1, 1, "column 1 has no name");
  fails(S(",\n"), 0, 1, 1, "column 1 has no name");
  /* the leftmost problem wins */
  fails(S("a,a,,\n"), 0, 1, 2, "duplicate column name 'a'");
  fails(S("a,,a\n"), 0, 1, 2, "column 2 has no name");
  /* on the header's own line, after empty lines */
  fails(S("\n\nq;q\n"), 0, 3, 2, "duplicate column name 'q'");
  /* names differ in case or inner spaces: fine */
  {
    CsvTable t = ok(S("Naam,naam,na am,n aam\n"), 0);
    csv_free(&t);
  }
}

/* ---- places: where each cell and each error is, for a caret ---- */

static void place_is(CsvPlace p, size_t offset, uint32_t line, uint32_t column,
                     uint32_t bytes) {
  assert_int_equal(p.offset, offset);
  assert_int_equal(p.line, line);
  assert_int_equal(p.column, column);
  assert_int_equal(p.bytes, bytes);
}

static CsvPlace error_place(const char *text, size_t len) {
  CsvTable t;
  CsvError e;
  assert_int_equal(parse(text, len, 0, &t, &e), -1);
  return e.place;
}

static void test_places(void **state) {
  (void)state;
  /* a quoted cell with its quotes, one over two lines, "é" one column */
  CsvTable t = ok(S("a;b\n\xC3\xA9;\"x\ny\"\n;\"\"\n"), 0);
  place_is(t.rows[0].places[1], 2, 1, 3, 1);
  place_is(t.rows[1].places[0], 4, 2, 1, 2);
  place_is(t.rows[1].places[1], 7, 2, 3, 5);
  place_is(t.rows[2].places[0], 13, 4, 1, 0);  /* an empty cell */
  place_is(t.rows[2].places[1], 14, 4, 2, 2);
  csv_free(&t);
  /* errors: a field of the header, the first field too many, the end of a
  ** short row, the opening quote of an unterminated field, a bad byte */
  place_is(error_place(S("a,b,a\n")), 4, 1, 5, 1);
  place_is(error_place(S("a,,b\n")), 2, 1, 3, 0);
  place_is(error_place(S("a,b\n1,2,33,4\n")), 8, 2, 5, 2);
  place_is(error_place(S("a,b\n1\n")), 5, 2, 2, 0);
  place_is(error_place(S("a,b\n1,\"x\n")), 6, 2, 3, 1);
  place_is(error_place(S("a,b\n1,\xFF\n")), 6, 2, 3, 1);
  /* nowhere to point: an empty file */
  assert_int_equal(error_place(S("\n\n")).line, 0);
}

static void test_error_long_duplicate_name(void **state) {
  char text[1000], want[200];
  size_t n = 0, i;
  CsvTable t;
  CsvError e;
  (void)state;
  for (int k = 0; k < 2; k++) {
    for (i = 0; i < 150; i++) {
      memcpy(text + n, "\xC3\xAB", 2); /* ë: the cut must not split it */
      n += 2;
    }
    text[n++] = k == 0 ? ',' : '\n';
  }
  assert_int_equal(parse(text, n, 0, &t, &e), -1);
  assert_int_equal(e.line, 1);
  assert_int_equal(e.column, 2);
  strcpy(want, "duplicate column name '");
  for (i = 0; i < 60; i++) strcat(want, "\xC3\xAB");
  strcat(want, "...'");
  assert_string_equal(e.message, want);
}

static void test_null_err_and_out(void **state) {
  CsvTable t;
  CsvError e;
  (void)state;
  assert_int_equal(csv_parse("a,\"", 3, 0, &t, NULL), -1);
  assert_null(t.rows);
  assert_int_equal(csv_parse("a", 1, 0, NULL, &e), -1);
  csv_free(NULL);
}

/* ---- numbers ---- */

static void number_is(const char *cell, char decimal, double want) {
  double x = -12345.678;
  if (csv_number(cell, decimal, &x) != 0)
    print_error("csv_number(\"%s\", '%c') failed\n", cell, decimal);
  assert_int_equal(csv_number(cell, decimal, &x), 0);
  if (x != want) print_error("csv_number(\"%s\", '%c') = %.17g, want %.17g\n",
                             cell, decimal, x, want);
  assert_true(x == want);
}

static void not_number(const char *cell, char decimal) {
  double x = 42;
  if (csv_number(cell, decimal, &x) != -1)
    print_error("csv_number(\"%s\", '%c') accepted it\n", cell, decimal);
  assert_int_equal(csv_number(cell, decimal, &x), -1);
  assert_true(x == 42); /* untouched */
}

static void test_number_dutch(void **state) {
  (void)state;
  number_is("3", ',', 3);
  number_is("3,5", ',', 3.5);
  number_is("-2,25", ',', -2.25);
  number_is("+0,5", ',', 0.5);
  number_is(",5", ',', 0.5);
  number_is("1.234,5", ',', 1234.5);
  number_is("1.234", ',', 1234);
  number_is("12.345.678,90", ',', 12345678.90);
  number_is("-1.000.000", ',', -1000000);
  number_is("999.999,999", ',', 999999.999);
  number_is("0,1", ',', 0.1);
  number_is("3378,96", ',', 3378.96);
  number_is("007", ',', 7);
  number_is("  12,88  ", ',', 12.88);
  number_is("1,5e3", ',', 1500);
  number_is("1.234,5E-2", ',', 12.345);
  number_is("2e+2", ',', 200);
}

static void test_number_english(void **state) {
  (void)state;
  number_is("3.5", '.', 3.5);
  number_is("1,234.5", '.', 1234.5);
  number_is("1,234", '.', 1234);
  number_is("-12,345,678.25", '.', -12345678.25);
  number_is(".25", '.', 0.25);
  number_is("1e-3", '.', 0.001);
  number_is("6.02214076E23", '.', 6.02214076e23);
  number_is("0.1", '.', 0.1);
  number_is("0.30000000000000004", '.', 0.30000000000000004);
  number_is("1.7976931348623157e308", '.', 1.7976931348623157e308);
  number_is("4.9e-324", '.', 4.9e-324);
  number_is("1e-400", '.', 0); /* too small: rounds to zero */
  number_is(" 7 ", '.', 7);
}

static void test_number_zero_sign(void **state) {
  double x = 1;
  (void)state;
  assert_int_equal(csv_number("-0", ',', &x), 0);
  assert_true(x == 0);
  assert_true(1 / x < 0); /* -0 stays -0 */
}

static void test_number_long(void **state) {
  char cell[700];
  (void)state;
  /* more digits than any stack buffer */
  memset(cell, '0', sizeof cell);
  cell[0] = '0';
  cell[1] = ',';
  cell[600] = '1';
  cell[601] = 'e';
  cell[602] = '5';
  cell[603] = '9';
  cell[604] = '9';
  cell[605] = '\0';
  number_is(cell, ',', 1); /* 0,000…01 (599 decimals) × 10^599 */
  cell[1] = '.';
  not_number(cell, ','); /* 0.000 is not a thousands group */
  number_is("123456789012345678901234567890", '.', 123456789012345678901234567890.0);
}

static void test_number_garbage(void **state) {
  (void)state;
  not_number("zes", ',');
  not_number("", ',');
  not_number("   ", ',');
  not_number("12,5,3", ',');
  not_number("12,5,3", '.');
  not_number("1.23.4", '.');
  not_number("1.23.4", ',');
  not_number("-", ',');
  not_number("+", '.');
  not_number(",", ',');
  not_number(".", '.');
  not_number("5,", ',');  /* a decimal mark needs digits after it */
  not_number("5.", '.');
  not_number("+-5", '.');
  not_number("--5", '.');
  not_number("- 5", '.');
  not_number("5 0", '.');
  not_number("5-", '.');
  not_number("1e", '.');
  not_number("1e+", '.');
  not_number("e5", '.');
  not_number("1e5.5", '.');
  not_number("1e1,000", '.');
  not_number("inf", '.');
  not_number("nan", '.');
  not_number("0x10", '.');
  not_number("1e999", '.'); /* too large for a double */
  not_number("-1e400", '.');
  not_number("3 h", '.');
  not_number("\xE2\x82\xAC 5", '.');
  not_number("5%", '.');
  not_number("\t5", '.');
  not_number("1,5", '.'); /* 1,5 is no thousands group */
  not_number("3,5", '.');
  not_number("1.5", ',');
  not_number("5", 'x');   /* an unknown decimal mark */
  not_number("5", ';');
}

static void test_number_groups(void **state) {
  (void)state;
  not_number("1.23,5", ',');   /* a group of 2 */
  not_number("1.2345,5", ','); /* a group of 4 */
  not_number("1234.567", ','); /* a first group of 4 */
  not_number(".123", ',');     /* no first group */
  not_number("1..234", ',');
  not_number("1.234.", ',');
  not_number("1.", ',');
  not_number("1.234.5", ',');
  not_number("0.500", ',');    /* English notation in a Dutch file */
  not_number("01.234", ',');
  not_number("1.234e3.000", ',');
  not_number("1,234,5", '.');
  not_number("1,234.5,6", '.');
  not_number(",234", '.');
  not_number("1,234,", '.');
  not_number("1,2345.0", '.');
  not_number("1,234.567,8", '.');
  number_is("123.456", ',', 123456);
  number_is("12.456", ',', 12456);
  number_is("1.234e3", ',', 1234000);
  number_is("1,000,000.5", '.', 1000000.5);
  number_is("0", ',', 0);
  number_is("0,000", ',', 0);
}

static void test_number_null(void **state) {
  double x;
  (void)state;
  assert_int_equal(csv_number(NULL, ',', &x), -1);
  assert_int_equal(csv_number("1", ',', NULL), -1);
}

/* ---- random tables, written and read back ---- */

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint32_t next(void) { /* xorshift64*: reproducible, good enough */
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return (uint32_t)((rng * 2685821657736338717u) >> 32);
}

typedef struct Text {
  char *s;
  size_t n, cap;
} Text;

static void put(Text *t, const char *s, size_t n) {
  if (t->n + n > t->cap) {
    t->cap = (t->n + n) * 2 + 64;
    t->s = realloc(t->s, t->cap);
    assert_non_null(t->s);
  }
  memcpy(t->s + t->n, s, n);
  t->n += n;
}

static void random_cell(char *cell, size_t cap) {
  static const char *pieces[] = {"a", "7", " ", ",", ";", "\"", "\n",
                                 "\r\n", "\r", "\xC3\xAB", "\xE2\x82\xAC", "x"};
  size_t n = 0, k = next() % 6;
  while (k-- > 0) {
    const char *p = pieces[next() % (sizeof pieces / sizeof pieces[0])];
    if (n + strlen(p) + 1 > cap) break;
    memcpy(cell + n, p, strlen(p));
    n += strlen(p);
  }
  cell[n] = '\0';
}

/* Quotes a cell when it must be (and sometimes when it need not be). */
static void put_cell(Text *t, const char *cell, char delim, int alone) {
  int must = strchr(cell, delim) || strchr(cell, '"') || strchr(cell, '\n') ||
             strchr(cell, '\r') || (alone && cell[0] == '\0');
  size_t i;
  if (!must && next() % 4 != 0) {
    put(t, cell, strlen(cell));
    return;
  }
  put(t, "\"", 1);
  for (i = 0; cell[i]; i++) {
    if (cell[i] == '"') put(t, "\"", 1);
    put(t, cell + i, 1);
  }
  put(t, "\"", 1);
}

static uint32_t count_lines(const char *s, size_t n) {
  uint32_t lines = 0;
  size_t i;
  for (i = 0; i < n; i++)
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n')))
      lines++;
  return lines;
}

static void test_round_trip(void **state) {
  enum { MAX_ROWS = 8, MAX_COLS = 5 };
  static const char *ends[] = {"\n", "\r\n", "\r"};
  int iter;
  (void)state;
  for (iter = 0; iter < 3000; iter++) {
    char cells[MAX_ROWS][MAX_COLS][40];
    uint32_t lines[MAX_ROWS];
    uint32_t ncols = 1 + next() % MAX_COLS, nrows = 1 + next() % MAX_ROWS;
    char delim = next() % 2 ? ',' : ';';
    Text text = {NULL, 0, 0};
    uint32_t r, c;
    CsvTable t;
    if (next() % 3 == 0) put(&text, "\xEF\xBB\xBF", 3);
    for (r = 0; r < nrows; r++) {
      const char *end = ends[next() % 3];
      while (next() % 5 == 0) put(&text, end, strlen(end)); /* empty lines */
      lines[r] = count_lines(text.s, text.n) + 1;
      for (c = 0; c < ncols; c++) {
        if (r == 0) snprintf(cells[r][c], 40, "k%u ,;", c); /* always quoted */
        else random_cell(cells[r][c], 40);
        if (c > 0) put(&text, &delim, 1);
        put_cell(&text, cells[r][c], delim, ncols == 1);
      }
      if (r + 1 < nrows || next() % 2) put(&text, end, strlen(end));
    }
    t = ok(text.s, text.n, next() % 2 ? delim : 0);
    assert_int_equal(t.count, nrows);
    for (r = 0; r < nrows; r++) {
      assert_int_equal(t.rows[r].line, lines[r]);
      assert_int_equal(t.rows[r].count, ncols);
      for (c = 0; c < ncols; c++) assert_string_equal(t.rows[r].cells[c], cells[r][c]);
    }
    csv_free(&t);
    free(text.s);
  }
}

/* ---- inputs that must never crash ---- */

/* Whatever the answer, it is consistent: a rectangular table with rising
** lines, or an error that left *out empty. */
static void parse_any(const char *text, size_t len) {
  static const char delims[] = {0, ',', ';'};
  size_t d;
  for (d = 0; d < sizeof delims; d++) {
    CsvTable t;
    CsvError e;
    uint32_t r, c;
    if (parse(text, len, delims[d], &t, &e) != 0) {
      assert_null(t.rows);
      assert_int_equal(t.count, 0);
      assert_true(strlen(e.message) > 0 && strlen(e.message) < sizeof e.message);
      continue;
    }
    assert_true(t.count >= 1);
    for (r = 0; r < t.count; r++) {
      assert_int_equal(t.rows[r].count, t.rows[0].count);
      if (r > 0) assert_true(t.rows[r].line > t.rows[r - 1].line);
      for (c = 0; c < t.rows[r].count; c++) {
        double x;
        (void)strlen(t.rows[r].cells[c]);
        (void)csv_number(t.rows[r].cells[c], ',', &x);
        (void)csv_number(t.rows[r].cells[c], '.', &x);
      }
    }
    csv_free(&t);
  }
}

static void test_random_inputs(void **state) {
  static const char alphabet[] = "a1,;\" \n\r.e-+\xC3\xAB\x80\xEF\xBB\xBF";
  char text[64];
  int iter;
  (void)state;
  for (iter = 0; iter < 20000; iter++) {
    size_t n = next() % sizeof text, i;
    for (i = 0; i < n; i++)
      text[i] = next() % 50 == 0 ? (char)next() : alphabet[next() % (sizeof alphabet - 1)];
    parse_any(text, n);
    if (n > 0) { /* also as a number cell */
      double x;
      text[n - 1] = '\0';
      (void)csv_number(text, ',', &x);
      (void)csv_number(text, '.', &x);
    }
  }
}

static void test_mutated_inputs(void **state) {
  static const char *seeds[] = {
      ("\xEF\xBB\xBFnaam;uren;kosten\r\nOverleg;3,5;\"1.234,50\"\r\n\r\n"
       "\"Kennis\ncentrum\";4;\"\"\"x\"\"\"\r\n"),
      "a,b,c\n1,2,3\n\n\"x,y\",\"\",z\n4,5,6",
      "k\n\"\"\n1\n\r\n2\r"};
  char text[256];
  int iter;
  (void)state;
  for (iter = 0; iter < 20000; iter++) {
    const char *seed = seeds[next() % 3];
    size_t n = strlen(seed), k = 1 + next() % 4;
    memcpy(text, seed, n);
    while (k-- > 0 && n > 0) {
      size_t at = next() % n;
      switch (next() % 4) {
      case 0: /* replace a byte */
        text[at] = "\",;\n\r\0\xC3 "[next() % 9];
        break;
      case 1: /* delete a byte */
        memmove(text + at, text + at + 1, n - at - 1);
        n--;
        break;
      case 2: /* insert a byte */
        if (n < sizeof text) {
          memmove(text + at + 1, text + at, n - at);
          text[at] = (char)next();
          n++;
        }
        break;
      default: /* cut the input short */
        n = at;
        break;
      }
    }
    parse_any(text, n);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_comma),
      cmocka_unit_test(test_semicolon),
      cmocka_unit_test(test_explicit_delimiter_wins),
      cmocka_unit_test(test_detection),
      cmocka_unit_test(test_detection_ignores_quoted),
      cmocka_unit_test(test_detection_multiline_header),
      cmocka_unit_test(test_single_column),
      cmocka_unit_test(test_places),
      cmocka_unit_test(test_bom),
      cmocka_unit_test(test_line_ends),
      cmocka_unit_test(test_empty_lines),
      cmocka_unit_test(test_delimiters_only),
      cmocka_unit_test(test_spaces_kept),
      cmocka_unit_test(test_header_only),
      cmocka_unit_test(test_quoted),
      cmocka_unit_test(test_quoted_newlines),
      cmocka_unit_test(test_utf8_cells),
      cmocka_unit_test(test_error_empty),
      cmocka_unit_test(test_error_bad_delimiter),
      cmocka_unit_test(test_error_invalid_utf8),
      cmocka_unit_test(test_error_nul),
      cmocka_unit_test(test_error_quote_in_unquoted),
      cmocka_unit_test(test_error_after_closing_quote),
      cmocka_unit_test(test_error_unterminated),
      cmocka_unit_test(test_error_field_count),
      cmocka_unit_test(test_error_header_names),
      cmocka_unit_test(test_error_long_duplicate_name),
      cmocka_unit_test(test_null_err_and_out),
      cmocka_unit_test(test_number_dutch),
      cmocka_unit_test(test_number_english),
      cmocka_unit_test(test_number_zero_sign),
      cmocka_unit_test(test_number_long),
      cmocka_unit_test(test_number_garbage),
      cmocka_unit_test(test_number_groups),
      cmocka_unit_test(test_number_null),
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_random_inputs),
      cmocka_unit_test(test_mutated_inputs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

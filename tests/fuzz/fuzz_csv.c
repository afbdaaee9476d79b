/*
** fuzz_csv.c — libFuzzer target: the input is a CSV file for the reader in
** interp/csv.h, read three times (the delimiter detected, then ',' and ';'
** given), and every cell of a table that was read is tried as a number both
** the Dutch and the English way.
**
** What must hold besides "no crash": a table has a header and every row as
** many cells as the header, rows start on increasing lines inside the
** input, an error has a message and a line inside the input; a number read
** from a cell is finite, and written back with "%.17g" it reads as the same
** number (a cell the reader turned into the wrong number would not).
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Lines as the reader counts them: a line ends with LF, CRLF or a lone CR. */
static uint32_t count_lines(const char *src, size_t len) {
  uint32_t lines = 1;
  for (size_t i = 0; i < len; i++)
    lines += src[i] == '\n' || (src[i] == '\r' && (i + 1 == len || src[i + 1] != '\n'));
  return lines;
}

static void check_number(const char *cell, char decimal) {
  double x, again;
  char text[64];
  if (csv_number(cell, decimal, &x) != 0) return;
  if (!isfinite(x)) fuzz_fail("csv_number(\"%s\", '%c') gave %g", cell, decimal, x);
  snprintf(text, sizeof text, "%.17g", x);
  if (csv_number(text, '.', &again) != 0 || again != x)
    fuzz_fail("csv_number(\"%s\", '%c') gave %.17g, which does not read back from \"%s\"",
              cell, decimal, x, text);
}

static void check_table(const CsvTable *t, char delimiter, uint32_t lines) {
  if (t->count == 0) fuzz_fail("a table without a header");
  if (delimiter && t->delimiter != delimiter)
    fuzz_fail("asked for '%c', the table says '%c'", delimiter, t->delimiter);
  uint32_t last = 0;
  for (uint32_t i = 0; i < t->count; i++) {
    const CsvRow *row = &t->rows[i];
    if (row->count != t->rows[0].count)
      fuzz_fail("row %u has %u cells, the header %u", i, row->count, t->rows[0].count);
    if (row->line <= last || row->line > lines)
      fuzz_fail("row %u starts on line %u (the row before on %u, %u lines)", i, row->line,
                last, lines);
    last = row->line;
    for (uint32_t j = 0; j < row->count; j++) {
      check_number(row->cells[j], ',');
      check_number(row->cells[j], '.');
    }
  }
}

static void read_as(const char *src, size_t len, char delimiter, uint32_t lines) {
  CsvTable t;
  CsvError err;
  memset(&t, 0, sizeof t);
  memset(&err, 0, sizeof err);
  if (csv_parse(src, len, delimiter, &t, &err) == 0) {
    check_table(&t, delimiter, lines);
    csv_free(&t);
    return;
  }
  if (t.count != 0 || t.rows != NULL) fuzz_fail("an error left rows in the table");
  if (memchr(err.message, '\0', sizeof err.message) == NULL || err.message[0] == '\0')
    fuzz_fail("an error without a message");
  if (err.line > lines || (err.line == 0 && err.column != 0))
    fuzz_fail("error at %u:%u, outside the input (%u lines): %s", err.line, err.column,
              lines, err.message);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *src = (const char *)data;
  uint32_t lines = count_lines(src, size);
  read_as(src, size, 0, lines);
  read_as(src, size, ',', lines);
  read_as(src, size, ';', lines);
  return 0;
}

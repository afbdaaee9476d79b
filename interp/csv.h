/*
** csv.h — RFC 4180 CSV: quoting, `,` or `;` (detected), CRLF or LF, BOM.
**
** Made for Dutch Excel exports as well as English ones: `;` separator,
** decimal comma, UTF-8 with a BOM. The reader is standalone (plain malloc,
** no global state) and strict: anything ambiguous is an error with a line
** and column, so a model never silently reads the wrong numbers.
*/
#ifndef KADER_CSV_H
#define KADER_CSV_H

#include <stddef.h>
#include <stdint.h>

/* Where something is in the input, for a caret under it: the byte offset
** in src and the 1-based line and character column of its first byte, and
** its length in bytes as written (a quoted field with its quotes). line 0:
** nowhere. */
typedef struct CsvPlace { size_t offset; uint32_t line, column, bytes; } CsvPlace;

/* line: 1-based source line where the row starts; places: where each cell
** is (a quoted cell may start on a later line than its row) */
typedef struct CsvRow { char **cells; uint32_t count; uint32_t line; CsvPlace *places; } CsvRow;

/* rows[0] is the header. delimiter: the one used, ',' or ';'; 0 when it was
** detected and the header has neither (a single-column file: lines are not
** split, so a data cell like 1,5 stays one cell). */
typedef struct CsvTable { CsvRow *rows; uint32_t count; char delimiter; } CsvTable;

/* column: 1-based field number (for field errors) or character column (for
** syntax errors); message in plain English without location. line and
** column are 0 where there is no place to point at (an empty file, out of
** memory), column is 0 for a row with the wrong number of fields. place:
** the characters to point at (the field of a field error; for a row with
** the wrong number of fields, its first field too many or the end of the
** row), line 0 when there is nowhere. */
typedef struct CsvError { uint32_t line, column; char message[200]; CsvPlace place; } CsvError;

/* Parses src (not NUL-terminated). delimiter: ',' or ';', or 0 to detect it
** from the header line (the one of ',' and ';' that occurs more often outside
** quotes; ',' on a tie; a header with neither is a single column). Returns 0
** and fills *out, or -1 and fills *err (and leaves *out empty). Cells are
** NUL-terminated copies, independent of src. */
int csv_parse(const char *src, size_t len, char delimiter, CsvTable *out, CsvError *err);

/* Frees everything csv_parse allocated and leaves *t empty. */
void csv_free(CsvTable *t);

/* Parses a number cell: optional surrounding spaces, optional sign, digits
** with `decimal` (',' or '.') as the decimal mark, optionally thousands
** separators (the other of '.'/',', only in correct groups of 3: "1.234,5"
** with decimal ','; "1,234.5" with '.'), optional exponent. Returns 0 on
** success, -1 for anything else ("zes", "", "12,5,3", "1.23.4"). The
** integer part may be left out (",5") but a decimal mark needs digits after
** it ("5," is -1). Also -1: a value too large for a double, and a grouped
** number whose first group starts with 0 ("0.500" with decimal ',' is
** English for a half, not 500). Independent of the C locale. */
int csv_number(const char *cell, char decimal, double *out);

#endif

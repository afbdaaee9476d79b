/*
** csvlib.c — CSV files as Kader values (csv.c does the parsing), and
** messages located at their cells.
**
** A bad value in a survey export is the researcher's own data, so an error
** about it points into the CSV file, with that line and a caret under the
** cell, and a second part at the model line that read the file:
**
**   data/antwoorden.csv:4:1: runtime error: column 'cijfer': grade 11 is …
**       4 | 11;ja
**         | ^^
**   model.kader:7:11: note: read by responses r
**       7 | responses r "R" { group: g, survey: s, csv: "data/…" }
**         |           ^
**
** read_csv hands the model text cells; where each cell was is found again
** only when a message needs it, by reading the file once more (kept in
** K->csv_cache, for a model that reports many cells of one file).
*/
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv.h"
#include "vm.h"

/* The path of a data file, relative to the model that names it: the file
** of `decl` when given, else the file of the code that calls. */
static void resolve(KaderState *K, const char *path, Value decl, char *out,
                    size_t cap) {
  const char *dir = ".";
  if (IS_RECORD(decl) && AS_RECORD(decl)->module)
    dir = AS_RECORD(decl)->module->dir->chars;
  else if (K->frame_count > 0)
    dir = K->frames[K->frame_count - 1].closure->fn->module->dir->chars;
  if (path[0] == '/' || strcmp(dir, ".") == 0) snprintf(out, cap, "%s", path);
  else snprintf(out, cap, "%s/%s", dir, path);
}

/* Where the table starts: after a byte order mark and the lines starting
** with # before the header (a file says where it comes from); *skipped: how
** many such lines. */
static size_t table_start(const char *src, size_t len, uint32_t *skipped) {
  size_t start = kd_bom_length(src, len);
  *skipped = 0;
  while (start < len && src[start] == '#') {
    while (start < len && src[start] != '\n') start++;
    if (start < len) start++;
    (*skipped)++;
  }
  return start;
}

/* ---- the file again, for messages ---- */

/* The file's text (without a byte order mark, so columns count as the
** parser's do) and its table. text and name are strings outside the heap,
** and module a module outside it: kd_render_diag reads them to show a line
** of the file; the collector never sees them. */
struct KdCsvCache {
  char delimiter;
  off_t size;
  struct timespec mtime;
  ObjString *name, *text;
  ObjModule module;
  size_t start; /* where the table starts in text */
  uint32_t skipped; /* comment lines before the table */
  uint32_t shown;   /* warnings about the file shown so far */
  int rc;       /* csv_parse's result */
  CsvTable t;
  CsvError err;
};

static ObjString *loose_string(const char *s, size_t len) {
  ObjString *str = malloc(sizeof(ObjString) + len + 1);
  if (!str) return NULL;
  memset(str, 0, sizeof *str);
  str->obj.type = O_STRING;
  str->len = (uint32_t)len;
  memcpy(str->chars, s, len);
  str->chars[len] = '\0';
  return str;
}

static void cache_free(struct KdCsvCache *c) {
  if (!c) return;
  csv_free(&c->t);
  free(c->name);
  free(c->text);
  free(c);
}

void kd_free_csvlib(KaderState *K) {
  cache_free(K->csv_cache);
  K->csv_cache = NULL;
}

/* The file at path as read now (the cached one while it is unchanged), or
** NULL when it cannot be read any more. */
static struct KdCsvCache *reread(KaderState *K, const char *path, char delimiter) {
  struct stat st;
  if (stat(path, &st) != 0) return NULL;
  struct KdCsvCache *c = K->csv_cache;
  if (c && c->delimiter == delimiter && strcmp(c->name->chars, path) == 0 &&
      c->size == st.st_size && c->mtime.tv_sec == st.st_mtim.tv_sec &&
      c->mtime.tv_nsec == st.st_mtim.tv_nsec)
    return c;
  kd_free_csvlib(K);
  size_t len = 0;
  const char *why;
  char *src = kd_read_file(path, &len, &why);
  if (!src) return NULL;
  c = calloc(1, sizeof *c);
  size_t bom = kd_bom_length(src, len);
  if (c) {
    c->name = loose_string(path, strlen(path));
    c->text = loose_string(src + bom, len - bom);
  }
  if (!c || !c->name || !c->text) {
    free(src);
    cache_free(c);
    return NULL;
  }
  free(src);
  c->delimiter = delimiter;
  c->size = st.st_size;
  c->mtime = st.st_mtim;
  c->start = table_start(c->text->chars, c->text->len, &c->skipped);
  c->rc = csv_parse(c->text->chars + c->start, c->text->len - c->start, delimiter,
                    &c->t, &c->err);
  c->module.obj.type = O_MODULE;
  c->module.path = c->name;
  c->module.source = c->text;
  K->csv_cache = c;
  return c;
}

/* The second part of a CSV message: the model line that read the file (the
** declaration given, when the user wrote it, else the user's line running
** now), rendered; and the same in words for the plain message. */
static char *reader_note(KaderState *K, Value by, char *words, size_t cap) {
  ObjModule *m = NULL;
  Span span = {0, 0};
  char what[200] = "reported from here";
  ObjRecord *d = IS_RECORD(by) && AS_RECORD(by)->kind ? AS_RECORD(by) : NULL;
  if (d) snprintf(what, sizeof what, "read by %s %s", d->kind->name->chars, d->id->chars);
  if (d && d->module && !d->module->embedded) {
    m = d->module;
    span = d->span;
  } else if (!kd_user_span(K, &m, &span)) {
    words[0] = '\0';
    return NULL;
  }
  uint32_t line, col;
  kd_line_col(m->source->chars, m->source->len, span.off, &line, &col);
  snprintf(words, cap, "; %s at %s:%u:%u", what, m->path->chars, line, col);
  return kd_render_diag(K, m, span, "note", what);
}

static char *joined(char *a, char *b) {
  if (!a || !b) {
    free(b);
    return a;
  }
  size_t n = strlen(a), m = strlen(b);
  char *both = realloc(a, n + m + 1);
  if (both) memcpy(both + n, b, m + 1);
  free(b);
  return both ? both : a;
}

/* Warnings shown for one file: a file with a systematic problem (the wrong
** decimal mark) would otherwise flood the terminal, and finding each line
** from the start of the file would make thousands of them quadratic. The
** rest are kept for warnings() all the same. */
enum { CSV_WARNINGS_SHOWN = 10 };

/* A message at `place` in the table of c (a warning when warn, else a
** runtime error that does not return); a place the file no longer has is
** reported at the user's line, with the file's name. */
static Value report_at(KaderState *K, struct KdCsvCache *c, const char *path,
                       CsvPlace place, const char *message, Value by, bool warn) {
  char words[1200];
  ObjRecord *d = IS_RECORD(by) && AS_RECORD(by)->kind ? AS_RECORD(by) : NULL;
  if (!c || place.line == 0 || c->start + place.offset > c->text->len) {
    if (warn) return OBJ_VAL(kd_warn(K, d, message));
    kd_error(K, "%s: %s", path, message);
  }
  if (warn && c->shown >= CSV_WARNINGS_SHOWN) {
    if (c->shown++ == CSV_WARNINGS_SHOWN) {
      char more[1200];
      snprintf(more, sizeof more, "%s: more than %d cells have problems; the others are "
               "not shown, and warnings() lists them all", path, CSV_WARNINGS_SHOWN);
      kd_warn(K, d, more);
    }
    return OBJ_VAL(kd_keep_warning(K, path, place.line + c->skipped, place.column, message));
  }
  Span span = {(uint32_t)(c->start + place.offset), place.bytes};
  char *note = reader_note(K, by, words, sizeof words);
  if (warn) {
    c->shown++;
    ObjRecord *r = kd_warn_at(K, &c->module, span, message, note);
    free(note);
    return OBJ_VAL(r);
  }
  char *text = joined(kd_render_diag(K, &c->module, span, "runtime error", message), note);
  uint32_t line, col;
  kd_line_col(c->text->chars, c->text->len, span.off, &line, &col);
  char plain[2400];
  snprintf(plain, sizeof plain, "%s%s", message, words);
  kd_error_rendered(K, text, path, line, col, plain);
}

/* ---- read_csv ---- */

/* A one-character argument that must be a or b ("," or ";"). */
static char mark_arg(KaderState *K, const char *fn, int i, Value v, char a, char b) {
  if (!IS_STRING(v) || AS_STRING(v)->len != 1 ||
      (AS_STRING(v)->chars[0] != a && AS_STRING(v)->chars[0] != b)) {
    char want[32];
    snprintf(want, sizeof want, "\"%c\" or \"%c\"", a, b);
    kd_arg_error(K, fn, i, want, v);
  }
  return AS_STRING(v)->chars[0];
}

/* What csv_parse may allocate for src at most: every byte copied, and per
** cell a pointer and malloc's smallest block (any , or ; may end a cell,
** any line end a row). Counted against the memory limit while the table
** exists, so that a file of commas cannot pass it. */
static size_t csv_estimate(const char *src, size_t len) {
  size_t ends = 1;
  for (size_t i = 0; i < len; i++)
    ends += src[i] == ',' || src[i] == ';' || src[i] == '\n' || src[i] == '\r';
  return len + ends * (sizeof(char *) + 32 + sizeof(CsvRow));
}

typedef struct CsvRead {
  const char *path;
  char delimiter;   /* as given, or 0 */
  char *src;        /* the file (malloc'd by kd_read_file) */
  size_t counted;   /* bytes kd_account counted for src and the table */
  uint32_t skipped; /* comment lines before the table */
  int rc;           /* csv_parse's result */
  CsvTable t;
  CsvError err;
  Value result;
} CsvRead;

/* read_csv's work, under kd_protect: an error half way (the memory limit)
** leaves the file and the table to c_read_csv to free. */
static void read_csv_job(KaderState *K, void *ud) {
  CsvRead *j = ud;
  struct stat st;
  if (stat(j->path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    kd_account(K, 0, (size_t)st.st_size); /* before reading it */
    j->counted = (size_t)st.st_size;
  }
  size_t len = 0;
  const char *why = NULL;
  j->src = kd_read_file(j->path, &len, &why);
  if (!j->src) kd_error(K, "cannot read %s: %s", j->path, why);
  size_t need = csv_estimate(j->src, len);
  kd_account(K, j->counted, need);
  j->counted = need;
  size_t start = table_start(j->src, len, &j->skipped);
  j->rc = csv_parse(j->src + start, len - start, j->delimiter, &j->t, &j->err);
  if (j->rc != 0) return; /* c_read_csv reports it, with the file freed */
  CsvTable *t = &j->t;
  for (uint32_t i = 0; i < t->count; i++) t->rows[i].line += j->skipped;
  ObjRecord *r = record_new(K);
  kd_push_root(K, OBJ_VAL(r));
  record_put_text(K, r, "file", j->path);
  char d[2] = {t->delimiter, 0};
  record_put_text(K, r, "delimiter", d);
  record_put(K, r, "header_line", NUM_VAL(t->count ? t->rows[0].line : 1));
  ObjList *columns = list_new(K, t->count ? t->rows[0].count : 0);
  record_put(K, r, "columns", OBJ_VAL(columns));
  for (uint32_t i = 0; t->count && i < t->rows[0].count; i++)
    list_push(K, columns, OBJ_VAL(str_cstr(K, t->rows[0].cells[i])));
  ObjList *rows = list_new(K, t->count);
  record_put(K, r, "rows", OBJ_VAL(rows));
  ObjList *lines = list_new(K, t->count);
  record_put(K, r, "lines", OBJ_VAL(lines));
  for (uint32_t i = 1; i < t->count; i++) {
    ObjList *row = list_new(K, t->rows[i].count);
    list_push(K, rows, OBJ_VAL(row));
    for (uint32_t c = 0; c < t->rows[i].count; c++)
      list_push(K, row, OBJ_VAL(str_cstr(K, t->rows[i].cells[c])));
    list_push(K, lines, NUM_VAL(t->rows[i].line));
  }
  kd_pop_root(K);
  j->result = OBJ_VAL(r);
}

/* read_csv(path [, delimiter [, declaration]]): {file, delimiter, columns,
** rows, lines}. Cells stay text; the model decides what they mean. */
static Value c_read_csv(KaderState *K, int argc, Value *args) {
  if (!IS_STRING(args[0])) kd_arg_error(K, "read_csv", 1, "a file name", args[0]);
  char delimiter = argc > 1 && !IS_NIL(args[1]) ? mark_arg(K, "read_csv", 2, args[1], ',', ';') : 0;
  Value by = argc > 2 ? args[2] : NIL_VAL;
  char path[1024];
  resolve(K, AS_STRING(args[0])->chars, by, path, sizeof path);
  kd_check_read(K, path);
  CsvRead j;
  memset(&j, 0, sizeof j);
  j.path = path;
  j.delimiter = delimiter;
  j.result = NIL_VAL;
  KaderResult r = kd_protect(K, read_csv_job, &j);
  /* the file and the table are plain C memory: freed however the job ended */
  csv_free(&j.t);
  free(j.src);
  kd_account(K, j.counted, 0);
  if (r != KADER_OK) kd_rethrow(K, r);
  if (j.rc != 0) {
    /* at its place in the file, which is read again to show the line */
    CsvError err = j.err;
    struct KdCsvCache *c = reread(K, path, delimiter);
    if (c && c->rc != 0 && c->err.place.line)
      report_at(K, c, path, c->err.place, c->err.message, by, false);
    if (err.line) err.line += j.skipped;
    if (err.column) kd_error(K, "%s:%u:%u: %s", path, err.line, err.column, err.message);
    if (err.line) kd_error(K, "%s:%u: %s", path, err.line, err.message);
    kd_error(K, "%s: %s", path, err.message);
  }
  return j.result;
}

/* ---- messages at a cell ---- */

static Value field(KaderState *K, ObjRecord *r, const char *name) {
  int i = record_find(r, str_cstr(K, name));
  return i >= 0 ? r->values[i] : NIL_VAL;
}

/* The text a model has for cell (row, column) of what read_csv gave: row 0
** is the header; NULL when there is no such cell. */
static ObjString *cell_text(KaderState *K, ObjRecord *data, uint32_t row, uint32_t column) {
  Value line = row == 0 ? field(K, data, "columns") : NIL_VAL;
  if (row > 0) {
    Value rows = field(K, data, "rows");
    if (IS_LIST(rows) && row <= AS_LIST(rows)->count) line = AS_LIST(rows)->items[row - 1];
  }
  if (!IS_LIST(line) || column < 1 || column > AS_LIST(line)->count) return NULL;
  Value v = AS_LIST(line)->items[column - 1];
  return IS_STRING(v) ? AS_STRING(v) : NULL;
}

/* csv_error / csv_warn(data, row, column, message [, declaration]) */
static Value at_cell(KaderState *K, const char *fn, int argc, Value *args, bool warn) {
  if (!IS_RECORD(args[0]) || !IS_STRING(field(K, AS_RECORD(args[0]), "file")))
    kd_arg_error(K, fn, 1, "what read_csv gave", args[0]);
  ObjRecord *data = AS_RECORD(args[0]);
  if (!IS_NUM(args[1]) || args[1].as.n < 0 || args[1].as.n != (uint32_t)args[1].as.n)
    kd_arg_error(K, fn, 2, "a row number (0 for the header)", args[1]);
  if (!IS_NUM(args[2]) || args[2].as.n < 1 || args[2].as.n != (uint32_t)args[2].as.n)
    kd_arg_error(K, fn, 3, "a column number", args[2]);
  ObjString *message = kd_to_string(K, args[3]);
  kd_push_root(K, OBJ_VAL(message));
  Value by = argc > 4 ? args[4] : NIL_VAL;
  uint32_t row = (uint32_t)args[1].as.n, column = (uint32_t)args[2].as.n;
  ObjString *cell = cell_text(K, data, row, column);
  if (!cell) kd_error(K, "%s: row %u has no column %u", fn, row, column);
  const char *path = AS_STRING(field(K, data, "file"))->chars;
  Value d = field(K, data, "delimiter");
  char delimiter = IS_STRING(d) && AS_STRING(d)->len == 1 ? AS_STRING(d)->chars[0] : 0;
  struct KdCsvCache *c = reread(K, path, delimiter);
  CsvPlace place = {0, 0, 0, 0};
  /* only where the file still holds the same cell (it may have changed) */
  if (c && c->rc == 0 && row < c->t.count && column <= c->t.rows[row].count &&
      strcmp(c->t.rows[row].cells[column - 1], cell->chars) == 0)
    place = c->t.rows[row].places[column - 1];
  Value w = report_at(K, c, path, place, message->chars, by, warn);
  kd_pop_root(K);
  return w;
}

static Value c_csv_error(KaderState *K, int argc, Value *args) {
  return at_cell(K, "csv_error", argc, args, false);
}

static Value c_csv_warn(KaderState *K, int argc, Value *args) {
  return at_cell(K, "csv_warn", argc, args, true);
}

/* csv_number(text [, decimal]): a number written the Dutch way ("12,5",
** "1.234,5") or, with decimal ".", the English way; nil when it is not one. */
static Value c_csv_number(KaderState *K, int argc, Value *args) {
  if (!IS_STRING(args[0])) kd_arg_error(K, "csv_number", 1, "a string", args[0]);
  char decimal = argc > 1 ? mark_arg(K, "csv_number", 2, args[1], ',', '.') : ',';
  double x;
  if (csv_number(AS_STRING(args[0])->chars, decimal, &x) != 0) return NIL_VAL;
  return NUM_VAL(x);
}

void kd_open_csvlib(KaderState *K) {
  kd_define_native(K, "read_csv", c_read_csv, 1, 3,
                   "read_csv(file [, delimiter [, declaration]]): a CSV file (relative to the model, or to the file of the declaration) as {file, delimiter, header_line, columns, rows, lines}; the delimiter , or ; is detected when not given; lines starting with # before the header are comments.");
  kd_define_native(K, "csv_number", c_csv_number, 1, 2,
                   "csv_number(text [, decimal]): the number in a CSV cell (\"12,5\", \"1.234,5\"), or nil.");
  kd_define_native(K, "csv_error", c_csv_error, 4, 5,
                   "csv_error(data, row, column, message [, declaration]): stops with an error at a cell of what read_csv gave (row 0: the header), showing its line, with a note at the model line that read it (the declaration's).");
  kd_define_native(K, "csv_warn", c_csv_warn, 4, 5,
                   "csv_warn(data, row, column, message [, declaration]): a warning at a cell of what read_csv gave, like csv_error; kept for warnings().");
}

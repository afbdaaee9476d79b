/*
** datalib.c — data in and out: reading CSV exports (csv.c does the
** parsing; this turns them into Kader values and located errors) and
** writing any value as JSON with full precision.
*/
#define _XOPEN_SOURCE 700
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv.h"
#include "vm.h"

/* ---- JSON ---- */

static void json_string(KaderState *K, KdBuf *b, const char *s, size_t len) {
  kd_buf_add(K, b, "\"", 1);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    char esc[8];
    if (c == '"' || c == '\\') {
      esc[0] = '\\';
      esc[1] = (char)c;
      kd_buf_add(K, b, esc, 2);
    } else if (c == '\n') {
      kd_buf_add(K, b, "\\n", 2);
    } else if (c == '\t') {
      kd_buf_add(K, b, "\\t", 2);
    } else if (c == '\r') {
      kd_buf_add(K, b, "\\r", 2);
    } else if (c < 0x20) {
      snprintf(esc, sizeof esc, "\\u%04x", c);
      kd_buf_add(K, b, esc, 6);
    } else {
      kd_buf_add(K, b, (const char *)&s[i], 1);
    }
  }
  kd_buf_add(K, b, "\"", 1);
}

static void json_number(KaderState *K, KdBuf *b, double x) {
  char buf[40];
  if (!isfinite(x)) {
    kd_buf_add(K, b, "null", 4);
    return;
  }
  if (x == 0) x = 0; /* no -0 */
  /* the shortest text that reads back as the same double */
  int n = 0;
  for (int prec = 15; prec <= 17; prec++) {
    n = snprintf(buf, sizeof buf, "%.*g", prec, x);
    if (strtod(buf, NULL) == x) break;
  }
  kd_buf_add(K, b, buf, (size_t)n);
}

static void json_unit(KaderState *K, KdBuf *b, UnitId u) {
  char buf[256];
  size_t n = units_format(K->units, u, buf, sizeof buf);
  json_string(K, b, buf, n < sizeof buf ? n : sizeof buf - 1);
}

static void json_value(KaderState *K, KdBuf *b, Value v, int depth) {
  if (depth > 64) kd_error(K, "to_json: the value is nested too deeply (or refers to itself)");
  switch (v.type) {
    case V_NIL: case V_UNDEF: kd_buf_add(K, b, "null", 4); return;
    case V_BOOL: kd_buf_add(K, b, v.as.b ? "true" : "false", v.as.b ? 4 : 5); return;
    case V_NUM: json_number(K, b, v.as.n); return;
    case V_QTY:
      kd_buf_add(K, b, "{\"value\": ", 10);
      json_number(K, b, v.as.n);
      kd_buf_add(K, b, ", \"unit\": ", 10);
      json_unit(K, b, v.unit);
      kd_buf_add(K, b, "}", 1);
      return;
    default: break;
  }
  if (IS_STRING(v)) {
    json_string(K, b, AS_STRING(v)->chars, AS_STRING(v)->len);
  } else if (IS_LIST(v)) {
    ObjList *l = AS_LIST(v);
    kd_buf_add(K, b, "[", 1);
    for (uint32_t i = 0; i < l->count; i++) {
      if (i) kd_buf_add(K, b, ", ", 2);
      json_value(K, b, l->items[i], depth + 1);
    }
    kd_buf_add(K, b, "]", 1);
  } else if (IS_RANGE(v)) {
    ObjRange *r = AS_RANGE(v);
    kd_buf_add(K, b, "{\"lo\": ", 7);
    json_number(K, b, r->lo);
    kd_buf_add(K, b, ", \"hi\": ", 8);
    json_number(K, b, r->hi);
    kd_buf_add(K, b, ", \"unit\": ", 10);
    json_unit(K, b, r->unit);
    kd_buf_add(K, b, "}", 1);
  } else if (IS_RECORD(v)) {
    ObjRecord *r = AS_RECORD(v);
    kd_buf_add(K, b, "{", 1);
    bool first = true;
    if (r->kind) {
      kd_buf_add(K, b, "\"kind\": ", 8);
      json_string(K, b, r->kind->name->chars, r->kind->name->len);
      kd_buf_add(K, b, ", \"id\": ", 8);
      json_string(K, b, r->id->chars, r->id->len);
      kd_buf_add(K, b, ", \"label\": ", 11);
      json_string(K, b, r->label->chars, r->label->len);
      first = false;
    }
    for (uint32_t i = 0; i < r->count; i++) {
      if (r->values[i].type == V_UNDEF) continue;
      if (!first) kd_buf_add(K, b, ", ", 2);
      first = false;
      json_string(K, b, r->keys[i]->chars, r->keys[i]->len);
      kd_buf_add(K, b, ": ", 2);
      json_value(K, b, r->values[i], depth + 1);
    }
    kd_buf_add(K, b, "}", 1);
  } else {
    char what[128];
    kd_describe(K, v, what, sizeof what);
    kd_error(K, "to_json: cannot write %s as JSON", what);
  }
}

static Value d_to_json(KaderState *K, int argc, Value *args) {
  (void)argc;
  KdBuf b = {0};
  json_value(K, &b, args[0], 0);
  ObjString *s = str_new(K, b.s, b.len);
  kd_buf_free(K, &b);
  return OBJ_VAL(s);
}

/* ---- CSV ---- */

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

typedef struct CsvJob {
  const char *path;
  Value delimiter;       /* as given, or nil */
  char *src;             /* the file (malloc'd by kd_read_file) */
  size_t counted;        /* bytes kd_account counted for src and the table */
  CsvTable t;
  Value result;
} CsvJob;

/* read_csv's work, under kd_protect: an error half way (a bad file, the
** memory limit) leaves the file and the table to d_read_csv to free. */
static void read_csv_job(KaderState *K, void *ud) {
  CsvJob *job = ud;
  const char *path = job->path;
  char delimiter = IS_NIL(job->delimiter) ? 0 : AS_STRING(job->delimiter)->chars[0];
  struct stat st;
  if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    kd_account(K, 0, (size_t)st.st_size); /* before reading it */
    job->counted = (size_t)st.st_size;
  }
  size_t len = 0;
  const char *why = NULL;
  job->src = kd_read_file(path, &len, &why);
  if (!job->src) kd_error(K, "cannot read %s: %s", path, why);
  char *src = job->src;
  size_t need = csv_estimate(src, len);
  kd_account(K, job->counted, need);
  job->counted = need;
  /* lines starting with # before the header are comments (a file says
  ** where it comes from); line numbers still count them */
  size_t start = 0;
  uint32_t skipped = 0;
  if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) start = 3;
  while (start < len && src[start] == '#') {
    while (start < len && src[start] != '\n') start++;
    if (start < len) start++;
    skipped++;
  }
  CsvError err;
  memset(&err, 0, sizeof err);
  int rc = csv_parse(src + start, len - start, delimiter, &job->t, &err);
  if (rc != 0) {
    if (err.line) err.line += skipped;
    if (err.column)
      kd_error(K, "%s:%u:%u: %s", path, err.line, err.column, err.message);
    kd_error(K, "%s:%u: %s", path, err.line, err.message);
  }
  CsvTable *t = &job->t;
  for (uint32_t i = 0; i < t->count; i++) t->rows[i].line += skipped;
  ObjRecord *r = record_new(K);
  kd_push_root(K, OBJ_VAL(r));
  record_set(K, r, str_cstr(K, "file"), OBJ_VAL(str_cstr(K, path)));
  char d[2] = {t->delimiter, 0};
  record_set(K, r, str_cstr(K, "delimiter"), OBJ_VAL(str_cstr(K, d)));
  record_set(K, r, str_cstr(K, "header_line"), NUM_VAL(t->count ? t->rows[0].line : 1));
  ObjList *columns = list_new(K, t->count ? t->rows[0].count : 0);
  record_set(K, r, str_cstr(K, "columns"), OBJ_VAL(columns));
  for (uint32_t i = 0; t->count && i < t->rows[0].count; i++)
    list_push(K, columns, OBJ_VAL(str_cstr(K, t->rows[0].cells[i])));
  ObjList *rows = list_new(K, t->count);
  record_set(K, r, str_cstr(K, "rows"), OBJ_VAL(rows));
  ObjList *lines = list_new(K, t->count);
  record_set(K, r, str_cstr(K, "lines"), OBJ_VAL(lines));
  for (uint32_t i = 1; i < t->count; i++) {
    ObjList *row = list_new(K, t->rows[i].count);
    list_push(K, rows, OBJ_VAL(row));
    for (uint32_t j = 0; j < t->rows[i].count; j++)
      list_push(K, row, OBJ_VAL(str_cstr(K, t->rows[i].cells[j])));
    list_push(K, lines, NUM_VAL(t->rows[i].line));
  }
  kd_pop_root(K);
  job->result = OBJ_VAL(r);
}

/* read_csv(path [, delimiter]): {file, delimiter, columns, rows, lines}.
** Cells stay text; the model decides what they mean. */
static Value d_read_csv(KaderState *K, int argc, Value *args) {
  if (!IS_STRING(args[0])) kd_arg_error(K, "read_csv", 1, "a file name", args[0]);
  Value delimiter = NIL_VAL;
  if (argc > 1 && !IS_NIL(args[1])) {
    if (!IS_STRING(args[1]) || AS_STRING(args[1])->len != 1 ||
        (AS_STRING(args[1])->chars[0] != ',' && AS_STRING(args[1])->chars[0] != ';'))
      kd_arg_error(K, "read_csv", 2, "\",\" or \";\"", args[1]);
    delimiter = args[1];
  }
  char path[1024];
  resolve(K, AS_STRING(args[0])->chars, argc > 2 ? args[2] : NIL_VAL, path,
          sizeof path);
  kd_check_read(K, path);
  CsvJob j;
  memset(&j, 0, sizeof j);
  j.path = path;
  j.delimiter = delimiter;
  j.result = NIL_VAL;
  KaderResult r = kd_protect(K, read_csv_job, &j);
  csv_free(&j.t);
  free(j.src);
  kd_account(K, j.counted, 0);
  if (r != KADER_OK) kd_rethrow(K, r);
  return j.result;
}

/* csv_number(text [, decimal]): a number written the Dutch way ("12,5",
** "1.234,5") or, with decimal ".", the English way; nil when it is not one. */
static Value d_csv_number(KaderState *K, int argc, Value *args) {
  if (!IS_STRING(args[0])) kd_arg_error(K, "csv_number", 1, "a string", args[0]);
  char decimal = ',';
  if (argc > 1) {
    if (!IS_STRING(args[1]) || AS_STRING(args[1])->len != 1 ||
        (AS_STRING(args[1])->chars[0] != ',' && AS_STRING(args[1])->chars[0] != '.'))
      kd_arg_error(K, "csv_number", 2, "\",\" or \".\"", args[1]);
    decimal = AS_STRING(args[1])->chars[0];
  }
  double x;
  if (csv_number(AS_STRING(args[0])->chars, decimal, &x) != 0) return NIL_VAL;
  return NUM_VAL(x);
}

void kd_open_datalib(KaderState *K) {
  kd_define_native(K, "to_json", d_to_json, 1, 1,
                   "to_json(x): x as JSON text, numbers at full precision.");
  kd_define_native(K, "read_csv", d_read_csv, 1, 3,
                   "read_csv(file [, delimiter [, declaration]]): a CSV file (relative to the model, or to the file of the declaration) as {file, delimiter, header_line, columns, rows, lines}; the delimiter , or ; is detected when not given; lines starting with # before the header are comments.");
  kd_define_native(K, "csv_number", d_csv_number, 1, 2,
                   "csv_number(text [, decimal]): the number in a CSV cell (\"12,5\", \"1.234,5\"), or nil.");
}

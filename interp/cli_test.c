/*
** cli_test.c — `kader test [FILES|DIRS]`: runs every model and its expect
** statements, one line per failure, ending with "N passed, N failed".
**
** Made for a research repository's CI: the models' own output is not shown
** (it is the report, checked by the expectations), a model that stops with
** an error is a failure at its location, and the exit status is 1 when
** anything failed. Each model runs in a fresh state, so files cannot
** influence each other, and in a fixed order, so two runs print the same.
*/
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct {
  char *file;
  int line, column;
  char *message;
} Failure;

typedef struct {
  Failure *items;
  int count, cap;
  int passed;
} Results;

static void add_failure(Results *r, const char *file, int line, int column, const char *message) {
  if (r->count == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 16;
    Failure *p = realloc(r->items, sizeof *p * (size_t)r->cap);
    if (!p) { perror("kader"); exit(1); }
    r->items = p;
  }
  Failure *f = &r->items[r->count++];
  f->file = strdup(file);
  f->line = line;
  f->column = column;
  f->message = strdup(message);
}

static void on_expect(void *ud, int passed, const char *file, int line, int column,
                      const char *message) {
  Results *r = ud;
  if (passed) r->passed++;
  else add_failure(r, file, line, column, message);
}

/* A model that could not run: its error, located, as one failure. */
static void add_error(Results *r, KaderState *K, const char *path) {
  const char *file;
  int line, column;
  if (!kader_error_location(K, &file, &line, &column)) file = path;
  const char *msg = kader_error_message(K);
  char text[1200];
  snprintf(text, sizeof text, "the model stopped: %s", msg ? msg : "an error");
  add_failure(r, file, line, column, text);
}

static void run_one(KaderConfig *base, const char *path, Results *r) {
  KaderConfig c = *base;
  KdCliText out = {0}, err = {0};
  kd_cli_capture(&c, &out, &err);
  c.expect = on_expect;
  c.expect_userdata = r;
  KaderState *K = kader_new(&c);
  if (!K) {
    add_failure(r, path, 0, 0, "could not start the interpreter");
    return;
  }
  if (kader_run_file(K, path) != KADER_OK) add_error(r, K, path);
  kader_free(K);
  kd_cli_text_free(&out);
  kd_cli_text_free(&err);
}

static void print_text(const Results *r) {
  for (int i = 0; i < r->count; i++) {
    const Failure *f = &r->items[i];
    if (f->line > 0) printf("%s:%d:%d: %s\n", f->file, f->line, f->column, f->message);
    else printf("%s: %s\n", f->file, f->message);
  }
  printf("%d passed, %d failed\n", r->passed, r->count);
}

static void print_json(const Results *r, char **paths, int npaths) {
  printf("{\"files\": [");
  for (int i = 0; i < npaths; i++) {
    if (i) printf(", ");
    kd_cli_json_string(stdout, paths[i]);
  }
  printf("], \"passed\": %d, \"failed\": %d, \"failures\": [", r->passed, r->count);
  for (int i = 0; i < r->count; i++) {
    const Failure *f = &r->items[i];
    printf("%s{\"file\": ", i ? ", " : "");
    kd_cli_json_string(stdout, f->file);
    printf(", \"line\": %d, \"column\": %d, \"message\": ", f->line, f->column);
    kd_cli_json_string(stdout, f->message);
    printf("}");
  }
  printf("]}\n");
}

int kd_cli_test(KaderConfig *config, int argc, char **argv) {
  int npaths = 0;
  char **paths = kd_cli_collect(argc, argv, ".kader", &npaths);
  if (!paths) return 2;
  Results r = {0};
  for (int i = 0; i < npaths; i++) run_one(config, paths[i], &r);
  if (config->format && strcmp(config->format, "json") == 0) print_json(&r, paths, npaths);
  else print_text(&r);
  int status = r.count > 0 ? 1 : 0;
  for (int i = 0; i < r.count; i++) {
    free(r.items[i].file);
    free(r.items[i].message);
  }
  free(r.items);
  kd_cli_free_list(paths, npaths);
  return status;
}

/*
** cli_check.c — `kader check [FILES|DIRS]`: are a report's numbers the
** model's numbers?
**
** Each model runs in a fresh state (its output hidden); then every claim is
** evaluated (stdlib/claims.kader) and every finding of the consistency
** checks (shares that do not add up, counts above N, a routed question's
** N, strata that do not add up to their group) is listed, one line each
** with its location. "N passed, N failed" ends the output; the exit status
** is 1 when a claim or a check failed, so a repository's CI can run it.
*/
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct {
  int passed, failed;
  int json, first;   /* JSON: whether the next item is the first */
} Tally;

static void emit(Tally *t, const char *where, const char *kind, int ok, const char *message) {
  if (ok) t->passed++;
  else t->failed++;
  if (t->json) {
    printf("%s{\"where\": ", t->first ? "" : ", ");
    kd_cli_json_string(stdout, where);
    printf(", \"kind\": ");
    kd_cli_json_string(stdout, kind);
    printf(", \"ok\": %s, \"message\": ", ok ? "true" : "false");
    kd_cli_json_string(stdout, message);
    printf("}");
    t->first = 0;
  } else if (!ok) {
    if (*where) printf("%s: %s\n", where, message);
    else printf("%s\n", message);
  }
}

/* A model that could not run, or whose checks could not: one failure. */
static void emit_error(Tally *t, KaderState *K, const char *path) {
  const char *file;
  int line, column;
  char where[1100], message[1200];
  const char *msg = kader_error_message(K);
  if (kader_error_location(K, &file, &line, &column) && line > 0)
    snprintf(where, sizeof where, "%s:%d:%d", file, line, column);
  else
    snprintf(where, sizeof where, "%s", path);
  snprintf(message, sizeof message, "the model stopped: %s", msg ? msg : "an error");
  emit(t, where, "error", 0, message);
}

static const char *field_text(KaderState *K, int index, const char *name) {
  kader_get_field(K, index, name);
  const char *s = kader_to_string(K, -1, NULL);
  kader_pop(K, 1);   /* the string stays alive: the list on the stack holds it */
  return s ? s : "";
}

static void check_one(KaderConfig *base, const char *path, Tally *t) {
  KaderConfig c = *base;
  KdCliText out = {0}, err = {0};
  c.write = kd_cli_text_write;
  c.write_userdata = &out;
  c.write_error = kd_cli_text_write;
  c.error_userdata = &err;
  c.color = c.color_output = 0;
  KaderState *K = kader_new(&c);
  if (!K) {
    emit(t, path, "error", 0, "could not start the interpreter");
    return;
  }
  if (kader_run_file(K, path) != KADER_OK) {
    emit_error(t, K, path);
  } else {
    kader_get_global(K, "check_results");
    if (kader_call(K, 0) != KADER_OK) {
      emit_error(t, K, path);
    } else {
      size_t n = kader_len(K, -1);
      for (size_t i = 1; i <= n; i++) {
        kader_get_item(K, -1, i);
        kader_get_field(K, -1, "ok");
        int ok = kader_to_bool(K, -1);
        kader_pop(K, 1);
        emit(t, field_text(K, -1, "where"), field_text(K, -1, "kind"), ok,
             field_text(K, -1, "message"));
        kader_pop(K, 1);
      }
    }
  }
  kader_free(K);
  kd_cli_text_free(&out);
  kd_cli_text_free(&err);
}

int kd_cli_check(KaderConfig *config, int argc, char **argv) {
  int npaths = 0;
  char **paths = kd_cli_collect(argc, argv, ".kader", &npaths);
  if (!paths) return 2;
  Tally t = {0, 0, config->format && strcmp(config->format, "json") == 0, 1};
  if (t.json) printf("{\"results\": [");
  for (int i = 0; i < npaths; i++) check_one(config, paths[i], &t);
  if (t.json) printf("], \"passed\": %d, \"failed\": %d}\n", t.passed, t.failed);
  else printf("%d passed, %d failed\n", t.passed, t.failed);
  kd_cli_free_list(paths, npaths);
  return t.failed > 0 ? 1 : 0;
}

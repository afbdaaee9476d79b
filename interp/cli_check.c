/*
** cli_check.c — `kader check [FILES|DIRS]`: are a report's numbers the
** model's numbers?
**
** Each model runs in a fresh state (its output hidden); then every claim is
** evaluated (stdlib/claims.kader) and every finding of the consistency
** checks (shares that do not add up, counts above N, a routed question's
** N, strata that do not add up to their group) is listed, one line each
** with its location. Before it runs, each model gets the static checks of
** lint.c (undefined names, units, fields, unused names, unreachable code),
** each finding a failure too; a model with a syntax error is not run, as
** the error is all running it would say. "N passed, N failed" ends the
** output; the exit status is 1 when a claim or a check failed, so a
** repository's CI can run it. A claim whose phrase is only imprecise (see
** check_claim) is a note that passes, unless --strict is given.
*/
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct {
  int passed, failed;
  int json, first;   /* JSON: whether the next item is the first */
  int strict;        /* --strict: an imprecise claim fails too */
} Tally;

/* A passing result can still be a note the reader must see: a claim that
** the data allow but cannot confirm (only bounds are known), or one whose
** phrase is imprecise (outside its strict reading, inside its loose one).
** status: the claim's status for JSON, or NULL. */
static void emit_status(Tally *t, const char *where, const char *kind, int ok, int note,
                        const char *status, const char *message) {
  if (ok) t->passed++;
  else t->failed++;
  if (t->json) {
    printf("%s{\"where\": ", t->first ? "" : ", ");
    kd_cli_json_string(stdout, where);
    printf(", \"kind\": ");
    kd_cli_json_string(stdout, kind);
    printf(", \"ok\": %s, ", ok ? "true" : "false");
    if (note) printf("\"note\": true, ");
    printf("\"message\": ");
    kd_cli_json_string(stdout, message);
    if (status && *status) {
      printf(", \"status\": ");
      kd_cli_json_string(stdout, status);
    }
    printf("}");
    t->first = 0;
  } else if (!ok || note) {
    const char *label = ok ? "note: " : "";
    if (*where) printf("%s: %s%s\n", where, label, message);
    else printf("%s%s\n", label, message);
  }
}

static void emit(Tally *t, const char *where, const char *kind, int ok, int note,
                 const char *message) {
  emit_status(t, where, kind, ok, note, NULL, message);
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
  emit(t, where, "error", 0, 0, message);
}

static const char *field_text(KaderState *K, int index, const char *name) {
  kader_get_field(K, index, name);
  const char *s = kader_to_string(K, -1, NULL);
  kader_pop(K, 1);   /* the string stays alive: the list on the stack holds it */
  return s ? s : "";
}

/* Lists the result record {where, ok, kind, message, status} on top of
** the stack. An imprecise claim passes as a note, and fails with --strict. */
static void emit_result(KaderState *K, Tally *t) {
  kader_get_field(K, -1, "ok");
  int ok = kader_to_bool(K, -1);
  kader_pop(K, 1);
  kader_get_field(K, -1, "note");
  int note = kader_to_bool(K, -1);
  kader_pop(K, 1);
  const char *status = field_text(K, -1, "status");
  if (t->strict && strcmp(status, "imprecise") == 0) {
    ok = 0;
    note = 0;
  }
  emit_status(t, field_text(K, -1, "where"), field_text(K, -1, "kind"), ok, note, status,
              field_text(K, -1, "message"));
}

/* Calls global fn with item i of the list on top of the stack; KADER_OK
** with the result pushed, or the error (nothing pushed). */
static KaderResult call_with_item(KaderState *K, const char *fn, size_t i) {
  kader_get_global(K, fn);
  kader_get_item(K, -2, i);
  return kader_call(K, 1);
}

/* Evaluates the claims one at a time. They are evaluated after the model
** ran, with no line of the model running, so an error the library raises
** for one (a claim it cannot evaluate) would name a line of the library
** and end the checks of every other claim and finding: it is a failure at
** that claim instead, and the others are still checked. */
static void check_claims(KaderState *K, const char *path, Tally *t) {
  kader_get_global(K, "declarations");
  kader_get_global(K, "claim");
  if (kader_call(K, 1) != KADER_OK) {
    emit_error(t, K, path);
    return;
  }
  size_t n = kader_len(K, -1);
  for (size_t i = 1; i <= n; i++) {
    if (call_with_item(K, "claim_result", i) == KADER_OK) {
      emit_result(K, t);
      kader_pop(K, 1);
      continue;
    }
    const char *msg = kader_error_message(K);
    char message[1200];
    snprintf(message, sizeof message, "the claim could not be checked: %s", msg ? msg : "an error");
    if (call_with_item(K, "where", i) == KADER_OK) {
      emit(t, kader_to_string(K, -1, NULL), "error", 0, 0, message);
      kader_pop(K, 1);
    } else {
      emit(t, path, "error", 0, 0, message);
    }
  }
  kader_pop(K, 1);
}

/* Runs the model, then its claims and consistency checks. */
static void run_checks(KaderState *K, const char *path, Tally *t) {
  if (kader_run_file(K, path) != KADER_OK) {
    emit_error(t, K, path);
    return;
  }
  check_claims(K, path, t);
  kader_get_global(K, "finding_results");
  if (kader_call(K, 0) != KADER_OK) {
    emit_error(t, K, path);
    return;
  }
  size_t n = kader_len(K, -1);
  for (size_t i = 1; i <= n; i++) {
    kader_get_item(K, -1, i);
    emit_result(K, t);
    kader_pop(K, 1);
  }
  kader_pop(K, 1);
}

/* The files that other files being checked import (their real paths). */
typedef struct { char **items; int count, cap; } PathSet;

static void add_imported(void *set, const char *path) {
  PathSet *s = set;
  for (int i = 0; i < s->count; i++)
    if (strcmp(s->items[i], path) == 0) return;
  if (s->count == s->cap) {
    int cap = s->cap ? s->cap * 2 : 16;
    char **items = realloc(s->items, sizeof *items * (size_t)cap);
    if (!items) return;   /* out of memory: fewer files count as modules */
    s->items = items;
    s->cap = cap;
  }
  s->items[s->count] = strdup(path);
  if (s->items[s->count]) s->count++;
}

static int is_imported(const PathSet *s, const char *path) {
  char *canon = realpath(path, NULL);
  int found = 0;
  for (int i = 0; canon && i < s->count && !found; i++) found = strcmp(s->items[i], canon) == 0;
  free(canon);
  return found;
}

/* Each static finding is a failure at its place. */
typedef struct { Tally *t; int errors; } LintSink;

static void on_finding(void *sink, const char *file, int line, int column, const char *kind,
                       const char *message) {
  LintSink *s = sink;
  char where[1100];
  if (line > 0) snprintf(where, sizeof where, "%s:%d:%d", file, line, column);
  else snprintf(where, sizeof where, "%s", file);
  if (strcmp(kind, "error") == 0) s->errors++;
  emit(s->t, where, kind, 0, 0, message);
}

static void check_one(KaderConfig *base, const char *path, int module, Tally *t) {
  KaderConfig c = *base;
  KdCliText out = {0}, err = {0};
  kd_cli_capture(&c, &out, &err);
  KaderState *K = kader_new(&c);
  if (!K) {
    emit(t, path, "error", 0, 0, "could not start the interpreter");
    return;
  }
  LintSink sink = {t, 0};
  kader_lint_file(K, path, module ? KADER_LINT_MODULE : 0, on_finding, &sink);
  /* after a syntax error (or an unreadable file) running would only repeat it */
  if (sink.errors == 0) run_checks(K, path, t);
  kader_free(K);
  kd_cli_text_free(&out);
  kd_cli_text_free(&err);
}

int kd_cli_check(KaderConfig *config, int argc, char **argv) {
  /* --strict (anywhere among the paths): imprecise claims fail too */
  int strict = 0, nargs = 0;
  char **args = malloc(sizeof *args * (size_t)(argc + 1));
  if (!args) return 2;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--strict") == 0) strict = 1;
    else args[nargs++] = argv[i];
  }
  args[nargs] = NULL;
  int npaths = 0;
  char **paths = kd_cli_collect(nargs, args, ".kader", &npaths);
  free(args);
  if (!paths) return 2;
  Tally t = {0, 0, config->format && strcmp(config->format, "json") == 0, 1, strict};
  if (t.json) printf("{\"results\": [");
  PathSet imported = {0};
  for (int i = 0; i < npaths; i++) kader_lint_imports(paths[i], add_imported, &imported);
  for (int i = 0; i < npaths; i++)
    check_one(config, paths[i], is_imported(&imported, paths[i]), &t);
  kd_cli_free_list(imported.items, imported.count);
  if (t.json) printf("], \"passed\": %d, \"failed\": %d}\n", t.passed, t.failed);
  else printf("%d passed, %d failed\n", t.passed, t.failed);
  kd_cli_free_list(paths, npaths);
  return t.failed > 0 ? 1 : 0;
}

/*
** test_limits.c — the front end's limits through the embedding API: long
** chains on a thread with a small stack (as embedding hosts run Kader), and
** completion on a line of a megabyte. Only kader.h.
*/
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kader.h"

/* The stack of the small thread: 1 MB, the tree height bound is chosen so
** that the deepest walk needs well under that (docs/security.md). The
** sanitizers' frames are several times larger. */
#if defined(__SANITIZE_ADDRESS__)
#define SMALL_STACK (4u << 20)
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SMALL_STACK (4u << 20)
#endif
#endif
#ifndef SMALL_STACK
#define SMALL_STACK (1u << 20)
#endif

#define MEGABYTE (1u << 20)

typedef struct { char text[4096]; size_t len; } Sink;

static void sink_write(void *ud, const char *s, size_t n) {
  Sink *sink = ud;
  if (sink->len + n >= sizeof sink->text) n = sizeof sink->text - 1 - sink->len;
  memcpy(sink->text + sink->len, s, n);
  sink->len += n;
  sink->text[sink->len] = '\0';
}

static KaderState *new_state(Sink *out, Sink *err) {
  KaderConfig config;
  kader_config_init(&config);
  config.write = sink_write;
  config.write_userdata = out;
  config.write_error = sink_write;
  config.error_userdata = err;
  KaderState *K = kader_new(&config);
  assert_non_null(K);
  return K;
}

/* head + unit * n + tail, malloc'd. */
static char *repeat(const char *head, const char *unit, size_t n, const char *tail) {
  size_t h = strlen(head), u = strlen(unit), t = strlen(tail);
  char *s = malloc(h + u * n + t + 1), *p = s;
  assert_non_null(s);
  memcpy(p, head, h);
  p += h;
  for (size_t i = 0; i < n; i++, p += u) memcpy(p, unit, u);
  memcpy(p, tail, t + 1);
  return s;
}

/* ---- chains on a small stack ------------------------------------------ */

typedef struct Job {
  Sink out, err;
  KaderResult chain_ok, chain_too_long, nested_fns, formatted;
  const char *error;
} Job;

static void *small_thread(void *ud) {
  Job *j = ud;
  KaderState *K = new_state(&j->out, &j->err);
  /* the highest tree there may be: 997 additions in a print (and the
  ** call and the statement) */
  char *src = repeat("print(1", "+1", 997, ")\n");
  j->chain_ok = kader_run_string(K, "ok.kader", src, strlen(src));
  char *formatted = kader_format_source(K, "ok.kader", src, strlen(src));
  j->formatted = formatted ? KADER_OK : KADER_SYNTAX_ERROR;
  free(formatted);
  free(src);
  /* one more is a located error */
  src = repeat("print(1", "+1", 1000, ")\n");
  j->chain_too_long = kader_run_string(K, "long.kader", src, strlen(src));
  j->error = kader_error_message(K);
  free(src);
  /* functions in functions: each compiler lives on the heap */
  src = repeat("let f = ", "fn () => ", 190, "1\nprint(1)\n");
  j->nested_fns = kader_run_string(K, "fns.kader", src, strlen(src));
  free(src);
  kader_free(K);
  return NULL;
}

static void test_chain_on_small_stack(void **state) {
  (void)state;
  pthread_attr_t attr;
  pthread_t t;
  static Job j; /* the sinks are larger than a small stack should hold */
  memset(&j, 0, sizeof j);
  assert_int_equal(pthread_attr_init(&attr), 0);
  assert_int_equal(pthread_attr_setstacksize(&attr, SMALL_STACK), 0);
  assert_int_equal(pthread_create(&t, &attr, small_thread, &j), 0);
  assert_int_equal(pthread_join(t, NULL), 0);
  pthread_attr_destroy(&attr);
  assert_int_equal(j.chain_ok, KADER_OK);
  assert_int_equal(j.formatted, KADER_OK);
  assert_int_equal(j.chain_too_long, KADER_SYNTAX_ERROR);
  assert_int_equal(j.nested_fns, KADER_OK);
  assert_string_equal(j.out.text, "998\n1\n");
  assert_non_null(strstr(j.err.text, "long.kader:1:2006: error: this expression is too long"));
}

/* ---- completion on a megabyte ----------------------------------------- */

typedef struct { int count; char first[64]; } Words;

static void collect(void *ud, const char *word) {
  Words *w = ud;
  if (w->count++ == 0) snprintf(w->first, sizeof w->first, "%s", word);
}

static void test_complete_long_line(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  const char *model = "let r = {a: {a: 1}}\nlet rr = r\n";
  assert_int_equal(kader_run_string(K, "m.kader", model, strlen(model)), KADER_OK);
  Words w = {0, ""};
  /* a field chain of half a million that names nothing */
  char *line = repeat("r", ".a", MEGABYTE / 2, ".");
  kader_complete(K, line, strlen(line), collect, &w);
  assert_int_equal(w.count, 0);
  free(line);
  /* one name of a megabyte: nothing starts with it */
  line = repeat("", "r", MEGABYTE, "");
  w.count = 0;
  kader_complete(K, line, strlen(line), collect, &w);
  assert_int_equal(w.count, 0);
  /* ... the same after a dot */
  line[0] = '.';
  w.count = 0;
  kader_complete(K, line, strlen(line), collect, &w);
  assert_int_equal(w.count, 0);
  free(line);
  /* a megabyte of brackets and dots before a name that does complete */
  line = repeat("", ".([", MEGABYTE / 3, "r");
  w.count = 0;
  kader_complete(K, line, strlen(line), collect, &w);
  assert_true(w.count >= 2); /* r, rr, round, ... */
  assert_string_equal(w.first, "r");
  free(line);
  line = repeat("", "x ", MEGABYTE / 2, "rr.a.");
  w.count = 0;
  kader_complete(K, line, strlen(line), collect, &w);
  assert_int_equal(w.count, 1);
  assert_string_equal(w.first, "a");
  free(line);
  kader_free(K);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_chain_on_small_stack),
    cmocka_unit_test(test_complete_long_line),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

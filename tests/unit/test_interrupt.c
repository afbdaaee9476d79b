/*
** test_interrupt.c — kader_interrupt from another thread stops a running
** program with "interrupted" (a loop, a recursion, a regular-expression
** match), and the state stays usable afterwards.
*/
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "kader.h"

typedef struct { char text[4096]; size_t len; } Sink;

static void sink_write(void *ud, const char *s, size_t n) {
  Sink *sink = ud;
  if (sink->len + n >= sizeof sink->text) n = sizeof sink->text - 1 - sink->len;
  memcpy(sink->text + sink->len, s, n);
  sink->len += n;
  sink->text[sink->len] = '\0';
}

static void *interrupt_soon(void *arg) {
  struct timespec pause = {0, 50 * 1000 * 1000}; /* 50 ms */
  nanosleep(&pause, NULL);
  kader_interrupt((KaderState *)arg);
  return NULL;
}

static KaderState *new_state(Sink *out, Sink *err) {
  KaderConfig config;
  kader_config_init(&config);
  config.write = sink_write;
  config.write_userdata = out;
  config.write_error = sink_write;
  config.error_userdata = err;
  return kader_new(&config);
}

static void test_interrupt_endless_loop(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  assert_non_null(K);
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, interrupt_soon, K), 0);
  const char *loop = "var n = 0\nwhile true { n = n + 1 }\n";
  assert_int_equal(kader_run_string(K, "loop.kader", loop, strlen(loop)),
                   KADER_RUNTIME_ERROR);
  pthread_join(t, NULL);
  assert_non_null(strstr(err.text, "loop.kader:2:"));
  assert_non_null(strstr(err.text, "interrupted"));
  /* the state goes on, with what the program defined */
  const char *after = "print(n > 0)\n";
  assert_int_equal(kader_run_string(K, "after.kader", after, strlen(after)), KADER_OK);
  assert_string_equal(out.text, "true\n");
  kader_free(K);
}

static void test_interrupt_recursion(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  assert_non_null(K);
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, interrupt_soon, K), 0);
  /* no loop at all: the check on calls catches it */
  const char *fib = "fn f(n) { if n < 2 { return n }\n return f(n - 1) + f(n - 2) }\nf(60)\n";
  assert_int_equal(kader_run_string(K, "fib.kader", fib, strlen(fib)),
                   KADER_RUNTIME_ERROR);
  pthread_join(t, NULL);
  assert_non_null(strstr(err.text, "interrupted"));
  kader_free(K);
}

/* A pattern that backtracks catastrophically, with the limits at their
** largest (about ten seconds of work): an interrupt stops the match itself,
** not only the loop around it. */
static void interrupt_regex(const char *call) {
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  assert_non_null(K);
  char src[512];
  snprintf(src, sizeof src,
           "regex_limits(1000000000, 1000000000)\n"
           "let text = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\"\n"
           "print(%s)\n", call);
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, interrupt_soon, K), 0);
  assert_int_equal(kader_run_string(K, "regex.kader", src, strlen(src)),
                   KADER_RUNTIME_ERROR);
  pthread_join(t, NULL);
  assert_non_null(strstr(err.text, "regex.kader:3:7: runtime error: interrupted"));
  assert_string_equal(out.text, "");
  /* the state goes on: the pattern, the limits and matching still work */
  const char *after = "print(test(\"aab\", /(a+)+b$/), test(text, /b$/))\n";
  assert_int_equal(kader_run_string(K, "after.kader", after, strlen(after)), KADER_OK);
  assert_string_equal(out.text, "true true\n");
  kader_free(K);
}

static void test_interrupt_regex_test(void **state) {
  (void)state;
  interrupt_regex("test(text, /(a+)+$/)");
}

static void test_interrupt_regex_replace(void **state) {
  (void)state;
  interrupt_regex("replace(text, /(a+)+$/, \"x\")");
}

static void test_interrupt_regex_match_all(void **state) {
  (void)state;
  interrupt_regex("match_all(\"ab \" + text, /ab|(a+)+$/)");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_interrupt_endless_loop),
    cmocka_unit_test(test_interrupt_recursion),
    cmocka_unit_test(test_interrupt_regex_test),
    cmocka_unit_test(test_interrupt_regex_replace),
    cmocka_unit_test(test_interrupt_regex_match_all),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

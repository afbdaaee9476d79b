/*
** test_diag.c — how an error shows its source line (kd_render_diag through
** kader.h): a long line is cut to a window around the caret, at character
** boundaries, with "…" where it is cut, and the caret stays under the right
** character (tabs, multi-byte characters, either end of the line).
*/
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kader.h"

typedef struct { char text[65536]; size_t len; } Sink;

static void sink_write(void *ud, const char *s, size_t n) {
  Sink *sink = ud;
  if (sink->len + n >= sizeof sink->text) n = sizeof sink->text - 1 - sink->len;
  memcpy(sink->text + sink->len, s, n);
  sink->len += n;
  sink->text[sink->len] = '\0';
}

static Sink err;

/* Runs src (an error on its first line) and returns the source line and the
** caret line of the diagnostic, each without the gutter ("    1 | "). */
static void render(const char *src, char *shown, char *caret, size_t cap) {
  KaderConfig config;
  kader_config_init(&config);
  config.write_error = sink_write;
  config.error_userdata = &err;
  err.len = 0;
  err.text[0] = '\0';
  KaderState *K = kader_new(&config);
  assert_non_null(K);
  assert_int_not_equal(kader_run_string(K, "lang.kader", src, strlen(src)), KADER_OK);
  kader_free(K);
  const char *l1 = strstr(err.text, "\n    1 | ");
  assert_non_null(l1);
  l1 += strlen("\n    1 | ");
  const char *e1 = strchr(l1, '\n');
  assert_non_null(e1);
  const char *l2 = e1 + 1;
  assert_memory_equal(l2, "      | ", 8);
  l2 += 8;
  const char *e2 = strchr(l2, '\n');
  assert_non_null(e2);
  assert_true((size_t)(e1 - l1) < cap && (size_t)(e2 - l2) < cap);
  memcpy(shown, l1, (size_t)(e1 - l1));
  shown[e1 - l1] = '\0';
  memcpy(caret, l2, (size_t)(e2 - l2));
  caret[e2 - l2] = '\0';
}

/* Characters (not bytes) in s. */
static size_t chars(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* The character the first '^' is under, as a UTF-8 string in out. */
static void under_caret(const char *shown, const char *caret, char *out) {
  size_t col = strcspn(caret, "^");
  const char *p = shown;
  for (size_t i = 0; i < col; i++) {
    assert_true(caret[i] == ' ' || caret[i] == '\t');
    assert_int_equal(caret[i] == '\t', *p == '\t'); /* tabs line up */
    p++;
    while (((unsigned char)*p & 0xC0) == 0x80) p++;
  }
  size_t n = 1;
  while (((unsigned char)p[n] & 0xC0) == 0x80) n++;
  memcpy(out, p, n);
  out[n] = '\0';
}

/* "let x = [0, 1, …, n-1, MIDDLE, 0, 1, …]": a line of about 6 KB */
static char *long_line(const char *before, const char *middle, const char *after) {
  size_t cap = 65536, len = 0;
  char *s = malloc(cap);
  assert_non_null(s);
  len += (size_t)snprintf(s + len, cap - len, "%s", before);
  for (int i = 0; i < 1000; i++) len += (size_t)snprintf(s + len, cap - len, "%d, ", i);
  len += (size_t)snprintf(s + len, cap - len, "%s", middle);
  for (int i = 0; i < 1000; i++) len += (size_t)snprintf(s + len, cap - len, ", %d", i);
  snprintf(s + len, cap - len, "%s\n", after);
  return s;
}

static char shown[8192], caret[8192], at[8];

static void test_short_line_whole(void **state) {
  (void)state;
  render("let x = 1 + nergens\n", shown, caret, sizeof shown);
  assert_string_equal(shown, "let x = 1 + nergens");
  assert_string_equal(caret, "            ^^^^^^^");
}

static void test_long_line_middle(void **state) {
  (void)state;
  char *src = long_line("let x = [", "nergens", "]");
  render(src, shown, caret, sizeof shown);
  free(src);
  /* cut on both sides, about 100 characters in all */
  assert_true(strncmp(shown, "\xE2\x80\xA6", 3) == 0);
  assert_true(strcmp(shown + strlen(shown) - 3, "\xE2\x80\xA6") == 0);
  assert_in_range(chars(shown), 90, 110);
  under_caret(shown, caret, at);
  assert_string_equal(at, "n");
  assert_non_null(strstr(caret, "^^^^^^^"));
  assert_true(strstr(shown, "nergens") != NULL);
  /* the context before the caret is there */
  assert_non_null(strstr(shown, "998, 999, nergens, 0, 1"));
}

static void test_long_line_caret_at_start(void **state) {
  (void)state;
  char *src = long_line("let x = nergens + [", "1", "]");
  render(src, shown, caret, sizeof shown);
  free(src);
  assert_true(strncmp(shown, "let x = nergens + [0, 1, 2", 26) == 0); /* not cut */
  assert_true(strcmp(shown + strlen(shown) - 3, "\xE2\x80\xA6") == 0);
  assert_in_range(chars(shown), 90, 110);
  assert_string_equal(caret, "        ^^^^^^^");
}

static void test_long_line_caret_at_end(void **state) {
  (void)state;
  char *src = long_line("let x = [", "1", "] + nergens");
  render(src, shown, caret, sizeof shown);
  free(src);
  assert_true(strncmp(shown, "\xE2\x80\xA6", 3) == 0);
  size_t n = strlen(shown);
  assert_true(n > 7 && strcmp(shown + n - 7, "nergens") == 0); /* not cut */
  assert_in_range(chars(shown), 90, 110);
  under_caret(shown, caret, at);
  assert_string_equal(at, "n");
  assert_int_equal(chars(caret), chars(shown)); /* the carets reach the end */
}

/* The end of the input: the caret just after the last character. */
static void test_long_line_end_of_input(void **state) {
  (void)state;
  char *src = long_line("let x = [", "1", " +");
  render(src, shown, caret, sizeof shown);
  free(src);
  assert_true(strncmp(shown, "\xE2\x80\xA6", 3) == 0);
  size_t n = strlen(shown);
  assert_true(n > 2 && strcmp(shown + n - 2, " +") == 0);
  assert_int_equal(chars(caret), chars(shown) + 1);
  assert_int_equal(caret[strlen(caret) - 1], '^');
}

/* Multi-byte characters before the caret and where the window is cut, and
** tabs: the caret stays under the character, the cut between characters. */
static void test_long_line_utf8_and_tabs(void **state) {
  (void)state;
  size_t cap = 65536, len = 0;
  char *src = malloc(cap);
  assert_non_null(src);
  len += (size_t)snprintf(src + len, cap - len, "let x = [");
  for (int i = 0; i < 700; i++)
    len += (size_t)snprintf(src + len, cap - len, "\"é€\",\t");
  len += (size_t)snprintf(src + len, cap - len, "nergens");
  for (int i = 0; i < 700; i++)
    len += (size_t)snprintf(src + len, cap - len, ",\t\"€é\"");
  snprintf(src + len, cap - len, "]\n");
  render(src, shown, caret, sizeof shown);
  free(src);
  /* valid UTF-8 throughout: no character cut in half */
  for (const unsigned char *p = (const unsigned char *)shown; *p;) {
    int n = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
    assert_true(*p < 0x80 || *p >= 0xC0);
    for (int k = 1; k < n; k++) assert_int_equal(p[k] & 0xC0, 0x80);
    p += n;
  }
  assert_in_range(chars(shown), 90, 110);
  under_caret(shown, caret, at);
  assert_string_equal(at, "n");
  assert_non_null(strchr(caret, '\t'));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_short_line_whole),
    cmocka_unit_test(test_long_line_middle),
    cmocka_unit_test(test_long_line_caret_at_start),
    cmocka_unit_test(test_long_line_caret_at_end),
    cmocka_unit_test(test_long_line_end_of_input),
    cmocka_unit_test(test_long_line_utf8_and_tabs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

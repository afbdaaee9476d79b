/*
** harness.c — the shared part of the fuzz targets (see harness.h).
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

void fuzz_fail(const char *fmt, ...) {
  va_list ap;
  fputs("fuzz: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  abort();
}

static void keep_output(void *userdata, const char *text, size_t len) {
  FuzzOutput *out = userdata;
  if (!out->text) {
    out->text = malloc(FUZZ_OUTPUT_CAP);
    if (!out->text) fuzz_fail("out of memory for the output");
  }
  size_t room = FUZZ_OUTPUT_CAP - out->kept;
  size_t n = len < room ? len : room;
  memcpy(out->text + out->kept, text, n);
  out->kept += n;
  out->len += len;
}

static void discard(void *userdata, const char *text, size_t len) {
  (void)userdata;
  (void)text;
  (void)len;
}

KaderState *fuzz_state(FuzzOutput *out, const char *format) {
  KaderConfig config;
  kader_config_init(&config);
  config.allow = 0;      /* no ffi, run, env, or writing elsewhere */
  config.sandbox = 1;    /* reading only in the current directory */
  /* an output directory that cannot be made: write_file always fails */
  config.output_dir = "/dev/null/kader-fuzz";
  config.step_limit = FUZZ_STEP_LIMIT;
  config.memory_limit = FUZZ_MEMORY_LIMIT;
  config.format = format;
  config.write = out ? keep_output : discard;
  config.write_userdata = out;
  config.write_error = discard;
  KaderState *K = kader_new(&config);
  if (!K) fuzz_fail("kader_new failed");
  return K;
}

void fuzz_output_free(FuzzOutput *out) {
  free(out->text);
  out->text = NULL;
  out->len = out->kept = 0;
}

void fuzz_check_place(const char *what, const char *src, size_t len, int line,
                      int column, int allow_none) {
  if (line == 0 && column == 0 && allow_none) return;
  /* find the line: its first byte and its length */
  int at = 1;
  size_t start = 0;
  for (size_t i = 0; i < len && at < line; i++)
    if (src[i] == '\n') {
      at++;
      start = i + 1;
    }
  if (line < 1 || at < line)
    fuzz_fail("%s at %d:%d, but the input has %d lines", what, line, column, at);
  const char *end = len > start ? memchr(src + start, '\n', len - start) : NULL;
  size_t line_len = end ? (size_t)(end - src) - start : len - start;
  /* columns count characters, never more than the line's bytes */
  if (column < 1 || (size_t)column > line_len + 1)
    fuzz_fail("%s at %d:%d, but line %d has %zu bytes", what, line, column, line, line_len);
}

void fuzz_check_error(KaderState *K, KaderResult r, const char *src, size_t len) {
  if (r != KADER_RUNTIME_ERROR && r != KADER_SYNTAX_ERROR)
    fuzz_fail("the run returned %d, not an error code", (int)r);
  const char *message = kader_error_message(K);
  if (!message || !message[0] || !kader_last_error(K))
    fuzz_fail("an error without a message");
  const char *file;
  int line, column;
  if (kader_error_location(K, &file, &line, &column) && file && strcmp(file, FUZZ_NAME) == 0)
    fuzz_check_place(message, src, len, line, column, 0);
}

int fuzz_hit_limit(KaderState *K) {
  const char *m = kader_error_message(K);
  return m && (strstr(m, "step limit") || strstr(m, "out of memory"));
}

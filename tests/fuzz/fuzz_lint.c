/*
** fuzz_lint.c — libFuzzer target: the static checks of `kader check`
** (kader_lint_string) on any input. The input's length decides whether it
** is checked as a module (KADER_LINT_MODULE).
**
** What must hold: every finding has a known kind, a message, the input's
** name, and a place inside the input (or none); the count returned is the
** count reported; and the checks leave the state as they found it, so
** checking the input a second time in the same state reports exactly the
** same findings.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct Findings {
  const char *src;
  size_t len;
  char *text; /* every finding, one a line */
  size_t used, cap;
  int count;
} Findings;

static void on_finding(void *userdata, const char *file, int line, int column,
                       const char *kind, const char *message) {
  static const char *const kinds[] = {"undefined", "units", "field", "unused",
                                      "unreachable", "error"};
  Findings *f = userdata;
  int known = 0;
  for (size_t i = 0; kind && i < sizeof kinds / sizeof *kinds; i++)
    known |= strcmp(kind, kinds[i]) == 0;
  if (!known) fuzz_fail("a finding of the kind %s", kind ? kind : "(none)");
  if (!message || !message[0]) fuzz_fail("a finding without a message");
  if (!file || strcmp(file, FUZZ_NAME) != 0)
    fuzz_fail("a finding in %s: %s", file ? file : "(no file)", message);
  fuzz_check_place(message, f->src, f->len, line, column, 1);
  size_t need = strlen(kind) + strlen(message) + 32;
  if (f->used + need > f->cap) {
    f->cap = (f->used + need) * 2;
    f->text = realloc(f->text, f->cap);
    if (!f->text) fuzz_fail("out of memory");
  }
  f->used += (size_t)sprintf(f->text + f->used, "%d:%d %s %s\n", line, column, kind, message);
  f->count++;
}

static Findings lint(KaderState *K, const char *src, size_t len, int flags) {
  Findings f = {src, len, NULL, 0, 0, 0};
  int n = kader_lint_string(K, FUZZ_NAME, src, len, flags, on_finding, &f);
  if (n != f.count) fuzz_fail("kader_lint_string returned %d, but reported %d", n, f.count);
  return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static KaderState *K; /* fresh from kader_new; the checks must not change it */
  if (!K) K = fuzz_state(NULL, NULL);
  const char *src = (const char *)data;
  int flags = size % 2 ? KADER_LINT_MODULE : 0;
  Findings first = lint(K, src, size, flags), second = lint(K, src, size, flags);
  if (first.used != second.used || (first.used && memcmp(first.text, second.text, first.used)))
    fuzz_fail("checked twice, the findings differ:\n--- first\n%.*s--- second\n%.*s",
              (int)first.used, first.text ? first.text : "", (int)second.used,
              second.text ? second.text : "");
  free(first.text);
  free(second.text);
  return 0;
}

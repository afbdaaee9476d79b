/*
** fuzz_fmt.c — libFuzzer target: the `kader fmt` round trip. The input is a
** model; when kader_format_source formats it:
**
**   - formatting the result again gives the result itself (idempotence);
**   - the formatted model means the same: the original and the formatted
**     model, each run in a fresh, locked-down state, end the same way (the
**     same result code and error message), print the same output and pass
**     and fail the same expect statements. kader_format_source compares the
**     tokens before and after, which cannot see a token that means
**     something else in its new place (a line break that ends a statement,
**     a space that makes `a -1` two things); running both can.
**
** Places ("fuzz.kader:3:7", from where() or in messages) are left out of the
** comparison: formatting moves code. A run stopped by a limit is not
** compared (the formatted text has another size, and so another heap).
** "would change the meaning" from the formatter itself is a finding too.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct Run {
  KaderResult result;
  char *message;  /* malloc'd, places left out */
  FuzzOutput out; /* places left out */
  int passed, failed, limited;
} Run;

/* text with every "fuzz.kader:L:C" (or ":L") replaced by "fuzz.kader:#";
** the result is never longer than the text. */
static size_t without_places(char *text, size_t len) {
  static const char name[] = FUZZ_NAME ":";
  const size_t nlen = sizeof name - 1;
  size_t r = 0, w = 0;
  while (r < len) {
    if (len - r > nlen && memcmp(text + r, name, nlen) == 0 &&
        text[r + nlen] >= '0' && text[r + nlen] <= '9') {
      memmove(text + w, name, nlen);
      w += nlen;
      text[w++] = '#';
      r += nlen;
      for (int part = 0; part < 2; part++) {
        while (r < len && text[r] >= '0' && text[r] <= '9') r++;
        if (part == 0 && r + 1 < len && text[r] == ':' && text[r + 1] >= '0' &&
            text[r + 1] <= '9')
          r++;
        else
          break;
      }
      continue;
    }
    text[w++] = text[r++];
  }
  return w;
}

static Run run(const char *src, size_t len) {
  Run run;
  memset(&run, 0, sizeof run);
  KaderState *K = fuzz_state(&run.out, NULL);
  run.result = kader_run_string(K, FUZZ_NAME, src, len);
  run.limited = run.result != KADER_OK && fuzz_hit_limit(K);
  if (run.result != KADER_OK) {
    fuzz_check_error(K, run.result, src, len);
    run.message = strdup(kader_error_message(K));
    if (!run.message) fuzz_fail("out of memory");
    run.message[without_places(run.message, strlen(run.message))] = '\0';
  }
  kader_expectations(K, &run.passed, &run.failed);
  run.out.kept = without_places(run.out.text, run.out.kept);
  kader_free(K);
  return run;
}

static void free_run(Run *run) {
  free(run->message);
  fuzz_output_free(&run->out);
}

static void same_meaning(const char *src, size_t len, const char *formatted) {
  Run a = run(src, len), b = run(formatted, strlen(formatted));
  if (a.limited || b.limited || a.out.len >= FUZZ_OUTPUT_CAP || b.out.len >= FUZZ_OUTPUT_CAP) {
    free_run(&a);
    free_run(&b);
    return;
  }
  if (a.result != b.result)
    fuzz_fail("the model ends with %d, the formatted model with %d (%s / %s)", (int)a.result,
              (int)b.result, a.message ? a.message : "ok", b.message ? b.message : "ok");
  if (a.message && strcmp(a.message, b.message) != 0)
    fuzz_fail("the model stops with \"%s\", the formatted model with \"%s\"", a.message,
              b.message);
  if (a.out.kept != b.out.kept || (a.out.kept && memcmp(a.out.text, b.out.text, a.out.kept)))
    fuzz_fail("the formatted model prints something else:\n--- model\n%.*s\n--- formatted\n%.*s",
              (int)a.out.kept, a.out.text ? a.out.text : "", (int)b.out.kept,
              b.out.text ? b.out.text : "");
  if (a.passed != b.passed || a.failed != b.failed)
    fuzz_fail("expect: %d passed and %d failed, formatted %d and %d", a.passed, a.failed,
              b.passed, b.failed);
  free_run(&a);
  free_run(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static KaderState *K; /* formatting only keeps its error there */
  const char *src = (const char *)data;
  if (!K) K = fuzz_state(NULL, NULL);
  char *once = kader_format_source(K, FUZZ_NAME, src, size);
  if (!once) {
    const char *why = kader_error_message(K);
    if (why && strstr(why, "would change the meaning")) fuzz_fail("%s", kader_last_error(K));
    return 0;
  }
  char *twice = kader_format_source(K, FUZZ_NAME, once, strlen(once));
  if (!twice) fuzz_fail("the formatted model does not format:\n%s", kader_last_error(K));
  if (strcmp(once, twice) != 0)
    fuzz_fail("formatting twice differs from formatting once:\n--- once\n%s\n--- twice\n%s",
              once, twice);
  /* a model already in the canonical layout means what it means */
  if (strlen(once) != size || memcmp(once, src, size) != 0) same_meaning(src, size, once);
  free(once);
  free(twice);
  return 0;
}

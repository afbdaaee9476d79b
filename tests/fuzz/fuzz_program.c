/*
** fuzz_program.c — libFuzzer target: the input is a model, compiled and run
** through the public API (kader.h) in a fresh, locked-down state (no ffi,
** run, env or writing; a sandbox; step and memory limits; output thrown
** away).
**
** Beyond "does not crash, does not hang": a failed run must return an error
** code with a message, and an error located in the input must point inside
** it. The report format (text, md, json) follows from the input's length,
** so that the report writers are reached too without a byte of the model
** being spent on choosing.
*/
#include <stddef.h>
#include <stdint.h>

#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const formats[] = {"text", "md", "json"};
  const char *src = (const char *)data;
  KaderState *K = fuzz_state(NULL, formats[size % 3]);
  KaderResult r = kader_run_string(K, FUZZ_NAME, src, size);
  if (r != KADER_OK) fuzz_check_error(K, r, src, size);
  kader_free(K);
  return 0;
}

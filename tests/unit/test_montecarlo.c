/*
** test_montecarlo.c — the generator under simulate: xoshiro256** as
** published (Blackman and Vigna), checked against its first outputs from
** the state {1, 2, 3, 4}, computed independently (a Python transcription
** of the algorithm's description). The distributions are tested in
** tests/uncertainty/, on fixed seeds against their analytic moments.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "montecarlo.h"

static void first_outputs(void **state) {
  (void)state;
  uint64_t s[4] = {1, 2, 3, 4};
  uint64_t out[6];
  kd_xoshiro_reference(s, out, 6);
  uint64_t want[6] = {11520u, 0u, 1509978240u, 1215971899390074240u,
                      1216172134540287360u, 607988272756665600u};
  for (int i = 0; i < 6; i++) assert_true(out[i] == want[i]);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(first_outputs)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

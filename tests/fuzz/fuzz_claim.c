/*
** fuzz_claim.c — libFuzzer target: the claim-text reader. The input is the
** text of a claim, as a report states a number ("27,5 procent", "ruim de
** helft", "elf van de veertig"), and check_claim (stdlib/claims.kader)
** reads it and checks it against the claim's value, as `kader check` does.
**
**   byte 0       the claim's value (a share, a fraction, a count, a mean, a text)
**   byte 1       its n and its scale
**   the rest     the text (the claim's label); only UTF-8 is tried, as a
**                model's text always is (the lexer refuses anything else)
**
** check_claim reads a claim's fields (label, value, n, scale, source), so
** the claim is a record with those fields, made through the API: no model is
** compiled and nothing is declared, and one state serves every input (a
** fresh state costs far more than reading a claim).
**
** What must hold: check_claim returns a result and never stops with an
** error, its status is one of the five (consistent, imprecise,
** inconsistent, impossible, unreadable: the value is never a range, so
** never "possible"), ok is true exactly when the claim is consistent, and
** the message quotes the text as it was given.
*/
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include "lexer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct Value { double x; const char *unit; } Value; /* unit NULL: text */

static const Value values[] = {
  {27.5, "%"}, {0.275, ""}, {11, ""}, {4.63, ""}, {92, ""}, {0, ""}, {100, "%"}, {1, ""},
  {0.5, ""}, {68, "%"}, {50.5, "%"}, {12.88, ""}, {0, "%"}, {40, ""}, {0, NULL}, {3, ""}
};
static const double ns[] = {0 /* nil */, 1, 40, 92, 7, 1000};
static const double scales[][2] = {{0, 0} /* nil */, {1, 5}, {0, 10}, {1, 10}};

#define COUNT(a) (sizeof (a) / sizeof *(a))

static int is_utf8(const unsigned char *s, size_t len) {
  unsigned long cp;
  for (size_t i = 0, n; i < len; i += n)
    if ((n = (size_t)lex_utf8(s + i, len - i, &cp)) == 0) return 0;
  return 1;
}

/* Pops the value on top into field name of the record below it (index -1
** counts after the pop). */
static void set(KaderState *K, const char *name) {
  if (!kader_set_field(K, -1, name)) fuzz_fail("setting %s: %s", name, kader_last_error(K));
}

static void push_claim(KaderState *K, const uint8_t *data, size_t size) {
  const Value *v = &values[data[0] % COUNT(values)];
  double n = ns[data[1] % COUNT(ns)];
  const double *scale = scales[data[1] / COUNT(ns) % COUNT(scales)];
  kader_new_record(K);
  kader_push_string(K, (const char *)data + 2, size - 2);
  set(K, "label");
  if (!v->unit) kader_push_string(K, "tekst", 5);
  else if (!v->unit[0]) kader_push_number(K, v->x);
  else if (!kader_push_quantity(K, v->x, v->unit)) fuzz_fail("no unit %s", v->unit);
  set(K, "value");
  if (n) kader_push_number(K, n);
  else kader_push_nil(K);
  set(K, "n");
  if (scale[1] == 0) kader_push_nil(K);
  else if (!kader_push_range(K, scale[0], scale[1], "")) fuzz_fail("no range");
  set(K, "scale");
  kader_push_string(K, "", 0);
  set(K, "source");
}

/* Field `name` of the record on top of the stack, as text (NULL if none). */
static const char *text_field(KaderState *K, const char *name, size_t *len) {
  if (kader_get_field(K, -1, name) != KADER_TSTRING) return NULL;
  return kader_to_string(K, -1, len);
}

static void check_result(KaderState *K, const char *label, size_t label_len) {
  static const char *const statuses[] = {"consistent", "imprecise", "inconsistent",
                                         "impossible", "unreadable"};
  if (kader_type(K, -1) != KADER_TRECORD) fuzz_fail("check_claim did not return a record");
  size_t len;
  const char *status = text_field(K, "status", &len);
  int known = 0;
  for (size_t i = 0; status && i < COUNT(statuses); i++)
    known |= strcmp(status, statuses[i]) == 0;
  if (!known) fuzz_fail("check_claim gave the status %s", status ? status : "(none)");
  int consistent = strcmp(status, "consistent") == 0;
  kader_pop(K, 1);
  if (kader_get_field(K, -1, "ok") != KADER_TBOOL || kader_to_bool(K, -1) != consistent)
    fuzz_fail("ok does not say whether the claim is consistent (it is%s)",
              consistent ? "" : " not");
  kader_pop(K, 1);
  const char *message = text_field(K, "message", &len);
  if (!message || len < label_len + 8 || memcmp(message, "claim '", 7) != 0 ||
      memcmp(message + 7, label, label_len) != 0 || message[7 + label_len] != '\'')
    fuzz_fail("the message does not quote the text: %s", message ? message : "(none)");
  kader_pop(K, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static KaderState *K;
  if (size < 2 || !is_utf8(data + 2, size - 2)) return 0;
  if (!K) K = fuzz_state(NULL, NULL);
  int top = kader_top(K);
  if (kader_get_global(K, "check_claim") != KADER_TFUNCTION) fuzz_fail("no check_claim");
  push_claim(K, data, size);
  if (kader_call(K, 1) != KADER_OK) {
    if (!fuzz_hit_limit(K))
      fuzz_fail("check_claim stopped with an error:\n%s", kader_last_error(K));
  } else {
    check_result(K, (const char *)data + 2, size - 2);
  }
  kader_pop(K, kader_top(K) - top);
  return 0;
}

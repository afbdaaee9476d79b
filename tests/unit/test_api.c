/*
** test_api.c — the embedding API (kader.h), function by function: the
** state and its configuration (sinks, allocator, memory and step limits),
** running code and errors (and how they show a long source line), the
** value stack, values of every kind, globals,
** calls, host functions and modules, completion and docs. Only kader.h.
**
** Every test makes its own state(s) with the output and the diagnostics in
** sinks (nothing reaches stdout or stderr) and frees them at the end.
*/
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kader.h"

/* ---- helpers ---------------------------------------------------------- */

typedef struct { char text[16384]; size_t len; } Sink;

static void sink_write(void *ud, const char *s, size_t n) {
  Sink *sink = ud;
  if (sink->len + n >= sizeof sink->text) n = sizeof sink->text - 1 - sink->len;
  memcpy(sink->text + sink->len, s, n);
  sink->len += n;
  sink->text[sink->len] = '\0';
}

static void sink_clear(Sink *sink) {
  sink->len = 0;
  sink->text[0] = '\0';
}

/* The states a test made: a failed assertion leaves the test at once, so
** the teardown frees what is left (ASan's leak check stays quiet about
** tests that fail). Tests free their states with free_state. */
static KaderState *live_states[4];

static void keep_state(KaderState *K) {
  for (int i = 0; i < 4; i++)
    if (!live_states[i]) {
      live_states[i] = K;
      return;
    }
  fail_msg("more than 4 states in one test");
}

static void free_state(KaderState *K) {
  for (int i = 0; i < 4; i++)
    if (live_states[i] == K) live_states[i] = NULL;
  kader_free(K);
}

static int teardown(void **state) {
  (void)state;
  for (int i = 0; i < 4; i++) {
    kader_free(live_states[i]);
    live_states[i] = NULL;
  }
  return 0;
}

/* A fresh state whose output goes to `out` and diagnostics to `err`. */
static KaderState *new_state_with(KaderConfig *config, Sink *out, Sink *err) {
  config->write = sink_write;
  config->write_userdata = out;
  config->write_error = sink_write;
  config->error_userdata = err;
  KaderState *K = kader_new(config);
  assert_non_null(K);
  keep_state(K);
  return K;
}

static KaderState *new_state(Sink *out, Sink *err) {
  KaderConfig config;
  kader_config_init(&config);
  return new_state_with(&config, out, err);
}

static KaderResult run(KaderState *K, const char *name, const char *src) {
  return kader_run_string(K, name, src, strlen(src));
}

/* Text `needle` must occur in `hay` (the whole text is shown when not). */
#define assert_has(hay, needle)                                             \
  do {                                                                      \
    const char *h_ = (hay), *n_ = (needle);                                 \
    if (!h_ || !strstr(h_, n_))                                             \
      fail_msg("expected \"%s\" in:\n%s", n_, h_ ? h_ : "(NULL)");          \
  } while (0)

#define assert_starts(text, prefix)                                         \
  do {                                                                      \
    const char *t_ = (text), *p_ = (prefix);                                \
    if (!t_ || strncmp(t_, p_, strlen(p_)) != 0)                            \
      fail_msg("expected a text starting with \"%s\", got:\n%s", p_,        \
               t_ ? t_ : "(NULL)");                                         \
  } while (0)

/* kader_show of the value at index, compared and freed. */
#define assert_shows(K, index, expected)                                    \
  do {                                                                      \
    char *s_ = kader_show((K), (index));                                    \
    assert_non_null(s_);                                                    \
    assert_string_equal(s_, (expected));                                    \
    free(s_);                                                               \
  } while (0)

/* ---- configuration and state ------------------------------------------ */

static void test_config_defaults(void **state) {
  (void)state;
  KaderConfig c;
  memset(&c, 0x5a, sizeof c);
  kader_config_init(&c);
  assert_null(c.locale);
  assert_int_equal(c.repl, 0);
  assert_null(c.write);
  assert_null(c.write_error);
  assert_int_equal(c.memory_limit, 0);
  assert_int_equal(c.step_limit, 0);
  assert_null(c.realloc);
  assert_null(c.format);
  /* a NULL config is the defaults; an unknown locale gives no state */
  KaderState *K = kader_new(NULL);
  assert_non_null(K);
  kader_free(K);
  kader_free(NULL);   /* like free(NULL) */
  c.locale = "fr";
  assert_null(kader_new(&c));
}

/* KADER_GC_STRESS: "full" from the first allocation, another value but
** "0" once the standard library is loaded; the environment as it was is
** put back (the suite may run under either). */
static void test_gc_stress_modes(void **state) {
  (void)state;
  const char *was = getenv("KADER_GC_STRESS");
  char *saved = was ? strdup(was) : NULL;
  const struct { const char *env; int mode; } cases[] = {
    {"full", KADER_GC_STRESS_FULL}, {"1", KADER_GC_STRESS_PROGRAM},
    {"yes", KADER_GC_STRESS_PROGRAM}, {"0", 0}, {"", 0},
  };
  KaderConfig c;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    setenv("KADER_GC_STRESS", cases[i].env, 1);
    kader_config_init(&c);
    assert_int_equal(c.gc_stress, cases[i].mode);
  }
  unsetenv("KADER_GC_STRESS");
  kader_config_init(&c);
  assert_int_equal(c.gc_stress, 0);
  /* a state under full stress runs a program */
  c.gc_stress = KADER_GC_STRESS_FULL;
  KaderState *K = kader_new(&c);
  assert_non_null(K);
  keep_state(K);
  const char *program = "let x = [1, 2, 3]\nassert(len(x) == 3)";
  assert_int_equal(kader_run_string(K, "<stress>", program, strlen(program)), KADER_OK);
  free_state(K);
  if (saved) { setenv("KADER_GC_STRESS", saved, 1); free(saved); }
}

static void test_locale(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderConfig c;
  kader_config_init(&c);
  c.locale = "en";
  KaderState *K = new_state_with(&c, &out, &err);
  kader_push_quantity(K, 1234.5, "€");
  assert_shows(K, -1, "€1,234.50");
  assert_int_equal(kader_set_locale(K, "nl"), 1);
  assert_shows(K, -1, "€ 1.234,50");
  assert_int_equal(kader_set_locale(K, "fr"), 0);
  assert_shows(K, -1, "€ 1.234,50");   /* unchanged */
  assert_int_equal(run(K, "l.kader", "print(0.5)\n"), KADER_OK);
  assert_string_equal(out.text, "0,5\n");
  free_state(K);
}

/* ---- running code and errors ------------------------------------------ */

static void test_run_string_and_last_error(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  assert_null(kader_last_error(K));
  assert_int_equal(run(K, "ok.kader", "let x = 20\nprint(x + 1)\n"), KADER_OK);
  assert_string_equal(out.text, "21\n");
  assert_null(kader_last_error(K));
  assert_string_equal(err.text, "");

  /* a syntax error: exit code 2, located, written to the error sink too */
  assert_int_equal(run(K, "syn.kader", "let y = \n"), KADER_SYNTAX_ERROR);
  assert_starts(kader_last_error(K), "syn.kader:1:");
  assert_has(kader_last_error(K), "error: expected an expression");
  assert_starts(err.text, "syn.kader:1:");

  /* a runtime error: located, with the source line and a caret */
  sink_clear(&err);
  assert_int_equal(run(K, "rt.kader", "let a = 1 h\nprint(a + € 1)\n"),
                   KADER_RUNTIME_ERROR);
  assert_starts(kader_last_error(K), "rt.kader:2:7: runtime error: cannot add h and €");
  assert_has(kader_last_error(K), "print(a + € 1)");
  assert_has(kader_last_error(K), "^");
  assert_string_equal(err.text, kader_last_error(K));

  /* the state goes on, with what ran before the error; success clears */
  sink_clear(&out);
  assert_int_equal(run(K, "after.kader", "print(x, a)\n"), KADER_OK);
  assert_string_equal(out.text, "20 1 h\n");
  assert_null(kader_last_error(K));
  assert_int_equal(kader_top(K), 0);
  free_state(K);
}

static void test_run_file(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  char dir[] = "/tmp/kader-api-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[256];
  snprintf(path, sizeof path, "%s/model.kader", dir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("let n = 6 * 7\nprint(n)\n", f);
  fclose(f);
  assert_int_equal(kader_run_file(K, path), KADER_OK);
  assert_string_equal(out.text, "42\n");

  char missing[300];
  snprintf(missing, sizeof missing, "%s/none.kader", dir);
  assert_int_equal(kader_run_file(K, missing), KADER_SYNTAX_ERROR);
  assert_has(kader_last_error(K), "cannot read");
  remove(path);
  rmdir(dir);
  free_state(K);
}

static void test_eval_line_and_incomplete(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  const char *e = "1 + 2";
  assert_int_equal(kader_eval_line(K, "<repl>", e, strlen(e)), KADER_OK);
  assert_string_equal(out.text, "3\n");
  sink_clear(&out);
  e = "let y = 2";   /* a statement: nothing shown */
  assert_int_equal(kader_eval_line(K, "<repl>", e, strlen(e)), KADER_OK);
  assert_string_equal(out.text, "");
  e = "y * 1 h";
  assert_int_equal(kader_eval_line(K, "<repl>", e, strlen(e)), KADER_OK);
  assert_string_equal(out.text, "2 h\n");
  /* run_string does not show the value of an expression */
  sink_clear(&out);
  assert_int_equal(run(K, "<s>", "y + 1"), KADER_OK);
  assert_string_equal(out.text, "");

  assert_int_equal(kader_is_incomplete(K, "fn f() {", 8), 1);
  assert_int_equal(kader_is_incomplete(K, "print((1", 8), 1);
  assert_int_equal(kader_is_incomplete(K, "\"open", 5), 1);
  assert_int_equal(kader_is_incomplete(K, "1 + 2", 5), 0);
  assert_int_equal(kader_is_incomplete(K, "fn f() { }", 10), 0);
  free_state(K);
}

static void test_set_args(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  const char *argv[] = {"een", "twee"};
  kader_set_args(K, 2, argv);
  assert_int_equal(run(K, "a.kader", "print(len(args), args[2])\n"), KADER_OK);
  assert_string_equal(out.text, "2 twee\n");
  free_state(K);
}

static void test_forget_imports(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  char dir[] = "/tmp/kader-api-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char mod[256], main[256], src[600];
  snprintf(mod, sizeof mod, "%s/mod.kader", dir);
  snprintf(main, sizeof main, "%s/main.kader", dir);
  FILE *f = fopen(mod, "w");
  assert_non_null(f);
  fputs("print(\"loaded\")\n", f);
  fclose(f);
  f = fopen(main, "w");
  assert_non_null(f);
  fputs("import \"mod.kader\"\n", f);
  fclose(f);
  snprintf(src, sizeof src, "%s", main);
  assert_int_equal(kader_run_file(K, src), KADER_OK);
  assert_int_equal(kader_run_file(K, src), KADER_OK);
  assert_string_equal(out.text, "loaded\n");   /* imported once */
  kader_forget_imports(K);
  assert_int_equal(kader_run_file(K, src), KADER_OK);
  assert_string_equal(out.text, "loaded\nloaded\n");
  remove(mod);
  remove(main);
  rmdir(dir);
  free_state(K);
}

/* ---- output redirection; two states ------------------------------------- */

static void test_output_sinks(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  assert_int_equal(run(K, "p.kader", "print(\"één\", 1 h)\nprint([1, 2])\n"), KADER_OK);
  assert_string_equal(out.text, "één 1 h\n[1; 2]\n");
  assert_string_equal(err.text, "");
  /* errors go to the error sink, never to the output sink */
  assert_int_equal(run(K, "e.kader", "print(\"voor\")\nprint(nope)\n"), KADER_RUNTIME_ERROR);
  assert_string_equal(out.text, "één 1 h\n[1; 2]\nvoor\n");
  assert_starts(err.text, "e.kader:2:7: runtime error: 'nope' is not defined");
  assert_int_equal(run(K, "s.kader", "let x = \n"), KADER_SYNTAX_ERROR);
  assert_has(err.text, "s.kader:1:");
  assert_string_equal(out.text, "één 1 h\n[1; 2]\nvoor\n");
  /* warnings of a model go to the error sink */
  sink_clear(&err);
  assert_int_equal(run(K, "w.kader",
                       "group g \"G\" {\n  population: 10, complete: 4\n"
                       "  stratum a \"A\" { population: 5, complete: 1 }\n}\n"), KADER_OK);
  assert_starts(err.text, "w.kader:1:7: warning: G: de strata tellen");
  assert_string_equal(out.text, "één 1 h\n[1; 2]\nvoor\n");
  free_state(K);
}

static void test_two_states(void **state) {
  (void)state;
  Sink out1 = {{0}, 0}, err1 = {{0}, 0}, out2 = {{0}, 0}, err2 = {{0}, 0};
  KaderState *A = new_state(&out1, &err1);
  KaderConfig c;
  kader_config_init(&c);
  c.locale = "en";
  KaderState *B = new_state_with(&c, &out2, &err2);
  assert_int_equal(run(A, "a.kader", "let x = 1\nfn f() { return \"A\" }\nprint(x / 2)\n"), KADER_OK);
  assert_int_equal(run(B, "b.kader", "let x = 2\nfn f() { return \"B\" }\nprint(x / 4)\n"), KADER_OK);
  assert_string_equal(out1.text, "0,5\n");
  assert_string_equal(out2.text, "0.5\n");
  assert_int_equal(run(A, "a2.kader", "print(f(), x)\n"), KADER_OK);
  assert_int_equal(run(B, "b2.kader", "print(f(), x)\n"), KADER_OK);
  assert_string_equal(out1.text, "0,5\nA 1\n");
  assert_string_equal(out2.text, "0.5\nB 2\n");
  /* a global set in one is not in the other; stacks are separate */
  kader_push_number(A, 5);
  kader_set_global(A, "only_a");
  assert_int_equal(kader_get_global(B, "only_a"), KADER_TNIL);
  assert_int_equal(kader_top(A), 0);
  assert_int_equal(kader_top(B), 1);
  /* an error in one leaves the other alone */
  assert_int_equal(run(A, "bad.kader", "print(1 h + € 1)\n"), KADER_RUNTIME_ERROR);
  assert_null(kader_last_error(B));
  assert_string_equal(err2.text, "");
  free_state(A);
  assert_int_equal(run(B, "b3.kader", "print(x)\n"), KADER_OK);
  assert_string_equal(out2.text, "0.5\nB 2\n2\n");
  free_state(B);
}

/* ---- the stack ----------------------------------------------------------- */

static void test_stack_basics(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  assert_int_equal(kader_top(K), 0);
  kader_push_nil(K);
  kader_push_bool(K, 7);
  kader_push_number(K, 2.5);
  assert_int_equal(kader_top(K), 3);
  /* index 1 is the bottom, -1 the top */
  assert_int_equal(kader_type(K, 1), KADER_TNIL);
  assert_int_equal(kader_type(K, 2), KADER_TBOOL);
  assert_int_equal(kader_type(K, 3), KADER_TNUMBER);
  assert_int_equal(kader_type(K, -1), KADER_TNUMBER);
  assert_int_equal(kader_type(K, -3), KADER_TNIL);
  /* outside the stack: nil, and readers give neutral answers */
  assert_int_equal(kader_type(K, 4), KADER_TNIL);
  assert_int_equal(kader_type(K, -4), KADER_TNIL);
  assert_int_equal(kader_type(K, 0), KADER_TNIL);
  assert_true(kader_to_number(K, 9) == 0);
  assert_null(kader_to_string(K, 9, NULL));
  assert_int_equal(kader_to_bool(K, 2), 1);
  assert_int_equal(kader_to_bool(K, 1), 0);
  assert_true(kader_to_number(K, -1) == 2.5);
  kader_pop(K, 2);
  assert_int_equal(kader_top(K), 1);
  kader_pop(K, 10);   /* more than there is: empty, not below */
  assert_int_equal(kader_top(K), 0);
  kader_pop(K, 0);
  assert_int_equal(kader_top(K), 0);
  free_state(K);
}

static void test_types_of_every_kind(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  assert_int_equal(run(K, "k.kader",
                       "kind thing { size: number }\n"
                       "thing a \"A\" { size: 1 }\n"
                       "fn f(x) { return x }\n"), KADER_OK);
  kader_push_nil(K);
  kader_push_bool(K, 0);
  kader_push_number(K, 1);
  assert_int_equal(kader_push_quantity(K, 1, "h"), 1);
  assert_int_equal(kader_push_range(K, 1, 2, ""), 1);
  kader_push_string(K, "s", 1);
  kader_new_list(K);
  kader_new_record(K);
  assert_int_equal(kader_get_global(K, "a"), KADER_TDECLARATION);
  assert_int_equal(kader_get_global(K, "f"), KADER_TFUNCTION);
  assert_int_equal(kader_get_global(K, "round"), KADER_TFUNCTION);  /* native */
  assert_int_equal(kader_get_global(K, "thing"), KADER_TOTHER);     /* a kind */
  const KaderType want[] = {
    KADER_TNIL, KADER_TBOOL, KADER_TNUMBER, KADER_TQUANTITY, KADER_TRANGE,
    KADER_TSTRING, KADER_TLIST, KADER_TRECORD, KADER_TDECLARATION,
    KADER_TFUNCTION, KADER_TFUNCTION, KADER_TOTHER};
  assert_int_equal(kader_top(K), 12);
  for (int i = 0; i < 12; i++) assert_int_equal(kader_type(K, i + 1), want[i]);
  free_state(K);
}

/* ---- numbers, quantities, ranges, strings ---------------------------------- */

static void test_numbers_and_quantities(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  int ok = -1;
  kader_push_number(K, 0.25);
  assert_int_equal(kader_type(K, -1), KADER_TNUMBER);
  assert_string_equal(kader_unit(K, -1), "");
  assert_true(kader_to_unit(K, -1, "", &ok) == 0.25);
  assert_int_equal(ok, 1);
  assert_true(kader_to_unit(K, -1, "h", &ok) == 0);   /* a number is no time */
  assert_int_equal(ok, 0);
  assert_shows(K, -1, "0,25");
  kader_pop(K, 1);

  assert_int_equal(kader_push_quantity(K, 12.5, "h/week"), 1);
  assert_int_equal(kader_type(K, -1), KADER_TQUANTITY);
  assert_string_equal(kader_unit(K, -1), "h/week");
  assert_true(kader_to_number(K, -1) == 12.5);
  assert_shows(K, -1, "12,5 h/week");
  /* compatible units convert; incompatible and unknown ones do not */
  ok = 0;
  assert_true(kader_to_unit(K, -1, "min/week", &ok) == 750);
  assert_int_equal(ok, 1);
  ok = 0;
  assert_true(kader_to_unit(K, -1, "h/year", &ok) == 650);
  assert_int_equal(ok, 1);
  ok = 1;
  assert_true(kader_to_unit(K, -1, "€", &ok) == 0);
  assert_int_equal(ok, 0);
  ok = 1;
  assert_true(kader_to_unit(K, -1, "h", &ok) == 0);
  assert_int_equal(ok, 0);
  ok = 1;
  assert_true(kader_to_unit(K, -1, "parsec", &ok) == 0);
  assert_int_equal(ok, 0);
  kader_pop(K, 1);

  /* other units as written in Kader */
  assert_int_equal(kader_push_quantity(K, 400, "€/year"), 1);
  assert_string_equal(kader_unit(K, -1), "€/year");
  assert_int_equal(kader_push_quantity(K, 3, "h^2"), 1);
  assert_int_equal(kader_type(K, -1), KADER_TQUANTITY);
  assert_shows(K, -1, "3 h^2");
  assert_int_equal(kader_push_quantity(K, 2, ""), 1);   /* "" : a number */
  assert_int_equal(kader_type(K, -1), KADER_TNUMBER);
  assert_int_equal(kader_top(K), 3);
  kader_pop(K, 3);

  /* an unknown or malformed unit: 0, and nothing pushed */
  assert_int_equal(kader_push_quantity(K, 1, "parsec"), 0);
  assert_int_equal(kader_push_quantity(K, 1, "h//week"), 0);
  assert_int_equal(kader_push_quantity(K, 1, "/week"), 0);
  assert_int_equal(kader_push_quantity(K, 1, "h^"), 0);
  assert_int_equal(kader_top(K), 0);
  free_state(K);
}

/* A unit that ends in '/' is not a unit (Kader code rejects `1 h/`). */
static void test_unit_trailing_slash(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  assert_int_equal(kader_push_quantity(K, 1, "h/"), 0);
  assert_int_equal(kader_top(K), 0);
  assert_int_equal(kader_push_range(K, 1, 2, "€/"), 0);
  assert_int_equal(kader_top(K), 0);
  int ok = 1;
  kader_push_quantity(K, 1, "h");
  kader_to_unit(K, -1, "h/", &ok);
  assert_int_equal(ok, 0);
  free_state(K);
}

static void test_ranges(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  assert_int_equal(kader_push_range(K, 1, 2.5, "h"), 1);
  assert_int_equal(kader_type(K, -1), KADER_TRANGE);
  assert_true(kader_range_lo(K, -1) == 1);
  assert_true(kader_range_hi(K, -1) == 2.5);
  assert_string_equal(kader_unit(K, -1), "h");
  assert_shows(K, -1, "1 tot 2,5 h");
  /* its ends as fields, with the unit */
  assert_int_equal(kader_get_field(K, -1, "hi"), KADER_TQUANTITY);
  assert_true(kader_to_number(K, -1) == 2.5);
  assert_string_equal(kader_unit(K, -1), "h");
  kader_pop(K, 1);
  assert_int_equal(kader_get_field(K, -1, "mid"), KADER_TQUANTITY);
  assert_true(kader_to_number(K, -1) == 1.75);
  kader_pop(K, 1);
  /* a range is not a quantity */
  int ok = 1;
  kader_to_unit(K, -1, "h", &ok);
  assert_int_equal(ok, 0);
  /* from Kader code */
  kader_set_global(K, "r");
  assert_int_equal(run(K, "r.kader", "print(r.lo, r + 1 h)\n"), KADER_OK);
  assert_string_equal(out.text, "1 h 2 tot 3,5 h\n");
  /* a range of numbers; reading a non-range gives 0 */
  assert_int_equal(kader_push_range(K, -1, 1, ""), 1);
  assert_string_equal(kader_unit(K, -1), "");
  kader_push_number(K, 3);
  assert_true(kader_range_lo(K, -1) == 0 && kader_range_hi(K, -1) == 0);
  kader_pop(K, 2);
  /* lo above hi, an unknown unit: 0 and nothing pushed */
  assert_int_equal(kader_push_range(K, 2, 1, "h"), 0);
  assert_int_equal(kader_push_range(K, 1, 2, "parsec"), 0);
  assert_int_equal(kader_top(K), 0);
  free_state(K);
}

static void test_strings(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  const char *s = "één €";   /* 5 characters, 10 bytes */
  kader_push_string(K, s, strlen(s));
  assert_int_equal(kader_type(K, -1), KADER_TSTRING);
  assert_int_equal(kader_len(K, -1), 5);
  size_t len = 0;
  const char *back = kader_to_string(K, -1, &len);
  assert_int_equal(len, strlen(s));
  assert_memory_equal(back, s, len);
  assert_int_equal(back[len], '\0');
  assert_non_null(kader_to_string(K, -1, NULL));   /* len may be NULL */
  assert_shows(K, -1, "één €");
  /* only `len` bytes are taken */
  kader_push_string(K, "abcdef", 3);
  assert_string_equal(kader_to_string(K, -1, NULL), "abc");
  kader_push_string(K, "", 0);
  assert_int_equal(kader_len(K, -1), 0);
  kader_pop(K, 2);
  /* from Kader */
  kader_set_global(K, "s");
  assert_int_equal(run(K, "s.kader", "print(len(s), upper(s))\n"), KADER_OK);
  assert_string_equal(out.text, "5 ÉÉN €\n");
  /* non-strings */
  kader_push_number(K, 1);
  assert_null(kader_to_string(K, -1, &len));
  assert_int_equal(kader_len(K, -1), 0);
  free_state(K);
}

/* ---- lists and records ---------------------------------------------------- */

static void test_lists(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  kader_new_list(K);
  assert_int_equal(kader_type(K, -1), KADER_TLIST);
  assert_int_equal(kader_len(K, -1), 0);
  kader_push_number(K, 1);
  kader_append(K, -1);      /* -1: the list, once the value is popped */
  kader_push_string(K, "twee", 4);
  kader_append(K, 1);
  kader_push_quantity(K, 3, "h");
  kader_append(K, -1);
  assert_int_equal(kader_top(K), 1);
  assert_int_equal(kader_len(K, -1), 3);
  assert_shows(K, -1, "[1; \"twee\"; 3 h]");
  assert_int_equal(kader_get_item(K, -1, 2), KADER_TSTRING);
  assert_string_equal(kader_to_string(K, -1, NULL), "twee");
  kader_pop(K, 1);
  assert_int_equal(kader_get_item(K, -1, 0), KADER_TNIL);
  assert_int_equal(kader_get_item(K, -2, 4), KADER_TNIL);
  assert_int_equal(kader_top(K), 3);
  kader_pop(K, 2);
  /* nested */
  kader_new_list(K);
  kader_push_number(K, 9);
  kader_append(K, -1);
  kader_append(K, -1);
  assert_shows(K, -1, "[1; \"twee\"; 3 h; [9]]");
  /* into Kader and back */
  kader_set_global(K, "xs");
  assert_int_equal(run(K, "l.kader", "print(len(xs), xs[4][1])\nlet ys = [xs[1] * 2, xs[1] * 4]\n"),
                   KADER_OK);
  assert_string_equal(out.text, "4 9\n");
  assert_int_equal(kader_get_global(K, "ys"), KADER_TLIST);
  assert_int_equal(kader_len(K, -1), 2);
  kader_get_item(K, -1, 2);
  assert_true(kader_to_number(K, -1) == 4);
  kader_pop(K, 2);
  /* appending to something that is not a list: an error, the value popped */
  kader_push_number(K, 1);
  kader_push_number(K, 2);
  kader_append(K, -1);
  assert_int_equal(kader_top(K), 1);
  assert_has(err.text, "not a list");
  free_state(K);
}

static void test_records(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  kader_new_record(K);
  assert_int_equal(kader_type(K, -1), KADER_TRECORD);
  assert_int_equal(kader_len(K, -1), 0);
  kader_push_number(K, 1);
  assert_int_equal(kader_set_field(K, -1, "a"), 1);
  kader_push_string(K, "x", 1);
  assert_int_equal(kader_set_field(K, 1, "b"), 1);
  kader_push_number(K, 2);
  assert_int_equal(kader_set_field(K, -1, "a"), 1);   /* replaces */
  assert_int_equal(kader_top(K), 1);
  assert_int_equal(kader_len(K, -1), 2);
  assert_shows(K, -1, "{a: 2; b: \"x\"}");
  assert_int_equal(kader_get_field(K, -1, "a"), KADER_TNUMBER);
  assert_true(kader_to_number(K, -1) == 2);
  kader_pop(K, 1);
  assert_int_equal(kader_get_field(K, -1, "nope"), KADER_TNIL);
  assert_int_equal(kader_get_field(K, -2, "a fresh never-seen name"), KADER_TNIL);
  kader_pop(K, 2);
  kader_set_global(K, "rec");
  assert_int_equal(run(K, "r.kader", "print(rec.a + 1, rec.b)\nlet back = {n: 3 h, m: [1]}\n"), KADER_OK);
  assert_string_equal(out.text, "3 x\n");
  assert_int_equal(kader_get_global(K, "back"), KADER_TRECORD);
  assert_int_equal(kader_get_field(K, -1, "n"), KADER_TQUANTITY);
  assert_string_equal(kader_unit(K, -1), "h");
  assert_int_equal(kader_get_field(K, -2, "m"), KADER_TLIST);
  kader_pop(K, 3);
  /* set_field on something that is no record: 0 and a message */
  kader_push_number(K, 1);
  kader_push_number(K, 2);
  assert_int_equal(kader_set_field(K, -1, "a"), 0);
  assert_has(kader_last_error(K), "not a record");
  assert_int_equal(kader_top(K), 1);
  free_state(K);
}

/* ---- declarations ---------------------------------------------------------- */

static const char *decl_model =
    "kind thing \"Een ding\" {\n"
    "  size: h/week\n"
    "  tags: list of text = []\n"
    "}\n"
    "thing a \"Ding A\" { size: 3 h/week }\n"
    "fn total() { return a.size * 2 }\n";

static void test_declarations(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  assert_int_equal(run(K, "decl.kader", decl_model), KADER_OK);
  assert_int_equal(kader_get_global(K, "a"), KADER_TDECLARATION);
  assert_string_equal(kader_kind(K, -1), "thing");
  assert_string_equal(kader_id(K, -1), "a");
  assert_int_equal(kader_len(K, -1), 2);
  assert_int_equal(kader_get_field(K, -1, "size"), KADER_TQUANTITY);
  assert_string_equal(kader_unit(K, -1), "h/week");
  kader_pop(K, 1);
  assert_int_equal(kader_get_field(K, -1, "tags"), KADER_TLIST);
  kader_pop(K, 1);
  /* id, label and kind read like fields */
  assert_int_equal(kader_get_field(K, -1, "id"), KADER_TSTRING);
  assert_string_equal(kader_to_string(K, -1, NULL), "a");
  kader_pop(K, 1);
  kader_get_field(K, -1, "label");
  assert_string_equal(kader_to_string(K, -1, NULL), "Ding A");
  kader_pop(K, 1);
  kader_get_field(K, -1, "kind");
  assert_string_equal(kader_to_string(K, -1, NULL), "thing");
  kader_pop(K, 1);
  /* non-declarations have no kind or id */
  kader_new_record(K);
  assert_null(kader_kind(K, -1));
  assert_null(kader_id(K, -1));
  kader_pop(K, 1);

  /* a good value goes through the type check (converted units too) */
  assert_int_equal(kader_push_quantity(K, 5, "h/week"), 1);
  assert_int_equal(kader_set_field(K, -1, "size"), 1);
  assert_int_equal(kader_top(K), 1);
  assert_int_equal(run(K, "use.kader", "print(total())\n"), KADER_OK);
  assert_string_equal(out.text, "10 h/week\n");

  /* a value of the wrong type: 0, the old value kept, and a message that
  ** says what is wrong and where (the declaration in decl.kader) */
  sink_clear(&err);
  assert_int_equal(kader_push_quantity(K, 5, "€"), 1);
  assert_int_equal(kader_set_field(K, -1, "size"), 0);
  assert_int_equal(kader_top(K), 1);
  const char *e = kader_last_error(K);
  assert_has(e, "field 'size' of a thing must be");
  assert_has(e, "not € 5");
  kader_get_field(K, -1, "size");
  assert_shows(K, -1, "5 h/week");
  kader_pop(K, 1);
  /* an unknown field, and id/kind/label, cannot be set */
  kader_push_number(K, 1);
  assert_int_equal(kader_set_field(K, -1, "weight"), 0);
  assert_has(kader_last_error(K), "no field 'weight'");
  kader_push_string(K, "b", 1);
  assert_int_equal(kader_set_field(K, -1, "id"), 0);
  assert_has(kader_last_error(K), "cannot be changed");
  assert_int_equal(kader_top(K), 1);
  free_state(K);
}

/* ---- globals ------------------------------------------------------------- */

/* A type error of kader_set_field on a declaration is located like every
** other error of a declaration: at the declaration (as warnings are). */
/* The last error in parts: plain message and location. */
static void test_error_parts(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  const char *file = "x";
  int line = -1, column = -1;
  assert_null(kader_error_message(K));
  assert_int_equal(kader_error_location(K, &file, &line, &column), 0);
  assert_null(file);
  assert_int_equal(line, 0);
  assert_int_equal(run(K, "deel.kader", "let b = 1\nprint(b / 0)\n"), KADER_RUNTIME_ERROR);
  assert_string_equal(kader_error_message(K), "division by zero");
  assert_int_equal(kader_error_location(K, &file, &line, &column), 1);
  assert_string_equal(file, "deel.kader");
  assert_int_equal(line, 2);
  assert_int_equal(column, 7);
  /* a syntax error */
  assert_int_equal(run(K, "syn.kader", "\n\nlet = 3\n"), KADER_SYNTAX_ERROR);
  assert_int_equal(kader_error_location(K, &file, &line, &column), 1);
  assert_string_equal(file, "syn.kader");
  assert_int_equal(line, 3);
  assert_has(kader_error_message(K), "expected");
  /* a refused declaration field: at the declaration */
  assert_int_equal(run(K, "decl.kader", decl_model), KADER_OK);
  assert_null(kader_error_message(K));
  kader_get_global(K, "a");
  kader_push_quantity(K, 5, "€");
  assert_int_equal(kader_set_field(K, -1, "size"), 0);
  assert_int_equal(kader_error_location(K, &file, &line, &column), 1);
  assert_string_equal(file, "decl.kader");
  assert_int_equal(line, 5);
  kader_pop(K, 1);
  /* an unreadable file: its name, line 0 */
  assert_int_equal(kader_run_file(K, "tests/unit/bestaat-niet.kader"), KADER_SYNTAX_ERROR);
  assert_int_equal(kader_error_location(K, &file, &line, NULL), 1);
  assert_string_equal(file, "tests/unit/bestaat-niet.kader");
  assert_int_equal(line, 0);
  assert_has(kader_error_message(K), "cannot read tests/unit/bestaat-niet.kader");
  /* NULL out-pointers are allowed */
  assert_int_equal(kader_error_location(K, NULL, NULL, NULL), 1);
  free_state(K);
}

/* An error the library raises on the user's behalf: its parts name the
** user's line; with no user code running at all, the library's own. */
static void test_error_parts_from_library(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  const char *file;
  int line, column;
  assert_int_equal(run(K, "enquete.kader",
                       "survey s \"S\" { question cijfer \"Cijfer\" { type: \"grade\" } }\n"
                       "fn vraag(id) { return find_question(s, id) }\n"
                       "print(vraag(\"leeftijd\"))\n"),
                   KADER_RUNTIME_ERROR);
  assert_string_equal(kader_error_message(K), "survey s has no question 'leeftijd'");
  assert_int_equal(kader_error_location(K, &file, &line, &column), 1);
  assert_string_equal(file, "enquete.kader");
  assert_int_equal(line, 2);
  assert_int_equal(column, 23);
  assert_starts(kader_last_error(K), "enquete.kader:2:23: runtime error:");
  assert_has(kader_last_error(K), "at find_question (<stdlib>/survey.kader:");
  /* a host calling the library directly: no line of the user's to name */
  kader_get_global(K, "find_question");
  kader_push_nil(K);
  kader_push_string(K, "x", 1);
  assert_int_equal(kader_call(K, 2), KADER_RUNTIME_ERROR);
  assert_int_equal(kader_error_location(K, &file, &line, &column), 1);
  assert_string_equal(file, "<stdlib>/survey.kader");
  assert_true(line > 0);
  free_state(K);
}

static void test_set_field_error_located(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  assert_int_equal(run(K, "decl.kader", decl_model), KADER_OK);
  kader_get_global(K, "a");
  kader_push_quantity(K, 5, "€");
  assert_int_equal(kader_set_field(K, -1, "size"), 0);
  assert_starts(kader_last_error(K), "decl.kader:5:7: runtime error: field 'size' of a thing must be");
  assert_starts(err.text, "decl.kader:5:7:");
  free_state(K);
}

static void test_globals(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  /* undefined: nil pushed all the same */
  assert_int_equal(kader_get_global(K, "nergens"), KADER_TNIL);
  assert_int_equal(kader_top(K), 1);
  assert_int_equal(kader_get_global(K, "nog_nooit_gezien_xyz"), KADER_TNIL);
  assert_int_equal(kader_top(K), 2);
  kader_pop(K, 2);
  /* set from C, used from Kader (also by code compiled later) */
  assert_int_equal(kader_push_quantity(K, 8, "h/week"), 1);
  kader_set_global(K, "capaciteit");
  assert_int_equal(kader_top(K), 0);
  assert_int_equal(run(K, "g.kader", "print(capaciteit * 2)\nfn dubbel() { return capaciteit * 2 }\n"),
                   KADER_OK);
  assert_string_equal(out.text, "16 h/week\n");
  /* changed again from C: Kader code sees the new value */
  kader_push_number(K, 1);
  kader_set_global(K, "capaciteit");
  assert_int_equal(run(K, "g2.kader", "print(dubbel())\n"), KADER_OK);
  assert_string_equal(out.text, "16 h/week\n2\n");
  /* set by Kader, read from C */
  assert_int_equal(run(K, "g3.kader", "var teller = 41\nteller = teller + 1\n"), KADER_OK);
  assert_int_equal(kader_get_global(K, "teller"), KADER_TNUMBER);
  assert_true(kader_to_number(K, -1) == 42);
  kader_pop(K, 1);
  /* a built-in is there too */
  assert_int_equal(kader_get_global(K, "print"), KADER_TFUNCTION);
  kader_pop(K, 1);
  assert_int_equal(kader_top(K), 0);
  free_state(K);
}

/* ---- calls ---------------------------------------------------------------- */

static void test_call_kader_function(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  assert_int_equal(run(K, "f.kader",
                       "fn maal(x, n) { return x * n }\n"
                       "fn fout(x) { return x + € 1 }\n"
                       "fn niets() { }\n"), KADER_OK);
  kader_push_number(K, 99);   /* something below: must stay */
  kader_get_global(K, "maal");
  kader_push_quantity(K, 2, "h/week");
  kader_push_number(K, 40);
  assert_int_equal(kader_call(K, 2), KADER_OK);
  assert_int_equal(kader_top(K), 2);   /* function and arguments replaced */
  assert_int_equal(kader_type(K, -1), KADER_TQUANTITY);
  assert_shows(K, -1, "80 h/week");
  assert_true(kader_to_number(K, 1) == 99);
  kader_pop(K, 1);
  /* no result: nil */
  kader_get_global(K, "niets");
  assert_int_equal(kader_call(K, 0), KADER_OK);
  assert_int_equal(kader_type(K, -1), KADER_TNIL);
  kader_pop(K, 1);

  /* an error: runtime error, located in the Kader function, the stack as
  ** before the function was pushed, the state usable afterwards */
  sink_clear(&err);
  kader_get_global(K, "fout");
  kader_push_quantity(K, 1, "h");
  assert_int_equal(kader_call(K, 1), KADER_RUNTIME_ERROR);
  assert_int_equal(kader_top(K), 1);
  assert_true(kader_to_number(K, 1) == 99);
  assert_starts(kader_last_error(K), "f.kader:2:");
  assert_has(kader_last_error(K), "cannot add h and €");
  assert_starts(err.text, "f.kader:2:");
  /* wrong arity of a Kader function */
  kader_get_global(K, "fout");
  assert_int_equal(kader_call(K, 0), KADER_RUNTIME_ERROR);
  assert_int_equal(kader_top(K), 1);
  /* not a function */
  kader_push_number(K, 3);
  kader_push_number(K, 4);
  assert_int_equal(kader_call(K, 1), KADER_RUNTIME_ERROR);
  assert_has(kader_last_error(K), "not a function");
  assert_int_equal(kader_top(K), 1);
  /* fewer values on the stack than nargs + 1: refused, nothing popped */
  assert_int_equal(kader_call(K, 5), KADER_RUNTIME_ERROR);
  assert_int_equal(kader_top(K), 1);

  kader_get_global(K, "maal");
  kader_push_quantity(K, 1, "h/week");
  kader_push_number(K, 52);
  assert_int_equal(kader_call(K, 2), KADER_OK);
  assert_shows(K, -1, "52 h/week");
  kader_pop(K, 2);
  assert_int_equal(run(K, "after.kader", "print(maal(1 h/week, 2) in h/year)\n"), KADER_OK);
  assert_string_equal(out.text, "104 h/year\n");
  free_state(K);
}

/* kader_call refused (fewer values than nargs + 1): an error the host can
** read like any other, not a stale or NULL kader_last_error(). */
static void test_call_refused_has_message(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  assert_int_equal(kader_call(K, 0), KADER_RUNTIME_ERROR);
  assert_non_null(kader_last_error(K));
  assert_int_equal(run(K, "x.kader", "1 + € 1\n"), KADER_RUNTIME_ERROR);
  kader_push_number(K, 1);
  assert_int_equal(kader_call(K, 3), KADER_RUNTIME_ERROR);
  assert_null(strstr(kader_last_error(K), "x.kader"));   /* not the old one */
  assert_int_equal(kader_top(K), 1);
  free_state(K);
}

static void test_call_native(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  kader_get_global(K, "round");
  kader_push_quantity(K, 2.345, "h");
  kader_push_number(K, 2);
  assert_int_equal(kader_call(K, 2), KADER_OK);
  assert_int_equal(kader_top(K), 1);
  assert_shows(K, -1, "2,35 h");
  kader_pop(K, 1);
  /* print through kader_call goes to the output sink */
  kader_get_global(K, "print");
  kader_push_string(K, "hallo", 5);
  assert_int_equal(kader_call(K, 1), KADER_OK);
  assert_string_equal(out.text, "hallo\n");
  kader_pop(K, 1);
  /* a native's error; the stack is empty again */
  kader_get_global(K, "round");
  kader_push_string(K, "x", 1);
  assert_int_equal(kader_call(K, 1), KADER_RUNTIME_ERROR);
  assert_non_null(kader_last_error(K));
  assert_int_equal(kader_top(K), 0);
  free_state(K);
}

/* ---- host functions ---------------------------------------------------------- */

static int seen_args;
static KaderType seen_types[4];

/* som(a, b...): the sum of its arguments (numbers or quantities) */
static int host_som(KaderState *K) {
  seen_args = kader_top(K);
  for (int i = 0; i < seen_args && i < 4; i++) seen_types[i] = kader_type(K, i + 1);
  if (seen_args == 0) kader_error(K, "som needs something to add");
  const char *unit = kader_unit(K, 1);
  double total = 0;
  for (int i = 1; i <= seen_args; i++) {
    int ok = 0;
    double x = kader_to_unit(K, i, unit, &ok);
    if (!ok) kader_error(K, "argument %d of som is not in %s", i, unit[0] ? unit : "numbers");
    total += x;
  }
  kader_push_quantity(K, total, unit);
  return 1;
}

static int host_nil(KaderState *K) {
  kader_push_number(K, 5);   /* pushed, but 0 is returned: nil */
  return 0;
}

/* tienvoud(x...): a list of ten times each argument */
static int host_list(KaderState *K) {
  int n = kader_top(K);
  kader_new_list(K);                 /* at n + 1, above the arguments */
  for (int i = 1; i <= n; i++) {
    kader_push_number(K, kader_to_number(K, i) * 10);
    kader_append(K, -1);
  }
  return 1;                          /* the top: the list */
}

/* apply(): calls back into Kader, apply_f(apply_x), through kader_call */
static int host_apply(KaderState *K) {
  kader_get_global(K, "apply_f");
  kader_get_global(K, "apply_x");
  if (kader_call(K, 1) != KADER_OK) kader_error(K, "apply: the call failed");
  return 1;
}

static int host_fail(KaderState *K) {
  kader_error(K, "kapot: %s", kader_to_string(K, 1, NULL) ? kader_to_string(K, 1, NULL) : "?");
}

static void test_host_functions(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  kader_register(K, "som", host_som, 1, -1, "De som van de argumenten.");
  kader_register(K, "niets", host_nil, 0, 0, NULL);
  kader_register(K, "tienvoud", host_list, 0, 3, NULL);
  assert_int_equal(kader_top(K), 0);
  assert_int_equal(kader_get_global(K, "som"), KADER_TFUNCTION);
  kader_pop(K, 1);

  /* arguments and result */
  assert_int_equal(run(K, "h.kader", "print(som(1 h, 30 min, 2 h))\n"), KADER_OK);
  assert_string_equal(out.text, "3,5 h\n");
  assert_int_equal(seen_args, 3);
  assert_int_equal(seen_types[0], KADER_TQUANTITY);
  assert_int_equal(run(K, "h.kader", "print(som(1, 2) + 1)\n"), KADER_OK);
  assert_string_equal(out.text, "3,5 h\n4\n");
  sink_clear(&out);
  /* returning 0 gives nil, whatever was pushed */
  assert_int_equal(run(K, "h.kader", "print(niets())\n"), KADER_OK);
  assert_string_equal(out.text, "nil\n");
  sink_clear(&out);
  /* values made in a host function */
  assert_int_equal(run(K, "h.kader", "print(tienvoud(1, 2, 3), tienvoud())\n"), KADER_OK);
  assert_string_equal(out.text, "[10; 20; 30] []\n");
  sink_clear(&out);

  /* arity: too few, too many, located at the call */
  sink_clear(&err);
  assert_int_equal(run(K, "a.kader", "let x = 1\nprint(som())\n"), KADER_RUNTIME_ERROR);
  assert_starts(kader_last_error(K), "a.kader:2:7: runtime error:");
  assert_has(kader_last_error(K), "som");
  assert_int_equal(run(K, "a.kader", "niets(1)\n"), KADER_RUNTIME_ERROR);
  assert_starts(kader_last_error(K), "a.kader:1:1: runtime error:");
  assert_has(kader_last_error(K), "niets");
  assert_int_equal(run(K, "a.kader", "tienvoud(1, 2, 3, 4)\n"), KADER_RUNTIME_ERROR);
  assert_starts(kader_last_error(K), "a.kader:1:1: runtime error:");
  assert_int_equal(kader_top(K), 0);

  /* from C through kader_call */
  kader_get_global(K, "som");
  kader_push_quantity(K, 1, "h/week");
  kader_push_quantity(K, 1, "h/week");
  assert_int_equal(kader_call(K, 2), KADER_OK);
  assert_shows(K, -1, "2 h/week");
  kader_pop(K, 1);
  assert_int_equal(kader_top(K), 0);
  free_state(K);
}

static void test_host_function_errors(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  kader_register(K, "som", host_som, 1, -1, NULL);
  kader_register(K, "kapot", host_fail, 1, 1, NULL);
  /* kader_error: a runtime error located at the Kader call site, with the
  ** Kader functions that led there */
  const char *src =
      "fn optellen(a, b) {\n"
      "  return som(a, b)\n"
      "}\n"
      "print(\"voor\")\n"
      "print(optellen(1 h, € 2))\n";
  assert_int_equal(run(K, "he.kader", src), KADER_RUNTIME_ERROR);
  assert_string_equal(out.text, "voor\n");
  const char *e = kader_last_error(K);
  assert_starts(e, "he.kader:2:10: runtime error: argument 2 of som is not in h");
  assert_has(e, "return som(a, b)");
  assert_has(e, "at optellen (he.kader:");
  assert_starts(err.text, "he.kader:2:10:");
  /* the state goes on */
  sink_clear(&out);
  assert_int_equal(run(K, "ok.kader", "print(som(1, 2))\n"), KADER_OK);
  assert_string_equal(out.text, "3\n");
  assert_int_equal(run(K, "k.kader", "fn f() { kapot(\"in f\") }\nf()\n"), KADER_RUNTIME_ERROR);
  assert_starts(kader_last_error(K), "k.kader:1:10: runtime error: kapot: in f");
  free_state(K);
}

/* After kader_error in a host function that a run called, the API stack is
** as it was before the run. */
static void test_host_error_stack_after_run(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  kader_register(K, "kapot", host_fail, 1, 1, NULL);
  kader_push_string(K, "onder", 5);
  assert_int_equal(run(K, "he.kader", "let x = 1\nkapot(\"a\")\n"), KADER_RUNTIME_ERROR);
  assert_int_equal(kader_top(K), 1);
  assert_string_equal(kader_to_string(K, 1, NULL), "onder");
  assert_string_equal(kader_to_string(K, -1, NULL), "onder");
  kader_push_number(K, 2);
  assert_int_equal(kader_top(K), 2);
  assert_true(kader_to_number(K, 2) == 2);
  kader_pop(K, 2);
  assert_int_equal(kader_top(K), 0);
  free_state(K);
}

/* After kader_error in a host function that kader_call called, the stack is
** as before the function was pushed (what kader.h promises). */
static void test_host_error_stack_after_call(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  kader_register(K, "kapot", host_fail, 1, 1, NULL);
  kader_push_string(K, "onder", 5);
  kader_get_global(K, "kapot");
  kader_push_string(K, "stuk", 4);
  assert_int_equal(kader_call(K, 1), KADER_RUNTIME_ERROR);
  assert_has(kader_last_error(K), "kapot: stuk");
  assert_int_equal(kader_top(K), 1);
  assert_string_equal(kader_to_string(K, 1, NULL), "onder");
  assert_string_equal(kader_to_string(K, -1, NULL), "onder");
  kader_pop(K, 1);
  assert_int_equal(kader_top(K), 0);
  free_state(K);
}

static void test_host_calls_back(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  kader_register(K, "apply", host_apply, 0, 0, NULL);
  assert_int_equal(run(K, "cb.kader",
                       "let apply_f = fn(x) { return x * 3 }\n"
                       "let apply_x = 14\n"
                       "print(apply())\n"), KADER_OK);
  assert_string_equal(out.text, "42\n");
  assert_int_equal(kader_top(K), 0);
  free_state(K);
}

static int mod_twice(KaderState *K) {
  int ok = 0;
  double x = kader_to_unit(K, 1, kader_unit(K, 1), &ok);
  char unit[64];
  snprintf(unit, sizeof unit, "%s", kader_unit(K, 1));
  kader_push_quantity(K, 2 * x, unit);
  return 1;
}

static int mod_name(KaderState *K) {
  kader_push_string(K, "m", 1);
  return 1;
}

static void test_register_module(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  static const KaderReg fns[] = {
    {"twice", mod_twice, 1, 1, "Twice x."},
    {"name", mod_name, 0, 0, NULL},
    {NULL, NULL, 0, 0, NULL},
  };
  kader_register_module(K, "m", fns);
  assert_int_equal(kader_top(K), 0);
  assert_int_equal(run(K, "m.kader", "print(m.twice(21), m.twice(1.5 h), m.name())\n"), KADER_OK);
  assert_string_equal(out.text, "42 3 h m\n");
  assert_int_equal(kader_get_global(K, "m"), KADER_TRECORD);
  assert_int_equal(kader_get_field(K, -1, "twice"), KADER_TFUNCTION);
  kader_pop(K, 2);
  /* arity errors, located */
  assert_int_equal(run(K, "m2.kader", "\nm.twice()\n"), KADER_RUNTIME_ERROR);
  assert_starts(kader_last_error(K), "m2.kader:2:");
  /* an unknown function of the module */
  assert_int_equal(run(K, "m3.kader", "m.thrice(1)\n"), KADER_RUNTIME_ERROR);
  assert_int_equal(kader_top(K), 0);
  free_state(K);
}

/* ---- limits -------------------------------------------------------------- */

static void test_memory_limit(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderConfig c;
  kader_config_init(&c);
  c.memory_limit = 16u * 1024 * 1024;
  KaderState *K = new_state_with(&c, &out, &err);
  const char *grow = "var xs = [1]\nwhile true { xs = xs + xs }\n";
  const char *grow2 = "var zs = [1]\nwhile true { zs = zs + zs }\n";
  assert_int_equal(run(K, "mem.kader", grow), KADER_RUNTIME_ERROR);
  assert_starts(kader_last_error(K), "mem.kader:2:");
  assert_has(kader_last_error(K), "runtime error: out of memory");
  /* the state stays usable, also for what needs memory */
  assert_int_equal(run(K, "ok.kader",
                       "var ys = []\nvar i = 0\nwhile i < 1000 { ys = ys + [i]\n i = i + 1 }\nprint(len(ys))\n"),
                   KADER_OK);
  assert_string_equal(out.text, "1000\n");
  kader_new_list(K);
  assert_int_equal(kader_type(K, -1), KADER_TLIST);
  kader_pop(K, 1);
  /* again: the limit still holds */
  assert_int_equal(run(K, "mem.kader", grow2), KADER_RUNTIME_ERROR);
  assert_has(kader_last_error(K), "out of memory");
  free_state(K);
}

static void test_step_limit(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderConfig c;
  kader_config_init(&c);
  c.step_limit = 10000;
  KaderState *K = new_state_with(&c, &out, &err);
  /* (each program its own names: a state that is not in REPL mode does
  ** not let a global be defined twice) */
  const char *endless = "while true { }\n";
  assert_int_equal(run(K, "loop.kader", "var n = 0\nwhile true { n = n + 1 }\n"),
                   KADER_RUNTIME_ERROR);
  assert_starts(kader_last_error(K), "loop.kader:2:");
  assert_has(kader_last_error(K), "step limit");
  /* every run has its own budget: two runs of 6000 rounds both pass */
  const char *some = "var i = 0\nwhile i < 6000 { i = i + 1 }\nprint(i)\n";
  const char *more = "var j = 0\nwhile j < 6000 { j = j + 1 }\nprint(j)\n";
  assert_int_equal(run(K, "a.kader", some), KADER_OK);
  assert_int_equal(run(K, "b.kader", more), KADER_OK);
  assert_string_equal(out.text, "6000\n6000\n");
  /* and the limit is still there after an error (not 0 = unlimited) */
  assert_int_equal(run(K, "loop.kader", endless), KADER_RUNTIME_ERROR);
  assert_has(kader_last_error(K), "step limit");
  assert_int_equal(run(K, "loop.kader", endless), KADER_RUNTIME_ERROR);
  assert_has(kader_last_error(K), "step limit");
  /* recursion counts too, and kader_call has a budget of its own */
  assert_int_equal(run(K, "f.kader", "fn f(n) { return f(n + 1) }\nfn g() { var k = 0\n while true { k = k + 1 } }\n"),
                   KADER_OK);
  kader_get_global(K, "g");
  assert_int_equal(kader_call(K, 0), KADER_RUNTIME_ERROR);
  assert_has(kader_last_error(K), "step limit");
  assert_int_equal(kader_top(K), 0);
  assert_int_equal(run(K, "r.kader", "f(0)\n"), KADER_RUNTIME_ERROR);
  assert_has(kader_last_error(K), "step limit");
  free_state(K);
}

static long nested_calls;

/* again(): calls the Kader function f through kader_call; gives up with an
** error after many rounds, so that a missing step limit cannot hang */
static int host_again(KaderState *K) {
  if (++nested_calls > 100000) kader_error(K, "no step limit after 100000 calls");
  kader_get_global(K, "f");
  if (kader_call(K, 0) != KADER_OK) kader_error(K, "the call failed");
  return 1;
}

/* The step budget is one run's: a host function that calls back into
** Kader with kader_call must not hand the run a fresh budget each time. */
static void test_step_limit_nested_call(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderConfig c;
  kader_config_init(&c);
  c.step_limit = 10000;
  KaderState *K = new_state_with(&c, &out, &err);
  kader_register(K, "again", host_again, 0, 0, NULL);
  nested_calls = 0;
  assert_int_equal(run(K, "n.kader", "fn f() { return 1 }\nwhile true { again() }\n"),
                   KADER_RUNTIME_ERROR);
  assert_has(kader_last_error(K), "step limit");
  assert_true(nested_calls <= 10000);
  free_state(K);
}

typedef struct {
  size_t calls, allocs, frees;
  long long live;        /* bytes allocated minus bytes freed */
} Counter;

static void *counting_realloc(void *ud, void *ptr, size_t old_size, size_t new_size) {
  Counter *c = ud;
  c->calls++;
  if (new_size == 0) {
    if (ptr) {
      c->frees++;
      c->live -= (long long)old_size;
    }
    free(ptr);
    return NULL;
  }
  void *p = realloc(ptr, new_size);
  if (!p) return NULL;
  if (!ptr) c->allocs++;
  c->live += (long long)new_size - (long long)(ptr ? old_size : 0);
  return p;
}

static void test_custom_realloc(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  static Counter count;   /* static: the teardown may free the state */
  memset(&count, 0, sizeof count);
  KaderConfig c;
  kader_config_init(&c);
  c.realloc = counting_realloc;
  c.alloc_userdata = &count;
  KaderState *K = new_state_with(&c, &out, &err);
  assert_true(count.allocs > 0);   /* the standard library went through it */
  size_t after_new = count.allocs;
  assert_int_equal(run(K, "alloc.kader",
                       "var xs = []\nvar i = 0\nwhile i < 2000 { xs = xs + [{n: i, s: \"x\" + str(i)}]\n i = i + 1 }\n"
                       "print(len(xs))\n"), KADER_OK);
  assert_string_equal(out.text, "2000\n");
  assert_true(count.allocs > after_new);
  assert_true(count.frees > 0);   /* the collector ran */
  assert_true(count.live > 0);
  /* values made through the API and an error on the way */
  kader_new_list(K);
  kader_push_string(K, "api", 3);
  kader_append(K, -1);
  kader_set_global(K, "from_c");
  assert_int_equal(run(K, "bad.kader", "print(from_c[1] + 1 h)\n"), KADER_RUNTIME_ERROR);
  free_state(K);
  /* everything allocated was given back, with the sizes it had */
  assert_int_equal(count.live, 0);
  assert_int_equal(count.allocs, count.frees);
}

static void *failing_realloc(void *ud, void *ptr, size_t old_size, size_t new_size) {
  size_t *budget = ud;   /* bytes it will still hand out */
  if (new_size == 0) {
    free(ptr);
    return NULL;
  }
  if (new_size > old_size && new_size - old_size > *budget) return NULL;
  if (new_size > old_size) *budget -= new_size - old_size;
  return realloc(ptr, new_size);
}

static void test_realloc_failure(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  static size_t budget;   /* static: the teardown may free the state */
  budget = (size_t)64 * 1024 * 1024;
  KaderConfig c;
  kader_config_init(&c);
  c.realloc = failing_realloc;
  c.alloc_userdata = &budget;
  KaderState *K = new_state_with(&c, &out, &err);
  budget = 1024 * 1024;   /* from now on only 1 MB more */
  const char *grow = "var xs = [1]\nwhile true { xs = xs + xs }\n";
  assert_int_equal(run(K, "oom.kader", grow), KADER_RUNTIME_ERROR);
  assert_has(kader_last_error(K), "out of memory");
  budget = (size_t)64 * 1024 * 1024;
  assert_int_equal(run(K, "ok.kader", "print(1 + 1)\n"), KADER_OK);
  assert_string_equal(out.text, "2\n");
  free_state(K);
}

/* ---- interrupt ---------------------------------------------------------- */

static int host_stop(KaderState *K) {
  kader_interrupt(K);   /* from the same thread, inside a call */
  return 0;
}

static void test_interrupt_same_thread(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  kader_register(K, "stop", host_stop, 0, 0, NULL);
  /* an interrupt between runs is not for the next run */
  kader_interrupt(K);
  assert_int_equal(run(K, "i.kader", "var i = 0\nwhile i < 100 { i = i + 1 }\nprint(i)\n"), KADER_OK);
  assert_string_equal(out.text, "100\n");
  /* asked for while running: stops at the next loop round */
  assert_int_equal(run(K, "s.kader", "var n = 0\nstop()\nwhile true { n = n + 1 }\n"),
                   KADER_RUNTIME_ERROR);
  assert_starts(kader_last_error(K), "s.kader:3:");
  assert_has(kader_last_error(K), "interrupted");
  assert_int_equal(run(K, "t.kader", "print(n < 3)\n"), KADER_OK);
  assert_string_equal(out.text, "100\ntrue\n");
  free_state(K);
}

static int host_stop_then_list(KaderState *K) {
  kader_interrupt(K);   /* as if another thread asked right now */
  kader_new_list(K);    /* any API function that may raise an error */
  return 1;
}

/* An interrupt asked for while a host function runs is not lost when the
** host function then uses the API (kader_new_list, kader_push_string, ...).
** The step limit is only a safety net here. */
static void test_interrupt_during_host_function(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderConfig c;
  kader_config_init(&c);
  c.step_limit = 100000;
  KaderState *K = new_state_with(&c, &out, &err);
  kader_register(K, "stop_then_list", host_stop_then_list, 0, 0, NULL);
  assert_int_equal(run(K, "s.kader", "stop_then_list()\nwhile true { }\n"),
                   KADER_RUNTIME_ERROR);
  assert_has(kader_last_error(K), "interrupted");
  free_state(K);
}

/* ---- show, complete, doc ------------------------------------------------- */

/* The permissions are the same switches as on the command line. */
static void test_permissions(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  /* denied by default, with the switch named */
  assert_int_equal(run(K, "p.kader", "print(env(\"PATH\") != nil)\n"), KADER_RUNTIME_ERROR);
  assert_has(kader_last_error(K), "not allowed: reading the environment variable PATH");
  assert_has(kader_last_error(K), "--allow-env");
  assert_int_equal(run(K, "p.kader", "run(\"true\")\n"), KADER_RUNTIME_ERROR);
  assert_has(kader_last_error(K), "--allow-run");
  assert_int_equal(run(K, "p.kader", "ffi.open(\"libm.so.6\")\n"), KADER_RUNTIME_ERROR);
  assert_has(kader_last_error(K), "--allow-ffi");
  assert_int_equal(run(K, "p.kader", "write_file(\"/tmp/kader-api-test.txt\", 1)\n"),
                   KADER_RUNTIME_ERROR);
  assert_has(kader_last_error(K), "--allow-write");
  free_state(K);

  /* granted through KaderConfig.allow; output_dir is where files go */
  char dir[] = "/tmp/kader-api-XXXXXX";
  assert_non_null(mkdtemp(dir));
  KaderConfig c;
  kader_config_init(&c);
  c.allow = KADER_ALLOW_ENV | KADER_ALLOW_RUN | KADER_ALLOW_FFI;
  c.output_dir = dir;
  sink_clear(&out);
  K = new_state_with(&c, &out, &err);
  assert_int_equal(run(K, "p.kader",
                       "print(env(\"PATH\") != nil)\n"
                       "print(run(\"true\").status)\n"
                       "print(ffi.fn(ffi.open(\"libm.so.6\"), \"double cbrt(double)\")(8))\n"
                       "write_file(\"uit.txt\", \"ja\")\n"), KADER_OK);
  assert_string_equal(out.text, "true\n0\n2\n");
  char path[128];
  snprintf(path, sizeof path, "%s/uit.txt", dir);
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  char got[8] = {0};
  assert_non_null(fgets(got, sizeof got, f));
  fclose(f);
  assert_string_equal(got, "ja");
  remove(path);
  /* outside the output directory is still refused without KADER_ALLOW_WRITE */
  assert_int_equal(run(K, "p.kader", "write_file(\"../kader-api-buiten.txt\", 1)\n"),
                   KADER_RUNTIME_ERROR);
  assert_has(kader_last_error(K), "outside the output directory");
  free_state(K);
  rmdir(dir);

  /* sandbox: only the model's own directory may be read */
  kader_config_init(&c);
  c.sandbox = 1;
  K = new_state_with(&c, &out, &err);
  assert_int_equal(kader_run_file(K, "tests/permissions/sandbox/outside_csv.kader"),
                   KADER_RUNTIME_ERROR);
  assert_has(kader_last_error(K), "which is outside the model's directory");
  free_state(K);
}

static void test_show(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  assert_int_equal(run(K, "s.kader",
                       "kind thing { size: number }\n"
                       "thing a \"A\" { size: 1 }\n"
                       "fn f(x) { return x }\n"), KADER_OK);
  kader_push_nil(K);
  assert_shows(K, -1, "nil");
  kader_push_bool(K, 1);
  assert_shows(K, -1, "true");
  kader_push_number(K, 12.884615);
  assert_shows(K, -1, "12,884615");
  kader_push_quantity(K, 1234.5, "€");
  assert_shows(K, -1, "€ 1.234,50");
  kader_push_range(K, 1, 2, "h");
  assert_shows(K, -1, "1 tot 2 h");
  kader_push_string(K, "tekst", 5);
  assert_shows(K, -1, "tekst");   /* as print shows it: no quotes */
  kader_new_list(K);
  kader_push_string(K, "a", 1);
  kader_append(K, -1);
  assert_shows(K, -1, "[\"a\"]");
  kader_new_record(K);
  assert_shows(K, -1, "{}");
  kader_get_global(K, "a");
  char *s = kader_show(K, -1);
  assert_non_null(s);
  assert_has(s, "thing a \"A\"");
  free(s);
  kader_get_global(K, "f");
  s = kader_show(K, -1);
  assert_non_null(s);
  assert_true(strlen(s) > 0);
  free(s);
  /* an index outside the stack shows nil */
  assert_shows(K, 50, "nil");
  /* in the English locale */
  assert_int_equal(kader_set_locale(K, "en"), 1);
  assert_shows(K, 3, "12.884615");
  assert_shows(K, 4, "€1,234.50");
  assert_shows(K, 5, "1 to 2 h");
  free_state(K);
}

typedef struct { char words[64][64]; int n; } Words;

static void collect(void *ud, const char *word) {
  Words *w = ud;
  if (w->n < 64) snprintf(w->words[w->n++], sizeof w->words[0], "%s", word);
}

static int has_word(const Words *w, const char *word) {
  for (int i = 0; i < w->n; i++)
    if (strcmp(w->words[i], word) == 0) return 1;
  return 0;
}

static void test_complete(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  assert_int_equal(run(K, "c.kader",
                       "let swv = {naam: \"SWV\", leerlingen: 100, leden: {po: 1, vo: 2}}\n"
                       "fn swv_totaal() { return 1 }\n"), KADER_OK);
  Words w = {{{0}}, 0};
  kader_complete(K, "swv.", 4, collect, &w);
  assert_int_equal(w.n, 3);   /* the fields, sorted, once */
  assert_string_equal(w.words[0], "leden");
  assert_string_equal(w.words[1], "leerlingen");
  assert_string_equal(w.words[2], "naam");
  w.n = 0;
  const char *line = "print(swv.le";
  kader_complete(K, line, strlen(line), collect, &w);
  assert_int_equal(w.n, 2);
  assert_string_equal(w.words[0], "leden");
  assert_string_equal(w.words[1], "leerlingen");
  w.n = 0;
  kader_complete(K, "swv.leden.", 10, collect, &w);
  assert_int_equal(w.n, 2);
  assert_string_equal(w.words[0], "po");
  assert_string_equal(w.words[1], "vo");
  /* names: defined ones, built-ins, keywords */
  w.n = 0;
  kader_complete(K, "swv", 3, collect, &w);
  assert_true(has_word(&w, "swv"));
  assert_true(has_word(&w, "swv_totaal"));
  w.n = 0;
  kader_complete(K, "x = rou", 7, collect, &w);
  assert_true(has_word(&w, "round"));
  w.n = 0;
  kader_complete(K, "whi", 3, collect, &w);
  assert_true(has_word(&w, "while"));
  /* only `len` bytes count */
  w.n = 0;
  kader_complete(K, "swv.naamXYZ", 6, collect, &w);
  assert_int_equal(w.n, 1);
  assert_string_equal(w.words[0], "naam");
  /* nothing to offer */
  w.n = 0;
  kader_complete(K, "qqqzzz", 6, collect, &w);
  assert_int_equal(w.n, 0);
  assert_int_equal(kader_top(K), 0);
  free_state(K);
}

static void test_doc(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  assert_int_equal(run(K, "d.kader",
                       "## Het dubbele van x.\n"
                       "fn dubbel(x) { return 2 * x }\n"
                       "fn zonder() { }\n"), KADER_OK);
  assert_string_equal(kader_doc(K, "dubbel"), "Het dubbele van x.");
  assert_null(kader_doc(K, "zonder"));
  assert_null(kader_doc(K, "bestaat_niet"));
  assert_has(kader_doc(K, "round"), "round(x");
  assert_has(kader_doc(K, "role_hours"), "hours");   /* the standard library */
  kader_register(K, "som", host_som, 1, -1, "De som van de argumenten.");
  assert_string_equal(kader_doc(K, "som"), "De som van de argumenten.");
  kader_register(K, "niets", host_nil, 0, 0, NULL);
  assert_null(kader_doc(K, "niets"));
  free_state(K);
}

/* ---- how an error shows its source line -------------------------------
** A long line is cut to a window of about 100 characters around the caret,
** at character boundaries, with "…" where it is cut; the caret stays under
** the right character (tabs, multi-byte characters, either end). */

/* Runs src (an error on its first line) and returns the source line and the
** caret line of the diagnostic, each without the gutter ("    1 | "). */
static void render(const char *src, char *shown, char *caret, size_t cap) {
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  assert_int_not_equal(run(K, "lang.kader", src), KADER_OK);
  free_state(K);
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

/* BEFORE, 1000 times ITEM1, MIDDLE, 1000 times ITEM2, AFTER: one line of
** several KB. An item may show its number (%d). */
static char *line_of(const char *before, const char *item1, const char *middle,
                     const char *item2, const char *after) {
  size_t cap = 65536, len = 0;
  char *s = malloc(cap);
  assert_non_null(s);
  len += (size_t)snprintf(s + len, cap - len, "%s", before);
  for (int i = 0; i < 1000; i++) len += (size_t)snprintf(s + len, cap - len, item1, i);
  len += (size_t)snprintf(s + len, cap - len, "%s", middle);
  for (int i = 0; i < 1000; i++) len += (size_t)snprintf(s + len, cap - len, item2, i);
  snprintf(s + len, cap - len, "%s\n", after);
  return s;
}

/* "let x = [0, 1, …, 999, MIDDLE, 0, 1, …]" */
static char *long_line(const char *before, const char *middle, const char *after) {
  return line_of(before, "%d, ", middle, ", %d", after);
}

static char shown[8192], caret[8192], at[8];

static void test_diag_short_line(void **state) {
  (void)state;
  render("let x = 1 + nergens\n", shown, caret, sizeof shown);
  assert_string_equal(shown, "let x = 1 + nergens");
  assert_string_equal(caret, "            ^^^^^^^");
}

static void test_diag_long_line_middle(void **state) {
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

static void test_diag_long_line_caret_at_start(void **state) {
  (void)state;
  char *src = long_line("let x = nergens + [", "1", "]");
  render(src, shown, caret, sizeof shown);
  free(src);
  assert_true(strncmp(shown, "let x = nergens + [0, 1, 2", 26) == 0); /* not cut */
  assert_true(strcmp(shown + strlen(shown) - 3, "\xE2\x80\xA6") == 0);
  assert_in_range(chars(shown), 90, 110);
  assert_string_equal(caret, "        ^^^^^^^");
}

static void test_diag_long_line_caret_at_end(void **state) {
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
static void test_diag_long_line_end_of_input(void **state) {
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
static void test_diag_long_line_utf8_and_tabs(void **state) {
  (void)state;
  char *src = line_of("let x = [", "\"é€\",\t", "nergens", ",\t\"€é\"", "]");
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

/* ---- static checks ------------------------------------------------------ */

typedef struct { char text[1024]; int count; } Findings;

static void collect_finding(void *ud, const char *file, int line, int column,
                            const char *kind, const char *message) {
  Findings *f = ud;
  size_t used = strlen(f->text);
  snprintf(f->text + used, sizeof f->text - used, "%s:%d:%d: %s: %s\n", file, line,
           column, kind, message);
  f->count++;
}

/* kader_lint_string checks text as kader_lint_file checks a file: the
** source is not NUL-terminated (what follows len is not read), a byte order
** mark is left out of the columns, and the name is the file's. */
static void test_lint_string(void **state) {
  (void)state;
  Sink out = {{0}, 0}, err = {{0}, 0};
  KaderState *K = new_state(&out, &err);
  const char src[] = "\xEF\xBB\xBFprint(onbekend)\nlet ongebruikt = 1XXX";
  Findings f = {{0}, 0};
  assert_int_equal(kader_lint_string(K, "m.kader", src, sizeof src - 4, 0,
                                     collect_finding, &f), 2);
  assert_has(f.text, "m.kader:1:7: undefined: ");
  assert_has(f.text, "m.kader:2:5: unused: ");
  Findings syntax = {{0}, 0};
  assert_int_equal(kader_lint_string(K, "s.kader", "let = 1", 7, 0, collect_finding,
                                     &syntax), 1);
  assert_has(syntax.text, "s.kader:1:5: error: ");
  Findings none = {{0}, 0};
  assert_int_equal(kader_lint_string(K, "n.kader", "print(1)", 8, 0, collect_finding,
                                     &none), 0);
  assert_int_equal(none.count, 0);
  free_state(K);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_teardown(test_config_defaults, teardown),
    cmocka_unit_test_teardown(test_gc_stress_modes, teardown),
    cmocka_unit_test_teardown(test_locale, teardown),
    cmocka_unit_test_teardown(test_run_string_and_last_error, teardown),
    cmocka_unit_test_teardown(test_error_parts, teardown),
    cmocka_unit_test_teardown(test_diag_short_line, teardown),
    cmocka_unit_test_teardown(test_diag_long_line_middle, teardown),
    cmocka_unit_test_teardown(test_diag_long_line_caret_at_start, teardown),
    cmocka_unit_test_teardown(test_diag_long_line_caret_at_end, teardown),
    cmocka_unit_test_teardown(test_diag_long_line_end_of_input, teardown),
    cmocka_unit_test_teardown(test_diag_long_line_utf8_and_tabs, teardown),
    cmocka_unit_test_teardown(test_run_file, teardown),
    cmocka_unit_test_teardown(test_eval_line_and_incomplete, teardown),
    cmocka_unit_test_teardown(test_set_args, teardown),
    cmocka_unit_test_teardown(test_forget_imports, teardown),
    cmocka_unit_test_teardown(test_output_sinks, teardown),
    cmocka_unit_test_teardown(test_two_states, teardown),
    cmocka_unit_test_teardown(test_stack_basics, teardown),
    cmocka_unit_test_teardown(test_types_of_every_kind, teardown),
    cmocka_unit_test_teardown(test_numbers_and_quantities, teardown),
    cmocka_unit_test_teardown(test_unit_trailing_slash, teardown),
    cmocka_unit_test_teardown(test_ranges, teardown),
    cmocka_unit_test_teardown(test_strings, teardown),
    cmocka_unit_test_teardown(test_lists, teardown),
    cmocka_unit_test_teardown(test_records, teardown),
    cmocka_unit_test_teardown(test_declarations, teardown),
    cmocka_unit_test_teardown(test_set_field_error_located, teardown),
    cmocka_unit_test_teardown(test_error_parts_from_library, teardown),
    cmocka_unit_test_teardown(test_globals, teardown),
    cmocka_unit_test_teardown(test_call_kader_function, teardown),
    cmocka_unit_test_teardown(test_call_refused_has_message, teardown),
    cmocka_unit_test_teardown(test_call_native, teardown),
    cmocka_unit_test_teardown(test_host_functions, teardown),
    cmocka_unit_test_teardown(test_host_function_errors, teardown),
    cmocka_unit_test_teardown(test_host_error_stack_after_run, teardown),
    cmocka_unit_test_teardown(test_host_error_stack_after_call, teardown),
    cmocka_unit_test_teardown(test_host_calls_back, teardown),
    cmocka_unit_test_teardown(test_register_module, teardown),
    cmocka_unit_test_teardown(test_memory_limit, teardown),
    cmocka_unit_test_teardown(test_step_limit, teardown),
    cmocka_unit_test_teardown(test_step_limit_nested_call, teardown),
    cmocka_unit_test_teardown(test_custom_realloc, teardown),
    cmocka_unit_test_teardown(test_realloc_failure, teardown),
    cmocka_unit_test_teardown(test_interrupt_same_thread, teardown),
    cmocka_unit_test_teardown(test_interrupt_during_host_function, teardown),
    cmocka_unit_test_teardown(test_permissions, teardown),
    cmocka_unit_test_teardown(test_show, teardown),
    cmocka_unit_test_teardown(test_complete, teardown),
    cmocka_unit_test_teardown(test_doc, teardown),
    cmocka_unit_test_teardown(test_lint_string, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

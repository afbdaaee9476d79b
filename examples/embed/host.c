/*
** host.c — a small C program that embeds Kader through its public API.
**
**   build/examples/host [MODEL]          (default examples/provincie.kader)
**
** It runs the thesis model, asks it for the role's total hours, changes the
** hours of one activity from C, asks again, lets Kader code call a function
** written in C, and shows what a failed change looks like. It uses nothing
** but kader.h; `make test` builds it and tests/embed_cases.py checks its
** output. docs/embedding.md walks through it.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kader.h"

/* The output sink: everything the model prints comes here (`len` bytes,
** not NUL-terminated). The model prints a whole report, and this host only
** wants the numbers, so the sink throws the text away unless the int that
** `userdata` points to says otherwise. */
static void model_output(void *userdata, const char *text, size_t len) {
  if (*(const int *)userdata) fwrite(text, 1, len, stdout);
}

/* Calls role_hours(rol), rounds it with Kader's round(x, 2) and prints it
** as Kader shows it: Dutch formatting by default, "12,88 h/week". Returns 0
** on an error. The stack is left as it was. */
static int print_total(KaderState *K, const char *label) {
  kader_get_global(K, "round");        /* [round]                         */
  kader_get_global(K, "role_hours");   /* [round, role_hours]             */
  kader_get_global(K, "rol");          /* [round, role_hours, rol]        */
  if (kader_call(K, 1) != KADER_OK) {  /* [round, total]                  */
    kader_pop(K, 1);                   /* an error leaves [round]         */
    return 0;
  }
  kader_push_number(K, 2);             /* [round, total, 2]               */
  if (kader_call(K, 2) != KADER_OK)    /* [rounded]                       */
    return 0;
  char *text = kader_show(K, -1);      /* a new string: ours to free      */
  printf("%s: %s\n", label, text);
  free(text);
  kader_pop(K, 1);                     /* []                              */
  return 1;
}

/* A host function, callable from Kader as uren_per_dag(x): a quantity of
** time per week, converted to hours per working day (5 days a week). Its
** arguments are the API stack, index 1 the first. It pushes its result and
** returns 1 (returning 0 would give nil). */
static int uren_per_dag(KaderState *K) {
  int ok = 0;
  double per_week = kader_to_unit(K, 1, "h/week", &ok);
  if (!ok) {
    /* kader_error does not return (it unwinds to the Kader call, which
    ** fails with a runtime error located there), so nothing may be left
    ** to free: copy what kader_show gives into a buffer first. */
    char shown[64];
    char *text = kader_show(K, 1);
    snprintf(shown, sizeof shown, "%s", text ? text : "?");
    free(text);
    kader_error(K, "uren_per_dag needs a time per week, not %s", shown);
  }
  kader_push_quantity(K, per_week / 5, "h");   /* 5 working days a week */
  return 1;
}

int main(int argc, char **argv) {
  const char *model = argc > 1 ? argv[1] : "examples/provincie.kader";
  int echo = 0;   /* does model_output pass the model's output on? */

  /* 1. A state. The model's own output goes to model_output (discarded);
  **    diagnostics (warnings, errors) still go to stderr. */
  KaderConfig config;
  kader_config_init(&config);
  config.write = model_output;
  config.write_userdata = &echo;
  KaderState *K = kader_new(&config);
  if (!K) {
    fprintf(stderr, "host: could not create a Kader state\n");
    return 1;
  }

  /* 2. Run the model. An error has already been written to stderr. */
  if (kader_run_file(K, model) != KADER_OK) {
    kader_free(K);
    return 1;
  }

  /* 3. The total hours of the role, through the API stack. */
  if (!print_total(K, "Totaal")) goto fail;

  /* 4. Change a task from C: the first activity of kenniscentrum gets
  **    5 h/week. kader_set_field checks the value against the declaration's
  **    kind, exactly as an assignment in Kader would. */
  kader_get_global(K, "kenniscentrum");       /* [task]                     */
  kader_get_field(K, -1, "activities");       /* [task, list]               */
  kader_get_item(K, -1, 1);                   /* [task, list, activity]     */
  printf("Eerste activiteit: %s %s\n", kader_kind(K, -1), kader_id(K, -1));
  kader_push_quantity(K, 5, "h/week");        /* [task, list, activity, 5]  */
  /* index -1: negative indices count from the top as it is once the value
  ** is popped, so -1 is the activity */
  if (!kader_set_field(K, -1, "hours"))       /* pops the value             */
    goto fail;
  if (!print_total(K, "Na de wijziging")) goto fail;

  /* 5. A value of the wrong kind is refused: kader_set_field returns 0 and
  **    kader_last_error() says what (and where: the activity's declaration
  **    in the model). The activity keeps its 5 h/week. */
  kader_push_quantity(K, 5, "€");
  int ok = kader_set_field(K, -1, "hours");
  printf("kader_set_field met € 5: %d\n", ok);
  const char *err = kader_last_error(K);
  if (err) printf("Fout: %.*s\n", (int)strcspn(err, "\n"), err);
  kader_get_field(K, -1, "hours");            /* [task, list, activity, h]  */
  char *hours = kader_show(K, -1);
  printf("Uren van %s: %s\n", kader_id(K, -2), hours);
  free(hours);
  kader_pop(K, 4);                            /* []                         */

  /* 6. A host function, called from Kader code. Its output now goes to our
  **    stdout (echo), and a Kader error in it is located in "host.kader". */
  kader_register(K, "uren_per_dag", uren_per_dag, 1, 1,
                 "Uren per werkdag bij een aantal uren per week (5 werkdagen).");
  echo = 1;
  const char *code =
      "print(\"Per werkdag:\", uren_per_dag(task_hours(kenniscentrum)))\n";
  if (kader_run_string(K, "host.kader", code, strlen(code)) != KADER_OK)
    goto fail;

  /* 7. The host function refuses a value that is not a time per week:
  **    kader_error gives a runtime error located at the Kader call. */
  const char *wrong = "print(uren_per_dag(€ 5))\n";
  KaderResult r = kader_run_string(K, "host.kader", wrong, strlen(wrong));
  err = kader_last_error(K);
  if (err) printf("Resultaat: %d, fout: %.*s\n", (int)r, (int)strcspn(err, "\n"), err);

  kader_free(K);
  return 0;

fail:
  fprintf(stderr, "host: %s", kader_last_error(K) ? kader_last_error(K) : "failed\n");
  kader_free(K);
  return 1;
}

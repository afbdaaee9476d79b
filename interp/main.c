/*
** main.c — the `kader` command: a thin host over the public API (kader.h).
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "kader.h"
#include "repl.h"

static const char *usage_text =
    "usage: kader [options] FILE [ARGS...]   run a model or script\n"
    "       kader [options] run FILE [ARGS...]\n"
    "       kader [options] -e CODE          run CODE\n"
    "       kader [options] -                read the program from stdin\n"
    "       kader [options] -i FILE          run a model, then stay interactive\n"
    "       kader [options] run PAPER.md     run a literate model, write PAPER.out.md\n"
    "       kader [options] test [FILES|DIRS]  run models and check their expect\n"
    "                                        statements\n"
    "       kader [options] check [--strict] [FILES|DIRS]\n"
    "                                        check claims and the data, and find\n"
    "                                        mistakes without running; --strict\n"
    "                                        fails imprecise claims too\n"
    "       kader [options] claims REPORT [--out FILE]  find the statements with\n"
    "                                        numbers in a report (text, Markdown or\n"
    "                                        PDF), check them against the text's own\n"
    "                                        numbers, write them as claims (--out)\n"
    "       kader fmt [--check] FILES        rewrite models in the canonical layout\n"
    "       kader [options] compare FILE     every scenario of the model side by side\n"
    "       kader                            interactive (on a terminal)\n"
    "options:\n"
    "  --locale nl|en   how numbers are shown (default nl: 12,88; en: 12.88)\n"
    "  --format text|md|json  how reports are written (default text)\n"
    "  --allow-ffi      let the model call C libraries (ffi)\n"
    "  --allow-run      let the model run other programs\n"
    "  --allow-env      let the model read environment variables\n"
    "  --allow-write[=DIR]  let the model write files outside the output\n"
    "                   directory (only under DIR when given)\n"
    "  --output DIR     where the model writes its files (default: here)\n"
    "  --sandbox        the model may read only files in its own directory\n"
    "  --scenario NAME  report that scenario wherever the model reports its role\n"
    "  --set PATH=VALUE  change a value for this run, as if the model said so\n"
    "                   (--set 'medewerker.amount=€ 15000/year to € 20000/year')\n"
    "  --memory-limit MB  stop with \"out of memory\" beyond MB megabytes\n"
    "                   (default: half the physical memory, here %zu MB; 0: no limit)\n"
    "  --version        print the version and the language version\n"
    "  --help           this text\n";

#define MB ((size_t)1024 * 1024)
#define MAX_SETS 256 /* --set options in one run */
/* --memory-limit's largest value: 16 TiB, or what size_t can count */
#define MAX_LIMIT_MB (SIZE_MAX / MB < 16777216 ? SIZE_MAX / MB : 16777216)

/* The CLI's memory limit unless --memory-limit says otherwise: half the
** physical memory, in whole megabytes, so that a runaway model stops with
** a message before the system starts swapping or kills it (0: unknown). */
static size_t default_memory_limit(void) {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return 0;
  unsigned long long mb = (unsigned long long)pages / 2 * (unsigned long long)page / MB;
  if (mb > MAX_LIMIT_MB) mb = MAX_LIMIT_MB;
  return (size_t)mb * MB;
}

static void usage(FILE *f) {
  fprintf(f, usage_text, default_memory_limit() / MB);
}

/* --memory-limit's value: whole megabytes, 0 for none; false when it is
** not one (a sign, a unit, too large: 17592186044417 must not wrap round). */
static bool parse_megabytes(const char *v, size_t *bytes) {
  unsigned long long mb = 0;
  if (!v || !*v) return false;
  for (const char *p = v; *p; p++) {
    if (*p < '0' || *p > '9') return false;
    mb = mb * 10 + (unsigned long long)(*p - '0');
    if (mb > MAX_LIMIT_MB) return false;
  }
  *bytes = (size_t)mb * MB;
  return true;
}

/* A --scenario name or the path of a --set: names joined by dots. */
static bool is_path(const char *s, size_t n, bool dots) {
  if (n == 0) return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    bool digit = c >= '0' && c <= '9';
    if (!(letter || (digit && i > 0 && s[i - 1] != '.') || (dots && c == '.' && i > 0 &&
                                                             i + 1 < n && s[i - 1] != '.')))
      return false;
  }
  return true;
}

/* Runs what --scenario and --set ask for in K: 0, or 1 after an error
** (written by the library, located in the --set value). */
static int apply_cli_changes(KaderState *K, const char *scenario, const char **sets, int nsets) {
  if (scenario) {
    char code[400];
    snprintf(code, sizeof code, "choose_scenario(\"%s\")", scenario);
    if (kader_run_string(K, "--scenario", code, strlen(code)) != KADER_OK) return 1;
  }
  for (int k = 0; k < nsets; k++) {
    const char *eq = strchr(sets[k], '=');
    size_t n = (size_t)(eq - sets[k]);
    /* the value alone on line 2, so that an error in it shows its own column */
    size_t cap = n + strlen(eq) + 64;
    char *code = malloc(cap), *name = malloc(n + 16);
    if (!code || !name) {
      free(code);
      free(name);
      fprintf(stderr, "kader: out of memory\n");
      return 1;
    }
    snprintf(code, cap, "_override(\"%.*s\",\n%s\n)", (int)n, sets[k], eq + 1);
    snprintf(name, n + 16, "--set %.*s", (int)n, sets[k]);
    KaderResult r = kader_run_string(K, name, code, strlen(code));
    free(code);
    free(name);
    if (r != KADER_OK) return 1;
  }
  return 0;
}

/* After the run: a --set the model never reached, or a --scenario it never
** reported, is an error (nothing was changed, yet the numbers would look
** like an answer). */
static int unreached_cli_changes(KaderState *K) {
  int bad = 0;
  if (kader_get_global(K, "_unapplied_overrides") != KADER_TFUNCTION) {
    kader_pop(K, 1);
    return 0;
  }
  if (kader_call(K, 0) != KADER_OK) return 1;
  size_t n = kader_len(K, -1);
  for (size_t k = 0; k < n; k++) {
    kader_get_item(K, -1, k + 1);
    fprintf(stderr, "kader: %s\n", kader_to_string(K, -1, NULL));
    kader_pop(K, 1);
    bad = 1;
  }
  kader_pop(K, 1);
  return bad;
}

static bool is_change_option(const char *a) {
  return strcmp(a, "--scenario") == 0 || strncmp(a, "--scenario=", 11) == 0 ||
         strcmp(a, "--set") == 0 || strncmp(a, "--set=", 6) == 0;
}

/* --scenario NAME or --set PATH=VALUE at argv[*i] (its value may be the
** next argument); false after saying what is wrong. They may also follow
** the model's file name (kader model.kader --scenario NAME). */
static bool take_change_option(int argc, char **argv, int *i, const char **scenario,
                               const char **sets, int *nsets) {
  const char *a = argv[*i];
  if (strncmp(a, "--scenario", 10) == 0) {
    const char *v = a[10] == '=' ? a + 11 : (*i + 1 < argc ? argv[++*i] : NULL);
    if (!v || !is_path(v, strlen(v), false) || strlen(v) > 200) {
      fprintf(stderr, "kader: --scenario needs the name of a scenario of the model%s%s%s\n",
              v ? " (not '" : "", v ? v : "", v ? "')" : "");
      return false;
    }
    *scenario = v;
    return true;
  }
  const char *v = a[5] == '=' ? a + 6 : (*i + 1 < argc ? argv[++*i] : NULL);
  const char *eq = v ? strchr(v, '=') : NULL;
  if (!v || !eq || !is_path(v, (size_t)(eq - v), true) || !memchr(v, '.', (size_t)(eq - v))) {
    fprintf(stderr, "kader: --set needs PATH=VALUE, a path to a field and a Kader value, "
            "as --set 'medewerker.amount=€ 15000/year'%s%s%s\n",
            v ? " (not '" : "", v ? v : "", v ? "')" : "");
    return false;
  }
  if (*nsets == MAX_SETS) {
    fprintf(stderr, "kader: at most %d --set options in one run\n", MAX_SETS);
    return false;
  }
  sets[(*nsets)++] = v;
  return true;
}

/* kader compare FILE: the model imported (so its main { } does not run),
** then every scenario beside its role. */
static int compare_file(KaderState *K, const char *file) {
  size_t n = strlen(file);
  char *code = malloc(2 * n + 64);
  if (!code) {
    fprintf(stderr, "kader: out of memory\n");
    return 1;
  }
  char *w = code;
  w += sprintf(w, "import \"");
  for (size_t k = 0; k < n; k++) {
    if (file[k] == '"' || file[k] == '\\' || file[k] == '{') *w++ = '\\';
    *w++ = file[k];
  }
  sprintf(w, "\"\ncompare_scenarios()\n");
  KaderResult r = kader_run_string(K, "<compare>", code, strlen(code));
  free(code);
  return r == KADER_OK ? 0 : 1;
}

/* paper.md: a literate model (its kader blocks run, paper.out.md written) */
static bool is_markdown(const char *path) {
  size_t n = strlen(path);
  return n > 3 && strcmp(path + n - 3, ".md") == 0;
}

int main(int argc, char **argv) {
  KaderConfig config;
  kader_config_init(&config);
  config.memory_limit = default_memory_limit();
  config.color = isatty(2) && !getenv("NO_COLOR");
  config.color_output = isatty(1) && !getenv("NO_COLOR");
  const char *code = NULL, *file = NULL, *scenario = NULL;
  const char *sets[MAX_SETS];
  int nsets = 0;
  bool compare = false;
  int stay = 0; /* -i: interactive after running the file */
  int strict = 0; /* --strict before check: imprecise claims fail */
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout);
      return 0;
    } else if (strcmp(a, "--version") == 0) {
      printf("kader %s (language %s)\n", KADER_VERSION, KADER_LANGUAGE_VERSION);
      return 0;
    } else if (strcmp(a, "--locale") == 0 || strncmp(a, "--locale=", 9) == 0) {
      const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
      if (!v || (strcmp(v, "nl") != 0 && strcmp(v, "en") != 0)) {
        fprintf(stderr, "kader: --locale takes nl or en\n");
        usage(stderr);
        return 2;
      }
      config.locale = v;
    } else if (strcmp(a, "--format") == 0 || strncmp(a, "--format=", 9) == 0) {
      const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
      if (!v || (strcmp(v, "text") != 0 && strcmp(v, "md") != 0 &&
                 strcmp(v, "json") != 0)) {
        fprintf(stderr, "kader: --format takes text, md or json\n");
        usage(stderr);
        return 2;
      }
      config.format = v;
    } else if (strcmp(a, "--allow-ffi") == 0) {
      config.allow |= KADER_ALLOW_FFI;
    } else if (strcmp(a, "--allow-run") == 0) {
      config.allow |= KADER_ALLOW_RUN;
    } else if (strcmp(a, "--allow-env") == 0) {
      config.allow |= KADER_ALLOW_ENV;
    } else if (strcmp(a, "--allow-write") == 0 || strncmp(a, "--allow-write=", 14) == 0) {
      config.allow |= KADER_ALLOW_WRITE;
      if (a[13] == '=') config.write_dir = a + 14;
    } else if (strcmp(a, "--output") == 0) {
      if (i + 1 >= argc) {
        fprintf(stderr, "kader: --output needs a directory\n");
        usage(stderr);
        return 2;
      }
      config.output_dir = argv[++i];
    } else if (strcmp(a, "--sandbox") == 0) {
      config.sandbox = 1;
    } else if (strcmp(a, "--memory-limit") == 0 || strncmp(a, "--memory-limit=", 15) == 0) {
      const char *v = a[14] == '=' ? a + 15 : (i + 1 < argc ? argv[++i] : NULL);
      if (!parse_megabytes(v, &config.memory_limit)) {
        fprintf(stderr, "kader: --memory-limit takes a whole number of megabytes from 1 "
                "to %zu, or 0 for no limit%s%s%s\n", (size_t)MAX_LIMIT_MB,
                v ? " (not " : "", v ? v : "", v ? ")" : "");
        return 2;
      }
    } else if (strcmp(a, "-e") == 0) {
      if (i + 1 >= argc) {
        fprintf(stderr, "kader: -e needs code\n");
        usage(stderr);
        return 2;
      }
      code = argv[++i];
      i++;
      break;
    } else if (strcmp(a, "-i") == 0) {
      stay = 1;
    } else if (strcmp(a, "run") == 0 && !file) {
      continue;
    } else if (is_change_option(a)) {
      if (!take_change_option(argc, argv, &i, &scenario, sets, &nsets)) return 2;
    } else if (strcmp(a, "compare") == 0 && !file) {
      compare = true;
    } else if (strcmp(a, "test") == 0) {
      return kd_cli_test(&config, argc - i - 1, argv + i + 1);
    } else if (strcmp(a, "--strict") == 0) {
      strict = 1;
    } else if (strcmp(a, "check") == 0) {
      if (!strict) return kd_cli_check(&config, argc - i - 1, argv + i + 1);
      /* --strict given before check: hand it on with the paths */
      char **rest = malloc(sizeof *rest * (size_t)(argc - i + 1));
      if (!rest) return 2;
      rest[0] = "--strict";
      for (int j = i + 1; j < argc; j++) rest[j - i] = argv[j];
      int status = kd_cli_check(&config, argc - i, rest);
      free(rest);
      return status;
    } else if (strcmp(a, "claims") == 0) {
      return kd_cli_claims(&config, argc - i - 1, argv + i + 1);
    } else if (strcmp(a, "fmt") == 0) {
      return kd_cli_fmt(&config, argc - i - 1, argv + i + 1);
    } else if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "kader: unknown option %s\n", a);
      usage(stderr);
      return 2;
    } else {
      file = a;
      i++;
      break;
    }
  }
  /* --scenario and --set after the file name are ours; the rest are the
  ** model's arguments */
  int model_argc = 0;
  char **model_argv = argv + i; /* compacted in place */
  for (int k = i; k < argc; k++) {
    if (file && is_change_option(argv[k])) {
      if (!take_change_option(argc, argv, &k, &scenario, sets, &nsets)) return 2;
    } else {
      model_argv[model_argc++] = argv[k];
    }
  }
  bool interactive = !code && (stay || (!file && isatty(0)));
  config.repl = interactive;
  KaderState *K = kader_new(&config);
  if (!K) {
    if (config.memory_limit)
      fprintf(stderr, "kader: could not start: the standard library needs more than "
              "the memory limit of %zu MB (--memory-limit MB raises it)\n",
              config.memory_limit / (1024 * 1024));
    else
      fprintf(stderr, "kader: could not start: out of memory\n");
    return 1;
  }
  kader_set_args(K, model_argc, (const char *const *)model_argv);
  int status;
  if (apply_cli_changes(K, scenario, sets, nsets) != 0) {
    status = 1;
  } else if (compare) {
    if (!file) {
      fprintf(stderr, "kader compare: name the model whose scenarios to compare\n");
      status = 2;
    } else {
      status = compare_file(K, file);
    }
  } else if (code) {
    status = kader_run_string(K, "<-e>", code, strlen(code));
  } else if (interactive) {
    status = kd_repl(K, file ? &file : NULL, file ? 1 : 0, config.color_output);
  } else if (file && is_markdown(file)) {
    status = kader_run_markdown(K, file, NULL);
  } else if (file && strcmp(file, "-") != 0) {
    status = kader_run_file(K, file);
  } else {
    size_t len;
    char *src = kd_cli_read(stdin, &len);
    if (!src) {
      fprintf(stderr, "kader: cannot read stdin: %s\n", strerror(errno));
      kader_free(K);
      return 1;
    }
    status = kader_run_string(K, "<stdin>", src, len);
    free(src);
  }
  if (status == 0 && unreached_cli_changes(K)) status = 1;
  /* a failed expect statement makes the run fail, after it has finished */
  int failed_expectations = 0;
  kader_expectations(K, NULL, &failed_expectations);
  if (status == 0 && failed_expectations > 0) status = 1;
  fflush(stdout);
  kader_free(K);
  return status;
}

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
    "       kader [options] check [FILES|DIRS] check claims and the data, and find\n"
    "                                        mistakes without running\n"
    "       kader fmt [--check] FILES        rewrite models in the canonical layout\n"
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
    "  --memory-limit MB  stop with \"out of memory\" beyond MB megabytes\n"
    "                   (default: half the physical memory, here %zu MB; 0: no limit)\n"
    "  --version        print the version and the language version\n"
    "  --help           this text\n";

#define MB ((size_t)1024 * 1024)
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
  const char *code = NULL, *file = NULL;
  int stay = 0; /* -i: interactive after running the file */
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
    } else if (strcmp(a, "test") == 0) {
      return kd_cli_test(&config, argc - i - 1, argv + i + 1);
    } else if (strcmp(a, "check") == 0) {
      return kd_cli_check(&config, argc - i - 1, argv + i + 1);
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
  kader_set_args(K, argc - i, (const char *const *)argv + i);
  int status;
  if (code) {
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
  /* a failed expect statement makes the run fail, after it has finished */
  int failed_expectations = 0;
  kader_expectations(K, NULL, &failed_expectations);
  if (status == 0 && failed_expectations > 0) status = 1;
  fflush(stdout);
  kader_free(K);
  return status;
}

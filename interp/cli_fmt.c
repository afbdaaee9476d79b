/*
** cli_fmt.c — kader fmt [--check] FILES|DIRS|- (see cli.h and docs/fmt.md).
**
** The formatting itself is kader_format_source (fmt.c); this file decides
** which files, reads them, and writes a file only when its text changes,
** through a temporary file in the same directory that is renamed over it,
** so that an interrupted run never leaves half a model behind. The exit
** status is for CI: 0 all formatted, 1 (--check) some file is not, 2 an
** error (a syntax error, a file that cannot be read or written).
*/
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

enum { FMT_OK = 0, FMT_UNFORMATTED = 1, FMT_ERROR = 2 };

static const char fmt_usage[] =
    "usage: kader fmt [--check] FILES|DIRS|-\n"
    "  rewrites each model in the canonical layout (docs/fmt.md); a directory\n"
    "  means every .kader file under it; '-' reads stdin and writes stdout\n"
    "  --check  change nothing; list the files that are not formatted and\n"
    "           exit with 1 when there are any\n";

static int worse(int a, int b) { return a > b ? a : b; }

static void report_error(KaderState *K, const char *name) {
  const char *e = kader_last_error(K);
  if (e) fputs(e, stderr);
  else fprintf(stderr, "%s: out of memory\n", name);
}

/* Writes text over path: a temporary file next to it (same permissions),
** renamed into place. A symbolic link is followed, not replaced. */
static int write_over(const char *path, const char *text, size_t len) {
  char real[PATH_MAX], tmp[PATH_MAX + 64];
  struct stat st;
  const char *target = realpath(path, real) ? real : path;
  int n = snprintf(tmp, sizeof tmp, "%s.fmt-%ld.tmp", target, (long)getpid());
  if (n < 0 || (size_t)n >= sizeof tmp) { errno = ENAMETOOLONG; return 0; }
  FILE *f = fopen(tmp, "wb");
  if (!f) return 0;
  int ok = fwrite(text, 1, len, f) == len;
  ok = fclose(f) == 0 && ok;
  if (ok && stat(target, &st) == 0) ok = chmod(tmp, st.st_mode & 07777) == 0;
  if (ok) ok = rename(tmp, target) == 0;
  if (!ok) {
    int saved = errno;
    remove(tmp);
    errno = saved;
  }
  return ok;
}

/* Formats one text; name is how it is called in messages. Writes the
** result to stdout (stdin), over the file (a path), or nowhere (--check). */
static int format_one(KaderState *K, const char *name, const char *path,
                      const char *src, size_t len, int check) {
  char *out = kader_format_source(K, name, src, len);
  int status = FMT_OK;
  if (!out) {
    report_error(K, name);
    return FMT_ERROR;
  }
  size_t n = strlen(out);
  int same = n == len && memcmp(out, src, len) == 0;
  if (check) {
    if (!same) {
      printf("%s: not formatted\n", name);
      status = FMT_UNFORMATTED;
    }
  } else if (!path) {
    fwrite(out, 1, n, stdout);
  } else if (!same && !write_over(path, out, n)) {
    fprintf(stderr, "kader: cannot write %s: %s\n", path, strerror(errno));
    status = FMT_ERROR;
  }
  free(out);
  return status;
}

static int format_stdin(KaderState *K, int check) {
  size_t len;
  char *src = kd_cli_read(stdin, &len);
  if (!src) {
    fprintf(stderr, "kader: cannot read stdin: %s\n", strerror(errno));
    return FMT_ERROR;
  }
  int status = format_one(K, "<stdin>", NULL, src, len, check);
  free(src);
  return status;
}

static int format_file(KaderState *K, const char *path, int check) {
  size_t len;
  FILE *f = fopen(path, "rb");
  char *src = f ? kd_cli_read(f, &len) : NULL;
  int saved = errno;
  if (f) fclose(f);
  if (!src) {
    fprintf(stderr, "kader: cannot read %s: %s\n", path, strerror(saved));
    return FMT_ERROR;
  }
  int status = format_one(K, path, path, src, len, check);
  free(src);
  return status;
}

/* One argument: '-', a file, or a directory of .kader files. */
static int format_arg(KaderState *K, char *arg, int check) {
  int count = 0, status = FMT_OK;
  if (strcmp(arg, "-") == 0) return format_stdin(K, check);
  char **paths = kd_cli_collect(1, &arg, ".kader", &count);
  if (!paths) return FMT_ERROR; /* the message is on stderr */
  for (int i = 0; i < count; i++) status = worse(status, format_file(K, paths[i], check));
  kd_cli_free_list(paths, count);
  return status;
}

int kd_cli_fmt(KaderConfig *config, int argc, char **argv) {
  int check = 0, files = 0, options = 1, status = FMT_OK;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (options && strcmp(a, "--") == 0) options = 0;
    else if (options && strcmp(a, "--check") == 0) check = 1;
    else if (options && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
      fputs(fmt_usage, stdout);
      return FMT_OK;
    } else if (options && a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "kader fmt: unknown option %s\n%s", a, fmt_usage);
      return FMT_ERROR;
    } else {
      files++;
    }
  }
  if (files == 0) {
    fprintf(stderr, "kader fmt: name the files or directories to format "
                    "('-' for stdin)\n%s", fmt_usage);
    return FMT_ERROR;
  }
  KaderState *K = kader_new(config);
  if (!K) {
    fprintf(stderr, "kader: could not start\n");
    return FMT_ERROR;
  }
  options = 1;
  for (int i = 0; i < argc; i++) {
    if (options && strcmp(argv[i], "--") == 0) { options = 0; continue; }
    if (options && strcmp(argv[i], "--check") == 0) continue;
    status = worse(status, format_arg(K, argv[i], check));
  }
  fflush(stdout);
  kader_free(K);
  return status;
}

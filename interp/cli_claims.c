/*
** cli_claims.c — `kader claims REPORT [--out FILE] [--format json]
** [--locale en]`: the statements with numbers in a report's text, checked
** against the text's own numbers with no model.
**
** A thin user of kader.h: it reads the report (plain text or Markdown; a
** PDF through `pdftotext -layout` from poppler-utils), and hands the text
** to stdlib/claimtext.kader, which finds the statements, their phrases and
** the inconsistencies. Each phrase then goes through the claim reader
** (read_quantity, stdlib/claims.kader) one at a time, so that a phrase the
** reader cannot read is listed with the reader's words instead of ending
** the run. With --out the phrases become claim declarations, ready to be
** linked to the model. Exit status: 0 when the text's own numbers agree,
** 1 when there are findings, 2 when the report cannot be read.
*/
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

static void claims_usage(FILE *f) {
  fprintf(f, "usage: kader claims REPORT [--out FILE] [--format text|md|json] [--locale nl|en]\n"
             "  REPORT  a report as plain text or Markdown, or a PDF (read with pdftotext)\n"
             "  --out FILE  write a claim declaration for every phrase found, to link to the model\n");
}

/* Does s end in suffix, ignoring ASCII case (report.PDF)? */
static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  if (n < m) return 0;
  for (size_t i = 0; i < m; i++) {
    char a = s[n - m + i], b = suffix[i];
    if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
    if (a != b) return 0;
  }
  return 1;
}

/* Is program on the PATH (as execvp would find it)? */
static int on_path(const char *program) {
  const char *path = getenv("PATH");
  if (!path || !*path) return 0;
  char buf[4096];
  while (*path) {
    const char *colon = strchr(path, ':');
    size_t n = colon ? (size_t)(colon - path) : strlen(path);
    snprintf(buf, sizeof buf, "%.*s/%s", (int)n, n ? path : ".", program);
    if (access(buf, X_OK) == 0) return 1;
    path += n + (colon ? 1 : 0);
  }
  return 0;
}

/* Everything a descriptor gives until its end, NUL-terminated. */
static char *read_fd(int fd, size_t *len) {
  size_t cap = 8192, n = 0;
  char *buf = malloc(cap);
  ssize_t got;
  while (buf && (got = read(fd, buf + n, cap - n - 1)) > 0) {
    n += (size_t)got;
    if (n + 1 == cap) {
      char *bigger = n > ((size_t)64 << 20) ? NULL : realloc(buf, cap * 2);
      if (!bigger) {
        free(buf);
        return NULL;
      }
      buf = bigger;
      cap *= 2;
    }
  }
  if (buf) buf[n] = '\0';
  *len = n;
  return buf;
}

/* The text of a PDF, from `pdftotext -layout PATH -` (run without a shell,
** so that no file name is ever a command); NULL after saying why. */
static char *pdf_text(const char *path, size_t *len) {
  if (!on_path("pdftotext")) {
    fprintf(stderr, "kader claims: %s is a PDF, and reading a PDF needs pdftotext, which is not "
            "installed; install poppler-utils (apt-get install poppler-utils), or give the "
            "report as text\n", path);
    return NULL;
  }
  int out[2], err[2];
  if (pipe(out) != 0) {
    fprintf(stderr, "kader claims: cannot run pdftotext: %s\n", strerror(errno));
    return NULL;
  }
  if (pipe(err) != 0) {
    close(out[0]);
    close(out[1]);
    fprintf(stderr, "kader claims: cannot run pdftotext: %s\n", strerror(errno));
    return NULL;
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    fprintf(stderr, "kader claims: cannot run pdftotext: %s\n", strerror(errno));
    close(out[0]); close(out[1]); close(err[0]); close(err[1]);
    return NULL;
  }
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    close(out[0]); close(out[1]); close(err[0]); close(err[1]);
    execlp("pdftotext", "pdftotext", "-layout", "-enc", "UTF-8", "--", path, "-", (char *)NULL);
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  char *text = read_fd(out[0], len);
  close(out[0]);   /* before waiting: a text too large to keep stops pdftotext (SIGPIPE) */
  size_t elen = 0;
  char *why = read_fd(err[0], &elen);
  close(err[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (!text && code == 0) {
    fprintf(stderr, "kader claims: the text of the PDF %s is larger than 64 MB, or there was no "
            "memory for it\n", path);
    free(why);
    return NULL;
  }
  if (code != 0 || !text) {
    /* pdftotext's own first line says what was wrong with the file */
    char *nl = why ? strchr(why, '\n') : NULL;
    if (nl) *nl = '\0';
    fprintf(stderr, "kader claims: cannot read the PDF %s: pdftotext stopped with exit status %d%s%s\n",
            path, code, why && *why ? ": " : "", why ? why : "");
    free(text);
    free(why);
    return NULL;
  }
  free(why);
  return text;
}

/* The offset of the first byte that is not valid UTF-8, or -1. */
static long utf8_error(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || (len == 2 && c < 0xC2) || (len == 4 && c > 0xF4) || i + len > n) return (long)i;
    for (size_t k = 1; k < len; k++)
      if ((s[i + k] & 0xC0) != 0x80) return (long)i;
    if (len == 3 && ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] >= 0xA0))) return (long)i;
    if (len == 4 && ((c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] >= 0x90))) return (long)i;
    i += len;
  }
  return -1;
}

/* The report's text; NULL after saying why. */
static char *report_text(const char *path, size_t *len) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "kader claims: cannot read %s: %s\n", path, strerror(errno));
    return NULL;
  }
  if (S_ISDIR(st.st_mode)) {
    fprintf(stderr, "kader claims: %s is a directory; name the report's file\n", path);
    return NULL;
  }
  if (ends_with(path, ".pdf")) return pdf_text(path, len);
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "kader claims: cannot read %s: %s\n", path, strerror(errno));
    return NULL;
  }
  char *text = kd_cli_read(f, len);
  int e = errno;
  fclose(f);
  if (!text) {
    fprintf(stderr, "kader claims: cannot read %s: %s\n", path, strerror(e));
    return NULL;
  }
  if (memchr(text, '\0', *len)) {
    fprintf(stderr, "kader claims: %s is not a text file (give a report as text, Markdown or PDF)\n", path);
    free(text);
    return NULL;
  }
  long bad = utf8_error((const unsigned char *)text, *len);
  if (bad >= 0) {
    /* a report saved as Windows-1252 or Latin-1: say so rather than guess */
    fprintf(stderr, "kader claims: %s is not UTF-8 text (byte %ld is not UTF-8); convert it "
            "first, e.g. iconv -f windows-1252 -t utf-8 %s\n", path, bad + 1, path);
    free(text);
    return NULL;
  }
  return text;
}

/* Each phrase on top of the stack's list through read_quantity: its
** reading, or the reader's words for why it cannot read it (unread; the
** diagnostic it wrote into err is not shown: the report lists it). */
static void read_phrases(KaderState *K, KdCliText *err) {
  kader_get_field(K, -1, "phrases");
  size_t n = kader_len(K, -1);
  int reader = kader_get_global(K, "read_quantity") == KADER_TFUNCTION;
  kader_pop(K, 1);
  for (size_t i = 1; reader && i <= n; i++) {
    kader_get_item(K, -1, i);          /* the phrase */
    kader_get_global(K, "read_quantity");
    kader_get_field(K, -2, "words");
    if (kader_call(K, 1) == KADER_OK) {
      kader_set_field(K, -1, "reading");
    } else {
      const char *msg = kader_error_message(K);
      kader_push_string(K, msg ? msg : "an error", msg ? strlen(msg) : 8);
      kader_set_field(K, -1, "unread");
    }
    err->len = 0;
    kader_pop(K, 1);
  }
  kader_pop(K, 1);                     /* the phrases */
  kader_push_bool(K, reader);
  kader_set_field(K, -1, "reader");
}

/* Calls global fn with the found record (the global _claims_found);
** KADER_OK with the result pushed. */
static KaderResult call_with_found(KaderState *K, const char *fn) {
  kader_get_global(K, fn);
  kader_get_global(K, "_claims_found");
  return kader_call(K, 1);
}

/* --out FILE: the claim declarations, written; 0, or 2 after saying why. */
static int write_claims(KaderState *K, const char *out) {
  if (call_with_found(K, "claims_declarations") != KADER_OK) return 2;
  size_t n = 0;
  const char *text = kader_to_string(K, -1, &n);
  FILE *f = fopen(out, "wb");
  if (!f) {
    fprintf(stderr, "kader claims: cannot write %s: %s\n", out, strerror(errno));
    kader_pop(K, 1);
    return 2;
  }
  int ok = fwrite(text, 1, n, f) == n && fputc('\n', f) != EOF;
  ok = fclose(f) == 0 && ok;
  kader_pop(K, 1);
  if (!ok) {
    fprintf(stderr, "kader claims: cannot write %s: %s\n", out, strerror(errno));
    return 2;
  }
  return 0;
}

int kd_cli_claims(KaderConfig *config, int argc, char **argv) {
  const char *report = NULL, *out = NULL;
  KaderConfig c = *config;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--out") == 0 || strncmp(a, "--out=", 6) == 0) {
      const char *v = a[5] == '=' ? a + 6 : (i + 1 < argc ? argv[++i] : NULL);
      if (!v || !*v) {
        fprintf(stderr, "kader claims: --out needs the name of the file to write the claims to\n");
        return 2;
      }
      out = v;
    } else if (strcmp(a, "--format") == 0 || strncmp(a, "--format=", 9) == 0) {
      const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
      if (!v || (strcmp(v, "text") != 0 && strcmp(v, "md") != 0 && strcmp(v, "json") != 0)) {
        fprintf(stderr, "kader claims: --format takes text, md or json\n");
        return 2;
      }
      c.format = v;
    } else if (strcmp(a, "--locale") == 0 || strncmp(a, "--locale=", 9) == 0) {
      const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
      if (!v || (strcmp(v, "nl") != 0 && strcmp(v, "en") != 0)) {
        fprintf(stderr, "kader claims: --locale takes nl or en\n");
        return 2;
      }
      c.locale = v;
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      claims_usage(stdout);
      return 0;
    } else if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "kader claims: unknown option %s\n", a);
      claims_usage(stderr);
      return 2;
    } else if (report) {
      fprintf(stderr, "kader claims: one report at a time (%s and %s)\n", report, a);
      return 2;
    } else {
      report = a;
    }
  }
  if (!report) {
    fprintf(stderr, "kader claims: name the report to read\n");
    claims_usage(stderr);
    return 2;
  }
  size_t len = 0;
  char *text = report_text(report, &len);
  if (!text) return 2;
  /* diagnostics into err, shown only when a step fails (the reader's
  ** errors are listed in the report instead) */
  KdCliText err = {0};
  c.write_error = kd_cli_text_write;
  c.error_userdata = &err;
  KaderState *K = kader_new(&c);
  if (!K) {
    free(text);
    fprintf(stderr, "kader claims: could not start the interpreter\n");
    return 2;
  }
  int status = 2;
  const char *name = strrchr(report, '/') ? strrchr(report, '/') + 1 : report;
  kader_get_global(K, "claims_in_text");
  kader_push_string(K, text, len);
  kader_push_string(K, name, strlen(name));
  free(text);
  if (kader_call(K, 2) != KADER_OK) goto done;   /* the library said why */
  read_phrases(K, &err);
  kader_set_global(K, "_claims_found");
  if (out && write_claims(K, out) != 0) goto done;
  if (call_with_found(K, "claims_text_report") != KADER_OK) goto done;
  status = kader_to_number(K, -1) > 0 ? 1 : 0;
  kader_pop(K, 1);
done:
  fflush(stdout);
  if (status == 2 && err.len) fwrite(err.s, 1, err.len, stderr);
  kd_cli_text_free(&err);
  kader_free(K);
  return status;
}

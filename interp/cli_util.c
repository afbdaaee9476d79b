/*
** cli_util.c — what the subcommands share: finding model files, JSON
** strings, and capturing a state's output.
*/
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "parser.h"

typedef struct { char **items; int count, cap; } PathList;

static void add_path(PathList *l, const char *path) {
  if (l->count == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    l->items = realloc(l->items, sizeof *l->items * (size_t)l->cap);
    if (!l->items) { perror("kader"); exit(1); }
  }
  l->items[l->count] = strdup(path);
  if (!l->items[l->count]) { perror("kader"); exit(1); }
  l->count++;
}

static int has_ext(const char *name, const char *ext) {
  size_t n = strlen(name), e = strlen(ext);
  return n > e && strcmp(name + n - e, ext) == 0;
}

static void walk(PathList *l, const char *dir, const char *ext) {
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' || strcmp(e->d_name, "build") == 0) continue;
    size_t n = strlen(dir) + strlen(e->d_name) + 2;
    char *path = malloc(n);
    if (!path) { perror("kader"); exit(1); }
    size_t dl = strlen(dir);
    int here = strcmp(dir, ".") == 0, slashed = dl > 0 && dir[dl - 1] == '/';
    snprintf(path, n, "%s%s%s", here ? "" : dir, here || slashed ? "" : "/", e->d_name);
    struct stat st;
    if (stat(path, &st) == 0) {
      if (S_ISDIR(st.st_mode)) walk(l, path, ext);
      else if (has_ext(e->d_name, ext)) add_path(l, path);
    }
    free(path);
  }
  closedir(d);
}

char *kd_cli_read(FILE *f, size_t *len) {
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;
    if (n > KD_MAX_SOURCE) { /* no model is this large: /dev/zero, a runaway pipe */
      free(buf);
      *len = n;
      errno = EFBIG;
      return NULL;
    }
    char *bigger = realloc(buf, cap * 2);
    if (!bigger) free(buf);
    buf = bigger;
    cap *= 2;
  }
  if (!buf) {
    errno = ENOMEM;
  } else if (ferror(f)) {
    free(buf);
    buf = NULL;
    errno = EIO;
  } else {
    buf[n] = '\0'; /* n < cap */
  }
  *len = n;
  return buf;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

char **kd_cli_collect(int argc, char **argv, const char *ext, int *count) {
  PathList l = {0};
  char *here[] = {"."};
  if (argc == 0) { argc = 1; argv = here; }
  for (int i = 0; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "kader: cannot find %s\n", argv[i]);
      kd_cli_free_list(l.items, l.count);
      return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
      int first = l.count;
      walk(&l, argv[i], ext);
      qsort(l.items + first, (size_t)(l.count - first), sizeof *l.items, by_name);
    } else {
      add_path(&l, argv[i]);
    }
  }
  *count = l.count;
  if (!l.items) l.items = calloc(1, sizeof *l.items);
  return l.items;
}

void kd_cli_free_list(char **paths, int count) {
  for (int i = 0; i < count; i++) free(paths[i]);
  free(paths);
}

void kd_cli_json_string(FILE *out, const char *s) {
  fputc('"', out);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') fprintf(out, "\\%c", c);
    else if (c == '\n') fputs("\\n", out);
    else if (c == '\t') fputs("\\t", out);
    else if (c < 0x20) fprintf(out, "\\u%04x", c);
    else fputc(c, out);
  }
  fputc('"', out);
}

void kd_cli_text_write(void *text, const char *s, size_t len) {
  KdCliText *t = text;
  if (t->len + len + 1 > t->cap) {
    size_t cap = t->cap ? t->cap : 256;
    while (cap < t->len + len + 1) cap *= 2;
    char *p = realloc(t->s, cap);
    if (!p) return;   /* out of memory: the text is cut short */
    t->s = p;
    t->cap = cap;
  }
  memcpy(t->s + t->len, s, len);
  t->len += len;
  t->s[t->len] = '\0';
}

void kd_cli_text_free(KdCliText *t) {
  free(t->s);
  t->s = NULL;
  t->len = t->cap = 0;
}

void kd_cli_capture(KaderConfig *c, KdCliText *out, KdCliText *err) {
  c->write = kd_cli_text_write;
  c->write_userdata = out;
  c->write_error = kd_cli_text_write;
  c->error_userdata = err;
  c->color = c->color_output = 0;
}

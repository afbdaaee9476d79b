/*
** module.c — from a file name to running code: reading, parsing,
** compiling, and importing each module once.
**
** A module is identified by its canonical path, so "a.kader" and
** "./lib/../a.kader" are the same module. The chain of modules being loaded
** is kept, so an import cycle is reported with the whole cycle.
*/
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compiler.h"
#include "parser.h"
#include "stdlib_files.h"
#include "vm.h"

static ObjString *dir_of(KaderState *K, const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return str_cstr(K, ".");
  if (slash == path) return str_cstr(K, "/");
  return str_new(K, path, (size_t)(slash - path));
}

/* Editors on Windows start a UTF-8 file with a byte order mark; it is not
** part of the model, and leaving it out keeps columns and carets right. */
size_t kd_bom_length(const char *src, size_t len) {
  return len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

ObjModule *kd_load_module(KaderState *K, const char *path, const char *src,
                          size_t len, bool embedded) {
  ObjString *p = str_cstr(K, path);
  kd_push_root(K, OBJ_VAL(p));
  size_t bom = kd_bom_length(src, len);
  ObjString *s = str_new(K, src + bom, len - bom);
  kd_push_root(K, OBJ_VAL(s));
  ObjModule *m = module_new(K, p, s);
  kd_push_root(K, OBJ_VAL(m));
  m->dir = dir_of(K, path);
  m->embedded = embedded;
  kd_pop_root(K);
  kd_pop_root(K);
  kd_pop_root(K);
  return m;
}

/* Blocks of a syntax tree are counted with the heap (kd_realloc's count),
** but refused past the limit rather than raised: a raise would skip the
** arena's owner, which frees it. */
static void *tree_memory(void *ud, void *old, size_t old_size, size_t new_size) {
  KaderState *K = ud;
  void *p;
  if (new_size == 0) {
    if (K->config.realloc) K->config.realloc(K->config.alloc_userdata, old, old_size, 0);
    else free(old);
    K->bytes_allocated -= old_size;
    return NULL;
  }
  if (K->config.memory_limit && K->bytes_allocated + new_size > K->config.memory_limit)
    return NULL;
  if (K->config.realloc) {
    p = K->config.realloc(K->config.alloc_userdata, NULL, 0, new_size);
    if (p) memset(p, 0, new_size);
  } else {
    p = calloc(1, new_size);
  }
  if (p) K->bytes_allocated += new_size;
  return p;
}

void kd_arena_init(KaderState *K, Arena *a) {
  arena_init(a);
  a->memory = tree_memory;
  a->memory_ud = K;
}

typedef struct {
  ObjModule *m; Arena arena; ParseStream *stream; bool print; ObjFunction *fn;
} CompileJob;

static void compile_job(KaderState *K, void *ud) {
  CompileJob *job = ud;
  job->fn = kd_compile(K, job->m, job->stream, &job->arena, job->print);
}

/* Parses and compiles a module; a syntax error is raised as located error. */
static ObjFunction *compile_module(KaderState *K, ObjModule *m, bool print) {
  CompileJob job = {m, {0}, NULL, print, NULL};
  kd_arena_init(K, &job.arena);
  ParseError err;
  job.stream = kd_parse_open(&job.arena, m->source->chars, m->source->len, &err);
  if (!job.stream) {
    if (!err.message[0]) snprintf(err.message, sizeof err.message, "out of memory");
    kd_error_at(K, m, err.span, true, "%s", err.message);
  }
  kd_push_root(K, OBJ_VAL(m));
  KaderResult r = kd_protect(K, compile_job, &job);
  kd_pop_root(K);
  kd_parse_close(job.stream);
  arena_free(&job.arena);
  if (r != KADER_OK) kd_rethrow(K, r);
  return job.fn;
}

/* Compiles and runs module m as a function with no arguments. */
void kd_run_module(KaderState *K, ObjModule *m, bool print) {
  kd_push_root(K, OBJ_VAL(m));
  ObjFunction *fn = compile_module(K, m, print);
  kd_push_root(K, OBJ_VAL(fn));
  ObjClosure *cl = closure_new(K, fn);
  kd_pop_root(K);
  kd_pop_root(K);
  kd_call(K, OBJ_VAL(cl), 0, NULL);
}

/* The file's status, or false with *why (it is missing, or a directory). */
static bool stat_file(const char *path, struct stat *st, const char **why) {
  if (stat(path, st) != 0) {
    *why = strerror(errno);
    return false;
  }
  if (S_ISDIR(st->st_mode)) {
    *why = "it is a directory";
    return false;
  }
  return true;
}

char *kd_read_file(const char *path, size_t *len, const char **why) {
  struct stat st;
  if (!stat_file(path, &st, why)) return NULL;
  FILE *f = fopen(path, "rb");
  if (!f) {
    *why = strerror(errno);
    return NULL;
  }
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (!buf) {
      fclose(f);
      *why = "out of memory";
      return NULL;
    }
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;
    if (cap > ((size_t)1 << 30)) {
      free(buf);
      fclose(f);
      *why = "the file is larger than 1 GiB";
      return NULL;
    }
    char *bigger = realloc(buf, cap * 2);
    if (!bigger) free(buf);
    buf = bigger;
    cap *= 2;
  }
  bool failed = ferror(f);
  fclose(f);
  if (failed) {
    free(buf);
    *why = "read error";
    return NULL;
  }
  buf[n] = '\0'; /* n < cap */
  *len = n;
  return buf;
}

char *kd_read_source(const char *path, size_t *len, const char **why) {
  struct stat st;
  if (!stat_file(path, &st, why)) return NULL;
  /* /dev/zero, a pipe, a terminal: reading one may never end */
  if (!S_ISREG(st.st_mode)) {
    *why = "it is not a regular file";
    return NULL;
  }
  if (st.st_size > (off_t)KD_MAX_SOURCE) {
    *why = "it is larger than " KD_MAX_SOURCE_TEXT ", the most a model may be (data "
           "belongs in a CSV file)";
    return NULL;
  }
  char *buf = kd_read_file(path, len, why);
  if (buf && *len > KD_MAX_SOURCE) { /* it grew while it was read */
    free(buf);
    *why = "it is larger than " KD_MAX_SOURCE_TEXT ", the most a model may be";
    return NULL;
  }
  return buf;
}

static int find_path(ObjList *l, ObjString *s) {
  if (!l) return -1;
  for (uint32_t i = 0; i < l->count; i++)
    if (AS_STRING(l->items[i]) == s) return (int)i;
  return -1;
}

static const KdStdlibFile *find_embedded(const char *name) {
  for (size_t i = 0; i < kd_stdlib_count; i++)
    if (strcmp(kd_stdlib_files[i].name, name) == 0) return &kd_stdlib_files[i];
  return NULL;
}

/* Runs the module known as `key` (its canonical path) once. */
static void load_once(KaderState *K, ObjString *key, ObjModule *m, bool print) {
  int at = find_path(K->loading, key);
  if (at >= 0) {
    KdBuf b = {0};
    for (uint32_t i = (uint32_t)at; i < K->loading->count; i++) {
      const char *p = AS_STRING(K->loading->items[i])->chars;
      const char *base = strrchr(p, '/');
      kd_buf_add(K, &b, base ? base + 1 : p, strlen(base ? base + 1 : p));
      kd_buf_add(K, &b, i == (uint32_t)at ? " imports " : ", which imports ",
                 i == (uint32_t)at ? 9 : 16);
    }
    const char *p = key->chars;
    const char *base = strrchr(p, '/');
    kd_buf_add(K, &b, base ? base + 1 : p, strlen(base ? base + 1 : p));
    char msg[600];
    snprintf(msg, sizeof msg, "%s", b.s);
    kd_buf_free(K, &b);
    kd_error(K, "import cycle: %s", msg);
  }
  list_push(K, K->loading, OBJ_VAL(key));
  kd_run_module(K, m, print);
  K->loading->count--;
  list_push(K, K->module_paths, OBJ_VAL(key));
}

/* Runs a module of the embedded standard library once. */
static void load_embedded(KaderState *K, const KdStdlibFile *f) {
  char key[300];
  snprintf(key, sizeof key, "<stdlib>/%s", f->name);
  ObjString *k = str_cstr(K, key);
  if (find_path(K->module_paths, k) >= 0) return;
  kd_push_root(K, OBJ_VAL(k));
  ObjModule *m = kd_load_module(K, key, f->source, f->len, true);
  kd_push_root(K, OBJ_VAL(m));
  load_once(K, k, m, false);
  kd_pop_root(K);
  kd_pop_root(K);
}

void kd_import(KaderState *K, ObjModule *from, ObjString *path) {
  if (from->embedded) {
    const KdStdlibFile *f = find_embedded(path->chars);
    if (!f) kd_error(K, "no standard library module '%s'", path->chars);
    load_embedded(K, f);
    return;
  }
  /* relative to the importing file */
  KdBuf shown = {0};
  if (path->chars[0] != '/' && strcmp(from->dir->chars, ".") != 0) {
    kd_buf_add(K, &shown, from->dir->chars, from->dir->len);
    kd_buf_add(K, &shown, "/", 1);
  }
  kd_buf_add(K, &shown, path->chars, path->len);
  if (!kd_may_read(K, shown.s)) {
    char msg[600];
    snprintf(msg, sizeof msg, "%s", shown.s);
    kd_buf_free(K, &shown);
    kd_check_read(K, msg);   /* raises the error */
  }
  char *canon = realpath(shown.s, NULL);
  if (!canon) {
    int e = errno;
    char msg[600];
    snprintf(msg, sizeof msg, "cannot import \"%s\": %s (looked for %s)",
             path->chars, strerror(e), shown.s);
    kd_buf_free(K, &shown);
    kd_error(K, "%s", msg);
  }
  ObjString *key = str_cstr(K, canon);
  free(canon);
  if (find_path(K->module_paths, key) >= 0) {
    kd_buf_free(K, &shown);
    return;
  }
  kd_push_root(K, OBJ_VAL(key));
  size_t len = 0;
  const char *why = NULL;
  char *src = kd_read_source(shown.s, &len, &why);
  if (!src) {
    char msg[600];
    snprintf(msg, sizeof msg, "cannot import \"%s\": %s", path->chars, why);
    kd_buf_free(K, &shown);
    kd_error(K, "%s", msg);
  }
  ObjModule *m;
  {
    /* build the module before freeing the buffers; errors cannot leak them */
    ObjString *p = str_new(K, shown.s, shown.len);
    kd_buf_free(K, &shown);
    kd_push_root(K, OBJ_VAL(p));
    size_t bom = kd_bom_length(src, len);
    ObjString *s = str_new(K, src + bom, len - bom);
    free(src);
    kd_push_root(K, OBJ_VAL(s));
    m = module_new(K, p, s);
    kd_push_root(K, OBJ_VAL(m));
    m->dir = dir_of(K, p->chars);
    kd_pop_root(K);
    kd_pop_root(K);
    kd_pop_root(K);
  }
  kd_push_root(K, OBJ_VAL(m));
  load_once(K, key, m, false);
  kd_pop_root(K);
  kd_pop_root(K);
}

/* ---- entry points used by state.c ---- */

static void set_sandbox(KaderState *K, const char *path);

typedef struct {
  const char *name;
  const char *src;
  size_t len;
  bool print;
  bool is_file; /* the main file: remember its canonical path for cycles */
} RunJob;

static void run_job(KaderState *K, void *ud) {
  RunJob *job = ud;
  const char *src = job->src;
  size_t len = job->len;
  ObjModule *m = kd_load_module(K, job->name, src, len, false);
  m->is_main = true;
  kd_push_root(K, OBJ_VAL(m));
  if (job->is_file) {
    char *canon = realpath(job->name, NULL);
    ObjString *key = str_cstr(K, canon ? canon : job->name);
    free(canon);
    kd_push_root(K, OBJ_VAL(key));
    load_once(K, key, m, job->print);
    kd_pop_root(K);
  } else {
    kd_run_module(K, m, job->print);
  }
  kd_pop_root(K);
}

KaderResult kd_run_source(KaderState *K, const char *name, const char *src,
                          size_t len, bool print, bool is_file) {
  if (!is_file) set_sandbox(K, NULL);
  RunJob job = {name, src, len, print, is_file};
  return kd_protect(K, run_job, &job);
}

/* A sandbox is the directory of the first model run. */
static void set_sandbox(KaderState *K, const char *path) {
  if (!K->config.sandbox || K->sandbox_dir[0]) return;
  char *full = path ? realpath(path, NULL) : realpath(".", NULL);
  if (!full) return;
  if (path) {
    char *slash = strrchr(full, '/');
    if (slash && slash != full) *slash = '\0';
    else if (slash) slash[1] = '\0';
  }
  snprintf(K->sandbox_dir, sizeof K->sandbox_dir, "%s", full);
  free(full);
}

KaderResult kd_run_path(KaderState *K, const char *path) {
  set_sandbox(K, path);
  size_t len = 0;
  const char *why = NULL;
  char *src = kd_read_source(path, &len, &why);
  if (!src) {
    char msg[600];
    snprintf(msg, sizeof msg, "kader: cannot read %s: %s\n", path, why);
    free(K->last_error);
    K->last_error = strdup(msg);
    snprintf(K->error_message, sizeof K->error_message, "cannot read %s: %s", path, why);
    snprintf(K->error_file, sizeof K->error_file, "%s", path);
    K->error_line = K->error_column = 0;
    return KADER_SYNTAX_ERROR; /* a usage error: exit code 2 */
  }
  KaderResult r = kd_run_source(K, path, src, len, false, true);
  free(src);
  return r;
}

static void std_job(KaderState *K, void *ud) {
  (void)ud;
  /* prelude.kader imports the rest in the order it needs; without one,
  ** every file runs in name order */
  const KdStdlibFile *prelude = find_embedded("prelude.kader");
  if (prelude) {
    load_embedded(K, prelude);
    return;
  }
  for (size_t i = 0; i < kd_stdlib_count; i++) load_embedded(K, &kd_stdlib_files[i]);
}

/* In the stress mode for programs, the standard library loads without a
** collection on every allocation: it is the same in every run, and one
** test loads it under full stress (tests/cli_cases.py) instead of all. */
KaderResult kd_load_stdlib(KaderState *K) {
  int stress = K->config.gc_stress;
  if (stress == KADER_GC_STRESS_PROGRAM) K->config.gc_stress = 0;
  KaderResult r = kd_protect(K, std_job, NULL);
  K->config.gc_stress = stress;
  return r;
}

int kd_source_incomplete(const char *src, size_t len) {
  Arena a;
  arena_init(&a);
  ParseError err;
  memset(&err, 0, sizeof err);
  Node *n = kd_parse(&a, src, len, &err);
  arena_free(&a);
  return n == NULL && err.incomplete;
}

/*
** syslib.c — what a model may do outside its own computation, and the
** permissions that guard it: environment variables, running programs,
** writing files, and reading files in a sandbox.
**
** A model from someone else should not be able to read your environment,
** run programs or overwrite files; a denied action is an error that names
** the action and the command-line switch that would allow it.
*/
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vm.h"

void kd_require(KaderState *K, unsigned permission, const char *action) {
  if (K->config.allow & permission) return;
  const char *flag = permission == KADER_ALLOW_FFI ? "--allow-ffi"
                   : permission == KADER_ALLOW_RUN ? "--allow-run"
                   : permission == KADER_ALLOW_ENV ? "--allow-env"
                   : "--allow-write";
  kd_error(K, "not allowed: %s; a model may only do this when it is run with %s",
           action, flag);
}

/* Is path (made absolute) inside dir (absolute)? */
static bool within(const char *path, const char *dir) {
  size_t n = strlen(dir);
  if (n > 1 && dir[n - 1] == '/') n--;
  return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The canonical form of a path that may not exist yet: its directory
** resolved, its last part as it is. */
static bool canonical(const char *path, char *out) {
  char dir[PATH_MAX];
  const char *slash = strrchr(path, '/');
  const char *name = slash ? slash + 1 : path;
  if (slash) {
    size_t n = (size_t)(slash - path);
    if (n == 0) n = 1;
    if (n >= sizeof dir) return false;
    memcpy(dir, path, n);
    dir[n] = '\0';
  } else {
    strcpy(dir, ".");
  }
  char resolved[PATH_MAX];
  if (!realpath(dir, resolved)) return false;
  int n = snprintf(out, PATH_MAX, "%s/%s", strcmp(resolved, "/") == 0 ? "" : resolved, name);
  return n > 0 && n < PATH_MAX;
}

bool kd_may_read(KaderState *K, const char *path) {
  if (!K->config.sandbox || !K->sandbox_dir[0]) return true;
  char full[PATH_MAX];
  /* an existing file fully resolved: a symbolic link in the model's
  ** directory must not lead outside it */
  if (realpath(path, full)) return within(full, K->sandbox_dir);
  return canonical(path, full) && within(full, K->sandbox_dir);
}

void kd_check_read(KaderState *K, const char *path) {
  if (!kd_may_read(K, path))
    kd_error(K, "not allowed: reading %s, which is outside the model's directory "
             "(%s); a sandboxed model (kader run --sandbox) may only read its own "
             "directory", path, K->sandbox_dir);
}

/* env(name): an environment variable, or nil. */
static Value s_env(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (!IS_STRING(args[0])) kd_arg_error(K, "env", 1, "a name", args[0]);
  char action[200];
  snprintf(action, sizeof action, "reading the environment variable %s", AS_STRING(args[0])->chars);
  kd_require(K, KADER_ALLOW_ENV, action);
  const char *v = getenv(AS_STRING(args[0])->chars);
  return v ? OBJ_VAL(str_cstr(K, v)) : NIL_VAL;
}

/* run(program, args): runs a program (no shell) and returns {status,
** output}: its exit status and what it wrote to its standard output. */
static Value s_run(KaderState *K, int argc, Value *args) {
  if (!IS_STRING(args[0])) kd_arg_error(K, "run", 1, "a program name", args[0]);
  ObjList *list = NULL;
  if (argc > 1) {
    if (!IS_LIST(args[1])) kd_arg_error(K, "run", 2, "a list of arguments", args[1]);
    list = AS_LIST(args[1]);
    for (uint32_t i = 0; i < list->count; i++)
      if (!IS_STRING(list->items[i])) kd_arg_error(K, "run", 2, "a list of texts", list->items[i]);
  }
  char action[300];
  snprintf(action, sizeof action, "running the program %s", AS_STRING(args[0])->chars);
  kd_require(K, KADER_ALLOW_RUN, action);
  size_t n = list ? list->count : 0;
  char **argv = calloc(n + 2, sizeof *argv);
  if (!argv) kd_error(K, "out of memory");
  argv[0] = AS_STRING(args[0])->chars;
  for (size_t i = 0; i < n; i++) argv[i + 1] = AS_STRING(list->items[i])->chars;
  int fds[2];
  if (pipe(fds) != 0) { free(argv); kd_error(K, "run: %s", strerror(errno)); }
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) { free(argv); close(fds[0]); close(fds[1]); kd_error(K, "run: %s", strerror(errno)); }
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execvp(argv[0], argv);
    _exit(127);
  }
  free(argv);
  close(fds[1]);
  KdBuf out = {0};
  char chunk[4096];
  ssize_t got;
  while ((got = read(fds[0], chunk, sizeof chunk)) > 0) kd_buf_add(K, &out, chunk, (size_t)got);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  ObjRecord *r = record_new(K);
  kd_push_root(K, OBJ_VAL(r));
  record_set(K, r, str_cstr(K, "status"), NUM_VAL(code));
  record_put(K, r, "output", OBJ_VAL(str_new(K, out.s ? out.s : "", out.len)));
  kd_buf_free(K, &out);
  kd_pop_root(K);
  return OBJ_VAL(r);
}

void kd_make_dirs(const char *path) {
  char buf[PATH_MAX];
  if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) return;
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    mkdir(buf, 0777);
    *p = '/';
  }
  mkdir(buf, 0777);
}

/* write_file(path, text): writes text to a file in the output directory
** (relative paths are taken there); elsewhere only with --allow-write. */
static Value s_write_file(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (!IS_STRING(args[0])) kd_arg_error(K, "write_file", 1, "a file name", args[0]);
  ObjString *text = kd_to_string(K, args[1]);
  const char *name = AS_STRING(args[0])->chars;
  const char *outdir = K->config.output_dir ? K->config.output_dir : ".";
  char path[PATH_MAX], full[PATH_MAX], dir[PATH_MAX];
  if (name[0] == '/') snprintf(path, sizeof path, "%s", name);
  else snprintf(path, sizeof path, "%s/%s", outdir, name);
  if (!realpath(outdir, dir)) {
    kd_make_dirs(outdir);   /* `--output rapport/2026` need not exist yet */
    if (!realpath(outdir, dir))
      kd_error(K, "write_file: cannot make the output directory %s: %s", outdir, strerror(errno));
  }
  if (!canonical(path, full)) kd_error(K, "write_file: cannot write %s: %s", path, strerror(errno));
  if (!within(full, dir)) {
    char action[2 * PATH_MAX + 64];
    snprintf(action, sizeof action, "writing %s, outside the output directory %s", full, dir);
    kd_require(K, KADER_ALLOW_WRITE, action);
    char wdir[PATH_MAX];
    if (K->config.write_dir && (!realpath(K->config.write_dir, wdir) || !within(full, wdir)))
      kd_error(K, "not allowed: writing %s, outside the output directory %s and outside %s "
               "(what --allow-write=%s allows)", full, dir, K->config.write_dir, K->config.write_dir);
  }
  /* O_NOFOLLOW: a symbolic link planted in the output directory must not
  ** lead the write elsewhere */
  int fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0666);
  FILE *f = fd < 0 ? NULL : fdopen(fd, "wb");
  if (!f) {
    int e = errno;
    if (fd >= 0) close(fd);
    kd_error(K, "write_file: cannot write %s: %s", full,
             e == ELOOP ? "it is a symbolic link" : strerror(e));
  }
  size_t w = fwrite(text->chars, 1, text->len, f);
  if (fclose(f) != 0 || w != text->len) kd_error(K, "write_file: writing %s failed", full);
  return NIL_VAL;
}

void kd_open_syslib(KaderState *K) {
  kd_define_native(K, "env", s_env, 1, 1,
                   "env(name): an environment variable, or nil (needs --allow-env).");
  kd_define_native(K, "run", s_run, 1, 2,
                   "run(program, args): runs a program and returns {status, output} (needs --allow-run).");
  kd_define_native(K, "write_file", s_write_file, 2, 2,
                   "write_file(path, text): writes a file in the output directory (elsewhere with --allow-write).");
}

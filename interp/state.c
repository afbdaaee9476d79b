/*
** state.c — creating and freeing an interpreter, globals, output, and the
** public entry points of kader.h.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checklib.h"
#include "montecarlo.h"
#include "statlib.h"
#include "vm.h"

static void *units_realloc(void *ud, void *ptr, size_t old_size, size_t new_size) {
  return kd_realloc((KaderState *)ud, ptr, old_size, new_size);
}

void kader_config_init(KaderConfig *c) {
  memset(c, 0, sizeof *c);
  c->locale = NULL; /* nl, unless the host asks for another */
  const char *stress = getenv("KADER_GC_STRESS");
  /* "full": from the first allocation; any other value but "0": once the
  ** standard library is loaded */
  if (stress && strcmp(stress, "full") == 0) c->gc_stress = KADER_GC_STRESS_FULL;
  else c->gc_stress = stress && *stress && strcmp(stress, "0") != 0 ? KADER_GC_STRESS_PROGRAM : 0;
}

uint32_t kd_global_slot(KaderState *K, ObjString *name) {
  uint32_t slot;
  if (imap_get(&K->global_index, name, &slot)) return slot;
  return kd_global_shadow(K, name);
}

uint32_t kd_global_shadow(KaderState *K, ObjString *name) {
  uint32_t slot;
  if (K->global_count == K->global_cap) {
    uint32_t cap = KD_GROW(K->global_cap);
    kd_push_root(K, OBJ_VAL(name));
    K->global_names = kd_realloc(K, K->global_names,
                                 sizeof(ObjString *) * K->global_cap,
                                 sizeof(ObjString *) * cap);
    K->globals = kd_realloc(K, K->globals, sizeof(Value) * K->global_cap,
                            sizeof(Value) * cap);
    K->global_flags = kd_realloc(K, K->global_flags, K->global_cap, cap);
    kd_pop_root(K);
    K->global_cap = cap;
  }
  slot = K->global_count;
  K->global_names[slot] = name;
  K->globals[slot] = UNDEF_VAL;
  K->global_flags[slot] = 0;
  K->global_count++; /* now the name is a root */
  imap_set(K, &K->global_index, name, slot);
  return slot;
}

void kd_define_native(KaderState *K, const char *name, NativeFn fn, int min,
                      int max, const char *doc) {
  ObjString *n = str_cstr(K, name);
  uint32_t slot = kd_global_slot(K, n);
  ObjNative *native = native_new(K, fn, n, min, max);
  K->globals[slot] = OBJ_VAL(native);
  K->global_flags[slot] = GLOBAL_DEFINED | GLOBAL_CONST | GLOBAL_STD;
  if (doc) native->doc = str_cstr(K, doc);
}

void kd_write(KaderState *K, const char *s, size_t len) {
  if (K->config.write) K->config.write(K->config.write_userdata, s, len);
  else fwrite(s, 1, len, stdout);
}

void kd_write_error(KaderState *K, const char *s) {
  if (!s) return;
  if (K->config.write_error) K->config.write_error(K->config.error_userdata, s, strlen(s));
  else {
    fflush(stdout);
    fputs(s, stderr);
  }
}

int kader_set_locale(KaderState *K, const char *locale) {
  if (strcmp(locale, "nl") == 0) K->locale = LOCALE_NL;
  else if (strcmp(locale, "en") == 0) K->locale = LOCALE_EN;
  else return 0;
  return 1;
}

static void init_job(KaderState *K, void *ud) {
  (void)ud;
  K->units = units_new(units_realloc, K);
  K->s_lo = str_cstr(K, "lo");
  K->s_hi = str_cstr(K, "hi");
  K->s_mid = str_cstr(K, "mid");
  K->s_id = str_cstr(K, "id");
  K->s_label = str_cstr(K, "label");
  K->s_kind = str_cstr(K, "kind");
  K->module_paths = list_new(K, 8);
  K->loading = list_new(K, 8);
  K->module_objs = list_new(K, 0);
  K->args = list_new(K, 0);
  K->warnings = list_new(K, 0);
  kd_open_builtins(K);
  kd_open_textlib(K);
  kd_open_regex(K);
  kd_open_strlib(K);
  kd_open_syslib(K);
  kd_open_ffi(K);
  kd_open_datalib(K);
  kd_open_statlib(K);
  kd_open_checklib(K);
  kd_open_scenariolib(K);
  kd_open_montecarlo(K);
  kd_open_csvlib(K);
  uint32_t slot = kd_global_slot(K, str_cstr(K, "args"));
  K->globals[slot] = OBJ_VAL(K->args);
  K->global_flags[slot] = GLOBAL_DEFINED | GLOBAL_CONST | GLOBAL_STD;
}

KaderState *kader_new(const KaderConfig *config) {
  KaderState *K = calloc(1, sizeof *K);
  if (!K) return NULL;
  if (config) K->config = *config;
  else kader_config_init(&K->config);
  K->locale = LOCALE_NL;
  if (K->config.locale && !kader_set_locale(K, K->config.locale)) {
    free(K);
    return NULL;
  }
  K->next_gc = 1024 * 1024;
  /* enough for any sensible pattern; a catastrophic one stops in ~0.1 s */
  K->regex_match_limit = 1000000;
  K->regex_depth_limit = 100000;
  K->last_result = NIL_VAL;
  K->on_declared = NIL_VAL;
  K->stack = malloc(sizeof(Value) * KD_STACK_SIZE);
  K->frames = malloc(sizeof(CallFrame) * KD_MAX_FRAMES);
  if (!K->stack || !K->frames) {
    free(K->stack);
    free(K->frames);
    free(K);
    return NULL;
  }
  K->sp = K->stack;
  K->stack_cap = KD_STACK_SIZE;
  if (kd_protect(K, init_job, NULL) != KADER_OK) {
    kd_write_error(K, K->last_error);
    kader_free(K);
    return NULL;
  }
  K->loading_std = true;
  KaderResult r = kd_load_stdlib(K);
  K->loading_std = false;
  if (r != KADER_OK) {
    kd_write_error(K, K->last_error);
    kader_free(K);
    return NULL;
  }
  return K;
}

void kader_free(KaderState *K) {
  if (!K) return;
  kd_scratch_unwind(K, 0);
  kd_free_objects(K);
  kd_free_regex(K); /* after the objects: their patterns free through it */
  if (K->units) units_free(K->units);
  kd_free_strlib(K);
  kd_free_ffi(K);
  kd_free_csvlib(K);
  strset_free(K, &K->strings);
  imap_free(K, &K->global_index);
  KD_FREE_ARRAY(K, ObjString *, K->global_names, K->global_cap);
  KD_FREE_ARRAY(K, Value, K->globals, K->global_cap);
  kd_realloc(K, K->global_flags, K->global_cap, 0);
  free(K->stack);
  free(K->frames);
  free(K->last_error);
  free(K);
}

static KaderResult finish(KaderState *K, KaderResult r) {
  if (r != KADER_OK) kd_write_error(K, K->last_error);
  else {
    free(K->last_error);
    K->last_error = NULL;
  }
  return r;
}

/* An interrupt that arrived after the last program stopped (inside a
** built-in, or between runs) is not for the next one. */
KaderResult kader_run_file(KaderState *K, const char *path) {
  K->interrupted = 0;
  K->steps_left = K->config.step_limit;
  return finish(K, kd_run_path(K, path));
}

KaderResult kader_run_string(KaderState *K, const char *name, const char *source,
                             size_t len) {
  K->interrupted = 0;
  K->steps_left = K->config.step_limit;
  return finish(K, kd_run_source(K, name, source, len, false, false));
}

KaderResult kader_eval_line(KaderState *K, const char *name, const char *source,
                            size_t len) {
  K->interrupted = 0;
  K->steps_left = K->config.step_limit;
  return finish(K, kd_run_source(K, name, source, len, true, false));
}

int kader_is_incomplete(KaderState *K, const char *source, size_t len) {
  (void)K;
  return kd_source_incomplete(source, len);
}

const char *kader_last_error(KaderState *K) { return K->last_error; }

const char *kader_error_message(KaderState *K) {
  return K->last_error ? K->error_message : NULL;
}

int kader_error_location(KaderState *K, const char **file, int *line, int *column) {
  bool known = K->last_error && K->error_file[0];
  if (file) *file = known ? K->error_file : NULL;
  if (line) *line = known ? (int)K->error_line : 0;
  if (column) *column = known ? (int)K->error_column : 0;
  return known;
}

void kader_interrupt(KaderState *K) { K->interrupted = 1; }

void kader_set_args(KaderState *K, int argc, const char *const *argv) {
  /* args is created at start-up; fill it in place (protected: may allocate) */
  for (int i = 0; i < argc; i++) {
    ObjString *s = str_cstr(K, argv[i]);
    list_push(K, K->args, OBJ_VAL(s));
  }
}

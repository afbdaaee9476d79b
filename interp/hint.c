/*
** hint.c — "did you mean" at run time: the names a running program has
** (defined globals and kinds, the fields of a record or kind, the options
** of a `one of` field or a built-in's argument), offered to suggest.h.
** Locals are not known at run time (the compiler resolves them); `kader
** check` (lint.c) suggests those.
*/
#include <stdio.h>
#include <string.h>

#include "suggest.h"
#include "vm.h"

const char *kd_hint_global(KaderState *K, const char *name, bool kinds_only, char *buf,
                           size_t cap) {
  KdSuggest s = kd_suggest_begin(name);
  for (uint32_t i = 0; i < K->global_count; i++) {
    Value v = K->globals[i];
    if (v.type == V_UNDEF || (kinds_only && !IS_KIND(v))) continue;
    /* the library's private helpers are no one else's business */
    if ((K->global_flags[i] & GLOBAL_STD) && K->global_names[i]->chars[0] == '_') continue;
    kd_suggest_consider(&s, K->global_names[i]->chars);
  }
  return kd_suggest_text(&s, buf, cap);
}

const char *kd_hint_field(KaderState *K, ObjRecord *r, const char *name, char *buf,
                          size_t cap) {
  KdSuggest s = kd_suggest_begin(name);
  if (r->kind) {
    for (uint32_t i = 0; i < r->kind->field_count; i++)
      kd_suggest_consider(&s, r->kind->fields[i].name->chars);
    kd_suggest_consider(&s, K->s_id->chars);
    kd_suggest_consider(&s, K->s_label->chars);
    kd_suggest_consider(&s, K->s_kind->chars);
  }
  for (uint32_t i = 0; i < r->count; i++)
    if (r->values[i].type != V_UNDEF) kd_suggest_consider(&s, r->keys[i]->chars);
  return kd_suggest_text(&s, buf, cap);
}

/* Options are written as strings are, in double quotes. */
static const char *quoted_hint(const KdSuggest *s, char *buf, size_t cap) {
  buf[0] = '\0';
  if (s->best) snprintf(buf, cap, " (did you mean \"%s\"?)", s->best);
  return buf;
}

const char *kd_hint_option(const Value *options, uint32_t n, Value got, char *buf,
                           size_t cap) {
  KdSuggest s = kd_suggest_begin(IS_STRING(got) ? AS_STRING(got)->chars : "");
  for (uint32_t i = 0; IS_STRING(got) && i < n; i++)
    if (IS_STRING(options[i])) kd_suggest_consider(&s, AS_STRING(options[i])->chars);
  return quoted_hint(&s, buf, cap);
}

_Noreturn void kd_option_error(KaderState *K, const char *fn, int i,
                               const char *const *options, Value got) {
  char want[300] = "", hint[120];
  size_t n = 0;
  while (options[n]) n++;
  for (size_t j = 0; j < n; j++) {
    size_t used = strlen(want);
    snprintf(want + used, sizeof want - used, "%s\"%s\"",
             j == 0 ? "" : j + 1 == n ? " or " : ", ", options[j]);
  }
  KdSuggest s = kd_suggest_begin(IS_STRING(got) ? AS_STRING(got)->chars : "");
  for (size_t j = 0; IS_STRING(got) && j < n; j++) kd_suggest_consider(&s, options[j]);
  char what[128];
  kd_describe(K, got, what, sizeof what);
  kd_error(K, "%s: argument %d must be %s, not %s%s", fn, i, want, what,
           quoted_hint(&s, hint, sizeof hint));
}

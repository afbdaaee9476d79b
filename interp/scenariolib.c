/*
** scenariolib.c — natives under scenarios (stdlib/scenario.kader): a change
** of declarations that lasts for one call and is undone however the call
** ends, the checks of a change without making it, and a global by name.
**
** A scenario changes the base model's own declarations while it is
** evaluated, rather than copying them: every function of the library
** (answers_of, draagvlak_of, the legal checks) finds declarations by
** identity, and a copy would be a different declaration to all of them.
** So the undo must hold even when the call stops with an error, or a REPL
** session would go on with the scenario's numbers as the base's.
*/
#include <string.h>

#include "checklib.h"
#include "object.h"
#include "state.h"
#include "vm.h"

typedef struct ChangeJob {
  Value fn;
  Value result;
} ChangeJob;

static void call_job(KaderState *K, void *ud) {
  ChangeJob *j = ud;
  j->result = kd_call(K, j->fn, 0, NULL);
}

/* One change: [target, field, value], target a declaration or a record. */
static void change_parts(KaderState *K, Value c, uint32_t i, ObjRecord **target,
                         ObjString **field, Value *value) {
  if (!IS_LIST(c) || AS_LIST(c)->count != 3 || !IS_RECORD(AS_LIST(c)->items[0]) ||
      !IS_STRING(AS_LIST(c)->items[1]))
    kd_error(K, "with_changes: change %u must be [declaration or record, field, value]",
             i + 1);
  *target = AS_RECORD(AS_LIST(c)->items[0]);
  *field = AS_STRING(AS_LIST(c)->items[1]);
  *value = AS_LIST(c)->items[2];
}

static Value field_value(ObjRecord *r, ObjString *field) {
  int at = record_find(r, field);
  return at >= 0 ? r->values[at] : UNDEF_VAL;
}

static void put(KaderState *K, ObjRecord *r, ObjString *field, Value v) {
  if (r->kind) kd_decl_set(K, r, field, v);
  else if (v.type != V_UNDEF) record_set(K, r, field, v);
  else { /* the record had no such key: take it out again */
    int at = record_find(r, field);
    if (at < 0) return;
    for (uint32_t k = (uint32_t)at + 1; k < r->count; k++) {
      r->keys[k - 1] = r->keys[k];
      r->values[k - 1] = r->values[k];
    }
    r->count--;
  }
}

/* Puts back the first `made` changes' old values, the last first. */
static void undo(KaderState *K, ObjList *changes, ObjList *old, uint32_t made) {
  for (uint32_t i = made; i-- > 0;) {
    ObjRecord *t;
    ObjString *f;
    Value v;
    change_parts(K, changes->items[i], i, &t, &f, &v);
    put(K, t, f, old->items[i]);
  }
}

/* with_changes(changes, f): makes each change in order, calls f(), and
** undoes them in reverse order, also when f stops with an error; f's
** result. Every change is checked before any is made (its shape, and
** what the declaration's kind allows), so a bad one changes nothing. */
static Value c_with_changes(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (!IS_LIST(args[0])) kd_arg_error(K, "with_changes", 1, "a list of changes", args[0]);
  ObjList *changes = AS_LIST(args[0]);
  for (uint32_t i = 0; i < changes->count; i++) {
    ObjRecord *target;
    ObjString *field;
    Value value;
    change_parts(K, changes->items[i], i, &target, &field, &value);
    char why[600];
    if (target->kind && kd_decl_problem(K, target, field, value, why, sizeof why))
      kd_error(K, "%s.%s: %s", target->id ? target->id->chars : "record", field->chars, why);
  }
  ObjList *old = list_new(K, changes->count);
  kd_push_root(K, OBJ_VAL(old));
  for (uint32_t i = 0; i < changes->count; i++) { /* room first: no error half way */
    ObjRecord *target;
    ObjString *field;
    Value value;
    change_parts(K, changes->items[i], i, &target, &field, &value);
    list_push(K, old, field_value(target, field));
  }
  for (uint32_t i = 0; i < changes->count; i++) {
    ObjRecord *target;
    ObjString *field;
    Value value;
    change_parts(K, changes->items[i], i, &target, &field, &value);
    put(K, target, field, value);
  }
  ChangeJob job = {args[1], NIL_VAL};
  K->changes_depth++;
  KaderResult r = kd_protect(K, call_job, &job);
  K->changes_depth--;
  kd_push_root(K, job.result);
  undo(K, changes, old, changes->count);
  kd_pop_root(K);
  kd_pop_root(K);
  if (r != KADER_OK) kd_rethrow(K, r);
  return job.result;
}

/* field_problem(declaration, field, value): why the field cannot hold the
** value (its kind's type, unit or options), or nil when it can. */
static Value c_field_problem(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (!IS_RECORD(args[0]) || !AS_RECORD(args[0])->kind)
    kd_arg_error(K, "field_problem", 1, "a declaration", args[0]);
  if (!IS_STRING(args[1])) kd_arg_error(K, "field_problem", 2, "a field name", args[1]);
  char why[600];
  if (!kd_decl_problem(K, AS_RECORD(args[0]), AS_STRING(args[1]), args[2], why, sizeof why))
    return NIL_VAL;
  return OBJ_VAL(str_cstr(K, why));
}

/* global_value(name): the value a global name has, or nil. */
static Value c_global_value(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (!IS_STRING(args[0])) kd_arg_error(K, "global_value", 1, "a name", args[0]);
  ObjString *text = AS_STRING(args[0]);
  /* global names are interned: a long text the program built is found by
  ** its content */
  ObjString *name = strset_find(&K->strings, text->chars, text->len,
                                hash_bytes(text->chars, text->len));
  uint32_t slot;
  if (!name || !imap_get(&K->global_index, name, &slot) || K->globals[slot].type == V_UNDEF)
    return NIL_VAL;
  return kd_share(K->globals[slot]);
}

/* is_declaration(x): whether x was made by a declaration (of any kind). */
static Value c_is_declaration(KaderState *K, int argc, Value *args) {
  (void)K;
  (void)argc;
  return BOOL_VAL(IS_RECORD(args[0]) && AS_RECORD(args[0])->kind != NULL);
}

/* changes_in_effect(): whether a with_changes call is in progress. */
static Value c_changes_in_effect(KaderState *K, int argc, Value *args) {
  (void)argc;
  (void)args;
  return BOOL_VAL(K->changes_depth > 0);
}

/* _on_declared(f): f(d) runs for every declaration d once its fields are
** complete, before its kind's on_declare (nil: no longer). For kader --set,
** which changes a value as if the model had written it. */
static Value c_on_declared(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (!IS_NIL(args[0]) && !IS_OBJ_TYPE(args[0], O_CLOSURE))
    kd_arg_error(K, "_on_declared", 1, "a function or nil", args[0]);
  K->on_declared = args[0];
  return NIL_VAL;
}

void kd_open_scenariolib(KaderState *K) {
  kd_define_native(K, "_on_declared", c_on_declared, 1, 1,
                   "_on_declared(f): f(d) for every new declaration, before its kind's "
                   "on_declare (kader --set).");
  kd_define_native(K, "changes_in_effect", c_changes_in_effect, 0, 0,
                   "changes_in_effect(): whether with_changes is running a function "
                   "(a scenario is in effect).");
  kd_define_native(K, "is_declaration", c_is_declaration, 1, 1,
                   "is_declaration(x): whether x is a declaration (of any kind).");
  kd_define_native(K, "with_changes", c_with_changes, 2, 2,
                   "with_changes(changes, f): makes each change [declaration, field, value] "
                   "in order, calls f() and undoes them again, also when f stops with an "
                   "error; f's result.");
  kd_define_native(K, "field_problem", c_field_problem, 3, 3,
                   "field_problem(declaration, field, value): why the field cannot hold "
                   "the value (its type, unit or options), or nil when it can.");
  kd_define_native(K, "global_value", c_global_value, 1, 1,
                   "global_value(name): the value of the global name, or nil.");
}

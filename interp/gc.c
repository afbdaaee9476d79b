/*
** gc.c — memory accounting and a precise mark-and-sweep collector.
**
** Every allocation that grows with what a model does goes through
** kd_realloc, which counts bytes against the memory limit and collects when
** the count passes a threshold (or on every allocation in stress mode,
** KADER_GC_STRESS=1 after the standard library is loaded, =full from the
** start, which flushes out values that were not kept reachable).
** Allocation failure raises "out of memory" instead of returning NULL.
**
** Besides the heap there is scratch memory: buffers that C code builds
** (KdBuf, a replacement text) and that an error can interrupt half way.
** Scratch blocks are counted like the heap and kept on a list in the order
** they were made, so that kd_protect frees every block made inside it when
** an error unwinds past their owners (as Lua's buffers live on its stack).
*/
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compiler.h"
#include "state.h"
#include "montecarlo.h"
#include "vm.h"

#define GC_HEAP_GROW 2
#define GC_FIRST (1024 * 1024)
#define MB (1024 * 1024)

_Noreturn void kd_out_of_memory(KaderState *K) {
  size_t limit = K->config.memory_limit;
  if (!limit) kd_error(K, "out of memory: the system has no more memory for the model");
  if (limit % MB == 0)
    kd_error(K, "out of memory: the model needs more than its memory limit of %zu MB "
             "(kader --memory-limit MB raises it; 0 switches it off)", limit / MB);
  kd_error(K, "out of memory: the model needs more than its memory limit of %zu bytes",
           limit);
}

/* Counts a change from old_size to new_size bytes; false (and nothing
** counted) when growing would pass the memory limit even after a
** collection. */
static bool account(KaderState *K, size_t old_size, size_t new_size) {
  size_t limit = K->config.memory_limit;
  if (new_size > old_size && !K->gc_running) {
    size_t grow = new_size - old_size;
    if (K->config.gc_stress || K->bytes_allocated + grow > K->next_gc ||
        (limit && K->bytes_allocated + grow > limit))
      kd_collect(K);
    if (limit && (grow > limit || K->bytes_allocated > limit - grow)) return false;
  }
  K->bytes_allocated += new_size;
  K->bytes_allocated -= old_size;
  return true;
}

void *kd_try_realloc(KaderState *K, void *ptr, size_t old_size, size_t new_size) {
  if (!account(K, old_size, new_size)) return NULL;
  void *p;
  if (K->config.realloc) {
    p = K->config.realloc(K->config.alloc_userdata, ptr, old_size, new_size);
  } else if (new_size == 0) {
    free(ptr);
    p = NULL;
  } else {
    p = realloc(ptr, new_size);
  }
  if (new_size == 0) return NULL;
  if (!p) {
    K->bytes_allocated -= new_size;
    K->bytes_allocated += old_size;
  }
  return p;
}

void *kd_realloc(KaderState *K, void *ptr, size_t old_size, size_t new_size) {
  void *p = kd_try_realloc(K, ptr, old_size, new_size);
  if (!p && new_size) kd_out_of_memory(K);
  return p;
}

void kd_account(KaderState *K, size_t old_size, size_t new_size) {
  if (!account(K, old_size, new_size)) kd_out_of_memory(K);
}

/* ---- scratch memory ---- */

struct KdScratch {
  KdScratch *newer, *older;
  size_t size;                 /* bytes after the header */
  unsigned long long serial;   /* when it was made: the list's order */
};

/* the header, rounded up so that what follows is aligned for anything */
#define SCRATCH_HEADER \
  ((sizeof(KdScratch) + alignof(max_align_t) - 1) / alignof(max_align_t) * \
   alignof(max_align_t))

static void scratch_unlink(KaderState *K, KdScratch *h) {
  if (h->newer) h->newer->older = h->older;
  else K->scratch = h->older;
  if (h->older) h->older->newer = h->newer;
}

void *kd_scratch_realloc(KaderState *K, void *ptr, size_t size) {
  KdScratch *h = ptr ? (KdScratch *)((char *)ptr - SCRATCH_HEADER) : NULL;
  if (size == 0) {
    if (h) {
      scratch_unlink(K, h);
      kd_realloc(K, h, SCRATCH_HEADER + h->size, 0);
    }
    return NULL;
  }
  if (size > SIZE_MAX - SCRATCH_HEADER) kd_out_of_memory(K);
  /* when this raises, the old block is still whole and on the list */
  KdScratch *n = kd_realloc(K, h, h ? SCRATCH_HEADER + h->size : 0, SCRATCH_HEADER + size);
  n->size = size;
  if (!h) {
    n->serial = K->scratch_serial++;
    n->newer = NULL;
    n->older = K->scratch;
    if (n->older) n->older->newer = n;
    K->scratch = n;
  } else if (n != h) { /* moved: its neighbours point at the new place */
    if (n->newer) n->newer->older = n;
    else K->scratch = n;
    if (n->older) n->older->newer = n;
  }
  return (char *)n + SCRATCH_HEADER;
}

unsigned long long kd_scratch_mark(KaderState *K) { return K->scratch_serial; }

/* The newest blocks come first, so those made since the mark are a prefix. */
void kd_scratch_unwind(KaderState *K, unsigned long long mark) {
  while (K->scratch && K->scratch->serial >= mark) {
    KdScratch *h = K->scratch;
    scratch_unlink(K, h);
    kd_realloc(K, h, SCRATCH_HEADER + h->size, 0);
  }
}

Obj *kd_alloc_obj(KaderState *K, size_t size, ObjTag type) {
  Obj *o = kd_realloc(K, NULL, 0, size);
  o->type = (uint8_t)type;
  o->marked = 0;
  o->sole = 0;
  o->next = K->objects;
  K->objects = o;
  return o;
}

void kd_mark_obj(KaderState *K, Obj *o) {
  if (!o || o->marked) return;
  o->marked = 1;
  if (o->type == O_STRING) return; /* no children */
  if (K->gray_count == K->gray_cap) {
    size_t cap = KD_GROW(K->gray_cap);
    /* plain realloc: the collector must not recurse into itself */
    Obj **g = realloc(K->gray, sizeof(Obj *) * cap);
    if (!g) abort(); /* cannot report an error from inside the collector */
    K->gray = g;
    K->gray_cap = cap;
  }
  K->gray[K->gray_count++] = o;
}

void kd_mark_value(KaderState *K, Value v) {
  if (v.type == V_OBJ) kd_mark_obj(K, v.as.o);
}

static void mark_chunk(KaderState *K, Chunk *c) {
  for (uint32_t i = 0; i < c->const_count; i++) kd_mark_value(K, c->consts[i]);
}

static void blacken(KaderState *K, Obj *o) {
  switch ((ObjTag)o->type) {
    case O_STRING: break;
    case O_LIST: {
      ObjList *l = (ObjList *)o;
      for (uint32_t i = 0; i < l->count; i++) kd_mark_value(K, l->items[i]);
      break;
    }
    case O_RECORD: {
      ObjRecord *r = (ObjRecord *)o;
      for (uint32_t i = 0; i < r->count; i++) {
        kd_mark_obj(K, (Obj *)r->keys[i]);
        kd_mark_value(K, r->values[i]);
      }
      kd_mark_obj(K, (Obj *)r->kind);
      kd_mark_obj(K, (Obj *)r->id);
      kd_mark_obj(K, (Obj *)r->label);
      kd_mark_obj(K, (Obj *)r->module);
      break;
    }
    case O_RANGE: break;
    case O_SAMPLES: kd_mark_value(K, ((ObjSamples *)o)->sensitivity); break;
    case O_FUNCTION: {
      ObjFunction *f = (ObjFunction *)o;
      kd_mark_obj(K, (Obj *)f->name);
      kd_mark_obj(K, (Obj *)f->doc);
      kd_mark_obj(K, (Obj *)f->module);
      mark_chunk(K, &f->chunk);
      break;
    }
    case O_CLOSURE: {
      ObjClosure *c = (ObjClosure *)o;
      kd_mark_obj(K, (Obj *)c->fn);
      for (int i = 0; i < c->upvalue_count; i++)
        kd_mark_obj(K, (Obj *)c->upvalues[i]);
      break;
    }
    case O_UPVALUE: kd_mark_value(K, ((ObjUpvalue *)o)->closed); break;
    case O_NATIVE: {
      ObjNative *n = (ObjNative *)o;
      kd_mark_obj(K, (Obj *)n->name);
      kd_mark_obj(K, (Obj *)n->doc);
      break;
    }
    case O_KIND: {
      ObjKind *k = (ObjKind *)o;
      kd_mark_obj(K, (Obj *)k->name);
      kd_mark_obj(K, (Obj *)k->label);
      kd_mark_obj(K, (Obj *)k->doc);
      kd_mark_value(K, k->on_declare);
      kd_mark_value(K, k->on_call);
      kd_mark_obj(K, (Obj *)k->instances);
      for (uint32_t i = 0; i < k->field_count; i++) {
        kd_mark_obj(K, (Obj *)k->fields[i].name);
        kd_mark_obj(K, (Obj *)k->fields[i].type);
        kd_mark_value(K, k->fields[i].default_value);
        kd_mark_obj(K, (Obj *)k->fields[i].doc);
      }
      break;
    }
    case O_TYPE: {
      ObjType *t = (ObjType *)o;
      kd_mark_obj(K, (Obj *)t->kind);
      kd_mark_value(K, t->a);
      kd_mark_value(K, t->b);
      break;
    }
    case O_REGEX: kd_regex_mark(K, (ObjRegex *)o); break;
    case O_POINTER: kd_mark_obj(K, (Obj *)((ObjPointer *)o)->tag); break;
    case O_MODULE: {
      ObjModule *m = (ObjModule *)o;
      kd_mark_obj(K, (Obj *)m->path);
      kd_mark_obj(K, (Obj *)m->source);
      kd_mark_obj(K, (Obj *)m->dir);
      break;
    }
  }
}

static void free_obj(KaderState *K, Obj *o) {
  switch ((ObjTag)o->type) {
    case O_STRING:
      kd_realloc(K, o, sizeof(ObjString) + ((ObjString *)o)->cap + 1, 0);
      return;
    case O_LIST: {
      ObjList *l = (ObjList *)o;
      KD_FREE_ARRAY(K, Value, l->items, l->cap);
      break;
    }
    case O_RECORD: {
      ObjRecord *r = (ObjRecord *)o;
      KD_FREE_ARRAY(K, ObjString *, r->keys, r->cap);
      KD_FREE_ARRAY(K, Value, r->values, r->cap);
      break;
    }
    case O_FUNCTION: {
      Chunk *c = &((ObjFunction *)o)->chunk;
      kd_realloc(K, c->code, c->cap, 0);
      KD_FREE_ARRAY(K, Span, c->spans, c->cap);
      KD_FREE_ARRAY(K, Value, c->consts, c->const_cap);
      KD_FREE_ARRAY(K, uint32_t, c->const_slots, c->const_slots_cap);
      break;
    }
    case O_CLOSURE:
      kd_realloc(K, o, sizeof(ObjClosure) + sizeof(ObjUpvalue *) *
                 ((ObjClosure *)o)->upvalue_count, 0);
      return;
    case O_KIND: {
      ObjKind *k = (ObjKind *)o;
      KD_FREE_ARRAY(K, KindFieldSpec, k->fields, k->field_count);
      break;
    }
    case O_REGEX: kd_regex_free((ObjRegex *)o); break;
    case O_SAMPLES: {
      ObjSamples *smp = (ObjSamples *)o;
      if (smp->xs) kd_realloc(K, smp->xs, sizeof(double) * smp->cap, 0);
      break;
    }
    case O_NATIVE: {
      ObjNative *n = (ObjNative *)o;
      if (n->free_data) n->free_data(n->data);
      break;
    }
    default: break;
  }
  size_t size = 0;
  switch ((ObjTag)o->type) {
    case O_LIST: size = sizeof(ObjList); break;
    case O_RECORD: size = sizeof(ObjRecord); break;
    case O_RANGE: size = sizeof(ObjRange); break;
    case O_SAMPLES: size = sizeof(ObjSamples); break;
    case O_FUNCTION: size = sizeof(ObjFunction); break;
    case O_UPVALUE: size = sizeof(ObjUpvalue); break;
    case O_NATIVE: size = sizeof(ObjNative); break;
    case O_KIND: size = sizeof(ObjKind); break;
    case O_TYPE: size = sizeof(ObjType); break;
    case O_MODULE: size = sizeof(ObjModule); break;
    case O_REGEX: size = kd_regex_size(); break;
    case O_POINTER: size = sizeof(ObjPointer); break;
    default: break;
  }
  kd_realloc(K, o, size, 0);
}

static void mark_roots(KaderState *K) {
  for (Value *v = K->stack; v < K->sp; v++) kd_mark_value(K, *v);
  for (int i = 0; i < K->frame_count; i++)
    kd_mark_obj(K, (Obj *)K->frames[i].closure);
  for (ObjUpvalue *u = K->open_upvalues; u; u = u->next)
    kd_mark_obj(K, (Obj *)u);
  for (uint32_t i = 0; i < K->global_count; i++) {
    kd_mark_obj(K, (Obj *)K->global_names[i]);
    kd_mark_value(K, K->globals[i]);
  }
  for (int i = 0; i < K->root_count; i++) kd_mark_value(K, K->roots[i]);
  kd_mark_obj(K, (Obj *)K->module_paths);
  kd_mark_obj(K, (Obj *)K->module_objs);
  kd_mark_obj(K, (Obj *)K->loading);
  kd_mark_obj(K, (Obj *)K->args);
  kd_mark_obj(K, (Obj *)K->warnings);
  kd_mark_value(K, K->last_result);
  kd_mark_value(K, K->on_declared);
  kd_sim_mark(K);
  ObjString *fixed[] = {K->s_lo, K->s_hi, K->s_mid, K->s_id, K->s_label,
                        K->s_kind};
  for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
    kd_mark_obj(K, (Obj *)fixed[i]);
  compiler_mark_roots(K);
}

void kd_collect(KaderState *K) {
  K->gc_running = true;
  mark_roots(K);
  while (K->gray_count > 0) blacken(K, K->gray[--K->gray_count]);
  strset_remove_white(&K->strings);
  Obj **link = &K->objects;
  while (*link) {
    Obj *o = *link;
    if (o->marked) {
      o->marked = 0;
      link = &o->next;
    } else {
      *link = o->next;
      free_obj(K, o);
    }
  }
  K->next_gc = K->bytes_allocated * GC_HEAP_GROW;
  if (K->next_gc < GC_FIRST) K->next_gc = GC_FIRST;
  K->gc_running = false;
}

void kd_free_objects(KaderState *K) {
  K->gc_running = true;
  Obj *o = K->objects;
  while (o) {
    Obj *next = o->next;
    free_obj(K, o);
    o = next;
  }
  K->objects = NULL;
  free(K->gray);
  K->gray = NULL;
}

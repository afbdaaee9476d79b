/*
** table.c — the interned-string set and name -> index maps.
**
** Both are open-addressing hash tables keyed by interned strings, so a probe
** compares pointers (the set compares text, since it is what interns).
*/
#include <string.h>

#include "state.h"

static void strset_grow(KaderState *K, StrSet *s) {
  uint32_t cap = s->cap ? s->cap * 2 : 64;
  ObjString **slots = KD_ALLOC(K, ObjString *, cap);
  memset(slots, 0, sizeof(ObjString *) * cap);
  for (uint32_t i = 0; i < s->cap; i++) {
    ObjString *str = s->slots[i];
    if (!str) continue;
    uint32_t j = str->hash & (cap - 1);
    while (slots[j]) j = (j + 1) & (cap - 1);
    slots[j] = str;
  }
  KD_FREE_ARRAY(K, ObjString *, s->slots, s->cap);
  s->slots = slots;
  s->cap = cap;
}

ObjString *strset_find(StrSet *s, const char *chars, size_t len,
                       uint32_t hash) {
  if (s->count == 0) return NULL;
  for (uint32_t j = hash & (s->cap - 1);; j = (j + 1) & (s->cap - 1)) {
    ObjString *str = s->slots[j];
    if (!str) return NULL;
    if (str->hash == hash && str->len == len &&
        memcmp(str->chars, chars, len) == 0)
      return str;
  }
}

void strset_add(KaderState *K, StrSet *s, ObjString *str) {
  if ((s->count + 1) * 4 > s->cap * 3) strset_grow(K, s);
  uint32_t j = str->hash & (s->cap - 1);
  while (s->slots[j]) j = (j + 1) & (s->cap - 1);
  s->slots[j] = str;
  s->count++;
}

/* After marking: drop strings nobody references. Rebuilding keeps the
** probe sequences intact without tombstones. */
void strset_remove_white(StrSet *s) {
  uint32_t cap = s->cap;
  for (uint32_t i = 0; i < cap; i++) {
    ObjString *str = s->slots[i];
    if (str && !str->obj.marked) {
      s->slots[i] = NULL;
      s->count--;
    }
  }
  /* re-seat entries displaced past a now-empty slot */
  for (uint32_t i = 0; i < cap; i++) {
    ObjString *str = s->slots[i];
    if (!str) continue;
    uint32_t j = str->hash & (cap - 1);
    if (j == i) continue;
    s->slots[i] = NULL;
    while (s->slots[j]) j = (j + 1) & (cap - 1);
    s->slots[j] = str;
  }
}

void strset_free(KaderState *K, StrSet *s) {
  KD_FREE_ARRAY(K, ObjString *, s->slots, s->cap);
  s->slots = NULL;
  s->count = s->cap = 0;
}

bool imap_get(IndexMap *m, ObjString *key, uint32_t *out) {
  if (m->count == 0) return false;
  for (uint32_t j = key->hash & (m->cap - 1);; j = (j + 1) & (m->cap - 1)) {
    if (!m->keys[j]) return false;
    if (m->keys[j] == key) {
      *out = m->vals[j];
      return true;
    }
  }
}

void imap_set(KaderState *K, IndexMap *m, ObjString *key, uint32_t val) {
  if ((m->count + 1) * 4 > m->cap * 3) {
    uint32_t cap = m->cap ? m->cap * 2 : 64;
    ObjString **keys = KD_ALLOC(K, ObjString *, cap);
    uint32_t *vals = KD_ALLOC(K, uint32_t, cap);
    memset(keys, 0, sizeof(ObjString *) * cap);
    for (uint32_t i = 0; i < m->cap; i++) {
      if (!m->keys[i]) continue;
      uint32_t j = m->keys[i]->hash & (cap - 1);
      while (keys[j]) j = (j + 1) & (cap - 1);
      keys[j] = m->keys[i];
      vals[j] = m->vals[i];
    }
    KD_FREE_ARRAY(K, ObjString *, m->keys, m->cap);
    KD_FREE_ARRAY(K, uint32_t, m->vals, m->cap);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
  }
  uint32_t j = key->hash & (m->cap - 1);
  while (m->keys[j] && m->keys[j] != key) j = (j + 1) & (m->cap - 1);
  if (!m->keys[j]) m->count++;
  m->keys[j] = key;
  m->vals[j] = val;
}

void imap_free(KaderState *K, IndexMap *m) {
  KD_FREE_ARRAY(K, ObjString *, m->keys, m->cap);
  KD_FREE_ARRAY(K, uint32_t, m->vals, m->cap);
  m->keys = NULL;
  m->vals = NULL;
  m->count = m->cap = 0;
}

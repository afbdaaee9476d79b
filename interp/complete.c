/*
** complete.c — what an interactive host may offer when the user presses
** Tab: keywords, defined names, and the fields of a value after a dot.
** Only names and field look-ups are evaluated, never code, so completing
** cannot change the program's state.
*/
#include <stdlib.h>
#include <string.h>

#include "vm.h"

static const char *keywords[] = {
  "and", "break", "continue", "else", "expect", "false", "fn", "for", "if", "import",
  "in", "kind", "let", "mod", "nil", "not", "or", "return", "to", "true",
  "unit", "var", "while",
};

static bool word_char(unsigned char c) {
  return c == '_' || c >= 0x80 || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

typedef struct { char **words; size_t count, cap; } Words;

static void add_word(Words *w, const char *s, size_t len) {
  for (size_t i = 0; i < w->count; i++)
    if (strlen(w->words[i]) == len && memcmp(w->words[i], s, len) == 0) return;
  if (w->count == w->cap) {
    size_t cap = w->cap ? w->cap * 2 : 32;
    char **p = realloc(w->words, cap * sizeof *p);
    if (!p) return;
    w->words = p;
    w->cap = cap;
  }
  char *copy = malloc(len + 1);
  if (!copy) return;
  memcpy(copy, s, len);
  copy[len] = '\0';
  w->words[w->count++] = copy;
}

static int by_text(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The value a chain like `swv.strata` names, or UNDEF when it names none. */
static Value chain_value(KaderState *K, const char *s, size_t len) {
  size_t i = 0, start = 0;
  while (i < len && s[i] != '.') i++;
  ObjString *name = strset_find(&K->strings, s, i, hash_bytes(s, i));
  uint32_t slot;
  if (!name || !imap_get(&K->global_index, name, &slot)) return UNDEF_VAL;
  Value v = K->globals[slot];
  while (i < len && v.type != V_UNDEF) {
    start = ++i;
    while (i < len && s[i] != '.') i++;
    ObjString *field = strset_find(&K->strings, s + start, i - start,
                                   hash_bytes(s + start, i - start));
    if (!field || !IS_RECORD(v)) return UNDEF_VAL;
    int at = record_find(AS_RECORD(v), field);
    if (at < 0) return UNDEF_VAL;
    v = AS_RECORD(v)->values[at];
  }
  return v;
}

static void fields_of(KaderState *K, Value v, Words *w) {
  if (IS_RECORD(v)) {
    ObjRecord *r = AS_RECORD(v);
    for (uint32_t i = 0; i < r->count; i++)
      add_word(w, r->keys[i]->chars, r->keys[i]->len);
    if (r->kind) {
      add_word(w, "id", 2);
      add_word(w, "label", 5);
      add_word(w, "kind", 4);
    }
  } else if (IS_RANGE(v)) {
    add_word(w, "lo", 2);
    add_word(w, "hi", 2);
    add_word(w, "mid", 3);
  } else if (IS_KIND(v)) {
    add_word(w, "name", 4);
    add_word(w, "label", 5);
  }
  (void)K;
}

void kader_complete(KaderState *K, const char *line, size_t len,
                    void (*add)(void *, const char *), void *ud) {
  size_t start = len;
  while (start > 0 && word_char((unsigned char)line[start - 1])) start--;
  const char *prefix = line + start;
  size_t plen = len - start;
  Words w = {0};
  if (start > 0 && line[start - 1] == '.') {
    /* the chain before the dot: name(.name)* */
    size_t chain_end = start - 1, chain = chain_end;
    while (chain > 0 && (word_char((unsigned char)line[chain - 1]) || line[chain - 1] == '.'))
      chain--;
    Value v = chain_value(K, line + chain, chain_end - chain);
    if (v.type != V_UNDEF) fields_of(K, v, &w);
  } else {
    for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
      add_word(&w, keywords[i], strlen(keywords[i]));
    for (uint32_t i = 0; i < K->global_count; i++) {
      ObjString *n = K->global_names[i];
      if (!(K->global_flags[i] & GLOBAL_DEFINED)) continue;
      if (n->chars[0] == '_' && (plen == 0 || prefix[0] != '_')) continue;
      add_word(&w, n->chars, n->len);
    }
  }
  if (w.count > 1) qsort(w.words, w.count, sizeof *w.words, by_text);
  for (size_t i = 0; i < w.count; i++) {
    if (strncmp(w.words[i], prefix, plen) == 0) add(ud, w.words[i]);
    free(w.words[i]);
  }
  free(w.words);
}

const char *kader_doc(KaderState *K, const char *name) {
  ObjString *n = strset_find(&K->strings, name, strlen(name),
                             hash_bytes(name, strlen(name)));
  uint32_t slot;
  if (!n || !imap_get(&K->global_index, n, &slot)) return NULL;
  Value v = K->globals[slot];
  if (v.type != V_OBJ) return NULL;
  ObjString *doc = NULL;
  switch ((ObjTag)v.as.o->type) {
    case O_CLOSURE: doc = AS_CLOSURE(v)->fn->doc; break;
    case O_NATIVE: doc = AS_NATIVE(v)->doc; break;
    case O_KIND: doc = AS_KIND(v)->doc; break;
    case O_RECORD:
      if (AS_RECORD(v)->kind) doc = AS_RECORD(v)->kind->doc;
      break;
    default: break;
  }
  return doc ? doc->chars : NULL;
}

void kader_forget_imports(KaderState *K) {
  /* keep the standard library's modules: they never change */
  ObjList *paths = K->module_paths;
  uint32_t kept = 0;
  for (uint32_t i = 0; i < paths->count; i++) {
    ObjString *p = AS_STRING(paths->items[i]);
    if (strncmp(p->chars, "<stdlib>/", 9) == 0) paths->items[kept++] = paths->items[i];
  }
  paths->count = kept;
}

/*
** arena.c — bump allocation for syntax trees: many small zeroed objects that
** are all freed together once the tree has been compiled.
*/
#include <stdlib.h>
#include <string.h>
#include <stddef.h>

#include "ast.h"

#define ARENA_BLOCK_SIZE (64 * 1024)
#define ARENA_ALIGN (sizeof(max_align_t))

struct ArenaBlock {
  ArenaBlock *next;
  size_t used, cap;
  max_align_t data[]; /* the flexible member gives the payload max alignment */
};

void arena_init(Arena *a) {
  a->head = NULL;
  a->failed = 0;
  a->memory = NULL;
  a->memory_ud = NULL;
}

static ArenaBlock *new_block(Arena *a, size_t cap) {
  size_t size = sizeof(ArenaBlock) + cap;
  ArenaBlock *b = a->memory ? a->memory(a->memory_ud, NULL, 0, size) : calloc(1, size);
  if (b) b->cap = cap;
  return b;
}

void *arena_alloc(Arena *a, size_t size) {
  ArenaBlock *b = a->head;
  size_t need;
  if (size == 0) size = 1;
  if (size > ((size_t)-1) / 2) goto oom;
  need = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
  if (b == NULL || b->cap - b->used < need) {
    /* A big request gets a block of its own so the current block keeps
    ** serving small ones. */
    size_t cap = need > ARENA_BLOCK_SIZE / 4 ? need : ARENA_BLOCK_SIZE;
    ArenaBlock *nb = new_block(a, cap);
    if (nb == NULL) goto oom;
    if (b != NULL && cap != ARENA_BLOCK_SIZE) {
      nb->next = b->next; /* keep the partly used block at the head */
      b->next = nb;
    } else {
      nb->next = b;
      a->head = nb;
    }
    b = nb;
  }
  {
    void *p = (char *)b->data + b->used;
    b->used += need;
    return p; /* calloc'd, or zeroed again by arena_reset */
  }
oom:
  a->failed = 1;
  return NULL;
}

char *arena_strdup(Arena *a, const char *s, size_t len) {
  char *p;
  if (len == (size_t)-1) { a->failed = 1; return NULL; }
  p = arena_alloc(a, len + 1);
  if (p == NULL) return NULL;
  if (len > 0) memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

void arena_reset(Arena *a) {
  ArenaBlock *keep = a->head;
  if (keep == NULL) return;
  a->head = keep->next;
  keep->next = NULL;
  arena_free(a);
  /* the kept block serves the next tree; arena_alloc hands out zeroed memory */
  memset(keep->data, 0, keep->used);
  keep->used = 0;
  a->head = keep;
}

void arena_free(Arena *a) {
  ArenaBlock *b = a->head;
  while (b != NULL) {
    ArenaBlock *next = b->next;
    if (a->memory) a->memory(a->memory_ud, b, sizeof(ArenaBlock) + b->cap, 0);
    else free(b);
    b = next;
  }
  a->head = NULL;
}

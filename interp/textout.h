/*
** textout.h — a bounded text writer with snprintf semantics, shared by the
** modules that format into caller buffers (units.c, format.c): it writes
** what fits, keeps room for the NUL, and counts what the whole text needs.
*/
#ifndef KADER_TEXTOUT_H
#define KADER_TEXTOUT_H

#include <stddef.h>
#include <string.h>

typedef struct Out {
  char *buf;
  size_t cap, len;
} Out;

static inline void put(Out *o, const char *s, size_t n) {
  if (o->len + 1 < o->cap) {
    size_t room = o->cap - 1 - o->len;
    memcpy(o->buf + o->len, s, n < room ? n : room);
  }
  o->len += n;
}

static inline void put_str(Out *o, const char *s) { put(o, s, strlen(s)); }

static inline size_t finish(Out *o) {
  if (o->cap > 0) o->buf[o->len < o->cap ? o->len : o->cap - 1] = '\0';
  return o->len;
}

#endif

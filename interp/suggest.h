/*
** suggest.h — "did you mean": the known name closest to a misspelt one.
**
** One implementation for every place that reports an unknown name: the
** static checks (lint.c), undefined names and fields at run time, kinds,
** options, CSV columns and keyword typos. Usage:
**
**   KdSuggest s = kd_suggest_begin("taks");
**   kd_suggest_consider(&s, "task"); ...
**   kd_error(K, "there is no kind '%s'%s", name, kd_suggest_text(&s, buf, n));
*/
#ifndef KADER_SUGGEST_H
#define KADER_SUGGEST_H

#include <stddef.h>

/* Names longer than this are never compared (the cost is quadratic). */
#define KD_SUGGEST_MAX_LEN 64

typedef struct KdSuggest { const char *query, *best; size_t dist; } KdSuggest;

/* Edit distance in bytes, a swap of two neighbours counting as one edit
** ("taks" for "task"); (size_t)-1 for names past KD_SUGGEST_MAX_LEN. */
size_t kd_edit_distance(const char *a, const char *b);

/* A search for the name closest to query, within a distance that grows with
** its length (1 for short names, at most 2). */
KdSuggest kd_suggest_begin(const char *query);

/* Offers a candidate; names starting with '_' are private helpers and only
** suggested for a query that starts with '_' as well. */
void kd_suggest_consider(KdSuggest *s, const char *name);

/* " (did you mean 'x'?)" in buf, or "" when nothing was close enough. */
const char *kd_suggest_text(const KdSuggest *s, char *buf, size_t cap);

#endif

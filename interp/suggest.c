/*
** suggest.c — "did you mean" (see suggest.h).
*/
#include <stdio.h>
#include <string.h>

#include "suggest.h"

size_t kd_edit_distance(const char *a, const char *b) {
  size_t n = strlen(a), m = strlen(b);
  size_t rows[3][KD_SUGGEST_MAX_LEN + 1];
  if (n > KD_SUGGEST_MAX_LEN || m > KD_SUGGEST_MAX_LEN) return (size_t)-1;
  for (size_t j = 0; j <= m; j++) rows[0][j] = j;
  for (size_t i = 1; i <= n; i++) {
    size_t *row = rows[i % 3], *up = rows[(i - 1) % 3], *up2 = rows[(i + 1) % 3];
    row[0] = i;
    for (size_t j = 1; j <= m; j++) {
      size_t best = up[j - 1] + (a[i - 1] != b[j - 1]);
      if (up[j] + 1 < best) best = up[j] + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          up2[j - 2] + 1 < best)
        best = up2[j - 2] + 1;
      row[j] = best;
    }
  }
  return rows[n % 3][m];
}

KdSuggest kd_suggest_begin(const char *query) {
  size_t n = strlen(query);
  size_t limit = n / 3 < 1 ? 1 : n / 3 > 2 ? 2 : n / 3;
  return (KdSuggest){query, NULL, limit + 1};
}

void kd_suggest_consider(KdSuggest *s, const char *name) {
  if (!name || !*name || strcmp(name, s->query) == 0) return;
  if (name[0] == '_' && s->query[0] != '_') return; /* private helpers */
  size_t d = kd_edit_distance(s->query, name);
  /* one letter for another is no likely typo in a one-letter name */
  if (d >= strlen(s->query) || d >= strlen(name)) return;
  if (d < s->dist) {
    s->dist = d;
    s->best = name;
  }
}

const char *kd_suggest_text(const KdSuggest *s, char *buf, size_t cap) {
  if (!s->best) return "";
  snprintf(buf, cap, " (did you mean '%s'?)", s->best);
  return buf;
}

/*
** units.c — the unit algebra (see units.h).
**
** Names live in a growable array with a hash index. A unit expression is a
** list of (name, exponent) atoms sorted by name index; it is interned once in
** a shared atom pool, so equal expressions get equal ids and comparing units
** is an integer compare. Quantity arithmetic calls units_mul/units_div all the
** time, so their results are memoised in a small direct-mapped cache. The
** reduction of an expression to base units is cached in the expression itself
** and trusted only while no definition has changed since (generation
** counters: defining a new name can only change a reduction that was
** pending on it, so it does not throw the others away, and declaring a long
** chain of units stays linear). Walks over definitions use an explicit
** stack, so a chain of 65 000 units cannot overflow the C stack.
*/
#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "units.h"
#include "textout.h"

enum { NAME_PENDING, NAME_BASE, NAME_DERIVED };

typedef struct Name {
  char *str; /* owned copy, NUL-terminated */
  size_t len;
  uint32_t hash;
  int state;
  double factor; /* NAME_DERIVED: name = factor × def */
  UnitId def;
  uint32_t mark; /* visited stamp of the cycle search */
  int used;      /* some definition mentions it */
  UnitSite user_def, user_use; /* see units_user_definition */
} Name;

typedef struct Atom {
  int name;
  int exp;
} Atom;

typedef struct Expr {
  uint32_t first, count; /* atoms[first .. first+count) */
  uint32_t hash;
  /* cached reduction, valid while gen == UnitTable.gen and, when pending,
  ** pending_gen == UnitTable.pending_gen */
  uint64_t gen, pending_gen;
  UnitStatus status;
  int bad_name;
  double scale;
  UnitId base;
} Expr;

enum { MEMO_SIZE = 512, OP_MUL = 1, OP_DIV = 2 };

typedef struct Memo {
  UnitId a, b, result;
  uint32_t op; /* 0: empty slot */
} Memo;

struct UnitTable {
  UnitReallocFn realloc_fn;
  void *ud;
  Name *names;
  uint32_t nnames, names_cap;
  uint32_t *name_slots; /* open addressing; name index + 1, 0 is empty */
  uint32_t name_slots_cap;
  Atom *atoms;
  uint32_t natoms, atoms_cap;
  Expr *exprs;
  uint32_t nexprs, exprs_cap;
  UnitId *expr_slots; /* open addressing; UNIT_NONE is never stored so 0 is
                         free to mean empty */
  uint32_t expr_slots_cap;
  Atom *scratch; /* where a new expression is built before interning */
  uint32_t scratch_cap;
  UnitId *work; /* the stack of the walks over definitions */
  uint32_t work_cap;
  uint64_t gen;         /* bumped when a defined name is defined again */
  uint64_t pending_gen; /* bumped when a pending name gets defined */
  uint32_t stamp;
  int euro, percent; /* name indices of € and %, or -1 */
  Memo memo[MEMO_SIZE];
};

/* ---- memory ---- */

static void *mem(UnitTable *t, void *p, size_t old_size, size_t new_size) {
  return t->realloc_fn(t->ud, p, old_size, new_size);
}

/* Room for `need` elements, doubling so appends are amortised O(1). */
static void *grow(UnitTable *t, void *p, uint32_t *cap, uint32_t need,
                  size_t size) {
  uint32_t n = *cap ? *cap : 8;
  if (need <= *cap) return p;
  assert(need <= UINT32_MAX / 2);
  while (n < need) n *= 2;
  p = mem(t, p, (size_t)*cap * size, (size_t)n * size);
  *cap = n;
  return p;
}

static uint32_t *new_slots(UnitTable *t, uint32_t cap) {
  uint32_t *s = mem(t, NULL, 0, (size_t)cap * sizeof *s);
  memset(s, 0, (size_t)cap * sizeof *s);
  return s;
}

/* ---- names ---- */

static uint32_t hash_bytes(const char *s, size_t len) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static int name_eq(const Name *nm, const char *s, size_t len, uint32_t h) {
  return nm->hash == h && nm->len == len &&
         (len == 0 || memcmp(nm->str, s, len) == 0);
}

static int find_name(UnitTable *t, const char *s, size_t len, uint32_t h) {
  uint32_t mask = t->name_slots_cap - 1;
  if (t->name_slots_cap == 0) return -1;
  for (uint32_t i = h & mask;; i = (i + 1) & mask) {
    uint32_t slot = t->name_slots[i];
    if (slot == 0) return -1;
    if (name_eq(&t->names[slot - 1], s, len, h)) return (int)(slot - 1);
  }
}

static void put_name_slot(UnitTable *t, uint32_t index) {
  uint32_t mask = t->name_slots_cap - 1;
  uint32_t i = t->names[index].hash & mask;
  while (t->name_slots[i] != 0) i = (i + 1) & mask;
  t->name_slots[i] = index + 1;
}

/* Keep the load factor at most 1/2 so probes stay short. */
static void grow_name_slots(UnitTable *t) {
  uint32_t cap = t->name_slots_cap ? t->name_slots_cap * 2 : 16;
  if ((t->nnames + 1) * 2 <= t->name_slots_cap) return;
  mem(t, t->name_slots, (size_t)t->name_slots_cap * sizeof *t->name_slots, 0);
  t->name_slots = new_slots(t, cap);
  t->name_slots_cap = cap;
  for (uint32_t i = 0; i < t->nnames; i++) put_name_slot(t, i);
}

int units_lookup(UnitTable *t, const char *name, size_t len) {
  return find_name(t, name, len, hash_bytes(name, len));
}

UnitSite *units_user_definition(UnitTable *t, int name) { return &t->names[name].user_def; }

UnitSite *units_user_use(UnitTable *t, int name) { return &t->names[name].user_use; }

int units_declare(UnitTable *t, const char *name, size_t len) {
  uint32_t h = hash_bytes(name, len);
  int found = find_name(t, name, len, h);
  Name *nm;
  if (found >= 0) return found;
  grow_name_slots(t);
  t->names = grow(t, t->names, &t->names_cap, t->nnames + 1, sizeof *t->names);
  nm = &t->names[t->nnames];
  nm->str = mem(t, NULL, 0, len + 1);
  if (len > 0) memcpy(nm->str, name, len);
  nm->str[len] = '\0';
  nm->len = len;
  nm->hash = h;
  nm->state = NAME_PENDING;
  nm->factor = 1.0;
  nm->def = UNIT_NONE;
  nm->mark = 0;
  nm->used = 0;
  nm->user_def = nm->user_use = (UnitSite){NULL, 0, 0};
  put_name_slot(t, t->nnames);
  /* € and % get special display; remember them instead of looking up */
  if (len == 3 && memcmp(name, "\xE2\x82\xAC", 3) == 0)
    t->euro = (int)t->nnames;
  if (len == 1 && name[0] == '%') t->percent = (int)t->nnames;
  return (int)t->nnames++;
}

const char *units_name(UnitTable *t, int name) {
  assert(name >= 0 && (uint32_t)name < t->nnames);
  return t->names[name].str;
}

int units_is_defined(UnitTable *t, int name) {
  assert(name >= 0 && (uint32_t)name < t->nnames);
  return t->names[name].state != NAME_PENDING;
}

/* ---- expressions ---- */

static uint32_t hash_atoms(const Atom *a, uint32_t n) {
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < n; i++) {
    h = (h ^ (uint32_t)a[i].name) * 16777619u;
    h = (h ^ (uint32_t)a[i].exp) * 16777619u;
  }
  return h;
}

static int expr_eq(UnitTable *t, UnitId id, const Atom *a, uint32_t n,
                   uint32_t h) {
  const Expr *e = &t->exprs[id];
  return e->hash == h && e->count == n &&
         memcmp(t->atoms + e->first, a, n * sizeof *a) == 0;
}

static void put_expr_slot(UnitTable *t, UnitId id) {
  uint32_t mask = t->expr_slots_cap - 1;
  uint32_t i = t->exprs[id].hash & mask;
  while (t->expr_slots[i] != 0) i = (i + 1) & mask;
  t->expr_slots[i] = id;
}

static void grow_expr_slots(UnitTable *t) {
  uint32_t cap = t->expr_slots_cap ? t->expr_slots_cap * 2 : 64;
  if ((t->nexprs + 1) * 2 <= t->expr_slots_cap) return;
  mem(t, t->expr_slots, (size_t)t->expr_slots_cap * sizeof *t->expr_slots, 0);
  t->expr_slots = new_slots(t, cap);
  t->expr_slots_cap = cap;
  for (UnitId id = 1; id < t->nexprs; id++) put_expr_slot(t, id);
}

static UnitId add_expr(UnitTable *t, const Atom *a, uint32_t n, uint32_t h) {
  Expr *e;
  UnitId id = t->nexprs;
  assert(id < UINT32_MAX);
  if (n > 0) {
    t->atoms =
        grow(t, t->atoms, &t->atoms_cap, t->natoms + n, sizeof *t->atoms);
    memcpy(t->atoms + t->natoms, a, n * sizeof *a);
  }
  t->exprs = grow(t, t->exprs, &t->exprs_cap, id + 1, sizeof *t->exprs);
  e = &t->exprs[id];
  e->first = t->natoms;
  e->count = n;
  e->hash = h;
  e->gen = e->pending_gen = 0; /* no reduction cached yet */
  e->status = UNIT_OK;
  e->bad_name = -1;
  e->scale = 1.0;
  e->base = UNIT_NONE;
  t->natoms += n;
  t->nexprs++;
  return id;
}

/* The id of a canonical atom list (sorted, merged, no zero exponents). `a`
** must not point into t->atoms, which may move. */
static UnitId intern(UnitTable *t, const Atom *a, uint32_t n) {
  uint32_t h, mask;
  if (n == 0) return UNIT_NONE;
  h = hash_atoms(a, n);
  grow_expr_slots(t);
  mask = t->expr_slots_cap - 1;
  for (uint32_t i = h & mask;; i = (i + 1) & mask) {
    UnitId id = t->expr_slots[i];
    if (id == 0) {
      id = add_expr(t, a, n, h);
      put_expr_slot(t, id);
      return id;
    }
    if (expr_eq(t, id, a, n, h)) return id;
  }
}

static Atom *scratch(UnitTable *t, uint32_t n) {
  t->scratch = grow(t, t->scratch, &t->scratch_cap, n ? n : 1,
                    sizeof *t->scratch);
  return t->scratch;
}

/* Exponents are small in practice; saturate rather than overflow. */
static int clamp_exp(long long e) {
  if (e > INT_MAX) return INT_MAX;
  if (e < -INT_MAX) return -INT_MAX;
  return (int)e;
}

UnitId units_atom(UnitTable *t, int name, int exp) {
  Atom *a;
  assert(name >= 0 && (uint32_t)name < t->nnames);
  if (exp == 0) return UNIT_NONE;
  a = scratch(t, 1);
  a[0].name = name;
  a[0].exp = exp;
  return intern(t, a, 1);
}

/* a × b^sign: a merge of two sorted atom lists. */
static UnitId combine(UnitTable *t, UnitId a, UnitId b, int sign) {
  Expr ea = t->exprs[a], eb = t->exprs[b];
  Atom *out = scratch(t, ea.count + eb.count);
  const Atom *pa = t->atoms + ea.first, *pb = t->atoms + eb.first;
  uint32_t i = 0, j = 0, n = 0;
  while (i < ea.count || j < eb.count) {
    if (j == eb.count || (i < ea.count && pa[i].name < pb[j].name)) {
      out[n++] = pa[i++];
    } else if (i == ea.count || pb[j].name < pa[i].name) {
      out[n].name = pb[j].name;
      out[n++].exp = clamp_exp((long long)sign * pb[j++].exp);
    } else {
      int e = clamp_exp((long long)pa[i].exp + (long long)sign * pb[j].exp);
      if (e != 0) {
        out[n].name = pa[i].name;
        out[n++].exp = e;
      }
      i++, j++;
    }
  }
  return intern(t, out, n);
}

static UnitId memo_combine(UnitTable *t, UnitId a, UnitId b, uint32_t op) {
  uint32_t h = (a * 0x9E3779B1u) ^ (b * 0x85EBCA77u) ^ (op * 0xC2B2AE3Du);
  Memo *m = &t->memo[(h ^ (h >> 16)) & (MEMO_SIZE - 1)];
  if (m->op == op && m->a == a && m->b == b) return m->result;
  m->result = combine(t, a, b, op == OP_MUL ? 1 : -1);
  m->a = a;
  m->b = b;
  m->op = op;
  return m->result;
}

UnitId units_mul(UnitTable *t, UnitId a, UnitId b) {
  if (a == UNIT_NONE) return b;
  if (b == UNIT_NONE) return a;
  return memo_combine(t, a, b, OP_MUL);
}

UnitId units_div(UnitTable *t, UnitId a, UnitId b) {
  if (b == UNIT_NONE) return a;
  if (a == b) return UNIT_NONE;
  return memo_combine(t, a, b, OP_DIV);
}

UnitId units_pow(UnitTable *t, UnitId a, int n) {
  Expr e;
  Atom *out;
  if (n == 0 || a == UNIT_NONE) return UNIT_NONE;
  if (n == 1) return a;
  e = t->exprs[a];
  out = scratch(t, e.count);
  for (uint32_t i = 0; i < e.count; i++) {
    out[i].name = t->atoms[e.first + i].name;
    out[i].exp = clamp_exp((long long)t->atoms[e.first + i].exp * n);
  }
  return intern(t, out, e.count);
}

/* ---- definitions ---- */

/* Room for n ids on the walk stack. */
static UnitId *work(UnitTable *t, uint32_t n) {
  t->work = grow(t, t->work, &t->work_cap, n, sizeof *t->work);
  return t->work;
}

/* Does expression u mention `target`, directly or through definitions?
** Names already visited in this search carry the current stamp, so a shared
** sub-definition is walked once. A name no definition mentions can only be
** in u itself. */
static int depends_on(UnitTable *t, UnitId u, int target) {
  if (!t->names[target].used) {
    const Expr *e = &t->exprs[u];
    for (uint32_t i = 0; i < e->count; i++)
      if (t->atoms[e->first + i].name == target) return 1;
    return 0;
  }
  if (++t->stamp == 0) { /* stamps wrapped: forget every old mark */
    for (uint32_t i = 0; i < t->nnames; i++) t->names[i].mark = 0;
    t->stamp = 1;
  }
  uint32_t n = 1;
  work(t, 1)[0] = u;
  while (n > 0) {
    UnitId x = t->work[--n];
    for (uint32_t i = 0; i < t->exprs[x].count; i++) {
      int name = t->atoms[t->exprs[x].first + i].name;
      Name *nm = &t->names[name];
      if (name == target) return 1;
      if (nm->state == NAME_DERIVED && nm->mark != t->stamp) {
        nm->mark = t->stamp;
        UnitId def = nm->def;
        work(t, n + 1);
        t->work[n++] = def;
      }
    }
  }
  return 0;
}

/* A name's definition changes: a new one only matters to reductions that
** were pending on it, a changed one to any. */
static void changed(UnitTable *t, int name) {
  if (t->names[name].state == NAME_PENDING) t->pending_gen++;
  else t->gen++;
}

UnitStatus units_define_base(UnitTable *t, int name) {
  assert(name >= 0 && (uint32_t)name < t->nnames);
  if (t->names[name].state == NAME_BASE) return UNIT_OK; /* nothing changes */
  changed(t, name);
  t->names[name].state = NAME_BASE;
  t->names[name].factor = 1.0;
  t->names[name].def = UNIT_NONE;
  return UNIT_OK;
}

UnitStatus units_define(UnitTable *t, int name, double factor, UnitId def) {
  assert(name >= 0 && (uint32_t)name < t->nnames && def < t->nexprs);
  if (depends_on(t, def, name)) return UNIT_CYCLE;
  changed(t, name);
  t->names[name].state = NAME_DERIVED;
  t->names[name].factor = factor;
  t->names[name].def = def;
  for (uint32_t i = 0; i < t->exprs[def].count; i++)
    t->names[t->atoms[t->exprs[def].first + i].name].used = 1;
  return UNIT_OK;
}

/* ---- conversion ---- */

static double ipow(double x, unsigned n) {
  double r = 1.0;
  for (; n > 0; n >>= 1, x *= x)
    if (n & 1) r *= x;
  return r;
}

/* scale × s^exp; dividing for negative powers keeps 1/13 exactly 1/13. */
static double scale_by(double scale, double s, int exp) {
  if (exp > 0) return scale * ipow(s, (unsigned)exp);
  return scale / ipow(s, (unsigned)(-(long long)exp));
}

static int cached(const UnitTable *t, UnitId u) {
  const Expr *e = &t->exprs[u];
  if (u == UNIT_NONE) return 1; /* a plain number: scale 1, no base */
  return e->gen == t->gen && (e->status != UNIT_PENDING || e->pending_gen == t->pending_gen);
}

/* The definition compute_reduction(u) needs and that has no reduction
** cached yet, or UNIT_NONE when it can go ahead. */
static UnitId stale_def(UnitTable *t, UnitId u) {
  const Expr *e = &t->exprs[u];
  for (uint32_t i = 0; i < e->count; i++) {
    const Name *nm = &t->names[t->atoms[e->first + i].name];
    if (nm->state == NAME_PENDING) return UNIT_NONE; /* it stops here */
    if (nm->state == NAME_DERIVED && !cached(t, nm->def)) return nm->def;
  }
  return UNIT_NONE;
}

/* Fills the reduction cache of u from the cached reductions of the
** definitions it mentions. The tables may move under units_mul: hold
** indices, not pointers. */
static void compute_reduction(UnitTable *t, UnitId u) {
  double scale = 1.0;
  UnitId base = UNIT_NONE;
  UnitStatus st = UNIT_OK;
  int bad = -1;
  uint32_t first = t->exprs[u].first, count = t->exprs[u].count;
  Expr *e;
  for (uint32_t i = 0; i < count && st == UNIT_OK; i++) {
    Atom a = t->atoms[first + i];
    Name nm = t->names[a.name];
    if (nm.state == NAME_PENDING) {
      st = UNIT_PENDING;
      bad = a.name;
    } else if (nm.state == NAME_BASE) {
      base = units_mul(t, base, units_atom(t, a.name, a.exp));
    } else if ((st = t->exprs[nm.def].status) == UNIT_OK) {
      /* exprs[UNIT_NONE] says: OK, scale 1, no base */
      const Expr *d = &t->exprs[nm.def];
      UnitId dbase = d->base;
      scale = scale_by(scale, nm.factor * d->scale, a.exp);
      base = units_mul(t, base, units_pow(t, dbase, a.exp));
    } else {
      bad = t->exprs[nm.def].bad_name;
    }
  }
  e = &t->exprs[u];
  e->gen = t->gen;
  e->pending_gen = t->pending_gen;
  e->status = st;
  e->bad_name = bad;
  e->scale = st == UNIT_OK ? scale : 0.0;
  e->base = st == UNIT_OK ? base : UNIT_NONE;
}

/* Definitions are acyclic (units_define guarantees it), so the walk ends:
** a definition is reduced before what uses it. */
static UnitStatus reduce(UnitTable *t, UnitId u) {
  if (cached(t, u)) return u == UNIT_NONE ? UNIT_OK : t->exprs[u].status;
  uint32_t n = 1;
  work(t, 1)[0] = u;
  while (n > 0) {
    UnitId next = stale_def(t, t->work[n - 1]);
    if (next != UNIT_NONE) {
      work(t, n + 1);
      t->work[n++] = next;
    } else {
      compute_reduction(t, t->work[n - 1]);
      n--;
    }
  }
  return t->exprs[u].status;
}

UnitStatus units_reduce(UnitTable *t, UnitId u, double *scale, UnitId *base,
                        int *bad_name) {
  UnitStatus st;
  assert(u < t->nexprs);
  st = reduce(t, u);
  if (scale) *scale = t->exprs[u].scale;
  if (base) *base = t->exprs[u].base;
  if (bad_name && st == UNIT_PENDING) *bad_name = t->exprs[u].bad_name;
  return st;
}

UnitStatus units_factor(UnitTable *t, UnitId from, UnitId to, double *factor,
                        int *bad_name) {
  double sf, st;
  UnitId bf, bt;
  UnitStatus s = units_reduce(t, from, &sf, &bf, bad_name);
  if (s != UNIT_OK) return s;
  s = units_reduce(t, to, &st, &bt, bad_name);
  if (s != UNIT_OK) return s;
  if (bf != bt) return UNIT_INCOMPATIBLE;
  if (factor) *factor = sf / st;
  return UNIT_OK;
}

int units_dimensionless(UnitTable *t, UnitId u) {
  UnitId base;
  return units_reduce(t, u, NULL, &base, NULL) == UNIT_OK && base == UNIT_NONE;
}

/* ---- display ---- */


static void put_atom(UnitTable *t, Out *o, Atom a) {
  const Name *nm = &t->names[a.name];
  int e = a.exp < 0 ? -a.exp : a.exp;
  put(o, nm->str, nm->len);
  if (e != 1) {
    char num[16];
    int n = snprintf(num, sizeof num, "^%d", e);
    put(o, num, (size_t)n);
  }
}

/* The atoms with positive (sign 1) or negative (sign -1) exponents, "·"
** between them; returns how many there were. */
static uint32_t put_atoms(UnitTable *t, Out *o, UnitId u, int sign,
                          int dry_run) {
  const Expr *e = &t->exprs[u];
  uint32_t n = 0;
  for (uint32_t i = 0; i < e->count; i++) {
    Atom a = t->atoms[e->first + i];
    if ((a.exp > 0) != (sign > 0)) continue;
    if (!dry_run) {
      if (n > 0) put(o, "\xC2\xB7", 2);
      put_atom(t, o, a);
    }
    n++;
  }
  return n;
}

size_t units_format(UnitTable *t, UnitId u, char *buf, size_t cap) {
  Out o = {buf, cap, 0};
  uint32_t nden;
  assert(u < t->nexprs);
  if (put_atoms(t, &o, u, 1, 0) == 0 && t->exprs[u].count > 0) put(&o, "1", 1);
  nden = put_atoms(t, &o, u, -1, 1);
  if (nden > 0) {
    put(&o, "/", 1);
    if (nden > 1) put(&o, "(", 1);
    put_atoms(t, &o, u, -1, 0);
    if (nden > 1) put(&o, ")", 1);
  }
  return finish(&o);
}

/* u is the single atom name^1. */
static int is_single(UnitTable *t, UnitId u, int name) {
  const Expr *e = &t->exprs[u];
  return name >= 0 && e->count == 1 && t->atoms[e->first].name == name &&
         t->atoms[e->first].exp == 1;
}

int units_is_money(UnitTable *t, UnitId u) {
  return is_single(t, u, t->euro);
}

int units_is_percent(UnitTable *t, UnitId u) {
  return is_single(t, u, t->percent);
}

int units_is_money_per(UnitTable *t, UnitId u, UnitId *rest) {
  const Expr *e = &t->exprs[u];
  int euro = 0;
  if (t->euro < 0 || e->count < 2) return 0;
  for (uint32_t i = 0; i < e->count; i++) {
    Atom a = t->atoms[e->first + i];
    if (a.name == t->euro && a.exp == 1) euro = 1;
    else if (a.exp > 0) return 0;
  }
  if (!euro) return 0;
  /* the "year" of "€ 5.000/year": what € is divided by */
  if (rest) *rest = units_div(t, units_atom(t, t->euro, 1), u);
  return 1;
}

/* ---- the table ---- */

UnitTable *units_new(UnitReallocFn realloc_fn, void *ud) {
  UnitTable *t = realloc_fn(ud, NULL, 0, sizeof *t);
  memset(t, 0, sizeof *t);
  t->realloc_fn = realloc_fn;
  t->ud = ud;
  t->gen = 1; /* expressions start with gen 0: nothing cached */
  t->euro = t->percent = -1;
  add_expr(t, NULL, 0, 0); /* id 0: UNIT_NONE, never in the hash index */
  return t;
}

void units_free(UnitTable *t) {
  if (t == NULL) return;
  for (uint32_t i = 0; i < t->nnames; i++)
    mem(t, t->names[i].str, t->names[i].len + 1, 0);
  mem(t, t->names, (size_t)t->names_cap * sizeof *t->names, 0);
  mem(t, t->name_slots, (size_t)t->name_slots_cap * sizeof *t->name_slots, 0);
  mem(t, t->atoms, (size_t)t->atoms_cap * sizeof *t->atoms, 0);
  mem(t, t->exprs, (size_t)t->exprs_cap * sizeof *t->exprs, 0);
  mem(t, t->expr_slots, (size_t)t->expr_slots_cap * sizeof *t->expr_slots, 0);
  mem(t, t->scratch, (size_t)t->scratch_cap * sizeof *t->scratch, 0);
  mem(t, t->work, (size_t)t->work_cap * sizeof *t->work, 0);
  t->realloc_fn(t->ud, t, sizeof *t, 0);
}

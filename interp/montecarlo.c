/*
** montecarlo.c — uncertainty: distributions on ranges, sampling a whole
** model, and the statistics of the samples (docs/uncertainty.md).
**
** A range may carry a distribution (uniform, triangular, PERT, normal,
** lognormal, beta, binomial, beta-binomial, hypergeometric); it still is
** a range everywhere else. simulate(f) runs f once per chunk of samples:
** while it runs, arithmetic that meets a range with a distribution uses
** that range's samples for the chunk, drawn once per chunk however often
** the range is used (an input used twice is one draw per sample), and
** arithmetic on samples runs over the whole chunk in C (arith.c calls
** kd_sample_arith). So the VM runs f n / chunk times, not n times, and
** memory holds one chunk per input plus the outputs.
**
** Reproducible: every input has its own xoshiro256** stream (our own
** implementation of the published generator, run through GSL's samplers),
** seeded from the simulation's seed and the order in which the input was
** first used, so the numbers do not depend on the chunk size or machine.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "format.h"
#include "montecarlo.h"
#include "vm.h"

#define CHUNK 8192 /* samples per run of f: small enough to stay in cache */
#define MAX_SAMPLES 100000000 /* per simulation (800 MB of doubles per output) */
#define Z95 1.6448536269514722 /* the normal quantile of 95%: a 90% interval */

/* ---- xoshiro256** (Blackman and Vigna), seeded with splitmix64 ---- */

typedef struct Xoshiro { uint64_t s[4]; } Xoshiro;

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t xoshiro_next(Xoshiro *x) {
  uint64_t *s = x->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

static uint64_t splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static void xoshiro_seed(Xoshiro *x, uint64_t seed) {
  for (int i = 0; i < 4; i++) x->s[i] = splitmix64(&seed);
}

/* GSL's samplers draw through a gsl_rng: ours, with xoshiro256** inside */
static void xo_set(void *state, unsigned long seed) { xoshiro_seed(state, seed); }
static unsigned long xo_get(void *state) { return (unsigned long)(xoshiro_next(state) >> 32); }
static double xo_get_double(void *state) {
  return (double)(xoshiro_next(state) >> 11) * 0x1.0p-53;
}
static const gsl_rng_type xoshiro_type = {"xoshiro256**", 0xffffffffUL, 0, sizeof(Xoshiro),
                                          xo_set, xo_get, xo_get_double};

/* ---- distributions ---- */

UnitId kd_percent_unit(KaderState *K) {
  int name = units_lookup(K->units, "%", 1);
  return name < 0 ? UNIT_NONE : units_atom(K->units, name, 1);
}

static const char *dist_names[] = {"", "uniform", "triangular", "pert", "normal",
                                   "lognormal", "beta", "binomial", "beta_binomial",
                                   "hypergeometric"};

const char *kd_dist_name(int dist) {
  return dist > 0 && dist < (int)(sizeof dist_names / sizeof *dist_names) ? dist_names[dist] : "";
}

/* ---- standard normals by the ziggurat (Marsaglia and Tsang 2000, 128
** layers), exact: the tables are computed from the density, once ---- */

#define ZIG_R 3.442619855899 /* where the base layer's tail starts */
#define ZIG_V 9.91256303526217e-3 /* the area of each layer */

typedef struct Ziggurat { uint32_t k[128]; double w[128], f[128]; } Ziggurat;

static Ziggurat zig_table(void) {
  Ziggurat z;
  const double m = 2147483648.0; /* 2^31 */
  double dn = ZIG_R, tn = dn, q = ZIG_V / exp(-0.5 * dn * dn);
  z.k[0] = (uint32_t)((dn / q) * m);
  z.k[1] = 0;
  z.w[0] = q / m;
  z.w[127] = dn / m;
  z.f[0] = 1.0;
  z.f[127] = exp(-0.5 * dn * dn);
  for (int i = 126; i >= 1; i--) {
    dn = sqrt(-2.0 * log(ZIG_V / dn + exp(-0.5 * dn * dn)));
    z.k[i + 1] = (uint32_t)((dn / tn) * m);
    tn = dn;
    z.f[i] = exp(-0.5 * dn * dn);
    z.w[i] = dn / m;
  }
  return z;
}

/* A uniform in (0, 1): never 0, so its logarithm is finite. */
static inline double uniform_pos(Xoshiro *x) {
  return ((double)(xoshiro_next(x) >> 11) + 0.5) * 0x1.0p-53;
}

/* Gamma(a, 1) for a >= 1 by Marsaglia and Tsang (2000), exact: a normal
** and a uniform per try, almost always accepted by the squeeze without a
** logarithm. The uniform comes from the stream directly (not through
** gsl_rng's function pointer); the normal from GSL's ziggurat. */
typedef struct GammaShape { double d, c; } GammaShape;

static GammaShape gamma_shape(double a) {
  double d = a - 1.0 / 3.0;
  return (GammaShape){d, 1.0 / sqrt(9.0 * d)};
}


/* One standard normal from the ziggurat z, drawing from x directly. */
static double zig_normal(const Ziggurat *z, Xoshiro *x) {
  for (;;) {
    uint64_t bits = xoshiro_next(x);
    int32_t hz = (int32_t)(uint32_t)(bits >> 32);
    uint32_t iz = (uint32_t)bits & 127;
    uint32_t ahz = hz < 0 ? (uint32_t)(-(int64_t)hz) : (uint32_t)hz;
    if (ahz < z->k[iz]) return hz * z->w[iz]; /* inside the layer: 99% */
    if (iz == 0) { /* the tail beyond ZIG_R */
      double a, b;
      do {
        a = -log(uniform_pos(x)) / ZIG_R;
        b = -log(uniform_pos(x));
      } while (b + b < a * a);
      return hz > 0 ? ZIG_R + a : -ZIG_R - a;
    }
    double v = hz * z->w[iz];
    if (z->f[iz] + uniform_pos(x) * (z->f[iz - 1] - z->f[iz]) < exp(-0.5 * v * v)) return v;
  }
}

static double gamma_ge1(gsl_rng *g, const Ziggurat *zt, GammaShape s) {
  double d = s.d, c = s.c;
  Xoshiro *x = g->state;
  for (;;) {
    double z, v;
    do {
      z = zig_normal(zt, x);
      v = 1.0 + c * z;
    } while (v <= 0);
    v = v * v * v;
    double u = uniform_pos(x), z2 = z * z;
    if (u < 1.0 - 0.0331 * z2 * z2) return d * v;
    if (log(u) < 0.5 * z2 + d * (1.0 - v + log(v))) return d * v;
  }
}

/* m draws of Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b);
** PERT's and a share's parameters are at least 1 (below 1, GSL's sampler). */
static void beta_draws(gsl_rng *g, const Ziggurat *zt, double a, double b, double *out,
                       uint32_t m) {
  if (a < 1 || b < 1) {
    for (uint32_t i = 0; i < m; i++) out[i] = gsl_ran_beta(g, a, b);
    return;
  }
  GammaShape sa = gamma_shape(a), sb = gamma_shape(b);
  for (uint32_t i = 0; i < m; i++) {
    double x = gamma_ge1(g, zt, sa), y = gamma_ge1(g, zt, sb);
    out[i] = x / (x + y);
  }
}

/* m draws of r's distribution into out, in r's unit */
static void draw(const ObjRange *r, gsl_rng *g, const Ziggurat *zt, double *out, uint32_t m) {
  Xoshiro *xo = g->state;
  const double *p = r->p;
  switch (r->dist) {
    case DIST_UNIFORM:
      for (uint32_t i = 0; i < m; i++) out[i] = r->lo + (r->hi - r->lo) * gsl_rng_uniform(g);
      break;
    case DIST_TRIANGULAR: {
      double a = r->lo, b = r->hi, c = p[0], w = b - a, cut = w > 0 ? (c - a) / w : 0;
      for (uint32_t i = 0; i < m; i++) {
        double u = gsl_rng_uniform(g);
        out[i] = u < cut ? a + sqrt(u * w * (c - a)) : b - sqrt((1 - u) * w * (b - c));
      }
      break;
    }
    case DIST_PERT: {
      double a = r->lo, w = r->hi - r->lo;
      double alpha = 1 + 4 * (p[0] - a) / w, beta = 1 + 4 * (r->hi - p[0]) / w;
      beta_draws(g, zt, alpha, beta, out, m);
      for (uint32_t i = 0; i < m; i++) out[i] = a + w * out[i];
      break;
    }
    case DIST_NORMAL:
      for (uint32_t i = 0; i < m; i++) out[i] = p[0] + p[1] * zig_normal(zt, xo);
      break;
    case DIST_LOGNORMAL:
      for (uint32_t i = 0; i < m; i++) out[i] = exp(p[0] + p[1] * zig_normal(zt, xo));
      break;
    case DIST_BETA: /* a share: Beta(x + 1, n - x + 1), times p3 (100 for %) */
      beta_draws(g, zt, p[0], p[1], out, m);
      for (uint32_t i = 0; i < m; i++) out[i] *= p[3];
      break;
    case DIST_BINOMIAL:
      for (uint32_t i = 0; i < m; i++) out[i] = p[3] * gsl_ran_binomial(g, p[1], (unsigned)p[0]);
      break;
    case DIST_BETA_BINOMIAL:
      for (uint32_t i = 0; i < m; i++)
        out[i] = p[3] * gsl_ran_binomial(g, gsl_ran_beta(g, p[1], p[2]), (unsigned)p[0]);
      break;
    case DIST_HYPERGEOMETRIC: /* population p0, successes p1, draws p2 */
      for (uint32_t i = 0; i < m; i++)
        out[i] = p[3] * gsl_ran_hypergeometric(g, (unsigned)p[1], (unsigned)(p[0] - p[1]),
                                               (unsigned)p[2]);
      break;
    default:
      for (uint32_t i = 0; i < m; i++) out[i] = r->lo;
  }
}

void kd_scale_dist(ObjRange *to, const ObjRange *from, double f) {
  to->dist = from->dist;
  memcpy(to->p, from->p, sizeof to->p);
  switch (from->dist) {
    case DIST_TRIANGULAR: case DIST_PERT: to->p[0] *= f; break;
    case DIST_NORMAL: to->p[0] *= f; to->p[1] *= f; break;
    case DIST_LOGNORMAL: to->p[0] += log(f); break;
    case DIST_UNIFORM: break;
    default: to->p[3] *= f; /* shares and counts: a multiplier on each draw */
  }
}

/* ---- samples ---- */

ObjSamples *kd_samples_new(KaderState *K, uint32_t n, UnitId unit) {
  ObjSamples *s = (ObjSamples *)kd_alloc_obj(K, sizeof(ObjSamples), O_SAMPLES);
  s->xs = NULL;
  s->n = s->cap = 0;
  s->unit = unit;
  s->indicator = false;
  s->constant = false;
  s->sensitivity = NIL_VAL;
  kd_push_root(K, OBJ_VAL(s));
  s->xs = KD_ALLOC(K, double, n ? n : 1);
  s->n = n;
  s->cap = n ? n : 1;
  kd_pop_root(K);
  return s;
}

/* n samples that are all x. */
static ObjSamples *constant_samples(KaderState *K, uint32_t n, UnitId unit, double x) {
  ObjSamples *s = kd_samples_new(K, 1, unit);
  s->n = n;
  s->constant = true;
  s->xs[0] = x;
  return s;
}

/* The simulation under way: its inputs (ranges with a distribution) and
** the chunk being evaluated. */
#define BINS 50 /* equal-probability bins of an input, for its effect */
/* the sensitivity is estimated from the first this many samples: its
** standard error there is a fraction of a percentage point, and binning
** every sample of a million would cost a sixth of the simulation */
#define SENS_SAMPLES (16 * CHUNK)

/* What one output did in each bin of one input: the sum of its values,
** around the output's shift (see OutStat). */
typedef struct Acc { double sum[BINS]; } Acc;

typedef struct SimInput {
  ObjRange *range;
  gsl_rng *rng;
  ObjSamples *chunk; /* this chunk's draws, in one buffer for every chunk
                        (it never reaches the program: as_column reads it) */
  bool drawn;        /* in this chunk */
  Acc *acc;          /* per output */
  uint32_t acc_count;
  double edges[BINS - 1];
  double count[BINS]; /* samples per bin */
  bool has_edges;
} SimInput;

/* Per output: its count, and sums of the values and squares around the
** first chunk's first value (shifted, so the variance does not cancel). */
typedef struct OutStat { double shift, n, sum, sumsq; } OutStat;

struct KdSim {
  uint64_t seed;
  uint32_t chunk_len;  /* samples in the current chunk */
  SimInput *inputs;
  uint32_t count, cap;
  OutStat *outs;
  uint32_t out_count;
  /* the chunk's intermediate results: their buffers come from a pool that
  ** every chunk reuses (a million samples would otherwise make megabytes of
  ** garbage per output, and the page faults of getting them back) */
  double **pool;
  uint32_t pool_count, pool_used;
  ObjList *temps;      /* samples using the pool in this chunk */
  Ziggurat zig;
};

bool kd_sim_active(KaderState *K) { return K->sim != NULL; }

/* A result of arithmetic: during a simulation, in a pooled chunk buffer,
** valid until the chunk ends (end_chunk empties it, so samples kept past
** their chunk are an error when used, never stale numbers). */
static ObjSamples *temp_samples(KaderState *K, uint32_t n, UnitId unit) {
  KdSim *sim = K->sim;
  if (!sim || n != sim->chunk_len) return kd_samples_new(K, n, unit);
  if (sim->pool_used == sim->pool_count) {
    double **pool = kd_realloc(K, sim->pool, sizeof(double *) * sim->pool_count,
                               sizeof(double *) * (sim->pool_count + 1));
    sim->pool = pool;
    sim->pool[sim->pool_count] = NULL;
    sim->pool_count++;
    sim->pool[sim->pool_count - 1] = KD_ALLOC(K, double, CHUNK);
  }
  ObjSamples *s = (ObjSamples *)kd_alloc_obj(K, sizeof(ObjSamples), O_SAMPLES);
  s->xs = NULL;
  s->n = s->cap = 0; /* the collector frees no pooled buffer */
  s->unit = unit;
  s->indicator = false;
  s->constant = false;
  s->sensitivity = NIL_VAL;
  kd_push_root(K, OBJ_VAL(s));
  list_push(K, sim->temps, OBJ_VAL(s));
  kd_pop_root(K);
  s->xs = sim->pool[sim->pool_used++];
  s->n = n;
  return s;
}

/* The chunk is over: its intermediate samples give their buffers back. */
static void end_chunk(KdSim *sim) {
  for (uint32_t i = 0; i < sim->temps->count; i++) {
    ObjSamples *s = (ObjSamples *)sim->temps->items[i].as.o;
    s->xs = NULL;
    s->n = 0;
  }
  sim->temps->count = 0;
  sim->pool_used = 0;
}

void kd_sim_mark(KaderState *K) {
  KdSim *sim = K->sim;
  if (sim) kd_mark_obj(K, (Obj *)sim->temps);
  for (; sim; sim = NULL)
    for (uint32_t i = 0; i < sim->count; i++) {
      kd_mark_obj(K, (Obj *)sim->inputs[i].range);
      kd_mark_obj(K, (Obj *)sim->inputs[i].chunk);
    }
}

/* The samples of range r in the current chunk: drawn at its first use. */
static ObjSamples *input_samples(KaderState *K, ObjRange *r) {
  KdSim *sim = K->sim;
  SimInput *in = NULL;
  for (uint32_t i = 0; i < sim->count; i++)
    if (sim->inputs[i].range == r) in = &sim->inputs[i];
  if (!in) {
    if (sim->count == sim->cap) {
      uint32_t cap = sim->cap ? sim->cap * 2 : 8;
      sim->inputs = kd_realloc(K, sim->inputs, sizeof(SimInput) * sim->cap,
                               sizeof(SimInput) * cap);
      sim->cap = cap;
    }
    in = &sim->inputs[sim->count];
    in->range = r;
    in->chunk = NULL;
    in->drawn = false;
    in->acc = NULL;
    in->acc_count = 0;
    in->has_edges = false;
    memset(in->count, 0, sizeof in->count);
    in->rng = gsl_rng_alloc(&xoshiro_type);
    if (!in->rng) kd_error(K, "out of memory");
    uint64_t mix = sim->seed ^ (0x9e3779b97f4a7c15ull * (sim->count + 1));
    xoshiro_seed(in->rng->state, splitmix64(&mix));
    sim->count++;
  }
  if (!in->chunk) in->chunk = kd_samples_new(K, CHUNK, r->unit);
  if (!in->drawn) {
    in->chunk->n = sim->chunk_len;
    draw(r, in->rng, &sim->zig, in->chunk->xs, in->chunk->n);
    in->drawn = true;
  }
  return in->chunk;
}

/* ---- arithmetic over samples (arith.c hands over when an operand is
** samples, or a range with a distribution during a simulation) ---- */

typedef struct Column {
  const double *xs; /* NULL: the constant x */
  double x;
  uint32_t n;
  UnitId unit;
  bool samples;     /* from samples (n counts), not a single number */
} Column;

static _Noreturn void gone(KaderState *K) {
  kd_error(K, "these samples were an intermediate result of one chunk of a simulation "
           "and are gone: compute with them inside the function you simulate, or "
           "return them from it");
}

static bool as_column(KaderState *K, Value v, Column *c) {
  if (IS_OBJ_TYPE(v, O_SAMPLES)) {
    ObjSamples *s = (ObjSamples *)v.as.o;
    if (!s->xs) gone(K);
    if (s->constant) *c = (Column){NULL, s->xs[0], s->n, s->unit, true};
    else *c = (Column){s->xs, 0, s->n, s->unit, true};
    return true;
  }
  if (IS_RANGE(v) && AS_RANGE(v)->dist && K->sim) {
    ObjSamples *s = input_samples(K, AS_RANGE(v));
    *c = (Column){s->xs, 0, s->n, s->unit, true};
    return true;
  }
  if (v.type == V_NUM) { *c = (Column){NULL, v.as.n, 1, UNIT_NONE, false}; return true; }
  if (v.type == V_QTY) { *c = (Column){NULL, v.as.n, 1, v.unit, false}; return true; }
  return false;
}

bool kd_is_sampled(KaderState *K, Value v) {
  return IS_OBJ_TYPE(v, O_SAMPLES) || (K->sim && IS_RANGE(v) && AS_RANGE(v)->dist);
}

static _Noreturn void not_sampled(KaderState *K, Value v) {
  char d[128];
  kd_describe(K, v, d, sizeof d);
  if (IS_RANGE(v))
    kd_error(K, "%s has no distribution, so a simulation cannot sample it: give it one "
             "(uniform(lo to hi), pert(lo to hi, mode: m), lognormal(lo to hi))", d);
  kd_error(K, "cannot use %s with samples", d);
}

/* The unit rules of arith.c on one unit of each side: the factors that
** bring a and b into the result, and its unit. */
static UnitId unit_plan(KaderState *K, ArithOp op, UnitId ua, UnitId ub, double *fa,
                        double *fb) {
  Value one_a = ua == UNIT_NONE ? NUM_VAL(1) : QTY_VAL(1, ua);
  Value one_b = ub == UNIT_NONE ? NUM_VAL(1) : QTY_VAL(1, ub);
  if (op == AR_ADD || op == AR_SUB) {
    /* a + b*f: f from 1 b in a's unit (0 + 1 b is 1 b in b's unit when a
    ** is a plain zero; that case has no samples) */
    Value sum = kd_arith(K, AR_ADD, QTY_VAL(0, ua == UNIT_NONE ? ub : ua), one_b);
    *fa = 1;
    *fb = sum.type == V_QTY || sum.type == V_NUM ? sum.as.n : 1;
    return ua == UNIT_NONE ? ub : ua;
  }
  /* * and /: the product of one of each gives the unit and the factor */
  Value r = kd_arith(K, op, one_a, one_b);
  *fa = r.as.n;
  *fb = 1;
  return r.type == V_QTY ? r.unit : UNIT_NONE;
}

Value kd_sample_arith(KaderState *K, ArithOp op, Value a, Value b) {
  Column x, y;
  if (!as_column(K, a, &x)) not_sampled(K, a);
  if (!as_column(K, b, &y)) not_sampled(K, b);
  if (op != AR_ADD && op != AR_SUB && op != AR_MUL && op != AR_DIV)
    kd_error(K, "only + - * / work on samples");
  uint32_t n = x.samples ? x.n : y.n;
  if (x.samples && y.samples && x.n != y.n)
    kd_error(K, "samples of different lengths (%u and %u)", x.n, y.n);
  double fa, fb;
  UnitId unit = unit_plan(K, op, x.unit, y.unit, &fa, &fb);
  const double *xs = x.xs, *ys = y.xs;
  double xc = x.x * fa, yc = y.x * fb;
  if (!xs && !ys) { /* constant samples on both sides */
    double r = op == AR_ADD ? xc + yc : op == AR_SUB ? xc - yc
             : op == AR_MUL ? x.x * y.x * fa : x.x / y.x * fa;
    return OBJ_VAL(constant_samples(K, n, unit, r));
  }
  kd_push_root(K, a);
  kd_push_root(K, b);
  ObjSamples *s = temp_samples(K, n, unit);
  kd_pop_root(K);
  kd_pop_root(K);
  double *out = s->xs;
  switch (op) {
    case AR_ADD:
      for (uint32_t i = 0; i < n; i++) out[i] = (xs ? xs[i] * fa : xc) + (ys ? ys[i] * fb : yc);
      break;
    case AR_SUB:
      for (uint32_t i = 0; i < n; i++) out[i] = (xs ? xs[i] * fa : xc) - (ys ? ys[i] * fb : yc);
      break;
    case AR_MUL:
      for (uint32_t i = 0; i < n; i++) out[i] = (xs ? xs[i] : x.x) * (ys ? ys[i] : y.x) * fa;
      break;
    default:
      for (uint32_t i = 0; i < n; i++) out[i] = (xs ? xs[i] : x.x) / (ys ? ys[i] : y.x) * fa;
      break;
  }
  return OBJ_VAL(s);
}

Value kd_sample_negate(KaderState *K, Value a) {
  return kd_sample_arith(K, AR_SUB, NUM_VAL(0), a);
}

Value kd_sample_convert(KaderState *K, Value v, UnitId to) {
  Column x;
  if (!as_column(K, v, &x) || !x.samples) not_sampled(K, v);
  double f = kd_in_unit(K, x.unit == UNIT_NONE ? NUM_VAL(1) : QTY_VAL(1, x.unit), to);
  if (!x.xs) return OBJ_VAL(constant_samples(K, x.n, to, x.x * f));
  kd_push_root(K, v);
  ObjSamples *s = temp_samples(K, x.n, to);
  kd_pop_root(K);
  for (uint32_t i = 0; i < x.n; i++) s->xs[i] = x.xs[i] * f;
  return OBJ_VAL(s);
}

Value kd_sample_compare(KaderState *K, CompareOp op, Value a, Value b) {
  Column x, y;
  if (!as_column(K, a, &x)) not_sampled(K, a);
  if (!as_column(K, b, &y)) not_sampled(K, b);
  double fa, fb;
  unit_plan(K, AR_SUB, x.unit, y.unit, &fa, &fb);
  uint32_t n = x.samples ? x.n : y.n;
  kd_push_root(K, a);
  kd_push_root(K, b);
  ObjSamples *s = temp_samples(K, n, UNIT_NONE);
  kd_pop_root(K);
  kd_pop_root(K);
  s->indicator = true;
  for (uint32_t i = 0; i < n; i++) {
    double l = (x.xs ? x.xs[i] : x.x) * fa, r = (y.xs ? y.xs[i] : y.x) * fb;
    bool t = op == CMP_LT ? l < r : op == CMP_LE ? l <= r : op == CMP_GT ? l > r : l >= r;
    s->xs[i] = t;
  }
  return OBJ_VAL(s);
}

static int cmp_plain(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* ---- sensitivity: the correlation ratio of each output on each input ---- */

/* The bin of x among an input's edges: how many edges are at or below it,
** found in six steps without a branch to mispredict. */
static int bin_of(const double *edges, double x) {
  int idx = 0;
  for (int step = 32; step > 0; step /= 2) {
    int next = idx + step;
    idx = (next <= BINS - 1 && edges[next - 1] <= x) ? next : idx;
  }
  return idx;
}

/* An input's bin edges: the quantiles of its first chunk, so the bins hold
** about equally many samples whatever the distribution. */
static void set_edges(SimInput *in) {
  uint32_t m = in->chunk->n;
  double *xs = in->chunk->xs;
  double sorted[CHUNK];
  memcpy(sorted, xs, sizeof(double) * m);
  qsort(sorted, m, sizeof(double), cmp_plain);
  for (int e = 0; e < BINS - 1; e++) in->edges[e] = sorted[(uint64_t)m * (e + 1) / BINS];
  in->has_edges = true;
}

/* After a chunk: each output's values (out[k] from at) into the bins of
** every input drawn in the chunk. */
static void accumulate(KaderState *K, KdSim *sim, ObjList *outputs, uint32_t at, uint32_t m) {
  uint32_t outs = outputs->count;
  if (sim->out_count < outs) {
    sim->outs = kd_realloc(K, sim->outs, sizeof(OutStat) * sim->out_count, sizeof(OutStat) * outs);
    for (uint32_t k = sim->out_count; k < outs; k++) {
      ObjSamples *o = (ObjSamples *)outputs->items[k].as.o;
      sim->outs[k] = (OutStat){o->xs[o->constant ? 0 : at], 0, 0, 0};
    }
    sim->out_count = outs;
  }
  for (uint32_t k = 0; k < outs; k++) {
    ObjSamples *o = (ObjSamples *)outputs->items[k].as.o;
    OutStat *st = &sim->outs[k];
    if (o->constant) { /* no spread (around its own value as the shift) */
      st->n += m;
      continue;
    }
    const double *y = o->xs + at;
    for (uint32_t t = 0; t < m; t++) {
      double d = y[t] - st->shift;
      st->sum += d;
      st->sumsq += d * d;
    }
    st->n += m;
  }
  const double *ys[16];
  uint32_t direct = outs < 16 ? outs : 16; /* more outputs: looked up */
  for (uint32_t k = 0; k < direct; k++) {
    ObjSamples *o = (ObjSamples *)outputs->items[k].as.o;
    ys[k] = o->constant ? NULL : o->xs + at;
  }
  unsigned char bins[CHUNK];
  for (uint32_t i = 0; i < sim->count; i++) {
    SimInput *in = &sim->inputs[i];
    if (!in->drawn) continue;
    if (in->acc_count < outs) {
      in->acc = kd_realloc(K, in->acc, sizeof(Acc) * in->acc_count, sizeof(Acc) * outs);
      memset(in->acc + in->acc_count, 0, sizeof(Acc) * (outs - in->acc_count));
      in->acc_count = outs;
    }
    if (!in->has_edges) set_edges(in);
    const double *x = in->chunk->xs;
    for (uint32_t t = 0; t < m; t++) {
      int b = bin_of(in->edges, x[t]);
      bins[t] = (unsigned char)b;
      in->count[b] += 1;
    }
    for (uint32_t k = 0; k < outs; k++) {
      if (((ObjSamples *)outputs->items[k].as.o)->constant) continue;
      const double *y = k < direct ? ys[k] : ((ObjSamples *)outputs->items[k].as.o)->xs + at;
      double shift = sim->outs[k].shift, *sum = in->acc[k].sum;
      for (uint32_t t = 0; t < m; t++) sum[bins[t]] += y[t] - shift;
    }
  }
}

/* Each output's sensitivity: per input the share of the output's variance
** explained by that input alone (the correlation ratio over 50 bins,
** an estimate of the first-order Sobol index), largest first. */
static void finish_sensitivity(KaderState *K, KdSim *sim, ObjList *outputs) {
  for (uint32_t k = 0; k < outputs->count && k < sim->out_count; k++) {
    ObjSamples *o = (ObjSamples *)outputs->items[k].as.o;
    OutStat *st = &sim->outs[k];
    double mean = st->sum / st->n, total = st->sumsq - st->n * mean * mean;
    ObjList *list = list_new(K, sim->count);
    o->sensitivity = OBJ_VAL(list);
    for (uint32_t i = 0; i < sim->count; i++) {
      SimInput *in = &sim->inputs[i];
      if (k >= in->acc_count) continue;
      double between = 0, seen = 0;
      for (int b = 0; b < BINS; b++) {
        double nb = in->count[b];
        if (nb == 0) continue;
        double mb = in->acc[k].sum[b] / nb;
        between += nb * (mb - mean) * (mb - mean);
        seen += nb;
      }
      if (seen < st->n) continue; /* an input of only some chunks */
      /* binning alone explains about (bins - 1) / n of the variance, even
      ** for an input that has no effect: take that off */
      int used = 0;
      for (int b = 0; b < BINS; b++) used += in->count[b] > 0;
      double noise = used > 1 && st->n > used ? (used - 1) * (total - between) / (st->n - used) : 0;
      double share = total > 0 ? (between - noise) / total : 0;
      if (share < 0) share = 0;
      ObjRecord *r = record_new(K);
      kd_push_root(K, OBJ_VAL(r));
      record_put(K, r, "input", OBJ_VAL(in->range));
      record_put(K, r, "share", QTY_VAL(100 * share, kd_percent_unit(K)));
      list_push(K, list, OBJ_VAL(r));
      kd_pop_root(K);
    }
    /* largest first (a few inputs: insertion sort) */
    for (uint32_t a = 1; a < list->count; a++) {
      Value v = list->items[a];
      double sv = AS_RECORD(v)->values[1].as.n;
      uint32_t b = a;
      while (b > 0 && AS_RECORD(list->items[b - 1])->values[1].as.n < sv) {
        list->items[b] = list->items[b - 1];
        b--;
      }
      list->items[b] = v;
    }
  }
}

/* ---- simulate ---- */

typedef struct SimJob {
  Value f;
  Value arg; /* f's argument when argc is 1 (a role or scenario) */
  int argc;
  uint32_t n;
  Value result;      /* the outputs, as f's shape with full samples */
  ObjList *outputs;  /* every full samples object, in order */
  ObjList *keep;     /* holds result (a root) */
} SimJob;

/* A value f gave for one chunk copied into the full outputs at `at`:
** samples, a constant, or records and lists of those. The first chunk
** builds the shape. */
static Value collect(KaderState *K, SimJob *j, Value v, Value into, uint32_t at, uint32_t m,
                     uint32_t *k) {
  if (IS_RECORD(v) && !AS_RECORD(v)->kind) {
    ObjRecord *r = AS_RECORD(v);
    ObjRecord *out = IS_RECORD(into) ? AS_RECORD(into) : NULL;
    if (!out) {
      out = record_new(K);
      kd_push_root(K, OBJ_VAL(out));
      for (uint32_t i = 0; i < r->count; i++) record_set(K, out, r->keys[i], NIL_VAL);
      kd_pop_root(K);
      into = OBJ_VAL(out);
    }
    kd_push_root(K, into);
    for (uint32_t i = 0; i < r->count; i++) {
      int slot = record_find(out, r->keys[i]);
      if (slot < 0) kd_error(K, "simulate: each run must give the same fields");
      Value part = collect(K, j, r->values[i], out->values[slot], at, m, k);
      out->values[slot] = part;
    }
    kd_pop_root(K);
    return into;
  }
  Column c;
  if (IS_RANGE(v) && !AS_RANGE(v)->dist) {
    char d[128];
    kd_describe(K, v, d, sizeof d);
    kd_error(K, "simulate: the result %s is a range without a distribution: give the ranges "
             "it is computed from one (uniform(lo to hi), pert(lo to hi, mode: m), "
             "lognormal(lo to hi))", d);
  }
  if (!as_column(K, v, &c)) {
    char d[128];
    kd_describe(K, v, d, sizeof d);
    kd_error(K, "simulate: the function gives %s; it must give an amount (or a record of "
             "amounts) computed from ranges with a distribution", d);
  }
  ObjSamples *full;
  if (IS_OBJ_TYPE(into, O_SAMPLES)) {
    full = (ObjSamples *)into.as.o;
  } else if (!c.xs) {
    /* a constant so far: one value, until a chunk gives another */
    full = constant_samples(K, j->n, c.unit, c.x);
    full->indicator = IS_OBJ_TYPE(v, O_SAMPLES) && ((ObjSamples *)v.as.o)->indicator;
    kd_push_root(K, OBJ_VAL(full));
    list_push(K, j->outputs, OBJ_VAL(full));
    kd_pop_root(K);
    (*k)++;
    return OBJ_VAL(full);
  } else {
    full = kd_samples_new(K, j->n, c.unit);
    full->indicator = IS_OBJ_TYPE(v, O_SAMPLES) && ((ObjSamples *)v.as.o)->indicator;
    kd_push_root(K, OBJ_VAL(full));
    list_push(K, j->outputs, OBJ_VAL(full));
    kd_pop_root(K);
    into = OBJ_VAL(full);
  }
  double f = 1;
  if (c.unit != full->unit)
    f = kd_in_unit(K, c.unit == UNIT_NONE ? NUM_VAL(1) : QTY_VAL(1, c.unit), full->unit);
  if (full->constant) {
    if (!c.xs && c.x * f == full->xs[0]) {
      (*k)++;
      return into;
    }
    /* it varies after all: every sample from here on, the earlier ones
    ** the constant they were */
    double before = full->xs[0];
    double *xs = KD_ALLOC(K, double, j->n);
    kd_realloc(K, full->xs, sizeof(double) * full->cap, 0);
    full->xs = xs;
    full->cap = j->n;
    full->constant = false;
    for (uint32_t i = 0; i < at; i++) xs[i] = before;
  }
  if (c.xs && f == 1) memcpy(full->xs + at, c.xs, sizeof(double) * m);
  else for (uint32_t i = 0; i < m; i++) full->xs[at + i] = (c.xs ? c.xs[i] : c.x) * f;
  (*k)++;
  return into;
}

static void sim_job(KaderState *K, void *ud) {
  SimJob *j = ud;
  for (uint32_t at = 0; at < j->n; at += CHUNK) {
    uint32_t m = j->n - at < CHUNK ? j->n - at : CHUNK;
    KdSim *sim = K->sim;
    sim->chunk_len = m;
    for (uint32_t i = 0; i < sim->count; i++) sim->inputs[i].drawn = false;
    Value v = IS_RANGE(j->f) ? j->f : kd_call(K, j->f, j->argc, &j->arg);
    uint32_t k = 0;
    kd_push_root(K, v);
    j->result = collect(K, j, v, j->result, at, m, &k);
    kd_pop_root(K);
    /* the result (a record of the outputs) lives through the next chunk's
    ** collections */
    if (j->keep->count == 0) list_push(K, j->keep, j->result);
    else j->keep->items[0] = j->result;
    if (at < SENS_SAMPLES) accumulate(K, sim, j->outputs, at, m);
    end_chunk(sim);
  }
  finish_sensitivity(K, K->sim, j->outputs);
}

static void free_sim(KaderState *K, KdSim *sim) {
  for (uint32_t i = 0; i < sim->count; i++) {
    gsl_rng_free(sim->inputs[i].rng);
    kd_realloc(K, sim->inputs[i].acc, sizeof(Acc) * sim->inputs[i].acc_count, 0);
  }
  kd_realloc(K, sim->inputs, sizeof(SimInput) * sim->cap, 0);
  kd_realloc(K, sim->outs, sizeof(OutStat) * sim->out_count, 0);
  if (sim->temps) end_chunk(sim);
  for (uint32_t i = 0; i < sim->pool_count; i++)
    if (sim->pool[i]) kd_realloc(K, sim->pool[i], sizeof(double) * CHUNK, 0);
  kd_realloc(K, sim->pool, sizeof(double *) * sim->pool_count, 0);
}

/* simulate(f, n: N, seed: S): f() sampled N times (default 10 000, seed 1),
** as f's value with samples in place of each amount. */
static Value c_simulate(KaderState *K, int argc, Value *args) {
  Value f = args[0];
  double n = 10000, seed = 1;
  if (argc > 1 && !IS_NIL(args[1])) {
    if (!IS_RECORD(args[1])) kd_arg_error(K, "simulate", 2, "options (n: 10000, seed: 1)", args[1]);
    ObjRecord *o = AS_RECORD(args[1]);
    for (uint32_t i = 0; i < o->count; i++) {
      const char *key = o->keys[i]->chars;
      Value v = o->values[i];
      if (strcmp(key, "n") == 0) {
        if (v.type != V_NUM || v.as.n != floor(v.as.n) || v.as.n < 1 || v.as.n > MAX_SAMPLES)
          kd_error(K, "simulate: n is a whole number of samples from 1 to %d", MAX_SAMPLES);
        n = v.as.n;
      } else if (strcmp(key, "seed") == 0) {
        if (v.type != V_NUM || v.as.n != floor(v.as.n) || v.as.n < 0 || v.as.n > 9007199254740992.0)
          kd_error(K, "simulate: seed is a whole number from 0 to 2^53");
        seed = v.as.n;
      } else {
        kd_error(K, "simulate: there is no option '%s' (n, seed)", key);
      }
    }
  }
  if (K->sim) kd_error(K, "simulate: a simulation is already running");
  Value arg = NIL_VAL;
  int fargc = 0;
  if (IS_RECORD(f) && AS_RECORD(f)->kind) {
    /* a role or scenario: its totals (_role_job, stdlib/uncertainty.kader) */
    const char *kind = AS_RECORD(f)->kind->name->chars;
    if (strcmp(kind, "role") != 0 && strcmp(kind, "scenario") != 0)
      kd_arg_error(K, "simulate", 1, "a function, a role or a scenario", f);
    ObjString *name = str_cstr(K, "_role_job");
    uint32_t slot;
    if (!imap_get(&K->global_index, name, &slot)) kd_error(K, "simulate: _role_job is missing");
    f = kd_call(K, K->globals[slot], 1, &f); /* the function to run per chunk */
  } else if (IS_RANGE(f)) {
    if (!AS_RANGE(f)->dist) not_sampled(K, f);
  } else if (!IS_OBJ_TYPE(f, O_CLOSURE) && !IS_OBJ_TYPE(f, O_NATIVE)) {
    kd_arg_error(K, "simulate", 1, "a function (fn () => ...), a role or a range with a distribution", f);
  }
  KdSim sim = {(uint64_t)seed, 0, NULL, 0, 0, NULL, 0, NULL, 0, 0, NULL, zig_table()};
  SimJob job = {f, arg, fargc, (uint32_t)n, NIL_VAL, NULL, NULL};
  kd_push_root(K, f); /* _role_job's function is held here only */
  job.outputs = list_new(K, 4);
  kd_push_root(K, OBJ_VAL(job.outputs));
  job.keep = list_new(K, 1);
  kd_push_root(K, OBJ_VAL(job.keep));
  sim.temps = list_new(K, 16);
  kd_push_root(K, OBJ_VAL(sim.temps));
  K->sim = &sim;
  KaderResult r = kd_protect(K, sim_job, &job);
  K->sim = NULL;
  free_sim(K, &sim);
  kd_pop_root(K);
  kd_pop_root(K);
  kd_pop_root(K);
  kd_pop_root(K);
  if (r != KADER_OK) kd_rethrow(K, r);
  return job.result;
}

/* ---- constructors ---- */

static double amount(KaderState *K, const char *fn, int i, Value v, UnitId *unit) {
  if (v.type == V_NUM) { *unit = UNIT_NONE; return v.as.n; }
  if (v.type == V_QTY) { *unit = v.unit; return v.as.n; }
  kd_arg_error(K, fn, i, "a number or an amount", v);
}

static ObjRange *range_arg(KaderState *K, const char *fn, int i, Value v) {
  if (!IS_RANGE(v)) kd_arg_error(K, fn, i, "a range (lo to hi)", v);
  return AS_RANGE(v);
}

/* The option `name` of the last argument (a record of named arguments), or
** the positional argument at i. */
static Value option(int argc, Value *args, int i, const char *name) {
  if (argc > 0 && IS_RECORD(args[argc - 1]) && !AS_RECORD(args[argc - 1])->kind) {
    ObjRecord *o = AS_RECORD(args[argc - 1]);
    for (uint32_t k = 0; k < o->count; k++)
      if (strcmp(o->keys[k]->chars, name) == 0) return o->values[k];
    if (i == argc - 1) return UNDEF_VAL;
  }
  return i < argc ? args[i] : UNDEF_VAL;
}

static ObjRange *with_dist(KaderState *K, double lo, double hi, UnitId unit, int dist,
                           double p0, double p1, double p2) {
  ObjRange *r = range_new(K, lo, hi, unit);
  r->dist = (uint8_t)dist;
  r->p[0] = p0;
  r->p[1] = p1;
  r->p[2] = p2;
  r->p[3] = dist == DIST_BETA ? 100 : 1;
  return r;
}

/* A mode given in the range's unit, inside the range. */
static double mode_in(KaderState *K, const char *fn, ObjRange *r, Value m) {
  if (m.type == V_UNDEF) kd_error(K, "%s: give the most likely value: %s(lo to hi, mode: m)", fn, fn);
  UnitId u;
  double x = amount(K, fn, 2, m, &u);
  if (u != r->unit) x = kd_in_unit(K, m, r->unit);
  if (x < r->lo || x > r->hi) {
    char ms[64], rs[128];
    kd_describe(K, m, ms, sizeof ms);
    kd_describe(K, OBJ_VAL(r), rs, sizeof rs);
    kd_error(K, "%s: the mode %s is outside the range %s", fn, ms, rs);
  }
  return x;
}

static Value c_uniform(KaderState *K, int argc, Value *args) {
  (void)argc;
  ObjRange *r = range_arg(K, "uniform", 1, args[0]);
  return OBJ_VAL(with_dist(K, r->lo, r->hi, r->unit, DIST_UNIFORM, 0, 0, 0));
}

static Value c_triangular(KaderState *K, int argc, Value *args) {
  ObjRange *r = range_arg(K, "triangular", 1, args[0]);
  double m = mode_in(K, "triangular", r, option(argc, args, 1, "mode"));
  return OBJ_VAL(with_dist(K, r->lo, r->hi, r->unit, DIST_TRIANGULAR, m, 0, 0));
}

static Value c_pert(KaderState *K, int argc, Value *args) {
  ObjRange *r = range_arg(K, "pert", 1, args[0]);
  double m = mode_in(K, "pert", r, option(argc, args, 1, "mode"));
  if (r->hi == r->lo) kd_error(K, "pert: the range is a single value; PERT needs lo < hi");
  return OBJ_VAL(with_dist(K, r->lo, r->hi, r->unit, DIST_PERT, m, 0, 0));
}

/* normal(lo to hi): the 90% interval; normal(mean: m, sd: s) */
static Value c_normal(KaderState *K, int argc, Value *args) {
  if (IS_RANGE(args[0])) {
    ObjRange *r = AS_RANGE(args[0]);
    double mu = (r->lo + r->hi) / 2, sd = (r->hi - r->lo) / (2 * Z95);
    return OBJ_VAL(with_dist(K, r->lo, r->hi, r->unit, DIST_NORMAL, mu, sd, 0));
  }
  Value mv = option(argc, args, 0, "mean"), sv = option(argc, args, 1, "sd");
  if (mv.type == V_UNDEF || sv.type == V_UNDEF)
    kd_error(K, "normal: give the 90%% interval (normal(lo to hi)) or normal(mean: m, sd: s)");
  UnitId u, su;
  double mu = amount(K, "normal", 1, mv, &u), sd = amount(K, "normal", 2, sv, &su);
  if (su != u) sd = kd_in_unit(K, sv, u);
  if (sd < 0 || !isfinite(sd)) kd_error(K, "normal: the standard deviation cannot be negative");
  return OBJ_VAL(with_dist(K, mu - Z95 * sd, mu + Z95 * sd, u, DIST_NORMAL, mu, sd, 0));
}

/* lognormal(lo to hi): lo and hi are its 5th and 95th percentiles */
static Value c_lognormal(KaderState *K, int argc, Value *args) {
  (void)argc;
  ObjRange *r = range_arg(K, "lognormal", 1, args[0]);
  if (r->lo <= 0)
    kd_error(K, "lognormal: the range must be above 0 (a lognormal amount is never 0 or less)");
  double mu = (log(r->lo) + log(r->hi)) / 2, sigma = (log(r->hi) - log(r->lo)) / (2 * Z95);
  return OBJ_VAL(with_dist(K, r->lo, r->hi, r->unit, DIST_LOGNORMAL, mu, sigma, 0));
}

static double whole(KaderState *K, const char *fn, const char *what, Value v) {
  if (v.type != V_NUM || v.as.n != floor(v.as.n) || v.as.n < 0 || v.as.n > 4294967295.0) {
    char d[64];
    kd_describe(K, v, d, sizeof d);
    kd_error(K, "%s: %s must be a whole number, not %s", fn, what, d);
  }
  return v.as.n;
}

/* beta_share(x, n): a share measured as x of n, as Beta(x + 1, n - x + 1) in % */
static Value c_beta_share(KaderState *K, int argc, Value *args) {
  (void)argc;
  double x = whole(K, "beta_share", "the count", args[0]);
  double n = whole(K, "beta_share", "n", args[1]);
  if (x > n) kd_error(K, "beta_share: the count %g is more than n = %g", x, n);
  double a = x + 1, b = n - x + 1;
  double lo = 100 * gsl_cdf_beta_Pinv(0.05, a, b), hi = 100 * gsl_cdf_beta_Pinv(0.95, a, b);
  return OBJ_VAL(with_dist(K, lo, hi, kd_percent_unit(K), DIST_BETA, a, b, 0));
}

static double probability(KaderState *K, const char *fn, Value v) {
  double p;
  if (v.type == V_QTY) p = kd_in_unit(K, v, UNIT_NONE);
  else if (v.type == V_NUM) p = v.as.n;
  else kd_arg_error(K, fn, 2, "a probability (0 to 1, or a percentage)", v);
  if (!(p >= 0 && p <= 1)) kd_error(K, "%s: the probability must be from 0 to 1 (0%% to 100%%)", fn);
  return p;
}

static Value c_binomial(KaderState *K, int argc, Value *args) {
  double n = whole(K, "binomial", "n", option(argc, args, 0, "n"));
  double p = probability(K, "binomial", option(argc, args, 1, "p"));
  return OBJ_VAL(with_dist(K, 0, n, UNIT_NONE, DIST_BINOMIAL, n, p, 0));
}

static double positive(KaderState *K, const char *fn, const char *what, Value v) {
  if (v.type != V_NUM || !(v.as.n > 0) || !isfinite(v.as.n)) kd_error(K, "%s: %s must be a number above 0", fn, what);
  return v.as.n;
}

static Value c_beta_binomial(KaderState *K, int argc, Value *args) {
  double n = whole(K, "beta_binomial", "n", option(argc, args, 0, "n"));
  double a = positive(K, "beta_binomial", "a", option(argc, args, 1, "a"));
  double b = positive(K, "beta_binomial", "b", option(argc, args, 2, "b"));
  return OBJ_VAL(with_dist(K, 0, n, UNIT_NONE, DIST_BETA_BINOMIAL, n, a, b));
}

static Value c_hypergeometric(KaderState *K, int argc, Value *args) {
  double pop = whole(K, "hypergeometric", "the population", option(argc, args, 0, "population"));
  double succ = whole(K, "hypergeometric", "the successes", option(argc, args, 1, "successes"));
  double draws = whole(K, "hypergeometric", "the draws", option(argc, args, 2, "draws"));
  if (succ > pop || draws > pop)
    kd_error(K, "hypergeometric: successes and draws cannot be more than the population (%g)", pop);
  double lo = draws - (pop - succ) > 0 ? draws - (pop - succ) : 0;
  double hi = draws < succ ? draws : succ;
  return OBJ_VAL(with_dist(K, lo, hi, UNIT_NONE, DIST_HYPERGEOMETRIC, pop, succ, draws));
}

/* distribution(x): the name of a range's distribution, or nil */
static Value c_distribution(KaderState *K, int argc, Value *args) {
  (void)argc;
  if (!IS_RANGE(args[0]) || !AS_RANGE(args[0])->dist) return NIL_VAL;
  return OBJ_VAL(str_cstr(K, kd_dist_name(AS_RANGE(args[0])->dist)));
}

/* ---- statistics of samples ---- */

static ObjSamples *samples_arg(KaderState *K, const char *fn, int i, Value v) {
  if (!IS_OBJ_TYPE(v, O_SAMPLES)) kd_arg_error(K, fn, i, "samples (what simulate gives)", v);
  if (!((ObjSamples *)v.as.o)->xs) gone(K);
  return (ObjSamples *)v.as.o;
}

static Value in_unit(ObjSamples *s, double x) {
  return s->unit == UNIT_NONE ? NUM_VAL(x) : QTY_VAL(x, s->unit);
}

/* The sum of xs in blocks of 4096 (each summed in four lanes the compiler
** can vectorize), the blocks added up: the rounding error grows with the
** number of blocks, not of samples. */
static double block_sum(const double *xs, uint32_t n) {
  double total = 0;
  for (uint32_t at = 0; at < n; at += 4096) {
    uint32_t end = n - at < 4096 ? n : at + 4096;
    double lane[4] = {0, 0, 0, 0};
    uint32_t i = at;
    for (; i + 4 <= end; i += 4) {
      lane[0] += xs[i];
      lane[1] += xs[i + 1];
      lane[2] += xs[i + 2];
      lane[3] += xs[i + 3];
    }
    for (; i < end; i++) lane[0] += xs[i];
    total += (lane[0] + lane[1]) + (lane[2] + lane[3]);
  }
  return total;
}

static Value c_samples_mean(KaderState *K, int argc, Value *args) {
  (void)argc;
  ObjSamples *s = samples_arg(K, "samples_mean", 1, args[0]);
  if (s->constant) return in_unit(s, s->xs[0]);
  return in_unit(s, block_sum(s->xs, s->n) / s->n);
}

static Value c_samples_sd(KaderState *K, int argc, Value *args) {
  (void)argc;
  ObjSamples *s = samples_arg(K, "samples_sd", 1, args[0]);
  if (s->n < 2) return NIL_VAL;
  if (s->constant) return in_unit(s, 0);
  double m = block_sum(s->xs, s->n) / s->n;
  double ss = 0;
  for (uint32_t i = 0; i < s->n; i++) ss += (s->xs[i] - m) * (s->xs[i] - m);
  return in_unit(s, sqrt(ss / (s->n - 1)));
}

/* Puts the k-th smallest of xs[lo..hi] at xs[k], smaller ones before it and
** larger after (quickselect, median of three): linear on average, so the
** percentiles of a million samples need no sort. */
static void select_kth(double *xs, uint32_t lo, uint32_t hi, uint32_t k) {
  while (hi > lo) {
    uint32_t mid = lo + (hi - lo) / 2;
    double a = xs[lo], b = xs[mid], c = xs[hi];
    double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
    uint32_t i = lo, j = hi;
    while (i <= j) {
      while (xs[i] < pivot) i++;
      while (xs[j] > pivot) j--;
      if (i <= j) {
        double t = xs[i];
        xs[i] = xs[j];
        xs[j] = t;
        i++;
        if (j == 0) break;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

#define HIST_BINS 4096

/* The order statistics ranks[0..count) (0-based, ascending) of xs, into
** got: one pass counts the values in 4096 equal bins between the minimum
** and the maximum, a second gathers only the values in the bins that hold
** a wanted rank, and quickselect finds the rank among those. No copy of
** the samples is made unless the wanted bins hold most of them. */
static void order_statistics(KaderState *K, const double *xs, uint32_t n,
                             const uint32_t *ranks, uint32_t count, double *got) {
  double lo = xs[0], hi = xs[0];
  for (uint32_t i = 1; i < n; i++) {
    if (xs[i] < lo) lo = xs[i];
    if (xs[i] > hi) hi = xs[i];
  }
  if (!(hi > lo) || !isfinite(hi - lo)) { /* all equal (or not finite): a plain copy */
    double *all = KD_ALLOC(K, double, n);
    memcpy(all, xs, sizeof(double) * n);
    for (uint32_t k = 0; k < count; k++) {
      select_kth(all, 0, n - 1, ranks[k]);
      got[k] = all[ranks[k]];
    }
    kd_realloc(K, all, sizeof(double) * n, 0);
    return;
  }
  double scale = HIST_BINS / (hi - lo);
  uint32_t *hist = KD_ALLOC(K, uint32_t, HIST_BINS);
  memset(hist, 0, sizeof(uint32_t) * HIST_BINS);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t b = (uint32_t)((xs[i] - lo) * scale);
    hist[b < HIST_BINS ? b : HIST_BINS - 1]++;
  }
  /* per wanted rank: its bin, and the rank within that bin */
  uint32_t *bin_of_rank = KD_ALLOC(K, uint32_t, count * 2);
  uint64_t below = 0;
  uint32_t bin = 0, gather = 0, last_bin = HIST_BINS;
  for (uint32_t k = 0; k < count; k++) {
    while (below + hist[bin] <= ranks[k]) below += hist[bin++];
    bin_of_rank[2 * k] = bin;
    bin_of_rank[2 * k + 1] = (uint32_t)(ranks[k] - below);
    if (bin != last_bin) gather += hist[bin];
    last_bin = bin;
  }
  double *buf = KD_ALLOC(K, double, gather);
  /* the start of each wanted bin's values in buf */
  uint32_t *start = KD_ALLOC(K, uint32_t, HIST_BINS);
  memset(start, 0xff, sizeof(uint32_t) * HIST_BINS);
  uint32_t at = 0;
  for (uint32_t k = 0; k < count; k++) {
    uint32_t b = bin_of_rank[2 * k];
    if (start[b] == UINT32_MAX) {
      start[b] = at;
      at += hist[b];
    }
  }
  uint32_t *fill = KD_ALLOC(K, uint32_t, HIST_BINS);
  memcpy(fill, start, sizeof(uint32_t) * HIST_BINS);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t b = (uint32_t)((xs[i] - lo) * scale);
    if (b >= HIST_BINS) b = HIST_BINS - 1;
    if (start[b] != UINT32_MAX) buf[fill[b]++] = xs[i];
  }
  for (uint32_t k = 0; k < count; k++) {
    uint32_t b = bin_of_rank[2 * k], first = start[b];
    select_kth(buf, first, first + hist[b] - 1, first + bin_of_rank[2 * k + 1]);
    got[k] = buf[first + bin_of_rank[2 * k + 1]];
  }
  kd_realloc(K, fill, sizeof(uint32_t) * HIST_BINS, 0);
  kd_realloc(K, start, sizeof(uint32_t) * HIST_BINS, 0);
  kd_realloc(K, buf, sizeof(double) * (gather ? gather : 0), 0);
  kd_realloc(K, bin_of_rank, sizeof(uint32_t) * count * 2, 0);
  kd_realloc(K, hist, sizeof(uint32_t) * HIST_BINS, 0);
}

typedef struct Wanted { double p; uint32_t at; } Wanted;

static int by_p(const void *a, const void *b) {
  double x = ((const Wanted *)a)->p, y = ((const Wanted *)b)->p;
  return (x > y) - (x < y);
}

/* percentiles(s, [5, 50, 95]): the percentiles (type 7: linear between
** the order statistics around (n - 1) p / 100, as R and NumPy by default). */
static Value c_percentiles(KaderState *K, int argc, Value *args) {
  (void)argc;
  ObjSamples *s = samples_arg(K, "percentiles", 1, args[0]);
  if (!IS_LIST(args[1])) kd_arg_error(K, "percentiles", 2, "a list of percentages", args[1]);
  ObjList *ps = AS_LIST(args[1]);
  uint32_t count = ps->count, slots = count ? count : 1;
  Wanted *want = KD_ALLOC(K, Wanted, slots);
  for (uint32_t k = 0; k < count; k++) {
    Value pv = ps->items[k];
    double p = pv.type == V_QTY && units_is_percent(K->units, pv.unit) ? pv.as.n
               : pv.type == V_NUM ? pv.as.n : -1;
    if (!(p >= 0 && p <= 100)) {
      kd_realloc(K, want, sizeof(Wanted) * slots, 0);
      kd_error(K, "percentiles: a percentile is a number from 0 to 100 (5, 50, 95)");
    }
    want[k] = (Wanted){p, k};
  }
  qsort(want, count, sizeof(Wanted), by_p);
  /* each percentile needs the order statistics floor(h) and the next */
  uint32_t *ranks = KD_ALLOC(K, uint32_t, 2 * slots);
  double *stats = KD_ALLOC(K, double, 2 * slots);
  for (uint32_t k = 0; k < count; k++) {
    double h = (s->n - 1) * want[k].p / 100;
    uint32_t i = (uint32_t)floor(h);
    ranks[2 * k] = i;
    ranks[2 * k + 1] = i + 1 < s->n ? i + 1 : i;
  }
  if (count && s->constant) for (uint32_t k = 0; k < 2 * count; k++) stats[k] = s->xs[0];
  else if (count) order_statistics(K, s->xs, s->n, ranks, 2 * count, stats);
  double *got = KD_ALLOC(K, double, slots);
  for (uint32_t k = 0; k < count; k++) {
    double h = (s->n - 1) * want[k].p / 100;
    double frac = h - floor(h);
    got[want[k].at] = stats[2 * k] + frac * (stats[2 * k + 1] - stats[2 * k]);
  }
  kd_realloc(K, ranks, sizeof(uint32_t) * 2 * slots, 0);
  kd_realloc(K, stats, sizeof(double) * 2 * slots, 0);
  kd_realloc(K, want, sizeof(Wanted) * slots, 0);
  ObjList *out = list_new(K, count);
  kd_push_root(K, OBJ_VAL(out));
  for (uint32_t k = 0; k < count; k++) list_push(K, out, in_unit(s, got[k]));
  kd_pop_root(K);
  kd_realloc(K, got, sizeof(double) * slots, 0);
  return OBJ_VAL(out);
}

/* p(s > x): the share of samples for which a comparison holds, in % */
static Value c_chance(KaderState *K, int argc, Value *args) {
  (void)argc;
  ObjSamples *s = samples_arg(K, "p", 1, args[0]);
  if (!s->indicator) kd_error(K, "p: give a comparison of samples, as p(kosten > € 100000)");
  double k = 0;
  if (s->constant) k = s->xs[0] * s->n;
  else for (uint32_t i = 0; i < s->n; i++) k += s->xs[i];
  return QTY_VAL(100 * k / s->n, kd_percent_unit(K));
}

static Value c_sample_count(KaderState *K, int argc, Value *args) {
  (void)argc;
  return NUM_VAL(samples_arg(K, "sample_count", 1, args[0])->n);
}

/* sample_values(s, from, count): samples as a list (for tests and tables) */
static Value c_sample_values(KaderState *K, int argc, Value *args) {
  (void)argc;
  ObjSamples *s = samples_arg(K, "sample_values", 1, args[0]);
  double from = whole(K, "sample_values", "the first position", args[1]);
  double count = whole(K, "sample_values", "the count", args[2]);
  if (from < 1 || from + count - 1 > s->n) kd_error(K, "sample_values: only %u samples", s->n);
  ObjList *out = list_new(K, (uint32_t)count);
  kd_push_root(K, OBJ_VAL(out));
  for (uint32_t i = 0; i < (uint32_t)count; i++) list_push(K, out, in_unit(s, s->xs[s->constant ? 0 : (uint32_t)from - 1 + i]));
  kd_pop_root(K);
  return OBJ_VAL(out);
}

/* histogram_counts(s, lo, step, k): samples per bin [lo + i step, lo +
** (i + 1) step), the tails counted in the first and the last bin. */
static Value c_histogram_counts(KaderState *K, int argc, Value *args) {
  (void)argc;
  ObjSamples *s = samples_arg(K, "histogram_counts", 1, args[0]);
  UnitId u;
  double lo = amount(K, "histogram_counts", 2, args[1], &u);
  double step = amount(K, "histogram_counts", 3, args[2], &u);
  double k = whole(K, "histogram_counts", "the number of bins", args[3]);
  if (k < 1 || k > 1000 || !(step > 0)) kd_error(K, "histogram_counts: 1 to 1000 bins of a positive width");
  uint32_t bins = (uint32_t)k;
  double *counts = KD_ALLOC(K, double, bins);
  memset(counts, 0, sizeof(double) * bins);
  for (uint32_t i = 0; i < s->n; i++) {
    double b = floor((s->xs[s->constant ? 0 : i] - lo) / step);
    uint32_t at = b < 0 ? 0 : b >= bins ? bins - 1 : (uint32_t)b;
    counts[at] += 1;
  }
  ObjList *out = list_new(K, bins);
  kd_push_root(K, OBJ_VAL(out));
  for (uint32_t i = 0; i < bins; i++) list_push(K, out, NUM_VAL(counts[i]));
  kd_pop_root(K);
  kd_realloc(K, counts, sizeof(double) * bins, 0);
  return OBJ_VAL(out);
}

static Value c_sensitivity(KaderState *K, int argc, Value *args) {
  (void)argc;
  ObjSamples *s = samples_arg(K, "sensitivity", 1, args[0]);
  if (IS_NIL(s->sensitivity))
    kd_error(K, "sensitivity: give an output of simulate (these samples were computed from others)");
  return s->sensitivity;
}

static Value c_same(KaderState *K, int argc, Value *args) {
  (void)K;
  (void)argc;
  if (args[0].type != args[1].type) return BOOL_VAL(false);
  if (args[0].type == V_OBJ) return BOOL_VAL(args[0].as.o == args[1].as.o);
  return BOOL_VAL(kd_equal(K, args[0], args[1]));
}

void kd_xoshiro_reference(uint64_t state[4], uint64_t *out, int n) {
  Xoshiro x;
  memcpy(x.s, state, sizeof x.s);
  for (int i = 0; i < n; i++) out[i] = xoshiro_next(&x);
}

void kd_open_montecarlo(KaderState *K) {
  kd_define_native(K, "simulate", c_simulate, 1, 2,
                   "simulate(f, n: 10000, seed: 1): f() with every range that has a "
                   "distribution sampled n times; amounts become samples.");
  kd_define_native(K, "uniform", c_uniform, 1, 1, "uniform(lo to hi): every value equally likely.");
  kd_define_native(K, "triangular", c_triangular, 2, 2,
                   "triangular(lo to hi, mode: m): the triangle from lo to hi, highest at m.");
  kd_define_native(K, "pert", c_pert, 2, 2,
                   "pert(lo to hi, mode: m): an expert's minimum, most likely and maximum "
                   "(a beta distribution, smoother than triangular).");
  kd_define_native(K, "normal", c_normal, 1, 2,
                   "normal(lo to hi): the normal with lo to hi as its 90% interval; "
                   "normal(mean: m, sd: s).");
  kd_define_native(K, "lognormal", c_lognormal, 1, 1,
                   "lognormal(lo to hi): the lognormal with lo to hi as its 90% interval "
                   "(costs with a long tail).");
  kd_define_native(K, "beta_share", c_beta_share, 2, 2,
                   "beta_share(x, n): a share measured as x of n: Beta(x + 1, n - x + 1), in %.");
  kd_define_native(K, "binomial", c_binomial, 1, 2, "binomial(n, p): successes in n tries.");
  kd_define_native(K, "beta_binomial", c_beta_binomial, 1, 3,
                   "beta_binomial(n, a, b): binomial with a Beta(a, b) chance.");
  kd_define_native(K, "hypergeometric", c_hypergeometric, 1, 3,
                   "hypergeometric(population, successes, draws): successes among draws "
                   "without replacement from a finite population (the 12 provinces).");
  kd_define_native(K, "distribution", c_distribution, 1, 1,
                   "distribution(x): the name of a range's distribution, or nil.");
  kd_define_native(K, "samples_mean", c_samples_mean, 1, 1, "samples_mean(s): the mean of samples.");
  kd_define_native(K, "samples_sd", c_samples_sd, 1, 1,
                   "samples_sd(s): the standard deviation of samples (n - 1).");
  kd_define_native(K, "percentiles", c_percentiles, 2, 2,
                   "percentiles(s, [5, 50, 95]): percentiles of samples.");
  kd_define_native(K, "p", c_chance, 1, 1,
                   "p(s > x): how often a comparison of samples holds, in %.");
  kd_define_native(K, "sample_count", c_sample_count, 1, 1, "sample_count(s): how many samples.");
  kd_define_native(K, "histogram_counts", c_histogram_counts, 4, 4,
                   "histogram_counts(s, lo, step, k): samples per bin from lo, k bins of "
                   "width step, tails in the first and last.");
  kd_define_native(K, "sensitivity", c_sensitivity, 1, 1,
                   "sensitivity(s): for an output of simulate, each input's share of its "
                   "variance (first-order, by the correlation ratio), largest first.");
  kd_define_native(K, "same", c_same, 2, 2,
                   "same(a, b): whether a and b are the very same object (not just equal).");
  kd_define_native(K, "sample_values", c_sample_values, 3, 3,
                   "sample_values(s, from, count): samples as a list.");
}

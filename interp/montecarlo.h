/*
** montecarlo.h — distributions on ranges, simulate and samples
** (montecarlo.c), for arith.c, the VM and the collector.
*/
#ifndef KADER_MONTECARLO_H
#define KADER_MONTECARLO_H

#include "vm.h"

struct KaderState;
typedef struct KdSim KdSim;

/* Is v samples, or a range with a distribution while a simulation runs? */
bool kd_is_sampled(struct KaderState *K, Value v);
bool kd_sim_active(struct KaderState *K);
/* Arithmetic, negation, conversion and comparison where an operand is
** sampled: over whole arrays, with arith.c's unit rules. */
Value kd_sample_arith(struct KaderState *K, ArithOp op, Value a, Value b);
Value kd_sample_negate(struct KaderState *K, Value a);
Value kd_sample_convert(struct KaderState *K, Value v, UnitId to);
Value kd_sample_compare(struct KaderState *K, CompareOp op, Value a, Value b);
ObjSamples *kd_samples_new(struct KaderState *K, uint32_t n, UnitId unit);
/* The running simulation's inputs are roots. */
void kd_sim_mark(struct KaderState *K);
const char *kd_dist_name(int dist);
UnitId kd_percent_unit(struct KaderState *K);
/* to: from's distribution in a unit f times smaller (to's lo and hi are
** already scaled), so `pert(...) in h/week` keeps its distribution. */
void kd_scale_dist(ObjRange *to, const ObjRange *from, double f);
void kd_open_montecarlo(struct KaderState *K);
/* n outputs of xoshiro256** from state (for the generator's unit test). */
void kd_xoshiro_reference(uint64_t state[4], uint64_t *out, int n);

#endif

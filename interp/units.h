/*
** units.h — the unit algebra: named units, unit expressions, conversion.
**
** A unit expression (h/week, €/year, fte) is interned in a UnitTable and
** named by a UnitId, so a quantity is just a double plus a 32-bit id and
** "same unit" is an integer compare. Named units are either base units
** (h, week, €) or defined as factor × another unit expression
** (quarter = 13 week, fte = 36 h/week). Definitions may change while a
** program runs (a model overrides a stdlib convention), so conversions always
** consult the current definitions.
*/
#ifndef KADER_UNITS_H
#define KADER_UNITS_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t UnitId;
#define UNIT_NONE 0u /* a plain number */

typedef enum {
  UNIT_OK = 0,
  UNIT_INCOMPATIBLE, /* the two units measure different things */
  UNIT_PENDING,      /* a name is declared but has no definition yet */
  UNIT_CYCLE         /* a definition refers to itself */
} UnitStatus;

/* Memory for the table. Must never return NULL for a non-zero new_size (the
** interpreter's version raises "out of memory" with a longjmp instead). */
typedef void *(*UnitReallocFn)(void *ud, void *ptr, size_t old_size,
                               size_t new_size);

typedef struct UnitTable UnitTable;

UnitTable *units_new(UnitReallocFn realloc_fn, void *ud);
void units_free(UnitTable *t);

/* ---- names ---- */
/* Index of a known name, or -1. */
int units_lookup(UnitTable *t, const char *name, size_t len);
/* Index of the name, adding it (without a definition) when unknown. */
int units_declare(UnitTable *t, const char *name, size_t len);
const char *units_name(UnitTable *t, int name);
int units_is_defined(UnitTable *t, int name);
/* Where a model's own code (not the standard library) first defined, and
** first used, a name: an owner's module and a byte range in it, for the
** rule that a unit keeps one meaning while values made with it exist
** (compiler.c). module is NULL while there is none. */
typedef struct UnitSite { const void *module; uint32_t off, len; } UnitSite;
UnitSite *units_user_definition(UnitTable *t, int name);
UnitSite *units_user_use(UnitTable *t, int name);
/* A base unit: a dimension of its own. */
UnitStatus units_define_base(UnitTable *t, int name);
/* name = factor × def. UNIT_CYCLE (and no change) when def depends on name.
** Redefining a name is allowed (a model overriding a convention). */
UnitStatus units_define(UnitTable *t, int name, double factor, UnitId def);

/* ---- expressions (interned) ---- */
UnitId units_atom(UnitTable *t, int name, int exp);
UnitId units_mul(UnitTable *t, UnitId a, UnitId b);
UnitId units_div(UnitTable *t, UnitId a, UnitId b);
UnitId units_pow(UnitTable *t, UnitId a, int n);

/* ---- conversion ---- */
/* x `from` equals x * (*factor) `to`. On UNIT_PENDING, *bad_name is the
** undefined name. UNIT_NONE is dimensionless with scale 1, so converting
** % to UNIT_NONE gives factor 0.01. */
UnitStatus units_factor(UnitTable *t, UnitId from, UnitId to, double *factor,
                        int *bad_name);
/* Reduces to base units: x u == x*scale base. */
UnitStatus units_reduce(UnitTable *t, UnitId u, double *scale, UnitId *base,
                        int *bad_name);
/* 1 when u reduces to no dimension at all (%, h/h); 0 otherwise or when a
** definition is missing. */
int units_dimensionless(UnitTable *t, UnitId u);

/* ---- display ---- */
/* "h/week", "€/year", "h·quarter/week", "week^-1" (snprintf semantics:
** returns the length it needs). UNIT_NONE gives "". */
size_t units_format(UnitTable *t, UnitId u, char *buf, size_t cap);
/* The unit is exactly € (money printed as "€ 5.000"). */
int units_is_money(UnitTable *t, UnitId u);
/* The unit is €/something (printed "€ 5.000/year"); *rest gets the rest. */
int units_is_money_per(UnitTable *t, UnitId u, UnitId *rest);
/* The unit is exactly %. */
int units_is_percent(UnitTable *t, UnitId u);

#endif

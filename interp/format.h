/*
** format.h — numbers for people: Dutch (default) and English conventions.
**
** nl: 12,88   € 13.378,96   € -1.234,50   27,5%   € 5.000 tot € 40.000
** en: 12.88   €13,378.96    -€1,234.50    27.5%   €5,000 to €40,000
** All functions have snprintf semantics: they write at most cap-1 bytes plus
** a NUL and return the length the full text needs.
*/
#ifndef KADER_FORMAT_H
#define KADER_FORMAT_H

#include <stddef.h>
#include "units.h"

typedef enum { LOCALE_NL = 0, LOCALE_EN = 1 } Locale;

/* A plain number as print() shows it: up to 14 significant digits, no
** trailing zeros, no grouping: 3, 0,5, 0,76923076923077, -2,25, 1e+20;
** -0 prints as 0; infinities as ∞ and -∞; NaN as NaN. */
size_t fmt_number(char *buf, size_t cap, double x, Locale loc);

/* Fixed decimals, optionally with thousands grouping: 1.234.567,89.
** Rounds like a spreadsheet: first to 15 significant digits, then half away
** from zero to `decimals` decimals on that decimal digit string, so 2.675
** gives 2,68, 1.005 gives 1,01 and -2.5 with 0 decimals gives -3. A value
** that rounds to zero prints without a minus (0,00). */
size_t fmt_fixed(char *buf, size_t cap, double x, int decimals, int grouping,
                 Locale loc);

/* Money: whole euros without decimals, otherwise two decimals, grouped:
** "€ 5.000", "€ 13.378,96", "€ -1.234,50"; en "€5,000", "-€1,234.50".
** `force_cents` prints ",00" on whole amounts (used so both ends of a range
** look alike). */
size_t fmt_money(char *buf, size_t cap, double euros, int force_cents,
                 Locale loc);

/* A quantity: "3 h/week", "27,5%", "€ 5.000", "€ 5.000/year", "0,5 fte". */
size_t fmt_quantity(char *buf, size_t cap, double x, UnitTable *t, UnitId u,
                    Locale loc);

/* A range of two plain numbers or two quantities in the same unit:
** "3 tot 5 h/week", "€ 5.000 tot € 40.000", "1 tot 10", en "to". */
size_t fmt_range(char *buf, size_t cap, double lo, double hi, UnitTable *t,
                 UnitId u, Locale loc);

/* The word that joins a range: "tot" or "to". */
const char *fmt_range_word(Locale loc);

#endif

/*
** checklib.h — natives for the model library's checks (checklib.c).
*/
#ifndef KADER_CHECKLIB_H
#define KADER_CHECKLIB_H

struct KaderState;
/* error_at(declaration, path, message) */
void kd_open_checklib(struct KaderState *K);
/* with_changes, field_problem, global_value (scenariolib.c) */
void kd_open_scenariolib(struct KaderState *K);

#endif

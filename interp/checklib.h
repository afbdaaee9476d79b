/*
** checklib.h — natives for the model library's checks (checklib.c).
*/
#ifndef KADER_CHECKLIB_H
#define KADER_CHECKLIB_H

struct KaderState;
/* error_at(declaration, path, message) */
void kd_open_checklib(struct KaderState *K);

#endif

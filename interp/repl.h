/*
** repl.h — the interactive prompt of the kader command (not part of the
** library: it needs GNU readline and a terminal).
*/
#ifndef KADER_REPL_H
#define KADER_REPL_H

#include "kader.h"

/* Runs the files, then reads and runs entries until :quit or Ctrl-D.
** Returns the exit status (0). */
int kd_repl(KaderState *K, const char *const *files, int file_count, int color);

#endif

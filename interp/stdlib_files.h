/*
** stdlib_files.h — the standard library, embedded in the interpreter.
**
** The table is generated at build time (build/stdlib_gen.c, written by
** interp/tools/embed.c) from the .kader files in stdlib/: one entry per
** file, sorted by name. `name` is the file name without its directory
** ("units.kader"), `source` the file's bytes followed by a NUL, `len` the
** number of bytes without the NUL.
*/
#ifndef KADER_STDLIB_FILES_H
#define KADER_STDLIB_FILES_H

#include <stddef.h>

typedef struct {
  const char *name;
  const char *source;
  size_t len;
} KdStdlibFile;

extern const KdStdlibFile kd_stdlib_files[];
extern const size_t kd_stdlib_count;

#endif

/*
** compiler.h — syntax tree to bytecode.
*/
#ifndef KADER_COMPILER_H
#define KADER_COMPILER_H

#include "state.h"

#include "parser.h"

/* Compiles module m, read statement by statement from `stream`, into a
** function with no parameters; the arena the stream parses into is reset
** after each top-level statement, so only the largest statement's tree is
** ever in memory. Syntax and compile errors raise a syntax-kind error
** (kd_error_at), the first in the file first. When `print_result` is set
** and the program is one expression statement, the function prints its
** value (the REPL). */
ObjFunction *kd_compile(KaderState *K, ObjModule *m, ParseStream *stream,
                        Arena *arena, bool print_result);

/* An arena whose blocks count against K's memory limit and come from its
** allocator (module.c): past the limit a block is refused, and the parser
** reports "out of memory" where it was. */
void kd_arena_init(KaderState *K, Arena *a);

/* The functions being compiled are garbage-collection roots. */
void compiler_mark_roots(KaderState *K);

#endif

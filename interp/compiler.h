/*
** compiler.h — syntax tree to bytecode.
*/
#ifndef KADER_COMPILER_H
#define KADER_COMPILER_H

#include "state.h"

/* Compiles a parsed program of module m into a function with no
** parameters. Compile errors raise a syntax-kind error (kd_error_at). When
** `print_result` is set and the program is one expression statement, the
** function prints its value (the REPL). */
ObjFunction *kd_compile(KaderState *K, ObjModule *m, Node *program,
                        bool print_result);

/* An arena whose blocks count against K's memory limit and come from its
** allocator (module.c): past the limit a block is refused, and the parser
** reports "out of memory" where it was. */
void kd_arena_init(KaderState *K, Arena *a);

/* The functions being compiled are garbage-collection roots. */
void compiler_mark_roots(KaderState *K);

#endif

/*
** cli_check.c — kader check (see cli.h). Being written.
*/
#include <stdio.h>

#include "cli.h"

int kd_cli_check(KaderConfig *config, int argc, char **argv) {
  (void)config; (void)argc; (void)argv;
  fprintf(stderr, "kader: 'check' is not available yet\n");
  return 2;
}

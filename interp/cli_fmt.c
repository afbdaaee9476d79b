/*
** cli_fmt.c — kader fmt (see cli.h). Being written.
*/
#include <stdio.h>

#include "cli.h"

int kd_cli_fmt(KaderConfig *config, int argc, char **argv) {
  (void)config; (void)argc; (void)argv;
  fprintf(stderr, "kader: 'fmt' is not available yet\n");
  return 2;
}

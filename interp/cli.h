/*
** cli.h — the subcommands of the `kader` command (not part of libkader.a):
** each is a thin user of kader.h, in a file of its own.
**
**   kader test [FILES|DIRS]     cli_test.c   run models and their expectations
**   kader check [FILES|DIRS]    cli_check.c  claims, structural and static checks
**   kader claims REPORT         cli_claims.c statements with numbers in a report's
**                                            text (stdlib/claimtext.kader does the work)
**   kader fmt [--check] FILES   cli_fmt.c    canonical layout (fmt.c does the work)
**
** Each gets the options given before the subcommand (config) and the
** arguments after it, and returns the exit status.
*/
#ifndef KADER_CLI_H
#define KADER_CLI_H

#include "kader.h"

#include <stdio.h>

/* ---- shared by the subcommands (cli_util.c) ---- */

/* The .kader files named by args (files as given; directories searched
** recursively, skipping hidden ones and build/), sorted, as a malloc'd
** array of malloc'd paths; *count set. NULL and a message on stderr when an
** argument does not exist. With no args: the current directory. */
char **kd_cli_collect(int argc, char **argv, const char *ext, int *count);
void kd_cli_free_list(char **paths, int count);
/* The whole of f, with a NUL after it (*len bytes before it); NULL with
** errno set when it cannot be read. */
char *kd_cli_read(FILE *f, size_t *len);
/* s as a JSON string, quotes included */
void kd_cli_json_string(FILE *out, const char *s);
/* A growing text, for capturing a state's output. */
typedef struct { char *s; size_t len, cap; } KdCliText;
void kd_cli_text_write(void *text, const char *s, size_t len);
void kd_cli_text_free(KdCliText *t);
/* A model's output and diagnostics into out and err instead of the
** terminal, without colour: test and check report in their own words. */
void kd_cli_capture(KaderConfig *c, KdCliText *out, KdCliText *err);

int kd_cli_test(KaderConfig *config, int argc, char **argv);
int kd_cli_check(KaderConfig *config, int argc, char **argv);
int kd_cli_fmt(KaderConfig *config, int argc, char **argv);
int kd_cli_claims(KaderConfig *config, int argc, char **argv);

#endif

/*
** literate.c — literate models: Markdown with kader blocks. Being written.
*/
#include "vm.h"

KaderResult kader_run_markdown(KaderState *K, const char *path, const char *out_path) {
  (void)out_path;
  kader_run_string(K, path, "", 0);
  return KADER_SYNTAX_ERROR;
}

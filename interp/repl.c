/*
** repl.c — the interactive prompt of the kader command, on GNU readline.
**
** Line editing and Ctrl-R come from readline (and the user's inputrc).
** History persists in $XDG_STATE_HOME/kader/history, bounded and without
** duplicates; a multi-line entry is one entry (the file escapes its line
** breaks). Tab completes keywords, names, fields after a dot, :commands and
** file names. Ctrl-C clears the line at the prompt and interrupts a running
** computation; Ctrl-D on an empty line leaves. The readline callback
** interface lets us handle Ctrl-C ourselves around select().
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "repl.h"

#define HISTORY_SIZE 1000

typedef struct Repl {
  KaderState *K;
  char *history_path;
  char *entry;            /* the lines of an unfinished entry */
  size_t entry_len;
  char **loaded;          /* files given to :load or -i, for :reload */
  size_t loaded_count;
  int color;
  int done;
} Repl;

/* The one REPL of this process: readline's callbacks carry no user data,
** and a signal handler can only reach static storage. */
static Repl *the_repl;
static volatile sig_atomic_t computing, interrupt_at_prompt;

static void on_sigint(int sig) {
  (void)sig;
  if (computing) {
    kader_interrupt(the_repl->K);
    /* the terminal echoed ^C; the error message starts on its own line */
    ssize_t ignored = write(STDOUT_FILENO, "\n", 1);
    (void)ignored;
  } else {
    interrupt_at_prompt = 1;
  }
}

/* ---- prompts ---- */

static const char *prompt(Repl *r) {
  /* \001 and \002 tell readline the colour codes take no room */
  if (r->color) return r->entry_len ? "\001\x1b[2m\002... \001\x1b[0m\002"
                                    : "\001\x1b[1;36m\002> \001\x1b[0m\002";
  return r->entry_len ? "... " : "> ";
}

/* ---- history ---- */

static char *history_file(void) {
  const char *state = getenv("XDG_STATE_HOME");
  const char *home = getenv("HOME");
  char dir[4096];
  if (state && *state) snprintf(dir, sizeof dir, "%s/kader", state);
  else if (home && *home) snprintf(dir, sizeof dir, "%s/.local/state/kader", home);
  else return NULL;
  /* mkdir -p */
  for (char *p = dir + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    mkdir(dir, 0700);
    *p = '/';
  }
  mkdir(dir, 0700);
  size_t n = strlen(dir) + sizeof "/history";
  char *path = malloc(n);
  if (path) snprintf(path, n, "%s/history", dir);
  return path;
}

/* One entry a line; line breaks inside an entry are written as \n. */
static void load_history(Repl *r) {
  if (!r->history_path) return;
  FILE *f = fopen(r->history_path, "r");
  if (!f) return;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, f)) > 0) {
    if (line[n - 1] == '\n') line[--n] = '\0';
    char *out = line;
    for (char *in = line; *in; in++) {
      if (*in == '\\' && in[1] == 'n') { *out++ = '\n'; in++; }
      else if (*in == '\\' && in[1] == '\\') { *out++ = '\\'; in++; }
      else *out++ = *in;
    }
    *out = '\0';
    if (*line) add_history(line);
  }
  free(line);
  fclose(f);
}

static void save_history(Repl *r) {
  if (!r->history_path) return;
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.tmp", r->history_path);
  FILE *f = fopen(tmp, "w");
  if (!f) return;
  HIST_ENTRY **list = history_list();
  for (int i = 0; list && list[i]; i++) {
    for (const char *c = list[i]->line; *c; c++) {
      if (*c == '\n') fputs("\\n", f);
      else if (*c == '\\') fputs("\\\\", f);
      else fputc(*c, f);
    }
    fputc('\n', f);
  }
  if (fclose(f) == 0) rename(tmp, r->history_path);
}

/* Stores an entry once: an earlier identical entry is removed first. */
static void remember(Repl *r, const char *entry) {
  HIST_ENTRY **list = history_list();
  for (int i = 0; list && list[i]; i++) {
    if (strcmp(list[i]->line, entry) == 0) {
      HIST_ENTRY *old = remove_history(i);
      if (old) free_history_entry(old);
      break;
    }
  }
  add_history(entry);
  save_history(r);
}

/* ---- completion ---- */

static const char *commands[] = {
  ":help", ":load", ":reload", ":type", ":doc", ":report", ":locale", ":quit",
};

typedef struct { char **words; size_t count, cap; } Matches;
static Matches matches;

static void add_match(void *ud, const char *word) {
  (void)ud;
  if (matches.count == matches.cap) {
    size_t cap = matches.cap ? matches.cap * 2 : 32;
    char **p = realloc(matches.words, cap * sizeof *p);
    if (!p) return;
    matches.words = p;
    matches.cap = cap;
  }
  char *copy = strdup(word);
  if (copy) matches.words[matches.count++] = copy;
}

static char *next_match(const char *text, int state) {
  static size_t i;
  (void)text;
  if (state == 0) i = 0;
  return i < matches.count ? strdup(matches.words[i++]) : NULL;
}

/* Is the cursor inside the string of an import, or after :load? */
static int wants_file_name(int point) {
  const char *line = rl_line_buffer;
  if (strncmp(line, ":load ", 6) == 0 || strncmp(line, ":l ", 3) == 0) return 1;
  int quotes = 0;
  for (int i = 0; i < point; i++) quotes += line[i] == '"';
  if (quotes % 2 == 0) return 0;
  const char *imp = strstr(line, "import");
  return imp && imp - line < point;
}

/* File names are whole paths ("examples/provincie.kader"), so inside them
** only spaces and quotes break words; code breaks at . and / too. */
static char *code_breaks = " \t\n\"\\'`@$><=;|&{}()[],+-*/^.:";
static char *path_breaks = " \t\n\"'";

static char *word_breaks(void) {
  return wants_file_name(rl_point) ? path_breaks : code_breaks;
}

static char **complete(const char *text, int start, int end) {
  (void)end;
  for (size_t i = 0; i < matches.count; i++) free(matches.words[i]);
  matches.count = 0;
  if (wants_file_name(rl_point)) {
    rl_attempted_completion_over = 0; /* readline completes file names */
    return NULL;
  }
  rl_attempted_completion_over = 1;
  if (rl_line_buffer[0] == ':' && !memchr(rl_line_buffer, ' ', (size_t)start)) {
    /* ':' breaks words, so the word is the command's name after it */
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
      if (strncmp(commands[i] + 1, text, strlen(text)) == 0) add_match(NULL, commands[i] + 1);
  } else {
    kader_complete(the_repl->K, rl_line_buffer, (size_t)rl_point, add_match, NULL);
  }
  return matches.count ? rl_completion_matches(text, next_match) : NULL;
}

/* ---- running ---- */

static void run_code(Repl *r, const char *code, size_t len) {
  computing = 1;
  kader_eval_line(r->K, "<repl>", code, len);
  computing = 0;
  fflush(stdout);
}

static void eval_text(Repl *r, const char *code) {
  run_code(r, code, strlen(code));
}

static void load_file(Repl *r, const char *path, int remember_it) {
  computing = 1;
  kader_run_file(r->K, path);
  computing = 0;
  fflush(stdout);
  /* a file that cannot be read is not worth reloading */
  if (!remember_it || access(path, R_OK) != 0) return;
  for (size_t i = 0; i < r->loaded_count; i++)
    if (strcmp(r->loaded[i], path) == 0) return;
  char **p = realloc(r->loaded, (r->loaded_count + 1) * sizeof *p);
  if (!p) return;
  r->loaded = p;
  r->loaded[r->loaded_count] = strdup(path);
  if (r->loaded[r->loaded_count]) r->loaded_count++;
}

static const char *help_text =
    "Type Kader code; an expression's value is printed and kept in _.\n"
    "An unfinished line (an open bracket, block or string) continues on a\n"
    "... prompt; an empty line or Ctrl-C cancels it.\n"
    "  :help              this text\n"
    "  :load FILE         run a model; its names stay defined\n"
    "  :reload            run the loaded files again (history is kept)\n"
    "  :type EXPR         the type and unit of a value\n"
    "  :doc NAME          the documentation of a function, kind or declaration\n"
    "  :report            the report of each role declared so far\n"
    "  :locale nl|en      how numbers are shown\n"
    "  :quit              leave (as does Ctrl-D on an empty line)\n"
    "Keys: Tab completes, Up/Down and Ctrl-R search the history, Ctrl-C\n"
    "clears the line or stops a running computation.\n";

static void finish(Repl *r) {
  r->done = 1;
  rl_callback_handler_remove();
}

static void command(Repl *r, char *line) {
  char *arg = line;
  while (*arg && *arg != ' ') arg++;
  size_t name_len = (size_t)(arg - line);
  while (*arg == ' ') arg++;
  char *end = arg + strlen(arg);
  while (end > arg && (end[-1] == ' ' || end[-1] == '\n')) *--end = '\0';
#define IS(word) (name_len == strlen(word) && strncmp(line, word, name_len) == 0)
  if (IS(":help") || IS(":h")) {
    fputs(help_text, stdout);
  } else if (IS(":quit") || IS(":q")) {
    finish(r);
  } else if (IS(":load") || IS(":l")) {
    if (!*arg) fputs(":load needs a file name\n", stdout);
    else load_file(r, arg, 1);
  } else if (IS(":reload")) {
    if (r->loaded_count == 0) fputs("nothing loaded yet (use :load FILE)\n", stdout);
    kader_forget_imports(r->K);
    for (size_t i = 0; i < r->loaded_count; i++) load_file(r, r->loaded[i], 0);
  } else if (IS(":type") || IS(":t")) {
    if (!*arg) { fputs(":type needs an expression\n", stdout); return; }
    /* the user's own text runs as typed (errors point into it); its value
    ** lands in _, which describe_type then reads */
    eval_text(r, "var _ = nil");
    computing = 1;
    KaderResult ok = kader_eval_line(r->K, "<repl>", arg, strlen(arg));
    computing = 0;
    if (ok == KADER_OK) eval_text(r, "print(describe_type(_))");
  } else if (IS(":doc") || IS(":d")) {
    const char *doc = *arg ? kader_doc(r->K, arg) : NULL;
    if (doc) printf("%s\n", doc);
    else printf("no documentation for '%s'\n", arg);
  } else if (IS(":report")) {
    eval_text(r, "if len(declarations(role)) == 0 { print(\"no role is declared\") } "
                 "else { for r in declarations(role) { report(r) } }");
  } else if (IS(":locale")) {
    if (!kader_set_locale(r->K, arg)) fputs(":locale takes nl or en\n", stdout);
  } else {
    printf("unknown command %.*s (:help lists the commands)\n", (int)name_len, line);
  }
#undef IS
}

static void cancel_entry(Repl *r) {
  r->entry_len = 0;
  if (r->entry) r->entry[0] = '\0';
}

/* A line from readline: a command, or part or all of an entry. */
static void on_line(char *line) {
  Repl *r = the_repl;
  if (!line) { /* Ctrl-D */
    putchar('\n');
    if (r->entry_len) {
      cancel_entry(r);
      rl_set_prompt(prompt(r));
    } else {
      r->done = 1;
      rl_callback_handler_remove(); /* no prompt after the last line */
    }
    return;
  }
  if (r->entry_len == 0 && line[0] == ':') {
    remember(r, line);
    command(r, line);
    free(line);
    if (!r->done) rl_set_prompt(prompt(r));
    return;
  }
  if (r->entry_len && line[0] == '\0') { /* an empty line cancels */
    cancel_entry(r);
    free(line);
    rl_set_prompt(prompt(r));
    return;
  }
  size_t n = strlen(line);
  char *bigger = realloc(r->entry, r->entry_len + n + 2);
  if (bigger) {
    r->entry = bigger;
    if (r->entry_len) r->entry[r->entry_len++] = '\n';
    memcpy(r->entry + r->entry_len, line, n + 1);
    r->entry_len += n;
  }
  free(line);
  if (kader_is_incomplete(r->K, r->entry, r->entry_len)) {
    rl_set_prompt(prompt(r));
    return;
  }
  if (r->entry_len > 0 && strspn(r->entry, " \t\n") < r->entry_len) {
    remember(r, r->entry);
    run_code(r, r->entry, r->entry_len);
  }
  cancel_entry(r);
  rl_set_prompt(prompt(r));
}

int kd_repl(KaderState *K, const char *const *files, int file_count, int color) {
  Repl r;
  memset(&r, 0, sizeof r);
  r.K = K;
  r.color = color;
  the_repl = &r;
  for (int i = 0; i < file_count; i++) load_file(&r, files[i], 1);

  /* typed characters are UTF-8 (€, ë), not Meta keys, whatever LC_ALL is;
  ** only LC_CTYPE is set: numbers never follow the C library's locale */
  setlocale(LC_CTYPE, "");
  rl_variable_bind("input-meta", "on");
  rl_variable_bind("output-meta", "on");
  rl_variable_bind("convert-meta", "off");
  rl_readline_name = "kader";
  rl_attempted_completion_function = complete;
  rl_basic_word_break_characters = code_breaks;
  rl_completer_word_break_characters = code_breaks;
  rl_completion_word_break_hook = word_breaks;
  rl_catch_signals = 0;
  stifle_history(HISTORY_SIZE);
  r.history_path = history_file();
  load_history(&r);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: select() returns EINTR */

  rl_callback_handler_install(prompt(&r), on_line);
  while (!r.done) {
    fd_set in;
    FD_ZERO(&in);
    FD_SET(fileno(rl_instream ? rl_instream : stdin), &in);
    int ready = select(fileno(rl_instream ? rl_instream : stdin) + 1, &in, NULL, NULL, NULL);
    if (ready < 0 && errno == EINTR) {
      if (interrupt_at_prompt) { /* Ctrl-C at the prompt: a fresh line */
        interrupt_at_prompt = 0;
        rl_callback_sigcleanup();
        rl_free_undo_list(); /* an edited history line goes back as it was */
        using_history();     /* Up starts again from the newest entry */
        rl_replace_line("", 0);
        cancel_entry(&r);
        fputs("^C\n", stdout);
        rl_set_prompt(prompt(&r));
        rl_on_new_line();
        rl_redisplay();
      }
      continue;
    }
    if (ready < 0) break;
    rl_callback_read_char();
  }
  if (!r.done) rl_callback_handler_remove();
  save_history(&r);
  for (size_t i = 0; i < r.loaded_count; i++) free(r.loaded[i]);
  for (size_t i = 0; i < matches.count; i++) free(matches.words[i]);
  free(matches.words);
  matches.words = NULL;
  matches.count = matches.cap = 0;
  free(r.loaded);
  free(r.entry);
  free(r.history_path);
  the_repl = NULL;
  return 0;
}

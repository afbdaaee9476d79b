/*
** test_parser.c — the parser's tree shapes, error messages and robustness.
**
** Trees are compared as S-expressions (see dump()), so each assertion is one
** line: "1 + 2 * 3" parses to "(+ 1 (* 2 3))".
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "parser.h"

/* ---- S-expression dump ---------------------------------------------- */

typedef struct Buf { char *s; size_t len, cap; } Buf;

static void put(Buf *b, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (b->len + (size_t)n + 1 > b->cap) {
    b->cap = (b->len + (size_t)n + 1) * 2;
    b->s = realloc(b->s, b->cap);
    assert_non_null(b->s);
  }
  va_start(ap, fmt);
  vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

static void dump_unit(Buf *b, const UnitExpr *u) {
  uint32_t i;
  put(b, "[");
  for (i = 0; i < u->count; i++) {
    put(b, "%s%s", i ? " " : "", u->factors[i].name);
    if (u->factors[i].exp != 1) put(b, "^%d", u->factors[i].exp);
  }
  put(b, "]");
}

static void dump_str(Buf *b, const char *s, size_t n) {
  size_t i;
  put(b, "\"");
  for (i = 0; i < n; i++) {
    if (s[i] == '\n') put(b, "\\n");
    else if (s[i] == '\0') put(b, "\\0");
    else put(b, "%c", s[i]);
  }
  put(b, "\"");
}

static void dump(Buf *b, const Node *n);

static void dump_list(Buf *b, NodeList l) {
  uint32_t i;
  for (i = 0; i < l.count; i++) {
    put(b, " ");
    dump(b, l.items[i]);
  }
}

static void dump_type(Buf *b, const TypeExpr *t) {
  switch (t->kind) {
  case T_NAME: put(b, "%s", t->name); break;
  case T_UNIT: dump_unit(b, t->unit); break;
  case T_LIST_OF: put(b, "(list-of "); dump_type(b, t->a); put(b, ")"); break;
  case T_ONE_OF: put(b, "(one-of"); dump_list(b, t->options); put(b, ")"); break;
  case T_OR:
    put(b, "(or ");
    dump_type(b, t->a);
    put(b, " ");
    dump_type(b, t->b);
    put(b, ")");
    break;
  }
}

static const char *const binops[] = {"?", "+", "-", "*", "/", "mod", "^",
                                     "==", "!=", "<", "<=", ">", ">="};

static void dump_fn(Buf *b, const Node *n) {
  uint32_t i;
  put(b, "(fn%s%s (", n->name ? " " : "", n->name ? n->name : "");
  for (i = 0; i < n->param_count; i++)
    put(b, "%s%s", i ? " " : "", n->params[i].name);
  put(b, ") ");
  dump(b, n->a);
  put(b, ")");
}

static void dump(Buf *b, const Node *n) {
  uint32_t i;
  if (n == NULL) { put(b, "NULL"); return; }
  switch (n->kind) {
  case N_NIL: put(b, "nil"); break;
  case N_TRUE: put(b, "true"); break;
  case N_FALSE: put(b, "false"); break;
  case N_NUMBER: put(b, "%g", n->number); break;
  case N_QUANTITY: put(b, "(q %g ", n->number); dump_unit(b, n->unit); put(b, ")"); break;
  case N_STRING: dump_str(b, n->str, n->str_len); break;
  case N_INTERP: put(b, "(interp"); dump_list(b, n->items); put(b, ")"); break;
  case N_NAME: put(b, "%s", n->name); break;
  case N_LIST: put(b, "(list"); dump_list(b, n->items); put(b, ")"); break;
  case N_RECORD:
    put(b, "(record");
    for (i = 0; i < n->items.count; i++) {
      put(b, " (%s ", n->keys[i]);
      dump(b, n->items.items[i]);
      put(b, ")");
    }
    put(b, ")");
    break;
  case N_FN: dump_fn(b, n); break;
  case N_UNARY:
    put(b, "(%s ", n->op == U_NEG ? "neg" : "not");
    dump(b, n->a);
    put(b, ")");
    break;
  case N_BINARY: case N_AND: case N_OR: case N_RANGE: case N_ASSIGN:
    if (n->kind == N_BINARY) put(b, "(%s ", binops[n->op]);
    else if (n->kind == N_ASSIGN) put(b, "(%s= ", n->op ? binops[n->op] : "");
    else put(b, "(%s ", n->kind == N_AND ? "and" : n->kind == N_OR ? "or" : "to");
    dump(b, n->a);
    put(b, " ");
    dump(b, n->b);
    put(b, ")");
    break;
  case N_CONVERT: put(b, "(in "); dump(b, n->a); put(b, " "); dump_unit(b, n->unit); put(b, ")"); break;
  case N_CALL: put(b, "(call "); dump(b, n->a); dump_list(b, n->items); put(b, ")"); break;
  case N_FIELD: put(b, "(. "); dump(b, n->a); put(b, " %s)", n->name); break;
  case N_INDEX: put(b, "(idx "); dump(b, n->a); put(b, " "); dump(b, n->b); put(b, ")"); break;
  case N_LET: case N_VAR:
    put(b, "(%s %s", n->kind == N_LET ? "let" : "var", n->name);
    if (n->a) { put(b, " "); dump(b, n->a); }
    put(b, ")");
    break;
  case N_EXPR_STMT: dump(b, n->a); break;
  case N_IF:
    put(b, "(if ");
    dump(b, n->a);
    put(b, " ");
    dump(b, n->b);
    if (n->c) { put(b, " "); dump(b, n->c); }
    put(b, ")");
    break;
  case N_WHILE: put(b, "(while "); dump(b, n->a); put(b, " "); dump(b, n->b); put(b, ")"); break;
  case N_FOR:
    put(b, "(for %s%s%s ", n->name, n->name2 ? " " : "", n->name2 ? n->name2 : "");
    dump(b, n->a);
    put(b, " ");
    dump(b, n->b);
    put(b, ")");
    break;
  case N_RETURN:
    put(b, "(return");
    if (n->a) { put(b, " "); dump(b, n->a); }
    put(b, ")");
    break;
  case N_BREAK: put(b, "(break)"); break;
  case N_CONTINUE: put(b, "(continue)"); break;
  case N_BLOCK: put(b, "(block"); dump_list(b, n->items); put(b, ")"); break;
  case N_FN_DECL: dump_fn(b, n->fn); break;
  case N_IMPORT: put(b, "(import "); dump_str(b, n->str, n->str_len); put(b, ")"); break;
  case N_UNIT_DECL:
    put(b, "(unit %s", n->name);
    if (n->has_def) put(b, " = %g", n->number);
    if (n->unit) { put(b, " "); dump_unit(b, n->unit); }
    put(b, ")");
    break;
  case N_KIND_DECL:
    put(b, "(kind %s", n->name);
    if (n->str) { put(b, " "); dump_str(b, n->str, n->str_len); }
    for (i = 0; i < n->field_count; i++) {
      put(b, " (%s ", n->fields[i].name);
      dump_type(b, n->fields[i].type);
      if (n->fields[i].default_value) { put(b, " = "); dump(b, n->fields[i].default_value); }
      put(b, ")");
    }
    put(b, ")");
    break;
  case N_DECL:
    put(b, "(decl %s %s", n->name2, n->name);
    if (n->str) { put(b, " "); dump_str(b, n->str, n->str_len); }
    dump_list(b, n->items);
    put(b, ")");
    break;
  case N_DECL_FIELD: put(b, "(%s: ", n->name); dump(b, n->a); put(b, ")"); break;
  case N_REGEX: put(b, "(regex /%s/%s)", n->str, n->name); break;
  case N_EXPECT:
    put(b, "(expect ");
    dump(b, n->a);
    if (n->b) { put(b, " within "); dump(b, n->b); }
    put(b, ")");
    break;
  case N_REQUIRES: put(b, "(requires %s %s)", binops[n->op], n->str); break;
  case N_PROGRAM:
    for (i = 0; i < n->items.count; i++) {
      if (i) put(b, " ");
      dump(b, n->items.items[i]);
    }
    break;
  }
}

/* ---- helpers -------------------------------------------------------- */

/* Parses a copy of src that has no NUL after it, so reads past len fault
** under ASan. */
static Node *parse(Arena *a, const char *src, ParseError *err) {
  size_t len = strlen(src);
  char *copy = malloc(len ? len : 1);
  Node *n;
  assert_non_null(copy);
  memcpy(copy, src, len);
  n = kd_parse(a, copy, len, err);
  /* the tree points into the arena, not into the source */
  free(copy);
  return n;
}

static unsigned type_height(const TypeExpr *t) {
  unsigned a = t->a ? type_height(t->a) : 0, b = t->b ? type_height(t->b) : 0;
  return 1 + (a > b ? a : b);
}

/* Every node's height is 1 + its highest child's (the parser's bound on
** the walks rests on it); returns the height. */
static unsigned checked_height(const Node *n) {
  const Node *kids[4];
  unsigned h = 0, i, k;
  if (n == NULL) return 0;
  kids[0] = n->a; kids[1] = n->b; kids[2] = n->c; kids[3] = n->fn;
  for (i = 0; i < 4; i++)
    if ((k = checked_height(kids[i])) > h) h = k;
  for (i = 0; i < n->items.count; i++)
    if ((k = checked_height(n->items.items[i])) > h) h = k;
  for (i = 0; i < n->field_count; i++) {
    if ((k = checked_height(n->fields[i].default_value)) > h) h = k;
    if ((k = type_height(n->fields[i].type)) > h) h = k;
    assert_int_equal(n->fields[i].type->height, type_height(n->fields[i].type));
  }
  if (n->kind != N_PROGRAM) assert_int_equal(n->height, h + 1);
  return h + 1;
}

#define check_sx(src, want) check_sx_at(src, want, __FILE__, __LINE__)
static void check_sx_at(const char *src, const char *want, const char *file, int line) {
  Arena a;
  ParseError err;
  Buf b = {0};
  Node *n;
  arena_init(&a);
  n = parse(&a, src, &err);
  if (n == NULL) {
    print_error("%s:%d: parsing %s failed: %s (at %u+%u)\n", file, line, src,
                err.message, err.span.off, err.span.len);
    arena_free(&a);
    _fail(file, line);
  }
  put(&b, "");
  dump(&b, n);
  checked_height(n);
  if (strcmp(b.s, want) != 0) {
    print_error("%s:%d: %s\n  got:  %s\n  want: %s\n", file, line, src, b.s, want);
    free(b.s);
    arena_free(&a);
    _fail(file, line);
  }
  free(b.s);
  arena_free(&a);
}

#define check_err(src, msg, off, len, inc) \
  check_err_at(src, msg, off, len, inc, __FILE__, __LINE__)
static void check_err_at(const char *src, const char *msg, unsigned off, unsigned len,
                         int incomplete, const char *file, int line) {
  Arena a;
  ParseError err;
  Node *n;
  arena_init(&a);
  n = parse(&a, src, &err);
  arena_free(&a);
  if (n != NULL) {
    print_error("%s:%d: %s parsed, expected error '%s'\n", file, line, src, msg);
    _fail(file, line);
  }
  if (strcmp(err.message, msg) != 0 || err.span.off != off || err.span.len != len ||
      err.incomplete != incomplete) {
    print_error("%s:%d: %s\n  got:  '%s' at %u+%u incomplete=%d\n"
                "  want: '%s' at %u+%u incomplete=%d\n",
                file, line, src, err.message, err.span.off, err.span.len,
                err.incomplete, msg, off, len, incomplete);
    _fail(file, line);
  }
}

/* Parses and hands back the first statement; the arena stays alive. */
static Node *first(Arena *a, const char *src) {
  ParseError err;
  Node *n = parse(a, src, &err);
  if (n == NULL) print_error("%s: %s\n", src, err.message);
  assert_non_null(n);
  assert_true(n->items.count >= 1);
  return n->items.items[0];
}

/* ---- precedence ----------------------------------------------------- */

static void test_precedence(void **state) {
  (void)state;
  check_sx("1 + 2 * 3", "(+ 1 (* 2 3))");
  check_sx("1 * 2 + 3", "(+ (* 1 2) 3)");
  check_sx("1 - 2 - 3", "(- (- 1 2) 3)");
  check_sx("8 / 4 mod 3 * 2", "(* (mod (/ 8 4) 3) 2)");
  check_sx("2 ^ 3 ^ 2", "(^ 2 (^ 3 2))");
  check_sx("-2^2", "(neg (^ 2 2))");
  check_sx("2^-1", "(^ 2 (neg 1))");
  check_sx("- -x", "(neg (neg x))");
  check_sx("-a * b", "(* (neg a) b)");
  check_sx("a + b == c", "(== (+ a b) c)");
  check_sx("not a == b", "(not (== a b))");
  check_sx("not a and b", "(and (not a) b)");
  check_sx("a or b and c", "(or a (and b c))");
  check_sx("a and b or c and d", "(or (and a b) (and c d))");
  check_sx("a or b or c", "(or (or a b) c)");
  check_sx("not not a", "(not (not a))");
  check_sx("a < b", "(< a b)");
  check_sx("a <= b; a > b; a >= b; a != b", "(<= a b) (> a b) (>= a b) (!= a b)");
  check_sx("1 to 2 + 3", "(to 1 (+ 2 3))");
  check_sx("x in h == y", "(== (in x [h]) y)");
  check_sx("1 to 3 in h", "(in (to 1 3) [h])");
  check_sx("f(x)[1].y", "(. (idx (call f x) 1) y)");
  check_sx("-f(x)^2", "(neg (^ (call f x) 2))");
  check_sx("(1 + 2) * 3", "(* (+ 1 2) 3)");
  check_sx("a.to.unit", "(. (. a to) unit)");
  check_sx("f()(1, 2,)", "(call (call f) 1 2)");
  check_sx("1 +\n 2", "(+ 1 2)");
  check_sx("a and\n b", "(and a b)");
  check_sx("f(1,\n 2)", "(call f 1 2)");
  check_sx("x.\n y", "(. x y)");
  check_sx("a - b", "(- a b)");
  check_sx("1e3 + 1_000 + 2.5e-1", "(+ (+ 1000 1000) 0.25)");
}

static void test_literals(void **state) {
  (void)state;
  check_sx("nil; true; false", "nil true false");
  check_sx("[1, 2,]", "(list 1 2)");
  check_sx("[\n1,\n2\n]", "(list 1 2)");
  check_sx("[]", "(list)");
  check_sx("{}", "(record)");
  check_sx("{a: 1, \"b c\": 2, to: 3,}", "(record (a 1) (b c 2) (to 3))");
  check_sx("{\n a: 1\n b: 2\n}", "(record (a 1) (b 2))");
  check_sx("{\n a:\n 1\n ,\n b: 2 }", "(record (a 1) (b 2))");
  check_sx("\"a\\tb\\n\\\\ \\\" \\{ \\} \\u{20AC}\"", "\"a\tb\\n\\ \" { } \xe2\x82\xac\"");
  check_sx("\"x\\0y\"", "\"x\\0y\"");
  check_sx("\"a {x} b\"", "(interp \"a \" x \" b\")");
  check_sx("\"{x}{y + 1}\"", "(interp x (+ y 1))");
  check_sx("\"{ {a: 1}.a }\"", "(interp (. (record (a 1)) a))");
  check_sx("\"{f(\"s{1}\")}!\"", "(interp (call f (interp \"s\" 1)) \"!\")");
  check_sx("\"multi\nline\"", "\"multi\\nline\"");
}

static void test_interp_spans(void **state) {
  Arena a;
  Node *s;
  (void)state;
  arena_init(&a);
  s = first(&a, "\"ab {x + 1} c\"")->a;
  assert_int_equal(s->kind, N_INTERP);
  assert_int_equal(s->items.count, 3);
  assert_int_equal(s->span.off, 0);
  assert_int_equal(s->span.len, 14);
  assert_int_equal(s->items.items[0]->span.off, 1);
  assert_int_equal(s->items.items[0]->span.len, 3);
  assert_int_equal(s->items.items[1]->kind, N_BINARY);
  assert_int_equal(s->items.items[1]->span.off, 5);
  assert_int_equal(s->items.items[1]->span.len, 5);
  assert_int_equal(s->items.items[1]->a->span.off, 5);
  assert_int_equal(s->items.items[1]->b->span.off, 9);
  assert_int_equal(s->items.items[2]->span.off, 11);
  assert_string_equal(s->items.items[2]->str, " c");
  arena_free(&a);
}

/* ---- quantities ----------------------------------------------------- */

static void test_quantities(void **state) {
  Arena a;
  Node *q;
  (void)state;
  check_sx("3 h/week", "(q 3 [h week^-1])");
  check_sx("10 h / 2", "(/ (q 10 [h]) 2)");
  check_sx("10 h/ week", "(/ (q 10 [h]) week)");
  check_sx("10 h /week", "(/ (q 10 [h]) week)");
  check_sx("€5000", "(q 5000 [€])");
  check_sx("€ 5000/year", "(q 5000 [€ year^-1])");
  check_sx("€ 5000 / year", "(/ (q 5000 [€]) year)");
  check_sx("€ -5", "(q -5 [€])");
  check_sx("-€ 5", "(neg (q 5 [€]))");
  check_sx("5000 €", "(q 5000 [€])");
  check_sx("5 €/h", "(q 5 [€ h^-1])");
  check_sx("27.5%", "(q 27.5 [%])");
  check_sx("27.5 %", "(q 27.5 [%])");
  check_sx("27.5% * 40", "(* (q 27.5 [%]) 40)");
  check_sx("2 m^2", "(q 2 [m^2])");
  check_sx("1 week^-1", "(q 1 [week^-1])");
  check_sx("1 a/b/c", "(q 1 [a b^-1 c^-1])");
  check_sx("1 a/b*c", "(q 1 [a b^-1 c])");
  check_sx("1 a/b^2", "(q 1 [a b^-2])");
  check_sx("1 a\xc2\xb7" "b", "(q 1 [a b])");
  check_sx("2 m ^ 2", "(^ (q 2 [m]) 2)");
  check_sx("0.5 fte", "(q 0.5 [fte])");
  check_sx("3 h/week + 10 h/quarter", "(+ (q 3 [h week^-1]) (q 10 [h quarter^-1]))");
  check_sx("1 to 3", "(to 1 3)");
  check_sx("7 mod 2", "(mod 7 2)");
  check_sx("1 in h", "(in 1 [h])");
  check_sx("3 to 5 h/week", "(to 3 (q 5 [h week^-1]))");
  check_sx("€ 5000 to € 40000", "(to (q 5000 [€]) (q 40000 [€]))");
  check_sx("x in h/week", "(in x [h week^-1])");
  check_sx("(x in h) / 2", "(/ (in x [h]) 2)");
  check_sx("x in €", "(in x [€])");
  check_sx("0.275 in %", "(in 0.275 [%])");
  check_sx("x in h in min", "(in (in x [h]) [min])");
  check_sx("2 werkdag in h", "(in (q 2 [werkdag]) [h])");
  check_sx("€ 100 / 4 h", "(/ (q 100 [€]) (q 4 [h]))");
  arena_init(&a);
  q = first(&a, "x = 3 h/week")->b;
  assert_int_equal(q->kind, N_QUANTITY);
  assert_int_equal(q->span.off, 4);
  assert_int_equal(q->span.len, 8);
  assert_int_equal(q->unit->span.off, 6);
  assert_int_equal(q->unit->span.len, 6);
  assert_int_equal(q->unit->factors[1].span.off, 8);
  assert_int_equal(q->unit->factors[1].span.len, 4);
  q = first(&a, "€ 5000/year")->a;
  assert_int_equal(q->span.off, 0);
  assert_int_equal(q->span.len, 13);
  arena_free(&a);
}

/* ---- statements ----------------------------------------------------- */

static void test_statements(void **state) {
  (void)state;
  check_sx("let x = 1\nvar y\nvar z = 2", "(let x 1) (var y) (var z 2)");
  check_sx("x = 1; x += 2; x -= 3; x *= 4; x /= 5",
           "(= x 1) (+= x 2) (-= x 3) (*= x 4) (/= x 5)");
  check_sx("r.a = 1\nxs[1] = 2", "(= (. r a) 1) (= (idx xs 1) 2)");
  check_sx("x =\n 1", "(= x 1)");
  check_sx("if a { b }", "(if a (block b))");
  check_sx("if a { b } else { c }", "(if a (block b) (block c))");
  check_sx("if a {\n b\n}\nelse {\n c\n}", "(if a (block b) (block c))");
  check_sx("if a { b } else if c { d } else { e }",
           "(if a (block b) (if c (block d) (block e)))");
  check_sx("if x {}\n{}", "(if x (block)) (record)");
  check_sx("if x == {a: 1} { y }", "(if (== x (record (a 1))) (block y))");
  check_sx("while n < 3 { n = n + 1 }", "(while (< n 3) (block (= n (+ n 1))))");
  check_sx("for x in xs { print(x) }", "(for x xs (block (call print x)))");
  check_sx("for k, v in {a: 1} {}", "(for k v (record (a 1)) (block))");
  check_sx("for i in 1 to 3 { if i == 2 { continue }; print(i) }",
           "(for i (to 1 3) (block (if (== i 2) (block (continue))) (call print i)))");
  check_sx("fn f() { return }", "(fn f () (block (return)))");
  check_sx("fn f(a, b,) { return a }", "(fn f (a b) (block (return a)))");
  check_sx("fn f(x) => x * 2", "(fn f (x) (block (return (* x 2))))");
  check_sx("while true { break }", "(while true (block (break)))");
  check_sx("import \"other.kader\"", "(import \"other.kader\")");
  check_sx(";;\n\n;x;;", "x");
}

static void test_lambdas(void **state) {
  Arena a;
  Node *fn;
  (void)state;
  check_sx("let f = fn (x) => x * 2", "(let f (fn (x) (block (return (* x 2)))))");
  check_sx("let f = fn () { n = n + 1; return n }",
           "(let f (fn () (block (= n (+ n 1)) (return n))))");
  check_sx("fn (x) => fn (y) => x + y",
           "(fn (x) (block (return (fn (y) (block (return (+ x y)))))))");
  check_sx("sort(xs, fn (a, b) => a < b)",
           "(call sort xs (fn (a b) (block (return (< a b)))))");
  arena_init(&a);
  fn = first(&a, "fn f(x) => x + 1");
  assert_int_equal(fn->kind, N_FN_DECL);
  assert_string_equal(fn->fn->name, "f");
  assert_int_equal(fn->fn->name_span.off, 3);
  assert_int_equal(fn->fn->params[0].span.off, 5);
  assert_int_equal(fn->fn->a->span.off, 11);
  assert_int_equal(fn->fn->a->span.len, 5);
  assert_int_equal(fn->fn->a->items.items[0]->span.off, 11);
  arena_free(&a);
}

static void test_declarations(void **state) {
  (void)state;
  check_sx("task t", "(decl task t)");
  check_sx("task t \"Taak\"", "(decl task t \"Taak\")");
  check_sx("task kenniscentrum \"Kenniscentrum\" {\n"
           "  description: \"Verzamelen\"\n"
           "  activity verzamelen \"Verzamelen informatie\" { hours: 3 h/week }\n"
           "  activity verstrekken { hours: 1 h/week; unit: \"x\", to: 2 }\n"
           "}",
           "(decl task kenniscentrum \"Kenniscentrum\" (description: \"Verzamelen\") "
           "(decl activity verzamelen \"Verzamelen informatie\" (hours: (q 3 [h week^-1]))) "
           "(decl activity verstrekken (hours: (q 1 [h week^-1])) (unit: \"x\") (to: 2)))");
  check_sx("a b {\n}\nx", "(decl a b) x");
  check_sx("a b { c:\n 1 }", "(decl a b (c: 1))");
}

static void test_kinds(void **state) {
  (void)state;
  check_sx("kind activity {\n  hours: h/week\n}", "(kind activity (hours [h week^-1]))");
  check_sx("kind task \"Taak\" {\n"
           "  description: text = \"\"\n"
           "  hours: h/week = nil\n"
           "  activities: list of activity\n"
           "  how: one of [\"once\", \"yearly\", 1, -2, true, false,]\n"
           "  budget: €, share: %; fte: fte\n"
           "  area: m^2\n"
           "  x: text or number or list of h\n"
           "  unit: list of list of any = []\n"
           "  f: fn or nothing\n"
           "}",
           "(kind task \"Taak\" (description text = \"\") (hours [h week^-1] = nil) "
           "(activities (list-of activity)) "
           "(how (one-of \"once\" \"yearly\" 1 -2 true false)) "
           "(budget [€]) (share [%]) (fte fte) (area [m^2]) "
           "(x (or (or text number) (list-of h))) "
           "(unit (list-of (list-of any)) = (list)) (f (or fn nothing)))");
}

static void test_kind_types(void **state) {
  Arena a;
  Node *k;
  (void)state;
  arena_init(&a);
  k = first(&a, "kind k { a: fte, b: €, c: h/week, d: list, e: fn }");
  assert_int_equal(k->field_count, 5);
  assert_int_equal(k->fields[4].type->kind, T_NAME);
  assert_string_equal(k->fields[4].type->name, "fn");
  assert_int_equal(k->fields[4].type->unit->count, 1);
  assert_int_equal(k->fields[0].type->kind, T_NAME);
  assert_string_equal(k->fields[0].type->name, "fte");
  assert_non_null(k->fields[0].type->unit);
  assert_int_equal(k->fields[0].type->unit->count, 1);
  assert_int_equal(k->fields[1].type->kind, T_UNIT);
  assert_int_equal(k->fields[2].type->kind, T_UNIT);
  assert_int_equal(k->fields[3].type->kind, T_NAME);
  assert_null(k->fields[0].default_value);
  assert_int_equal(k->fields[2].span.off, 25);
  arena_free(&a);
}

static void test_unit_decls(void **state) {
  (void)state;
  check_sx("unit respondent", "(unit respondent)");
  check_sx("unit werkdag = 8 h", "(unit werkdag = 8 [h])");
  check_sx("unit fte = 36 h/week", "(unit fte = 36 [h week^-1])");
  check_sx("unit % = 0.01", "(unit % = 0.01)");
  check_sx("unit € ", "(unit €)");
  check_sx("unit uur = h", "(unit uur = 1 [h])");
  check_sx("unit month = 52/12 week", "(unit month = 4.33333 [week])");
}

static void test_doc_comments(void **state) {
  Arena a;
  ParseError err;
  Node *p;
  const char *src =
      "#!/usr/bin/env kader\n"
      "# Hours per week.\n"
      "#   indented\n"
      "fn f() {}\n"
      "# not a doc: blank line follows\n"
      "\n"
      "let x = 1 # trailing\n"
      "var y = 2\n"
      "  # kind doc\n"
      "kind k {\n"
      "  # field doc\n"
      "  a: text\n"
      "  b: text # trailing\n"
      "  c: text\n"
      "}\n"
      "#\n"
      "# two\n"
      "task t\n"
      "# u\n"
      "unit q\n";
  (void)state;
  arena_init(&a);
  p = parse(&a, src, &err);
  assert_non_null(p);
  assert_int_equal(p->items.count, 6);
  assert_string_equal(p->items.items[0]->doc, "Hours per week.\n  indented");
  assert_null(p->items.items[1]->doc);
  assert_null(p->items.items[2]->doc);
  assert_string_equal(p->items.items[3]->doc, "kind doc");
  assert_string_equal(p->items.items[3]->fields[0].doc, "field doc");
  assert_null(p->items.items[3]->fields[1].doc);
  assert_null(p->items.items[3]->fields[2].doc);
  assert_string_equal(p->items.items[4]->doc, "\ntwo");
  assert_string_equal(p->items.items[5]->doc, "u");
  p = parse(&a, "#!shebang\nfn f() {}", &err);
  assert_non_null(p);
  assert_null(p->items.items[0]->doc);
  p = parse(&a, "# a\r\n# b\r\nlet x = 1", &err);
  assert_non_null(p);
  assert_string_equal(p->items.items[0]->doc, "a\nb");
  arena_free(&a);
}

/* ---- errors --------------------------------------------------------- */

static void test_errors(void **state) {
  (void)state;
  check_err("f(1 2)", "expected ')' to close the call", 4, 1, 0);
  check_err("x = \"abc", "unterminated string", 4, 1, 1);
  check_err("x = \"a{\"b\"", "unterminated string", 4, 1, 1);
  check_err("print(\"waarde {x\")\n", "unterminated string", 6, 1, 1);
  check_err("x = 1 \xff", "invalid UTF-8 byte 0xff", 6, 1, 0);
  check_err("\"\xc3\"", "invalid UTF-8 byte 0xc3", 1, 1, 0);
  check_err("# \xed\xa0\x80\n", "invalid UTF-8 byte 0xed", 2, 1, 0);
  check_err("x @ y", "unexpected character '@'", 2, 1, 0);
  check_err("x \xe2\x86\x92 y", "unexpected character '\xe2\x86\x92'", 2, 3, 0);
  check_err("x\x01", "unexpected character U+0001", 1, 1, 0);
  check_err("!x", "unexpected character '!'", 0, 1, 0);
  check_err("a & b", "unexpected character '&'", 2, 1, 0);
  check_err("f(})", "expected an expression, found '}'", 2, 1, 0);
  check_err("a < b < c", "comparisons cannot be chained; use 'and'", 6, 1, 0);
  check_err("a == b != c", "comparisons cannot be chained; use 'and'", 7, 2, 0);
  check_err("f() = 1", "cannot assign to this expression", 0, 3, 0);
  check_err("1 + 2 += 1", "cannot assign to this expression", 0, 5, 0);
  check_err("x in 3", "expected a unit after 'in'", 5, 1, 0);
  check_err("x % 2", "unexpected '%'; for the remainder use 'mod'", 2, 1, 0);
  check_err("7 % 2", "unexpected '%'; for the remainder use 'mod'", 2, 1, 0);
  check_err("% 2", "unexpected '%'; for the remainder use 'mod'", 0, 1, 0);
  check_err("\"\\q\"", "unknown escape '\\q'", 1, 2, 0);
  check_err("\"\\u{D800}\"", "'\\u{D800}' is not a valid character", 1, 8, 0);
  check_err("\"\\u{110000}\"", "'\\u{110000}' is not a valid character", 1, 10, 0);
  check_err("\"\\u{}\"",
            "invalid escape '\\u'; write 1 to 6 hex digits in braces, as in '\\u{20AC}'",
            1, 2, 0);
  check_err("\"a {} b\"", "empty interpolation '{}'; write '\\{' for a brace", 3, 2, 0);
  check_err("\"{a b}\"", "expected '}' after the expression in the string, found 'b'",
            4, 1, 0);
  check_err("\"{a +}\"", "expected an expression, found the end of the interpolation",
            5, 0, 0);
  check_err("x = €", "expected an amount after '€'", 4, 3, 0);
  check_err("x = € y", "expected an amount after '€'", 4, 3, 0);
  check_err("1 to 2 to 3", "ranges cannot be chained; use parentheses", 7, 2, 0);
  check_err("{a: 1, a: 2}", "duplicate key 'a' in the record", 7, 1, 0);
  check_err("{a: x b: 2}", "expected ',' or '}' in the record, found 'b'", 6, 1, 0);
  check_err("fn f(a, a) {}", "duplicate parameter 'a'", 8, 1, 0);
  check_err("fn f(a) x", "expected '{' or '=>' after the parameters, found 'x'", 8, 1, 0);
  check_err("let = 1", "expected a name after 'let', found '='", 4, 1, 0);
  check_err("let x", "expected '=' after 'let x', found the end of the input", 5, 0, 0);
  check_err("let x 1", "expected '=' after 'let x', found '1'", 6, 1, 0);
  check_err("x y z", "expected a line break or ';' after the statement, found 'z'", 4, 1, 0);
  check_err("}", "found '}' without a matching '{'", 0, 1, 0);
  check_err("if x y", "expected '{' to start the block, found 'y'", 5, 1, 0);
  check_err("if x { y } else z", "expected '{' to start the block, found 'z'", 16, 1, 0);
  check_err("import x", "expected a file name in quotes after 'import', found 'x'", 7, 1, 0);
  check_err("import \"{x}\"", "the file name must be a plain string, without '{...}'",
            7, 5, 0);
  check_err("task t \"{x}\"", "a label must be a plain string, without '{...}'", 7, 5, 0);
  check_err("unit 3", "expected a unit name after 'unit', found '3'", 5, 1, 0);
  check_err("unit x = \"a\"", "expected a number or a unit after '=', found a string",
            9, 3, 0);
  check_err("kind k { a }", "expected ':' after the field name, found '}'", 11, 1, 0);
  check_err("kind k { a: 3 }", "expected a type, found '3'", 12, 1, 0);
  check_err("kind k { a: one of [x] }",
            "expected a string, number, true or false as an option, found 'x'", 20, 1, 0);
  check_err("kind k a", "expected '{' to start the fields of the kind, found 'a'", 7, 1, 0);
  check_err("t x { 3 }",
            "expected a field ('name: value') or a nested declaration, found '3'", 6, 1, 0);
  check_err("t x { a: x b: 2 }",
            "expected a line break, ';' or ',' after the item, found 'b'", 11, 1, 0);
  check_err("x.3", "expected a field name after '.', found '3'", 2, 1, 0);
  check_err("3 h^x", "expected a whole number right after '^' in a unit, found 'x'",
            4, 1, 0);
  check_err("3 h^1.5", "expected a whole number right after '^' in a unit, found '1.5'",
            4, 3, 0);
  check_err("for 1 in x {}", "expected a loop variable after 'for', found '1'", 4, 1, 0);
  check_err("for x y {}", "expected 'in' after the loop variable, found 'y'", 6, 1, 0);
  check_err("(1 2)", "expected ')' to close the parenthesis", 3, 1, 0);
  check_err("f(3\nh)", "expected ')' to close the call", 4, 1, 0); /* not a unit */
  check_err("[1 2]", "expected ']' to close the list", 3, 1, 0);
  check_err("a[1 2]", "expected ']' to close the index", 4, 1, 0);
}

static void test_incomplete(void **state) {
  (void)state;
  /* at the end of the input, errors point just after the last token */
  check_err("f(1,", "expected an expression, found the end of the input", 4, 0, 1);
  /* a bracket left open: the error is at the bracket */
  check_err("f(1", "the '(' of the call to f on line 1 is never closed", 1, 1, 1);
  check_err("(1 +\n", "expected an expression, found the end of the input", 4, 0, 1);
  check_err("if x {\n  y\n", "the '{' of the if on line 1 is never closed", 5, 1, 1);
  check_err("fn f() {", "the '{' of fn f on line 1 is never closed", 7, 1, 1);
  check_err("fn f() {\n  if x {\n    y\n  g(1)\n}\n",
            "the '{' of the if on line 2 is never closed; it probably should be closed "
            "before line 4", 16, 1, 1);
  check_err("x = {a: 1,\n", "expected '}' to close the record", 10, 0, 1);
  check_err("x = [1,", "expected an expression, found the end of the input", 7, 0, 1);
  check_err("1 +", "expected an expression, found the end of the input", 3, 0, 1);
  check_err("1 +\n", "expected an expression, found the end of the input", 3, 0, 1);
  check_err("x =", "expected an expression, found the end of the input", 3, 0, 1);
  check_err("a and", "expected an expression, found the end of the input", 5, 0, 1);
  check_err("1 to", "expected an expression, found the end of the input", 4, 0, 1);
  check_err("x in", "expected a unit after 'in'", 4, 0, 1);
  check_err("print(\"abc", "unterminated string", 6, 1, 1);
  check_err("kind k {\n a: text\n", "the '{' of kind k on line 1 is never closed", 7, 1, 1);
  check_err("t x {\n a: 1\n", "the '{' of t x on line 1 is never closed", 4, 1, 1);
  check_err("t x {\n a: 1\nt y {\n b: 2\n}\n",
            "the '{' of t x on line 1 is never closed; it probably should be closed "
            "before line 3", 4, 1, 1);
  /* complete but wrong */
  check_err("1 + )", "expected an expression, found ')'", 4, 1, 0);
  check_err("let x", "expected '=' after 'let x', found the end of the input", 5, 0, 0);
  check_err("if x {} else", "expected '{' to start the block, found the end of the input",
            12, 0, 1);
  check_err("x y z", "expected a line break or ';' after the statement, found 'z'", 4, 1, 0);
}

static void test_nesting_limit(void **state) {
  char buf[4096];
  int i, n;
  (void)state;
  for (n = 0, i = 0; i < 200; i++) buf[n++] = '(';
  buf[n++] = '1';
  for (i = 0; i < 200; i++) buf[n++] = ')';
  buf[n] = '\0';
  check_sx(buf, "1");
  for (n = 0, i = 0; i < 201; i++) buf[n++] = '(';
  buf[n++] = '1';
  for (i = 0; i < 201; i++) buf[n++] = ')';
  buf[n] = '\0';
  check_err(buf, "nested too deeply (more than 200 levels)", 200, 1, 0);
  for (n = 0, i = 0; i < 300; i++) buf[n++] = '-';
  buf[n++] = '1';
  buf[n] = '\0';
  check_err(buf, "nested too deeply (more than 200 levels)", 200, 1, 0);
  for (n = 0, i = 0; i < 300; i++) n += sprintf(buf + n, "2^");
  n += sprintf(buf + n, "2");
  check_err(buf, "nested too deeply (more than 200 levels)", 401, 1, 0);
  for (n = 0, i = 0; i < 300; i++) n += sprintf(buf + n, "if x {");
  check_err(buf, "nested too deeply (more than 200 levels)", 1205, 1, 0);
  for (n = 0, i = 0; i < 300; i++) buf[n++] = '[';
  check_err(buf, "nested too deeply (more than 200 levels)", 200, 1, 0);
  for (n = 0, i = 0; i < 300; i++) n += sprintf(buf + n, "{a:");
  check_err(buf, "nested too deeply (more than 200 levels)", 600, 1, 0);
  for (n = 0, i = 0; i < 300; i++) n += sprintf(buf + n, "\"{");
  check_err(buf, "nested too deeply (more than 200 levels)", 401, 1, 0);
  for (n = 0, i = 0; i < 300; i++) n += sprintf(buf + n, "not ");
  n += sprintf(buf + n, "x");
  check_err(buf, "nested too deeply (more than 200 levels)", 800, 3, 0);
  for (n = 0, i = 0; i < 300; i++) n += sprintf(buf + n, "a b {");
  check_err(buf, "nested too deeply (more than 200 levels)", 1000, 1, 0);
  for (n = 0, i = 0; i < 300; i++) n += sprintf(buf + n, "fn()=>");
  check_err(buf, "nested too deeply (more than 200 levels)", 1204, 2, 0);
}

/* ---- robustness ----------------------------------------------------- */

/* xorshift: reproducible inputs without global state */
static uint32_t rnd(uint32_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 17;
  *s ^= *s << 5;
  return *s;
}

static void parse_bytes(const char *src, size_t len) {
  Arena a;
  ParseError err;
  char *copy = malloc(len ? len : 1);
  Node *n;
  assert_non_null(copy);
  memcpy(copy, src, len);
  arena_init(&a);
  n = kd_parse(&a, copy, len, &err);
  if (n == NULL) {
    assert_true(err.message[0] != '\0');
    assert_true((size_t)err.span.off + err.span.len <= len);
  }
  arena_free(&a);
  free(copy);
}

static const char *const corpus[] = {
  "let x = 3 h/week + 10 h/quarter in h/week\nprint(x)\n",
  "kind task \"Taak\" {\n  description: text = \"\"\n  hours: h/week = nil\n"
  "  activities: list of activity\n  how: one of [\"a\", 1]\n}\n",
  "task t \"T\" {\n  description: \"x {y} z\"\n  activity a { hours: 3 h/week }\n}\n",
  "fn f(a, b) {\n  if a < b { return a } else if a > b { return b }\n"
  "  for i, x in [1, 2] { while true { break } }\n  return {a: 1, \"b\": [2]}\n}\n",
  "let f = fn (x) => x ^ -2 * €5000/year mod 3\nvar y\ny += f(27.5%)[1].z\n",
  "# doc\nunit werkdag = 8 h\nunit % = 0.01\nimport \"x.kader\"\n"
  "print(\"\\u{20AC} \\{ {1 to 3} \\}\", not a and b or c == d)\n",
};

static const char *const soup[] = {
  "let ", "var ", "fn ", "if ", "else ", "while ", "for ", "in ", "to ",
  "return ", "kind ", "unit ", "import ", "x ", "y", "3 ", "2.5e3", "h", "/",
  "week", "€", "%", "·", "^", "-", "+", "*", "(", ")", "[", "]", "{", "}",
  ",", ".", ":", ";", "=>", "=", "==", "<", "\n", "\"", "\"a{", "}\"", "#c\n",
  "and ", "or ", "not ", "mod ", "\\", "\xff", "\xc3", "é", "one of ", "list of ",
};

static void test_fuzz(void **state) {
  uint32_t seed = 12345;
  char buf[600];
  int round;
  size_t i, k;
  (void)state;
  for (round = 0; round < 3000; round++) { /* random bytes */
    size_t len = rnd(&seed) % 64;
    for (i = 0; i < len; i++) buf[i] = (char)(rnd(&seed) & 0xFF);
    parse_bytes(buf, len);
  }
  for (round = 0; round < 6000; round++) { /* token soup */
    size_t len = 0, parts = rnd(&seed) % 40;
    for (k = 0; k < parts; k++) {
      const char *s = soup[rnd(&seed) % (sizeof soup / sizeof soup[0])];
      size_t n = strlen(s);
      if (len + n > sizeof buf) break;
      memcpy(buf + len, s, n);
      len += n;
    }
    parse_bytes(buf, len);
  }
  for (k = 0; k < sizeof corpus / sizeof corpus[0]; k++) { /* mutations */
    size_t base = strlen(corpus[k]);
    parse_bytes(corpus[k], base);
    for (i = 0; i <= base; i++) parse_bytes(corpus[k], i); /* every truncation */
    for (round = 0; round < 2000; round++) {
      size_t len = base, m, muts = 1 + rnd(&seed) % 4;
      memcpy(buf, corpus[k], base);
      for (m = 0; m < muts && len > 0; m++) {
        size_t at = rnd(&seed) % len;
        switch (rnd(&seed) % 3) {
        case 0: buf[at] = (char)(rnd(&seed) & 0xFF); break;
        case 1: memmove(buf + at, buf + at + 1, len - at - 1); len--; break;
        default:
          if (len < sizeof buf) {
            memmove(buf + at + 1, buf + at, len - at);
            buf[at] = "(){}[]\"\\,;\n#%/"[rnd(&seed) % 15];
            len++;
          }
        }
      }
      parse_bytes(buf, len);
    }
  }
}

static void test_big_inputs(void **state) {
  size_t n = 200000, i;
  char *s = malloc(n * 12 + 16);
  size_t len = 0;
  (void)state;
  assert_non_null(s);
  /* many keys: duplicate detection must not be quadratic */
  len += (size_t)sprintf(s, "{");
  for (i = 0; i < n; i++) len += (size_t)sprintf(s + len, "k%zu:1,", i);
  s[len++] = '}';
  parse_bytes(s, len);
  /* a huge number literal */
  memset(s, '9', n);
  parse_bytes(s, n);
  free(s);
  parse_bytes("", 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_precedence),   cmocka_unit_test(test_literals),
    cmocka_unit_test(test_interp_spans), cmocka_unit_test(test_quantities),
    cmocka_unit_test(test_statements),   cmocka_unit_test(test_lambdas),
    cmocka_unit_test(test_declarations), cmocka_unit_test(test_kinds),
    cmocka_unit_test(test_kind_types),   cmocka_unit_test(test_unit_decls),
    cmocka_unit_test(test_doc_comments), cmocka_unit_test(test_errors),
    cmocka_unit_test(test_incomplete),   cmocka_unit_test(test_nesting_limit),
    cmocka_unit_test(test_fuzz),         cmocka_unit_test(test_big_inputs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

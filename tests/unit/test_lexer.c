/*
** test_lexer.c — tokens, their spans and flags, and lexical errors.
**
** Token streams are compared as strings: names as $x, numbers as #3,
** line breaks as NL, everything else as its source text.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lexer.h"

/* Lexes a copy without a NUL after it, so reads past the end fault under
** ASan; returns the token stream, or "ERROR <message> @off+len". */
static char *lex_all(const char *src, size_t len) {
  char *copy = malloc(len ? len : 1), *out = malloc(8192);
  size_t n = 0;
  Lexer L;
  assert_non_null(copy);
  assert_non_null(out);
  memcpy(copy, src, len);
  lex_init(&L, copy, 0, len, 0);
  out[0] = '\0';
  for (;;) {
    Token t = lex_next(&L);
    const char *sep = n ? " " : "";
    if (t.type == TK_EOF) break;
    if (t.type == TK_ERROR) {
      n += (size_t)snprintf(out + n, 8192 - n, "%sERROR %s @%u+%u%s", sep, L.err_msg,
                            t.span.off, t.span.len, L.err_incomplete ? " (more)" : "");
      break;
    }
    if (t.type == TK_NEWLINE) n += (size_t)snprintf(out + n, 8192 - n, "%sNL", sep);
    else if (t.type == TK_NAME)
      n += (size_t)snprintf(out + n, 8192 - n, "%s$%.*s", sep, (int)t.span.len,
                            copy + t.span.off);
    else if (t.type == TK_NUMBER)
      n += (size_t)snprintf(out + n, 8192 - n, "%s#%g", sep, t.number);
    else
      n += (size_t)snprintf(out + n, 8192 - n, "%s%.*s", sep, (int)t.span.len,
                            copy + t.span.off);
    assert_true(n < 8000);
  }
  free(copy);
  return out;
}

#define check_lex(src, want) check_lex_at(src, sizeof(src) - 1, want, __LINE__)
static void check_lex_at(const char *src, size_t len, const char *want, int line) {
  char *got = lex_all(src, len);
  if (strcmp(got, want) != 0) {
    print_error("line %d: lexing '%s'\n  got:  %s\n  want: %s\n", line, src, got, want);
    free(got);
    _fail(__FILE__, line);
  }
  free(got);
}

/* All tokens of src, for flag and span checks. */
static int tokens(const char *src, Token *out, int max) {
  Lexer L;
  int n = 0;
  lex_init(&L, src, 0, strlen(src), 0);
  while (n < max) {
    out[n] = lex_next(&L);
    if (out[n].type == TK_EOF || out[n].type == TK_ERROR) return n + 1;
    n++;
  }
  return n;
}

static void test_every_token(void **state) {
  (void)state;
  check_lex("and break continue else false fn for if import in kind let mod nil "
            "not or return to true unit var while",
            "and break continue else false fn for if import in kind let mod nil "
            "not or return to true unit var while");
  check_lex("+ - * / ^ == != < <= > >= = += -= *= /= ( ) [ ] { } , . : ; => \xe2\x82\xac "
            "\xc2\xb7 %",
            "+ - * / ^ == != < <= > >= = += -= *= /= ( ) [ ] { } , . : ; => \xe2\x82\xac "
            "\xc2\xb7 %");
  check_lex("a+=b==c=>d", "$a += $b == $c => $d");
  check_lex("x<=y>=z<w>v", "$x <= $y >= $z < $w > $v");
  check_lex("of one list andx _a1 A_", "$of $one $list $andx $_a1 $A_");
  check_lex("", "");
  check_lex("   ", "");
}

static void test_kinds_of_token(void **state) {
  Token t[8];
  (void)state;
  assert_int_equal(tokens("x 1 \"s\" and", t, 8), 5);
  assert_int_equal(t[0].type, TK_NAME);
  assert_int_equal(t[1].type, TK_NUMBER);
  assert_int_equal(t[2].type, TK_STRING);
  assert_int_equal(t[3].type, TK_AND);
  assert_int_equal(t[4].type, TK_EOF);
  assert_int_equal(t[4].span.off, 11);
  assert_string_equal(lex_type_name(TK_AND), "'and'");
  assert_string_equal(lex_type_name(TK_EURO), "'\xe2\x82\xac'");
  assert_string_equal(lex_type_name(TK_PERCENT), "'%'");
  assert_string_equal(lex_type_name(TK_EOF), "the end of the input");
}

static void test_numbers(void **state) {
  Token t[4];
  (void)state;
  check_lex("12 0.5 1e6 1E+2 2.5e-3 1_000_000 3_4.5_6", "#12 #0.5 #1e+06 #100 #0.0025 #1e+06 #34.56");
  check_lex("2e", "#2 $e");
  check_lex("2e+", "#2 $e +");
  check_lex("2ex", "#2 $ex");
  check_lex("1.", "#1 .");
  check_lex("1.x", "#1 . $x");
  check_lex("1..2", "#1 . . #2");
  check_lex("1_", "#1 $_");
  check_lex("1__0", "#1 $__0");
  check_lex("3h", "#3 $h");
  check_lex("1e999", "#inf");
  check_lex("0x10", "#0 $x10");
  tokens("1_000.25", t, 4);
  assert_true(t[0].number == 1000.25);
  assert_int_equal(t[0].span.len, 8);
}

static void test_strings(void **state) {
  (void)state;
  check_lex("\"abc\" \"\"", "\"abc\" \"\"");
  check_lex("\"a\\n\\t\\r\\\\\\\"\\{\\}\\0\\u{20AC}\\u{1F600}\\u{a}\"",
            "\"a\\n\\t\\r\\\\\\\"\\{\\}\\0\\u{20AC}\\u{1F600}\\u{a}\"");
  check_lex("\"two\nlines\" x", "\"two\nlines\" $x");
  check_lex("\"a {x} b\"", "\"a {x} b\"");
  check_lex("\"{ f(\"}\") }\"", "\"{ f(\"}\") }\"");
  check_lex("\"{ \"{1}\" }\"", "\"{ \"{1}\" }\"");
  check_lex("\"{ {a: 1} }\"", "\"{ {a: 1} }\"");
  check_lex("\"a} b\"", "\"a} b\"");
  check_lex("\"# not a comment\"", "\"# not a comment\"");
  check_lex("\"abc", "ERROR unterminated string @0+1 (more)");
  check_lex("x \"abc\\", "$x ERROR unterminated string @2+1 (more)");
  check_lex("\"a{x", "ERROR unterminated string @0+1 (more)");
  /* a quote inside an interpolation starts a nested string */
  check_lex("\"a{x\"", "ERROR unterminated string @0+1 (more)");
  check_lex("\"{\"", "ERROR unterminated string @0+1 (more)");
  check_lex("\"{f(\"a\")} {y\"", "ERROR unterminated string @0+1 (more)");
  check_lex("\"\\q\"", "ERROR unknown escape '\\q' @1+2");
  check_lex("\"\\\xc3\xa9\"", "ERROR unknown escape '\\\xc3\xa9' @1+3");
  check_lex("\"\\\n\"", "ERROR unknown escape '\\' followed by U+000A @1+2");
  check_lex("\"\\u{dfff}\"", "ERROR '\\u{dfff}' is not a valid character @1+8");
  check_lex("\"\\u{1234567}\"",
            "ERROR invalid escape '\\u'; write 1 to 6 hex digits in braces, as in '\\u{20AC}' @1+2");
  check_lex("\"\\u20AC\"",
            "ERROR invalid escape '\\u'; write 1 to 6 hex digits in braces, as in '\\u{20AC}' @1+2");
  check_lex("\"{}\"", "ERROR empty interpolation '{}'; write '\\{' for a brace @1+2");
  check_lex("\"{ \n }\"", "ERROR empty interpolation '{}'; write '\\{' for a brace @1+5");
}

static void test_unescape_and_interp(void **state) {
  const char *s = "\"a\\n\\u{20AC}\\{x\\} {f(\"}\")} z\"";
  char out[64];
  size_t n, open, close;
  (void)state;
  open = lex_next_interp(s, 1, strlen(s) - 1);
  assert_int_equal(open, 18);
  close = lex_interp_end(s, open, strlen(s) - 1);
  assert_int_equal(close, 25);
  n = lex_unescape(s, 1, open, out);
  assert_int_equal(n, 9);
  assert_memory_equal(out, "a\n\xe2\x82\xac{x} ", 9);
  n = lex_unescape("\\0", 0, 2, out);
  assert_int_equal(n, 1);
  assert_int_equal(out[0], 0);
  assert_int_equal(lex_next_interp("ab", 0, 2), 2);
}

static void test_non_ascii_names(void **state) {
  (void)state;
  check_lex("financi\xc3\xabn \xc3\xa9\xc3\xa9n", "$financi\xc3\xabn $\xc3\xa9\xc3\xa9n");
  check_lex("\xce\xb1\xce\xb2\xce\xb3 \xd0\xb4\xd0\xb0", "$\xce\xb1\xce\xb2\xce\xb3 $\xd0\xb4\xd0\xb0");
  check_lex("e\xcc\x81x", "$e\xcc\x81x"); /* combining acute after the first letter */
  check_lex("\xcc\x81x", "ERROR unexpected character '\xcc\x81' @0+2");
  check_lex("a\xc3\x97" "b", "$a ERROR unexpected character '\xc3\x97' @1+2"); /* × */
  check_lex("\xc3\xb7", "ERROR unexpected character '\xc3\xb7' @0+2");           /* ÷ */
  check_lex("\xe2\x82\xac" "5 5\xe2\x82\xac", "\xe2\x82\xac #5 #5 \xe2\x82\xac");
  check_lex("h\xc2\xb7week", "$h \xc2\xb7 $week");
  check_lex("\xe2\x86\x92", "ERROR unexpected character '\xe2\x86\x92' @0+3");
  check_lex("@", "ERROR unexpected character '@' @0+1");
  check_lex("!", "ERROR unexpected character '!' @0+1");
  check_lex("a & b", "$a ERROR unexpected character '&' @2+1");
  check_lex("\x7f", "ERROR unexpected character U+007F @0+1");
  check_lex("x\0y", "$x ERROR unexpected character U+0000 @1+1");
  check_lex("\xc2\x85", "ERROR unexpected character U+0085 @0+2");
}

static void test_invalid_utf8(void **state) {
  (void)state;
  check_lex("\xff", "ERROR invalid UTF-8 byte 0xff @0+1");
  check_lex("x \xc3", "$x ERROR invalid UTF-8 byte 0xc3 @2+1");        /* truncated */
  check_lex("\xe2\x82", "ERROR invalid UTF-8 byte 0xe2 @0+1");          /* truncated */
  check_lex("\xc0\xaf", "ERROR invalid UTF-8 byte 0xc0 @0+1");          /* overlong */
  check_lex("\xe0\x80\xaf", "ERROR invalid UTF-8 byte 0xe0 @0+1");      /* overlong */
  check_lex("\xf0\x80\x80\xaf", "ERROR invalid UTF-8 byte 0xf0 @0+1");  /* overlong */
  check_lex("\xed\xa0\x80", "ERROR invalid UTF-8 byte 0xed @0+1");      /* surrogate */
  check_lex("\xf4\x90\x80\x80", "ERROR invalid UTF-8 byte 0xf4 @0+1");  /* > U+10FFFF */
  check_lex("\x80", "ERROR invalid UTF-8 byte 0x80 @0+1");              /* continuation */
  check_lex("ab\xc3\xa9\xff", "ERROR invalid UTF-8 byte 0xff @4+1");    /* inside a name */
  check_lex("\"a\xfe\"", "ERROR invalid UTF-8 byte 0xfe @2+1");          /* in a string */
  check_lex("\"{\xfe}\"", "ERROR invalid UTF-8 byte 0xfe @2+1");         /* in an interpolation */
  check_lex("x # \xc3(\n", "$x ERROR invalid UTF-8 byte 0xc3 @4+1");   /* in a comment */
  check_lex("\"\\\xff\"", "ERROR invalid UTF-8 byte 0xff @2+1");         /* after a backslash */
  check_lex("\xf0\x9f\x98\x80", "ERROR unexpected character '\xf0\x9f\x98\x80' @0+4");
  /* sticky: the error repeats */
  {
    Lexer L;
    Token t;
    lex_init(&L, "\xff x", 0, 3, 0);
    t = lex_next(&L);
    assert_int_equal(t.type, TK_ERROR);
    t = lex_next(&L);
    assert_int_equal(t.type, TK_ERROR);
  }
}

static void test_newlines(void **state) {
  (void)state;
  check_lex("a\nb", "$a NL $b");
  check_lex("a\n\n\n  \n b\n", "$a NL $b NL");
  check_lex("\n\na", "$a");
  check_lex("a # c\n# d\n\nb", "$a NL $b");
  check_lex("f(a,\n b)\nc", "$f ( $a , $b ) NL $c");
  check_lex("[1,\n 2]", "[ #1 , #2 ]");
  check_lex("{\na\n}", "{ NL $a NL }");
  check_lex("({\na\n})", "( { NL $a NL } )");
  check_lex("{(\na\n)}", "{ ( $a ) }");
  check_lex("[{\n}\n]", "[ { NL } ]");
  check_lex("a;b", "$a ; $b");
  check_lex("a\r\nb", "$a NL $b");
  check_lex("#!/usr/bin/env kader\nx", "$x");
  check_lex("))\na", ") ) NL $a"); /* unbalanced closers do not underflow */
}

static void test_flags(void **state) {
  Token t[16];
  int n;
  (void)state;
  n = tokens("3 h/week\n  x(y) ", t, 16);
  assert_int_equal(n, 10);
  assert_true(t[0].space_before);        /* 3: line start */
  assert_false(t[0].newline_before);
  assert_true(t[1].space_before);        /* h */
  assert_false(t[2].space_before);       /* / */
  assert_false(t[3].space_before);       /* week */
  assert_int_equal(t[4].type, TK_NEWLINE);
  assert_true(t[5].space_before);        /* x */
  assert_true(t[5].newline_before);
  assert_false(t[6].space_before);       /* ( */
  assert_false(t[6].newline_before);
  assert_int_equal(t[5].span.off, 11);
  assert_int_equal(t[5].span.len, 1);
  n = tokens("(a\nb)", t, 16);
  assert_int_equal(t[2].type, TK_NAME);
  assert_true(t[2].newline_before);
  assert_true(t[2].space_before);
  n = tokens("a\t#c\n", t, 16);
  assert_int_equal(t[1].type, TK_NEWLINE);
  n = tokens("x  +\ty", t, 16);
  assert_true(t[1].space_before);
  assert_true(t[2].space_before);
  (void)n;
}

static void test_doc_spans(void **state) {
  Token t[16];
  const char *src = "# one\n  # two\nfn\n# no\n\nlet # x\n# y\nz";
  (void)state;
  tokens(src, t, 16);
  assert_int_equal(t[0].type, TK_FN);
  assert_int_equal(t[0].doc.off, 0);
  assert_int_equal(t[0].doc.len, 13);
  assert_int_equal(t[2].type, TK_LET);
  assert_int_equal(t[2].doc.len, 0);
  assert_int_equal(t[4].type, TK_NAME); /* z: "# x" trails code, "# y" is its doc */
  assert_int_equal(t[4].doc.off, 31);
  assert_int_equal(t[4].doc.len, 3);
}

static void test_sub_lexer(void **state) {
  /* an interpolation is lexed in place; line breaks never separate there */
  const char *s = "\"{a +\n b}\"";
  Lexer L;
  Token t;
  (void)state;
  lex_init(&L, s, 2, 8, 1);
  t = lex_next(&L);
  assert_int_equal(t.type, TK_NAME);
  assert_int_equal(t.span.off, 2);
  t = lex_next(&L);
  assert_int_equal(t.type, TK_PLUS);
  t = lex_next(&L);
  assert_int_equal(t.type, TK_NAME);
  assert_int_equal(t.span.off, 7);
  t = lex_next(&L);
  assert_int_equal(t.type, TK_EOF);
  assert_int_equal(t.span.off, 8);
}

static void test_random_bytes(void **state) {
  uint32_t seed = 99;
  char buf[256];
  int round;
  size_t i;
  (void)state;
  for (round = 0; round < 20000; round++) {
    size_t len = (seed = seed * 1103515245u + 12345u) >> 24;
    char *out;
    for (i = 0; i < len; i++) {
      seed = seed * 1103515245u + 12345u;
      buf[i] = (char)(seed >> 16);
      if ((seed >> 8) % 4 == 0) buf[i] = "\"{}\\#\n(["[(seed >> 12) % 8];
    }
    out = lex_all(buf, len);
    free(out);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_every_token),   cmocka_unit_test(test_kinds_of_token),
    cmocka_unit_test(test_numbers),       cmocka_unit_test(test_strings),
    cmocka_unit_test(test_unescape_and_interp),
    cmocka_unit_test(test_non_ascii_names), cmocka_unit_test(test_invalid_utf8),
    cmocka_unit_test(test_newlines),      cmocka_unit_test(test_flags),
    cmocka_unit_test(test_doc_spans),     cmocka_unit_test(test_sub_lexer),
    cmocka_unit_test(test_random_bytes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

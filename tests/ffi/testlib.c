/*
** testlib.c — a small C library for the FFI tests: integers of each width,
** doubles, texts in and out, a struct by value, a callback, and handles.
** Built by `make test` into build/libkadertest.so.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int8_t add_i8(int8_t a, int8_t b) { return (int8_t)(a + b); }
uint8_t add_u8(uint8_t a, uint8_t b) { return (uint8_t)(a + b); }
int16_t add_i16(int16_t a, int16_t b) { return (int16_t)(a + b); }
int32_t add_i32(int32_t a, int32_t b) { return a + b; }
uint32_t add_u32(uint32_t a, uint32_t b) { return a + b; }
int64_t add_i64(int64_t a, int64_t b) { return a + b; }
double scale(double x, double factor) { return x * factor; }
float half(float x) { return x / 2; }
int is_true(_Bool b) { return b ? 1 : 0; }

/* texts */
size_t count_chars(const char *s) { return strlen(s); }
const char *greeting(int dutch) { return dutch ? "goedemorgen" : "good morning"; }
const char *nothing(void) { return NULL; }

/* a struct by value */
typedef struct { double x; double y; } Point;
Point make_point(double x, double y) { Point p = {x, y}; return p; }
double point_length2(Point p) { return p.x * p.x + p.y * p.y; }
typedef struct { int32_t id; double hours; int8_t flag; } Task;
Task double_task(Task t) { t.hours *= 2; t.flag = !t.flag; return t; }

/* a callback */
int32_t apply_twice(int32_t (*f)(int32_t), int32_t x) { return f(f(x)); }
double sum_with(double (*f)(double), int n) {
  double s = 0;
  for (int i = 1; i <= n; i++) s += f(i);
  return s;
}

/* an opaque handle */
typedef struct { int count; } Counter;
Counter *counter_new(void) { Counter *c = malloc(sizeof *c); c->count = 0; return c; }
int counter_add(Counter *c, int n) { c->count += n; return c->count; }
void counter_free(Counter *c) { free(c); }

/*
** opcodes.h — the instruction set, listed once.
**
** OPCODE(name, operand bytes). Included with different definitions of OPCODE
** to build the enum, the names for the disassembler and the dispatch table.
** Operands are big-endian: u8 (1 byte) or u16 (2 bytes). The comment says
** what the instruction does to the stack: [before] -> [after].
*/

/* Constants and literals */
OPCODE(CONST, 2)        /* [] -> [consts[u16]] */
OPCODE(NIL, 0)          /* [] -> [nil] */
OPCODE(TRUE, 0)         /* [] -> [true] */
OPCODE(FALSE, 0)        /* [] -> [false] */
OPCODE(POP, 0)          /* [x] -> [] */
OPCODE(DUP, 0)          /* [x] -> [x x] */
OPCODE(DUP2, 0)         /* [x y] -> [x y x y] */
OPCODE(UNDEF, 0)        /* [] -> [undef]: marks a required kind field */

/* Variables */
OPCODE(GET_LOCAL, 1)    /* [] -> [slots[u8]] */
OPCODE(SET_LOCAL, 1)    /* [x] -> []; slots[u8] = x */
OPCODE(GET_GLOBAL, 2)   /* [] -> [globals[u16]]; error when undefined */
OPCODE(SET_GLOBAL, 2)   /* [x] -> []; error when undefined or constant */
OPCODE(DEFINE_GLOBAL, 3)/* [x] -> []; globals[u16] = x, u8 = 1 when `let` */
OPCODE(GET_KIND, 2)     /* [] -> [globals[u16]]; error unless it is a kind */
OPCODE(GET_UPVAL, 1)    /* [] -> [*upvalues[u8]] */
OPCODE(SET_UPVAL, 1)    /* [x] -> []; *upvalues[u8] = x */
OPCODE(CLOSE_UPVAL, 0)  /* [x] -> []; closes upvalues pointing at x */

/* Fields and indexing; GET_FIELD's u8 caches the slot of the last lookup */
OPCODE(GET_FIELD, 3)    /* [r] -> [r.consts[u16]] */
OPCODE(SET_FIELD, 2)    /* [r x] -> []; r.consts[u16] = x (kinds checked) */
OPCODE(GET_INDEX, 0)    /* [c i] -> [c[i]] */
OPCODE(SET_INDEX, 0)    /* [c i x] -> []; c[i] = x */

/* Arithmetic: plain numbers inline, quantities and ranges in arith.c */
OPCODE(ADD, 0)          /* [a b] -> [a + b] */
OPCODE(SUB, 0)          /* [a b] -> [a - b] */
OPCODE(MUL, 0)          /* [a b] -> [a * b] */
OPCODE(DIV, 0)          /* [a b] -> [a / b]; division by zero is an error */
OPCODE(MOD, 0)          /* [a b] -> [a mod b], floored */
OPCODE(POW, 0)          /* [a b] -> [a ^ b] */
OPCODE(NEG, 0)          /* [a] -> [-a] */
OPCODE(NOT, 0)          /* [a] -> [not a] */
OPCODE(EQ, 0)           /* [a b] -> [a == b] */
OPCODE(NE, 0)           /* [a b] -> [a != b] */
OPCODE(LT, 0)           /* [a b] -> [a < b] */
OPCODE(LE, 0)           /* [a b] -> [a <= b] */
OPCODE(GT, 0)           /* [a b] -> [a > b] */
OPCODE(GE, 0)           /* [a b] -> [a >= b] */
/* The same with a number constant on the right (i + 1, x * 3, n mod 7):
** one dispatch less for the most common shapes in loops */
OPCODE(ADD_CONST, 2)    /* [a] -> [a + consts[u16]] */
OPCODE(SUB_CONST, 2)    /* [a] -> [a - consts[u16]] */
OPCODE(MUL_CONST, 2)    /* [a] -> [a * consts[u16]] */
OPCODE(DIV_CONST, 2)    /* [a] -> [a / consts[u16]] */
OPCODE(MOD_CONST, 2)    /* [a] -> [a mod consts[u16]] */
OPCODE(ADD_TO_LOCAL, 1) /* [x] -> []; slots[u8] = slots[u8] + x (totals) */
OPCODE(ADD_TO_GLOBAL, 2)/* [x] -> []; globals[u16] = globals[u16] + x */
OPCODE(INCR_LOCAL, 3)   /* [] -> []; slots[u8] += consts[u16] (i = i + 1) */
OPCODE(INCR_GLOBAL, 4)  /* [] -> []; globals[u16] += consts[u16 #2] */
OPCODE(RANGE, 0)        /* [lo hi] -> [lo to hi] */
OPCODE(CONVERT, 2)      /* [x] -> [x in unit of consts[u16]] */
OPCODE(CHECK_UNIT, 2)   /* [] -> []; error unless consts[u16]'s unit names
                           are all defined (units the compiler did not know) */

/* Control flow; jump offsets are u16 from the end of the instruction */
OPCODE(JUMP, 2)         /* ip += u16 */
OPCODE(JUMP_IF_FALSE, 2)/* [c] -> []; ip += u16 when c is false or nil */
OPCODE(LOOP, 2)         /* ip -= u16 */
OPCODE(AND, 2)          /* [a] -> [a] and jump when a is false, else [] */
OPCODE(OR, 2)           /* [a] -> [a] and jump when a is true, else [] */
OPCODE(LT_JUMP, 2)      /* [a b] -> []; ip += u16 unless a < b (loop tests) */
OPCODE(LT_CONST_JUMP, 4)/* [a] -> []; ip += u16 #2 unless a < consts[u16] */
/* A while loop tests at its end and jumps back while the test holds */
OPCODE(LOOP_IF_TRUE, 2) /* [c] -> []; ip -= u16 when c is true */
OPCODE(LT_LOOP, 2)      /* [a b] -> []; ip -= u16 when a < b */
OPCODE(LT_CONST_LOOP, 4)/* [a] -> []; ip -= u16 #2 when a < consts[u16] */
OPCODE(ITER_PREP, 1)    /* [x] -> [iterable 0]; checks x can be iterated,
                           u8 = number of loop variables */
OPCODE(ITER_NEXT, 4)    /* u8 slot of iterable, u8 variables, u16 exit:
                           sets the loop variables or jumps to the exit */

/* Functions */
OPCODE(CALL, 1)         /* [f a1..an] -> [result], n = u8 */
OPCODE(CLOSURE, 2)      /* [] -> [closure of consts[u16]]; then per upvalue
                           u8 is_local, u8 index */
OPCODE(RETURN, 0)       /* [x] -> returns x to the caller */

/* Building values */
OPCODE(LIST, 2)         /* [x1..xn] -> [list], n = u16 */
OPCODE(RECORD, 2)       /* [k1 v1..kn vn] -> [record], n = u16 */
OPCODE(INTERP, 2)       /* [x1..xn] -> [string], each shown as print does */

/* Modules, units and the domain vocabulary */
OPCODE(IMPORT, 2)       /* [] -> []; runs the file consts[u16] once */
OPCODE(IS_MAIN, 0)      /* [] -> [b]: is this code's file the one being run
                           (not imported)? A `main { }` block tests it */
OPCODE(EXPECT, 3)       /* [got expected tolerance] -> []; an expect statement:
                           u8 its comparison (a BinaryOp, B_NONE: truth),
                           consts[u16] the source of what it checks */
OPCODE(DEFINE_UNIT, 4)  /* [] -> []; unit named consts[u16] is defined as
                           consts[u16 #2]: nil (a base unit), a number (a
                           dimensionless factor) or a quantity */
OPCODE(MAKE_TYPE, 1)    /* [args] -> [type]; u8 = TypeTag (see compiler) */
OPCODE(DEFINE_KIND, 3)  /* [label doc f1 t1 d1 doc1 ..] -> [kind]; u16 name
                           const, u8 field count */
OPCODE(DECL_BEGIN, 3)   /* [kind label] -> [decl]; u16 id const, u8 0 */
OPCODE(DECL_FIELD, 2)   /* [decl x] -> [decl]; decl.consts[u16] = x checked */
OPCODE(DECL_CHILD, 0)   /* [decl child] -> [decl]; child goes into its field */
OPCODE(DECL_END, 0)     /* [decl] -> [decl]; defaults, required fields */
OPCODE(PRINT_RESULT, 0) /* [x] -> []; REPL: print x unless nil, bind _ */

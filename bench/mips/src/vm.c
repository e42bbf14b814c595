/* vm: a small stack-machine bytecode interpreter (switch dispatch) running a hashing loop. */
#include "bench.h"

#ifndef ROUNDS
#define ROUNDS 300000
#endif

enum op {
  OP_HALT,
  OP_PUSH,  /* push imm */
  OP_LOAD,  /* push locals[imm] */
  OP_STORE, /* locals[imm] = pop */
  OP_ADD,
  OP_SUB,
  OP_MUL,
  OP_XOR,
  OP_AND,
  OP_SHL,
  OP_SHR,
  OP_DUP,
  OP_SWAP,
  OP_DROP,
  OP_LT,    /* b = pop, a = pop, push a < b */
  OP_JZ,    /* if pop == 0: pc = imm */
  OP_JMP,   /* pc = imm */
  OP_INC,   /* locals[imm] += 1 */
};

struct insn {
  uint32_t op;
  uint32_t pad;
  uint64_t imm;
};

#define MAX_CODE 128
#define STACK_DEPTH 32
#define N_LOCALS 8

static struct insn code[MAX_CODE];
static uint32_t code_len;

static uint32_t emit(enum op op, uint64_t imm) {
  code[code_len].op = op;
  code[code_len].imm = imm;
  return code_len++;
}

static uint64_t run(const struct insn *prog, uint64_t *locals) {
  uint64_t stack[STACK_DEPTH];
  uint64_t *sp = stack; /* points one past the top */
  uint32_t pc = 0;
  for (;;) {
    const struct insn *in = &prog[pc++];
    uint64_t b;
    switch (in->op) {
    case OP_HALT:
      return sp > stack ? sp[-1] : 0;
    case OP_PUSH:
      *sp++ = in->imm;
      break;
    case OP_LOAD:
      *sp++ = locals[in->imm];
      break;
    case OP_STORE:
      locals[in->imm] = *--sp;
      break;
    case OP_ADD:
      b = *--sp;
      sp[-1] += b;
      break;
    case OP_SUB:
      b = *--sp;
      sp[-1] -= b;
      break;
    case OP_MUL:
      b = *--sp;
      sp[-1] *= b;
      break;
    case OP_XOR:
      b = *--sp;
      sp[-1] ^= b;
      break;
    case OP_AND:
      b = *--sp;
      sp[-1] &= b;
      break;
    case OP_SHL:
      b = *--sp;
      sp[-1] <<= (b & 63);
      break;
    case OP_SHR:
      b = *--sp;
      sp[-1] >>= (b & 63);
      break;
    case OP_DUP:
      sp[0] = sp[-1];
      sp++;
      break;
    case OP_SWAP:
      b = sp[-1];
      sp[-1] = sp[-2];
      sp[-2] = b;
      break;
    case OP_DROP:
      sp--;
      break;
    case OP_LT:
      b = *--sp;
      sp[-1] = sp[-1] < b;
      break;
    case OP_JZ:
      if (*--sp == 0) pc = (uint32_t)in->imm;
      break;
    case OP_JMP:
      pc = (uint32_t)in->imm;
      break;
    case OP_INC:
      locals[in->imm]++;
      break;
    default:
      return ~0ULL;
    }
  }
}

/* locals: 0 = i, 1 = n, 2 = h, 3 = acc, 4 = j */
static void build_program(void) {
  code_len = 0;
  uint32_t top = emit(OP_LOAD, 0); /* while (i < n) */
  emit(OP_LOAD, 1);
  emit(OP_LT, 0);
  uint32_t exit_jump = emit(OP_JZ, 0);
  /* h = (h ^ i) * golden; h ^= h >> 29 */
  emit(OP_LOAD, 2);
  emit(OP_LOAD, 0);
  emit(OP_XOR, 0);
  emit(OP_PUSH, 0x9E3779B97F4A7C15ULL);
  emit(OP_MUL, 0);
  emit(OP_DUP, 0);
  emit(OP_PUSH, 29);
  emit(OP_SHR, 0);
  emit(OP_XOR, 0);
  emit(OP_STORE, 2);
  /* for (j = 0; j < 64; j += 16) acc += (h >> j) & 0xffff */
  emit(OP_PUSH, 0);
  emit(OP_STORE, 4);
  uint32_t inner = emit(OP_LOAD, 4);
  emit(OP_PUSH, 64);
  emit(OP_LT, 0);
  uint32_t inner_exit = emit(OP_JZ, 0);
  emit(OP_LOAD, 3);
  emit(OP_LOAD, 2);
  emit(OP_LOAD, 4);
  emit(OP_SHR, 0);
  emit(OP_PUSH, 0xFFFF);
  emit(OP_AND, 0);
  emit(OP_ADD, 0);
  emit(OP_STORE, 3);
  emit(OP_LOAD, 4);
  emit(OP_PUSH, 16);
  emit(OP_ADD, 0);
  emit(OP_STORE, 4);
  emit(OP_JMP, inner);
  code[inner_exit].imm = emit(OP_INC, 0); /* i++ */
  emit(OP_JMP, top);
  code[exit_jump].imm = emit(OP_LOAD, 2); /* return h ^ (acc << 1) - i */
  emit(OP_LOAD, 3);
  emit(OP_PUSH, 1);
  emit(OP_SHL, 0);
  emit(OP_XOR, 0);
  emit(OP_LOAD, 0);
  emit(OP_SUB, 0);
  emit(OP_DUP, 0); /* exercise DUP/DROP/SWAP once: [r] -> [r r] -> [r] -> [r 7] -> [7 r] */
  emit(OP_DROP, 0);
  emit(OP_PUSH, 7);
  emit(OP_SWAP, 0);
  emit(OP_HALT, 0);
}

/* The same computation in C, to check the interpreter's answer. */
static uint64_t reference(uint64_t n, uint64_t h) {
  uint64_t acc = 0, i;
  for (i = 0; i < n; i++) {
    h = (h ^ i) * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 29;
    for (uint64_t j = 0; j < 64; j += 16) acc += (h >> j) & 0xFFFF;
  }
  return (h ^ (acc << 1)) - i;
}

int main(void) {
  build_program();
  uint64_t locals[N_LOCALS] = {0};
  locals[1] = ROUNDS;
  locals[2] = bench_seed();
  uint64_t result = run(code, locals);
  if (result != reference(ROUNDS, bench_seed())) return 3;
  bench_report(result);
  return 0;
}

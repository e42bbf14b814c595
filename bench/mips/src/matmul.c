/* matmul: 64x64 integer (u32, wrapping) matrix multiply, output fed back as next input. */
#include "bench.h"

#ifndef ROUNDS
#define ROUNDS 340
#endif

#define DIM 64

static uint32_t a[DIM][DIM], b[DIM][DIM], c[DIM][DIM];

static void multiply(void) {
  for (int i = 0; i < DIM; i++) {
    for (int j = 0; j < DIM; j++) c[i][j] = 0;
    for (int k = 0; k < DIM; k++) {
      uint32_t aik = a[i][k];
      for (int j = 0; j < DIM; j++) c[i][j] += aik * b[k][j];
    }
  }
}

int main(void) {
  uint64_t rng = bench_seed();
  for (int i = 0; i < DIM; i++)
    for (int j = 0; j < DIM; j++) {
      uint64_t v = rng_next(&rng);
      a[i][j] = (uint32_t)v;
      b[i][j] = (uint32_t)(v >> 32);
    }

  uint64_t h = 0;
  for (uint32_t r = 0; r < ROUNDS; r++) {
    multiply();
    uint64_t trace = 0;
    for (int i = 0; i < DIM; i++) trace += c[i][i];
    h = mix64(h, trace);
    /* Next A = C with one fresh random row, so values never collapse to zero. */
    uint32_t row = r % DIM;
    for (int i = 0; i < DIM; i++)
      for (int j = 0; j < DIM; j++) a[i][j] = i == (int)row ? (uint32_t)rng_next(&rng) : c[i][j] | 1;
  }
  bench_report(h);
  return 0;
}

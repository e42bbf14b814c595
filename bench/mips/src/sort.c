/* sort: quicksort (median-of-three, insertion sort for small runs) of pseudo-random u64s. */
#include "bench.h"

#ifndef ROUNDS
#define ROUNDS 240
#endif

#define N 16384u
#define SMALL 16

static uint64_t data[N];

static void insertion_sort(uint64_t *a, long n) {
  for (long i = 1; i < n; i++) {
    uint64_t v = a[i];
    long j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

static inline void swap(uint64_t *x, uint64_t *y) {
  uint64_t t = *x;
  *x = *y;
  *y = t;
}

/* Recurse on the smaller side, loop on the larger: stack depth stays O(log n). */
static void quicksort(uint64_t *a, long n) {
  while (n > SMALL) {
    long mid = n / 2;
    if (a[mid] < a[0]) swap(&a[mid], &a[0]);
    if (a[n - 1] < a[0]) swap(&a[n - 1], &a[0]);
    if (a[n - 1] < a[mid]) swap(&a[n - 1], &a[mid]);
    uint64_t pivot = a[mid];
    long i = -1, j = n;
    for (;;) { /* Hoare partition */
      do i++; while (a[i] < pivot);
      do j--; while (a[j] > pivot);
      if (i >= j) break;
      swap(&a[i], &a[j]);
    }
    long left = j + 1;
    if (left < n - left) {
      quicksort(a, left);
      a += left;
      n -= left;
    } else {
      quicksort(a + left, n - left);
      n = left;
    }
  }
  insertion_sort(a, n);
}

int main(void) {
  uint64_t rng = bench_seed();
  uint64_t h = 0;
  for (uint32_t r = 0; r < ROUNDS; r++) {
    /* Every 4th round uses a narrow key range so many duplicates appear. */
    uint64_t mask = (r & 3) == 3 ? 0xFF : ~0ULL;
    for (uint32_t i = 0; i < N; i++) data[i] = rng_next(&rng) & mask;
    quicksort(data, N);
    uint64_t positional = data[0];
    for (uint32_t i = 1; i < N; i++) {
      if (data[i - 1] > data[i]) return 2;
      positional += data[i] * (i | 1);
    }
    h = mix64(h, positional);
    h = mix64(h, data[N / 3]);
  }
  bench_report(h);
  return 0;
}

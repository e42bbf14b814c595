/* strsearch: Boyer-Moore-Horspool over generated text, cross-checked by a naive search. */
#include "bench.h"

#ifndef ROUNDS
#define ROUNDS 1200
#endif

#define TEXT_LEN 131072u
#define ALPHABET 8        /* small alphabet -> short skips and many partial matches */
#define MAX_PAT 24

static uint8_t text[TEXT_LEN];

/* Count occurrences of pat in text; return count, and a hash of match positions via *pos_hash. */
static uint32_t bmh(const uint8_t *t, uint32_t n, const uint8_t *pat, uint32_t m, uint64_t *pos_hash) {
  uint32_t skip[256];
  for (int i = 0; i < 256; i++) skip[i] = m;
  for (uint32_t i = 0; i + 1 < m; i++) skip[pat[i]] = m - 1 - i;

  uint32_t count = 0;
  uint64_t ph = 0;
  uint8_t last = pat[m - 1];
  for (uint32_t pos = 0; pos + m <= n;) {
    uint8_t c = t[pos + m - 1];
    if (c == last) {
      uint32_t k = 0;
      while (k + 1 < m && t[pos + k] == pat[k]) k++;
      if (k + 1 == m) {
        count++;
        ph = ph * 31 + pos;
      }
    }
    pos += skip[c];
  }
  *pos_hash = ph;
  return count;
}

static uint32_t naive(const uint8_t *t, uint32_t n, const uint8_t *pat, uint32_t m) {
  uint32_t count = 0;
  for (uint32_t pos = 0; pos + m <= n; pos++) {
    uint32_t k = 0;
    while (k < m && t[pos + k] == pat[k]) k++;
    if (k == m) count++;
  }
  return count;
}

int main(void) {
  uint64_t rng = bench_seed();
  /* Text: mostly random letters, with runs that repeat an earlier stretch (text-like reuse). */
  for (uint32_t i = 0; i < TEXT_LEN;) {
    uint64_t v = rng_next(&rng);
    if (i > 4096 && (v & 7) == 0) {
      uint32_t len = 8 + (uint32_t)((v >> 3) & 63);
      uint32_t from = (uint32_t)((v >> 16) % (i - 100));
      for (uint32_t k = 0; k < len && i < TEXT_LEN; k++) text[i++] = text[from + k];
    } else {
      text[i++] = (uint8_t)('a' + (v >> 8) % ALPHABET);
    }
  }

  uint8_t pat[MAX_PAT];
  uint64_t h = 0;
  for (uint32_t r = 0; r < ROUNDS; r++) {
    uint64_t v = rng_next(&rng);
    uint32_t m = 4 + (uint32_t)(v % (MAX_PAT - 4));
    uint32_t at = (uint32_t)((v >> 8) % (TEXT_LEN - MAX_PAT));
    for (uint32_t k = 0; k < m; k++) pat[k] = text[at + k];
    if (r & 1) pat[(v >> 40) % m] = (uint8_t)('a' + (v >> 48) % ALPHABET); /* maybe absent */
    uint64_t pos_hash;
    uint32_t count = bmh(text, TEXT_LEN, pat, m, &pos_hash);
    if ((r & 15) == 0 && naive(text, TEXT_LEN, pat, m) != count) return 4;
    h = mix64(h, ((uint64_t)count << 32) ^ pos_hash ^ m);
  }
  bench_report(h);
  return 0;
}

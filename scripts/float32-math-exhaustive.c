/*
 * glibc's expf or logf over float32 bit patterns lo..hi (every step-th), reduced to an FNV-1a hash of the
 * result bits: the reference side of scripts/float32-math-exhaustive.ts.
 *
 *   gcc -O2 -o exhaustive scripts/float32-math-exhaustive.c -lm && ./exhaustive expf 0x0 0x42b17218 1
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc != 5) return 2;
  int exp_not_log = strcmp(argv[1], "expf") == 0;
  uint64_t lo = strtoull(argv[2], 0, 0), hi = strtoull(argv[3], 0, 0), step = strtoull(argv[4], 0, 0);
  uint32_t hash = 0x811c9dc5u;
  unsigned long count = 0;
  for (uint64_t b = lo; b <= hi; b += step) {
    uint32_t bits = (uint32_t)b, out;
    float x, y;
    memcpy(&x, &bits, 4);
    y = exp_not_log ? expf(x) : logf(x);
    memcpy(&out, &y, 4);
    hash = (hash ^ out) * 16777619u;
    count++;
  }
  printf("%lu %08x\n", count, hash);
  return 0;
}

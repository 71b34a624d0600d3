/* Randomness for the draw (抽签): workstation permutations and anonymous
 * codes, from libsodium's CSPRNG so nobody can predict or steer them. */
#ifndef CONTEST_DRAW_H
#define CONTEST_DRAW_H

#include <stdint.h>

#define DRAW_CODE_LEN 6

/* Fills perm[0..n-1] with a uniformly random permutation of 1..n. */
void draw_permutation(uint32_t *perm, uint32_t n);

/* Writes a random anonymous code of DRAW_CODE_LEN characters from an
 * alphabet without look-alikes (no 0/O, 1/I/L) plus a NUL into buf. */
void draw_code(char buf[DRAW_CODE_LEN + 1]);

/* Writes n random bytes as 2n lowercase hex digits plus a NUL into buf. */
void draw_hex(char *buf, unsigned n);

#endif

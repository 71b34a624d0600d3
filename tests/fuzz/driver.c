/* Replay driver for fuzz targets built without libFuzzer: runs each file
 * given on the command line once, or, with no arguments, the target's seeds
 * and a fixed number of deterministic mutations of them (byte changes,
 * alphabet substitutions, truncations, insertions, splices), so that ctest
 * exercises the decoder under the sanitizers on every run. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern const char *const fuzz_seeds[];
extern const size_t fuzz_n_seeds;

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint32_t next(uint32_t bound)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % bound);
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	static uint8_t buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		int rc = 0;
		for (int i = 1; i < argc; i++)
			rc |= run_file(argv[i]);
		return rc;
	}
	static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$*-.:/ %+?#abcz";
	const long iterations = 200000;
	uint8_t buf[2048];
	for (long it = 0; it < iterations; it++) {
		const char *seed = fuzz_seeds[next((uint32_t)fuzz_n_seeds)];
		size_t n = strlen(seed);
		memcpy(buf, seed, n);
		int edits = 1 + (int)next(4);
		for (int e = 0; e < edits && n > 0; e++) {
			size_t at = next((uint32_t)n);
			switch (next(6)) {
			case 0: buf[at] = (uint8_t)next(256); break;
			case 1: buf[at] = (uint8_t)alphabet[next(sizeof alphabet - 1)]; break;
			case 2: n = at; break;
			case 3:
				if (n < sizeof buf - 1) {
					memmove(buf + at + 1, buf + at, n - at);
					buf[at] = (uint8_t)alphabet[next(sizeof alphabet - 1)];
					n++;
				}
				break;
			case 4: memmove(buf + at, buf + at + 1, n - at - 1), n--; break;
			default: { /* splice another seed's tail */
				const char *other = fuzz_seeds[next((uint32_t)fuzz_n_seeds)];
				size_t from = next((uint32_t)strlen(other));
				size_t len = strlen(other) - from;
				if (at + len < sizeof buf) {
					memcpy(buf + at, other + from, len);
					n = at + len;
				}
			}
			}
		}
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("%ld inputs, no failure\n", iterations);
	return 0;
}

/* Baseline B2 of bench/run: how many durable 4 KiB overwrites per second
 * the disk takes (pwrite of 4 KiB at offset 0, then fdatasync, one after the
 * other) in a given directory, that of the database, so on the same
 * filesystem. A group commit needs at least one such write, so submissions
 * per second divided by this rate is how many submissions share a sync. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"
#include "xmalloc.h"

#define BLOCK 4096

int main(int argc, char **argv)
{
	const char *dir = NULL;
	double seconds = 5;
	char *path, *end;
	unsigned char block[BLOCK];
	uint64_t start, t, *lat = NULL;
	size_t n = 0, cap = 0;
	int fd;

	for (int a = 1; a + 1 < argc; a += 2) {
		if (strcmp(argv[a], "--dir") == 0)
			dir = argv[a + 1];
		else if (strcmp(argv[a], "--seconds") == 0) {
			seconds = strtod(argv[a + 1], &end);
			if (*end || !(seconds > 0 && seconds <= 3600)) {
				fprintf(stderr, "baseline_fsync: --seconds %s: want 0 to 3600\n", argv[a + 1]);
				return 2;
			}
		} else
			break;
	}
	if (!dir || argc % 2 == 0) {
		fputs("usage: baseline_fsync --dir DIR [--seconds S]\n"
		      "Overwrites the first 4 KiB of a new file in DIR and fdatasyncs it, again and\n"
		      "again for S seconds (default 5); prints rate (syncs/s), p50_ms, p99_ms.\n",
		      stderr);
		return 2;
	}
	path = xasprintf("%s/baseline_fsync.%ld.tmp", dir, (long)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		fprintf(stderr, "baseline_fsync: %s: %s\n", path, strerror(errno));
		return 1;
	}
	memset(block, 'x', sizeof block);
	/* the block exists and is on disk before the clock starts: overwrites only */
	if (pwrite(fd, block, BLOCK, 0) != BLOCK || fsync(fd) != 0) {
		fprintf(stderr, "baseline_fsync: %s: %s\n", path, strerror(errno));
		unlink(path);
		return 1;
	}
	start = bench_now_ns();
	do {
		uint64_t t0 = bench_now_ns();
		block[n % BLOCK] ^= 1;
		if (pwrite(fd, block, BLOCK, 0) != BLOCK || fdatasync(fd) != 0) {
			fprintf(stderr, "baseline_fsync: %s: %s\n", path, strerror(errno));
			unlink(path);
			return 1;
		}
		t = bench_now_ns();
		if (n == cap) {
			cap = cap ? 2 * cap : 4096;
			lat = xreallocarray(lat, cap, sizeof *lat);
		}
		lat[n++] = t - t0;
	} while (t - start < (uint64_t)(seconds * 1e9));
	close(fd);
	unlink(path);
	qsort(lat, n, sizeof *lat, bench_cmp_u64);
	printf("syncs=%zu seconds=%.2f rate=%.1f p50_ms=%.3f p99_ms=%.3f\n", n, (double)(t - start) / 1e9,
	       (double)n / ((double)(t - start) / 1e9), bench_percentile_ms(lat, n, 50), bench_percentile_ms(lat, n, 99));
	free(lat);
	free(path);
	return 0;
}

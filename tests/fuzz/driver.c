/* Replay driver for fuzz targets built without libFuzzer, so that ctest runs
 * every target under the sanitizers on every build. Arguments are files and
 * directories. A file is run once (to reproduce a crash libFuzzer found). The
 * files of a directory (a target's seed corpus, tests/fuzz/corpus/NAME/) are
 * run once each and are then the seeds of FUZZ_ITERATIONS (environment,
 * default 100000) deterministic mutations: byte changes, insertions of bytes
 * that matter to the parsers, truncations, deletions, splices and repeated
 * chunks. Every input is handed over in a heap block of exactly its size, as
 * libFuzzer does, so that AddressSanitizer sees a read past its end. */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Largest input read from a file (the rest of a longer file is ignored) or
 * grown by mutation. */
#define FUZZ_INPUT_MAX (256u * 1024)

struct input {
	uint8_t *data;
	size_t size;
};

static struct input *seeds;
static size_t n_seeds;

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint32_t next(uint32_t bound)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return bound ? (uint32_t)(rng % bound) : 0;
}

/* The input being run, kept so that a failure can save it. */
static const uint8_t *current;
static size_t current_size;

/* Saves the current input as ./crash-input (as libFuzzer saves crash-*)
 * so that `TARGET crash-input` reproduces the failure. Async-signal-safe. */
static void save_current(void)
{
	static const char msg[] = "fuzz driver: failing input saved as ./crash-input\n";
	if (!current)
		return;
	int fd = open("crash-input", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return;
	for (size_t off = 0; off < current_size;) {
		ssize_t w = write(fd, current + off, current_size - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(fd);
	if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0)
		return;
}

static void on_signal(int sig)
{
	save_current();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Provided by the sanitizer runtimes: called before they end the process. */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

/* Runs the target on a private copy of exactly size bytes. */
static void run(const uint8_t *data, size_t size)
{
	uint8_t *copy = xmalloc(size);
	if (size)
		memcpy(copy, data, size);
	current = copy;
	current_size = size;
	LLVMFuzzerTestOneInput(copy, size);
	current = NULL;
	free(copy);
}

static int read_file(const char *path, struct input *in)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	in->data = xmalloc(FUZZ_INPUT_MAX);
	in->size = fread(in->data, 1, FUZZ_INPUT_MAX, f);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		fprintf(stderr, "%s: read error\n", path);
		free(in->data);
		return -1;
	}
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the regular files of dir (in name order, so runs repeat) as seeds. */
static int load_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		perror(dir);
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_name);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		seeds = xreallocarray(seeds, n_seeds + 1, sizeof *seeds);
		if (read_file(names[i], &seeds[n_seeds]) == 0)
			n_seeds++;
		else
			rc = -1;
		free(names[i]);
	}
	free(names);
	if (n == 0) {
		fprintf(stderr, "%s: no seeds\n", dir);
		rc = -1;
	}
	return rc;
}

/* Bytes and tokens that steer the parsers: digits, separators of CSV, JSON,
 * marks, ratios and tie-break lists, line ends, a BOM, NUL, GBK and UTF-8
 * lead bytes. */
static const char *const tokens[] = {
	"0", "1", "9", "00", "100", ".", ".5", ",", ";", ":", "/", "\"", "\"\"", "\r\n", "\n", "\r",
	"\t", " ", "-", "{", "}", "[", "]", "null", "true", "1e3", "\\u0000", "\xEF\xBB\xBF",
	"\xD5\xC5", "\x81\x30\x81\x30", "\x80", "\xFF", "\xE4\xB8", "module:", "criterion:",
	"time", "A", "z", "$", "%",
};
#define N_TOKENS (sizeof tokens / sizeof tokens[0])

/* Inserts len bytes at offset at of buf (size *n, capacity FUZZ_INPUT_MAX). */
static void insert(uint8_t *buf, size_t *n, size_t at, const void *src, size_t len)
{
	if (*n + len > FUZZ_INPUT_MAX)
		return;
	memmove(buf + at + len, buf + at, *n - at);
	memcpy(buf + at, src, len);
	*n += len;
}

static void mutate(uint8_t *buf, size_t *n)
{
	int edits = 1 + (int)next(4);
	for (int e = 0; e < edits; e++) {
		size_t at = next((uint32_t)*n + 1); /* *n: at the end */
		const struct input *other = &seeds[next((uint32_t)n_seeds)];
		switch (next(8)) {
		case 0:
			if (at < *n)
				buf[at] = (uint8_t)next(256);
			break;
		case 1: {
			const char *t = tokens[next(N_TOKENS)];
			insert(buf, n, at, t, strlen(t));
			break;
		}
		case 2: {
			const char *t = tokens[next(N_TOKENS)];
			size_t len = strlen(t);
			if (at + len <= *n)
				memcpy(buf + at, t, len);
			break;
		}
		case 3:
			*n = at;
			break;
		case 4: {
			size_t len = 1 + next(8);
			if (at + len <= *n) {
				memmove(buf + at, buf + at + len, *n - at - len);
				*n -= len;
			}
			break;
		}
		case 5: { /* another seed's tail */
			size_t from = next((uint32_t)other->size + 1);
			size_t len = other->size - from;
			if (at + len <= FUZZ_INPUT_MAX) {
				memcpy(buf + at, other->data + from, len);
				*n = at + len;
			}
			break;
		}
		case 6: { /* a chunk of another seed */
			size_t from = next((uint32_t)other->size + 1);
			size_t len = next((uint32_t)(other->size - from) + 1);
			insert(buf, n, at, other->data + from, len);
			break;
		}
		default: { /* repeat a chunk of this input: more records, deeper nesting */
			size_t len = next((uint32_t)(*n - at) + 1);
			uint8_t chunk[512];
			if (len > sizeof chunk)
				len = sizeof chunk;
			memcpy(chunk, buf + at, len);
			for (uint32_t k = 1 + next(8); k > 0; k--)
				insert(buf, n, at, chunk, len);
		}
		}
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|CORPUS-DIR...\n", argv[0]);
		return 2;
	}
	signal(SIGABRT, on_signal);
	signal(SIGSEGV, on_signal);
	signal(SIGFPE, on_signal);
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(save_current);
	int rc = 0;
	long replayed = 0;
	for (int i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		if (d) {
			closedir(d);
			if (load_dir(argv[i]) != 0)
				rc = 1;
			continue;
		}
		struct input in;
		if (read_file(argv[i], &in) != 0) {
			rc = 1;
			continue;
		}
		run(in.data, in.size);
		free(in.data);
		replayed++;
	}
	for (size_t s = 0; s < n_seeds; s++)
		run(seeds[s].data, seeds[s].size);

	long iterations = 0;
	if (n_seeds) {
		const char *env = getenv("FUZZ_ITERATIONS");
		char *end = NULL;
		iterations = env ? strtol(env, &end, 10) : 100000;
		if (env && (*end || iterations < 0)) {
			fprintf(stderr, "FUZZ_ITERATIONS must be a whole number\n");
			return 2;
		}
	}
	uint8_t *buf = xmalloc(FUZZ_INPUT_MAX);
	for (long it = 0; it < iterations; it++) {
		const struct input *seed = &seeds[next((uint32_t)n_seeds)];
		size_t n = seed->size;
		memcpy(buf, seed->data, n);
		mutate(buf, &n);
		run(buf, n);
	}
	free(buf);
	for (size_t s = 0; s < n_seeds; s++)
		free(seeds[s].data);
	free(seeds);
	printf("%ld files, %zu seeds, %ld mutations: no failure\n", replayed, n_seeds, iterations);
	return rc;
}

/* Benchmark of certificate issuing: for N certificates (30,000 by default,
 * the winners of a large city contest many times over), sign the fields,
 * build the QR payload URL, encode the QR code, render it as PNG and render
 * the A4 certificate SVG, all in memory (or written to DIR with --out DIR, as
 * cert-NNNNN.png and .svg, about 430 MB for 30,000).
 * Runs with 1 and 2 worker threads, 3 times each; prints each run, the
 * medians and the ratio to the 30 s target (issue 10). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "buf.h"
#include "cert.h"
#include "certdoc.h"
#include "qr.h"

#define RUNS 3
#define TARGET_S 30.0

static const char *const surnames[] = {"张", "王", "李", "赵", "欧阳", "司马", "陈", "刘", "阿卜杜", "热依木"};
static const char *const given[] = {"三", "娜娜", "建国", "晓明", "子涵", "浩然", "·买买提", "雨桐", "思远", "一鸣"};
static const char *const orgs[] = {
	"北京市第一职业技术学院", "上海市城市建设工程学校", "深圳技师学院",
	"新疆维吾尔自治区乌鲁木齐市职业技术学院（新校区）汽车运用与维修专业教研室联合代表队",
	"广州市交通运输职业学校", "中国第一汽车集团有限公司", "杭州市萧山区第三中等职业学校",
};

struct job {
	long from, to;
	const uint8_t *sk;
	const char *out_dir; /* NULL: keep everything in memory */
	size_t bytes;        /* PNG + SVG bytes produced */
	int max_version;
	int fail;
};

static void write_out(const char *dir, const char *id, const char *ext, const struct buf *b)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s.%s", dir, id, ext);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
		fprintf(stderr, "bench_certificates: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static void *work(void *arg)
{
	struct job *j = arg;
	struct buf png = {0}, svg = {0};
	int32_t day;
	if (!cert_day_parse("2026-05-20", &day))
		abort();
	for (long i = j->from; i < j->to; i++) {
		char holder[64], name[32];
		snprintf(holder, sizeof holder, "%s%s", surnames[i % 10], given[i / 10 % 10]);
		uint8_t id[CERT_ID_BYTES], kid[CERT_KEY_ID_BYTES], sig[CERT_SIG_BYTES];
		cert_id_new(id);
		struct cert c;
		struct ct_err err;
		char *url = NULL;
		struct qr q;
		if (cert_set(&c, id, "CITY2026", "CNC-MILLING", holder, orgs[i % 7], (unsigned)(i % 3 + 1),
			     (uint32_t)(i % 500 + 1), 6000 + i % 4000, day, &err) != CT_OK ||
		    cert_sign(&c, j->sk, kid, sig, &err) != CT_OK ||
		    cert_url(&c, kid, sig, "https://results.example.org", &url, NULL, &err) != CT_OK ||
		    qr_encode(url, strlen(url), CERT_QR_VERSION, &q, &err) != CT_OK) {
			fprintf(stderr, "bench_certificates: %s\n", err.msg);
			j->fail = 1;
			return NULL;
		}
		buf_reset(&png);
		buf_reset(&svg);
		if (qr_png(&q, 4, &png, &err) != CT_OK) {
			j->fail = 1;
			return NULL;
		}
		struct certdoc d = {&c, "2026年市职业技能大赛", "数控铣", "https://results.example.org/v/", &q};
		certdoc_svg(&d, &svg);
		j->bytes += png.len + svg.len;
		if (q.version > j->max_version)
			j->max_version = q.version;
		if (j->out_dir) { /* numbered names: each run overwrites the last */
			snprintf(name, sizeof name, "cert-%05ld", i + 1);
			write_out(j->out_dir, name, "png", &png);
			write_out(j->out_dir, name, "svg", &svg);
		}
		qr_free(&q);
		free(url);
	}
	buf_free(&png);
	buf_free(&svg);
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One run with the given threads; returns the elapsed seconds. */
static double run(long n, int threads, const uint8_t *sk, const char *out_dir, size_t *bytes, int *max_version)
{
	struct job jobs[2];
	pthread_t tid[2];
	double t0 = now_s();
	for (int t = 0; t < threads; t++) {
		jobs[t] = (struct job){.from = n * t / threads, .to = n * (t + 1) / threads, .sk = sk, .out_dir = out_dir};
		if (pthread_create(&tid[t], NULL, work, &jobs[t]) != 0)
			abort();
	}
	*bytes = 0;
	*max_version = 0;
	for (int t = 0; t < threads; t++) {
		pthread_join(tid[t], NULL);
		if (jobs[t].fail)
			exit(1);
		*bytes += jobs[t].bytes;
		if (jobs[t].max_version > *max_version)
			*max_version = jobs[t].max_version;
	}
	return now_s() - t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	long n = 30000;
	const char *out_dir = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			out_dir = argv[++i];
		else if (strtol(argv[i], NULL, 10) > 0)
			n = strtol(argv[i], NULL, 10);
		else {
			fprintf(stderr, "usage: bench_certificates [N] [--out DIR]\n");
			return 2;
		}
	}
	if (sodium_init() < 0)
		return 1;
	uint8_t pk[CERT_PK_BYTES], sk[CERT_SK_BYTES];
	crypto_sign_keypair(pk, sk);
	printf("bench_certificates: %ld certificates (sign + URL + QR + PNG + A4 SVG)%s%s\n", n,
	       out_dir ? ", written to " : ", in memory", out_dir ? out_dir : "");
	for (int threads = 1; threads <= 2; threads++) {
		double t[RUNS];
		size_t bytes = 0;
		int maxv = 0;
		for (int r = 0; r < RUNS; r++) {
			t[r] = run(n, threads, sk, out_dir, &bytes, &maxv);
			printf("  %d thread%s run %d: %.2f s  (%.0f certificates/s, %.1f MB, QR up to version %d)\n", threads,
			       threads > 1 ? "s" : "", r + 1, t[r], (double)n / t[r], (double)bytes / 1e6, maxv);
		}
		qsort(t, RUNS, sizeof *t, cmp_double);
		double scaled = t[RUNS / 2] * 30000.0 / (double)n;
		printf("%d thread%s: median %.2f s for %ld; for 30,000: %.2f s = %.3f of the %.0f s target\n", threads,
		       threads > 1 ? "s" : "", t[RUNS / 2], n, scaled, scaled / TARGET_S, TARGET_S);
	}
	return 0;
}

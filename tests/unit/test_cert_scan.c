/* Round trips of certificates through independent programs: the QR PNG read
 * by zbarimg (zbar-tools), the A4 certificate SVG rendered by headless
 * Chromium and the screenshot read by zbarimg, and the decoded URL verified
 * by tests/integration/cert_oracle.py, a verifier written from
 * docs/CERTIFICATES.md with Python's hashlib and `cryptography`. Every
 * external program runs under `timeout`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "buf.h"
#include "cert.h"
#include "certdoc.h"
#include "qr.h"

#ifndef TESTS_DIR
#error "TESTS_DIR must name the tests/ directory"
#endif

static char dir[64];

static void write_file(const char *name, const void *p, size_t n)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* Runs a shell command and returns its standard output (caller frees), with
 * trailing new lines removed; fails the test if it exits non-zero. */
static char *run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct buf out = {0};
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_append(&out, chunk, n);
	int status = pclose(p);
	if (status != 0)
		fail_msg("`%s` failed with status %d: %s", cmd, status, out.data ? out.data : "");
	buf_append(&out, "", 0);
	while (out.len > 0 && out.data[out.len - 1] == '\n')
		out.data[--out.len] = '\0';
	return out.data;
}

struct issued {
	struct cert cert;
	char *url;
	struct qr qr;
	uint8_t pk[CERT_PK_BYTES];
};

static void issue(struct issued *is, const char *holder, const char *org)
{
	uint8_t sk[CERT_SK_BYTES], id[CERT_ID_BYTES], kid[CERT_KEY_ID_BYTES], sig[CERT_SIG_BYTES];
	crypto_sign_keypair(is->pk, sk);
	cert_id_new(id);
	int32_t day;
	assert_true(cert_day_parse("2026-05-20", &day));
	struct ct_err err;
	ct_err_clear(&err);
	if (cert_set(&is->cert, id, "CITY2026", "CNC", holder, org, 2, 5, 8125, day, &err) != CT_OK ||
	    cert_sign(&is->cert, sk, kid, sig, &err) != CT_OK ||
	    cert_url(&is->cert, kid, sig, "https://results.example.org", &is->url, NULL, &err) != CT_OK ||
	    qr_encode(is->url, strlen(is->url), CERT_QR_VERSION, &is->qr, &err) != CT_OK)
		fail_msg("issuing: %s", err.msg);
}

/* Verifies url with the Python oracle and checks what it says. */
static void oracle_says_genuine(const struct issued *is, const char *url, const char *holder_json,
				const char *org_json)
{
	write_file("url.txt", url, strlen(url));
	char hex[2 * CERT_PK_BYTES + 1], cmd[1024], id[CERT_ID_TEXT_MAX], want[1024];
	sodium_bin2hex(hex, sizeof hex, is->pk, CERT_PK_BYTES);
	snprintf(cmd, sizeof cmd, "timeout 60 /usr/bin/python3 %s/integration/cert_oracle.py %s/url.txt %s CITY2026",
		 TESTS_DIR, dir, hex);
	char *out = run(cmd);
	cert_id_format(is->cert.id, id);
	snprintf(want, sizeof want,
		 "{\"award\": 2, \"event\": \"CNC\", \"holder\": %s, \"id\": \"%s\", \"issue_date\": \"2026-05-20\", "
		 "\"organization\": %s, \"rank\": 5, \"total\": \"81.25\", \"verdict\": \"genuine\"}",
		 holder_json, id, org_json);
	assert_string_equal(out, want);
	free(out);
}

static void test_png_scans_with_zbarimg(void **state)
{
	(void)state;
	struct issued is;
	issue(&is, "欧阳娜娜", "北京市第一职业技术学院");
	struct buf png = {0};
	assert_int_equal(qr_png(&is.qr, 4, &png, NULL), CT_OK);
	write_file("qr.png", png.data, png.len);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "timeout 60 zbarimg --raw -q %s/qr.png 2>%s/zbar.log", dir, dir);
	char *got = run(cmd);
	assert_string_equal(got, is.url);
	oracle_says_genuine(&is, got, "\"欧阳娜娜\"", "\"北京市第一职业技术学院\"");
	/* One changed character of the scanned URL: the oracle says forged. */
	size_t at = strlen(got) - 10;
	got[at] = got[at] == 'A' ? 'B' : 'A';
	write_file("url.txt", got, strlen(got));
	char hex[2 * CERT_PK_BYTES + 1];
	sodium_bin2hex(hex, sizeof hex, is.pk, CERT_PK_BYTES);
	snprintf(cmd, sizeof cmd, "timeout 60 /usr/bin/python3 %s/integration/cert_oracle.py %s/url.txt %s CITY2026",
		 TESTS_DIR, dir, hex);
	char *verdict = run(cmd);
	assert_non_null(strstr(verdict, "\"verdict\": \"forged\""));
	free(verdict);
	free(got);
	buf_free(&png);
	free(is.url);
	qr_free(&is.qr);
}

/* Renders a certificate with headless Chromium at 2 device pixels a CSS
 * pixel (about 190 dpi on paper) and reads the QR code back with zbarimg. */
static void render_and_scan(const char *holder, const char *org, const char *holder_json, const char *org_json,
			    int want_version)
{
	struct issued is;
	issue(&is, holder, org);
	if (want_version)
		assert_int_equal(is.qr.version, want_version);
	struct certdoc d = {&is.cert, "2026年市职业技能大赛", "数控铣", "https://results.example.org/v/", &is.qr};
	struct buf svg = {0};
	certdoc_svg(&d, &svg);
	write_file("cert.svg", svg.data, svg.len);
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
		 "timeout 60 /usr/bin/python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "
		 "%s/cert.svg",
		 dir);
	free(run(cmd)); /* well-formed XML */
	snprintf(cmd, sizeof cmd,
		 "rm -f %s/shot.png && timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu "
		 "--hide-scrollbars --user-data-dir=%s/profile --window-size=794,1123 --force-device-scale-factor=2 "
		 "--screenshot=%s/shot.png file://%s/cert.svg >%s/chromium.log 2>&1; test -s %s/shot.png || "
		 "{ cat %s/chromium.log; exit 1; }",
		 dir, dir, dir, dir, dir, dir, dir);
	free(run(cmd));
	snprintf(cmd, sizeof cmd, "timeout 60 zbarimg --raw -q %s/shot.png 2>%s/zbar.log", dir, dir);
	char *got = run(cmd);
	assert_string_equal(got, is.url);
	oracle_says_genuine(&is, got, holder_json, org_json);
	free(got);
	buf_free(&svg);
	free(is.url);
	qr_free(&is.qr);
}

static void test_certificate_svg_scans_after_chromium(void **state)
{
	(void)state;
	render_and_scan("欧阳娜娜", "北京市第一职业技术学院", "\"欧阳娜娜\"", "\"北京市第一职业技术学院\"", 0);
}

static void test_version_10_certificate_scans_after_chromium(void **state)
{
	(void)state;
	/* Long names carried whole: the densest symbol a certificate gets. */
	render_and_scan("新疆维吾尔自治区代表队欧阳娜娜队员", "新疆维吾尔自治区乌鲁木齐市职业技术学院",
			"\"新疆维吾尔自治区代表队欧阳娜娜队员\"", "\"新疆维吾尔自治区乌鲁木齐市职业技术学院\"", 10);
	/* A name too long to carry: the holder travels as a digest. */
	render_and_scan("阿卜杜热依木·买买提·艾力江·库尔班江·热合曼·阿不都外力·吐尔逊·阿卜杜热依木·买买提·艾力江",
			"北京市第一职业技术学院", "null", "\"北京市第一职业技术学院\"", 0);
}

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	snprintf(dir, sizeof dir, "/tmp/test_cert_scan.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_png_scans_with_zbarimg),
		cmocka_unit_test(test_certificate_svg_scans_after_chromium),
		cmocka_unit_test(test_version_10_certificate_scans_after_chromium),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

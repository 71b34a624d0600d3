/* QR segmentation, encoding (libqrencode) and rendering (libpng, SVG). */
#include "qr.h"

#include <assert.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <qrencode.h>

#include "xmalloc.h"

/* Data codewords of level M, versions 1..40 (ISO/IEC 18004, table 7). */
static const uint16_t data_codewords_m[40] = {
	16,   28,   44,   64,   86,   108,  124,  154,  182,  216,  254,  290,  334,  365,
	415,  453,  507,  563,  627,  669,  714,  782,  860,  914,  1000, 1062, 1128, 1193,
	1267, 1373, 1455, 1541, 1631, 1725, 1812, 1914, 1992, 2102, 2216, 2334,
};

size_t qr_capacity_bits(int version)
{
	assert(version >= 1 && version <= 40);
	return (size_t)data_codewords_m[version - 1] * 8;
}

static bool is_alnum_mode(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == ' ' || c == '$' || c == '%' ||
	       c == '*' || c == '+' || c == '-' || c == '.' || c == '/' || c == ':';
}

static unsigned count_bits(QRencodeMode mode, int version)
{
	if (mode == QR_MODE_AN)
		return version <= 9 ? 9 : version <= 26 ? 11 : 13;
	return version <= 9 ? 8 : 16;
}

static size_t segment_bits(QRencodeMode mode, size_t n, int version)
{
	if (mode == QR_MODE_AN)
		return 4 + count_bits(mode, version) + n / 2 * 11 + n % 2 * 6;
	return 4 + count_bits(mode, version) + n * 8;
}

/* A plan: segment k covers [start[k], start[k+1]) in mode[k]. */
#define MAX_RUNS 64
struct plan {
	size_t n;
	size_t start[MAX_RUNS + 1];
	QRencodeMode mode[MAX_RUNS];
	size_t bits;
};

/* Splits text into maximal runs of alphanumeric / other characters and groups
 * consecutive runs into segments at least cost (dynamic programming over run
 * boundaries: cutting inside a run never helps, a character costs 5.5 bits in
 * alphanumeric and 8 in byte mode). A text with more than MAX_RUNS runs is
 * one byte-mode segment (URLs here have a handful). */
static void plan_segments(const char *text, size_t len, int version, struct plan *p)
{
	size_t rs[MAX_RUNS + 1];
	bool an[MAX_RUNS];
	size_t nr = 0;
	for (size_t i = 0; i < len; nr++) {
		if (nr == MAX_RUNS) {
			p->n = 1, p->start[0] = 0, p->start[1] = len, p->mode[0] = QR_MODE_8;
			p->bits = segment_bits(QR_MODE_8, len, version);
			return;
		}
		rs[nr] = i;
		an[nr] = is_alnum_mode(text[i]);
		while (i < len && is_alnum_mode(text[i]) == an[nr])
			i++;
	}
	rs[nr] = len;
	/* best[i]: least bits for runs [0, i); from[i], how[i]: its last segment. */
	size_t best[MAX_RUNS + 1], from[MAX_RUNS + 1];
	QRencodeMode how[MAX_RUNS + 1];
	best[0] = 0;
	for (size_t i = 1; i <= nr; i++) {
		best[i] = SIZE_MAX;
		bool all_an = true;
		for (size_t j = i; j-- > 0;) {
			all_an = all_an && an[j];
			size_t chars = rs[i] - rs[j];
			for (int m = 0; m < 2; m++) {
				QRencodeMode mode = m ? QR_MODE_8 : QR_MODE_AN;
				if (mode == QR_MODE_AN && !all_an)
					continue;
				size_t cost = best[j] + segment_bits(mode, chars, version);
				if (cost < best[i])
					best[i] = cost, from[i] = j, how[i] = mode;
			}
		}
	}
	size_t k = 0, seg_start[MAX_RUNS];
	QRencodeMode seg_mode[MAX_RUNS];
	for (size_t i = nr; i > 0; i = from[i], k++)
		seg_start[k] = rs[from[i]], seg_mode[k] = how[i];
	p->n = k;
	for (size_t s = 0; s < k; s++)
		p->start[s] = seg_start[k - 1 - s], p->mode[s] = seg_mode[k - 1 - s];
	p->start[k] = len;
	p->bits = best[nr];
}

size_t qr_text_bits(const char *text, size_t len, int version)
{
	struct plan p;
	plan_segments(text, len, version, &p);
	return p.bits;
}

bool qr_fits(const char *text, size_t len, int max_version)
{
	return qr_text_bits(text, len, max_version) <= qr_capacity_bits(max_version);
}

enum ct_status qr_encode(const char *text, size_t len, int max_version, struct qr *out, struct ct_err *err)
{
	assert(max_version >= 1 && max_version <= 40);
	memset(out, 0, sizeof *out);
	if (len == 0)
		return ct_fail(err, CT_INVALID, "nothing to put in a QR code");
	if (!qr_fits(text, len, max_version))
		return ct_fail(err, CT_TOO_LARGE, "%zu characters do not fit a version-%d QR code", len, max_version);
	struct plan p;
	plan_segments(text, len, max_version, &p);
	QRinput *in = QRinput_new2(0, QR_ECLEVEL_M);
	if (!in)
		return ct_fail(err, CT_INTERNAL, "libqrencode could not start an input");
	enum ct_status rc = CT_OK;
	QRcode *code = NULL;
	for (size_t s = 0; s < p.n; s++) {
		if (QRinput_append(in, p.mode[s], (int)(p.start[s + 1] - p.start[s]),
				   (const unsigned char *)text + p.start[s]) != 0) {
			rc = ct_fail(err, CT_INTERNAL, "libqrencode refused segment %zu", s + 1);
			goto out;
		}
	}
	code = QRcode_encodeInput(in);
	if (!code) {
		rc = ct_fail(err, CT_INTERNAL, "libqrencode could not encode %zu characters", len);
		goto out;
	}
	if (code->version > max_version) { /* the bit count above says this cannot happen */
		rc = ct_fail(err, CT_TOO_LARGE, "the QR code needs version %d, more than %d", code->version,
			     max_version);
		goto out;
	}
	out->version = code->version;
	out->width = code->width;
	size_t cells = (size_t)code->width * (size_t)code->width;
	out->dark = xmalloc(cells);
	for (size_t i = 0; i < cells; i++)
		out->dark[i] = code->data[i] & 1;
out:
	QRcode_free(code);
	QRinput_free(in);
	return rc;
}

void qr_free(struct qr *q)
{
	free(q->dark);
	memset(q, 0, sizeof *q);
}

static void png_write_buf(png_structp png, png_bytep data, size_t n)
{
	buf_append(png_get_io_ptr(png), data, n);
}

static void png_flush_none(png_structp png)
{
	(void)png;
}

enum ct_status qr_png(const struct qr *q, unsigned module_px, struct buf *out, struct ct_err *err)
{
	if (module_px < 1 || module_px > 64)
		return ct_fail(err, CT_INVALID, "module size %u px is not in 1..64", module_px);
	unsigned side = ((unsigned)q->width + 2 * QR_QUIET) * module_px;
	size_t row_bytes = (side + 7) / 8;
	png_bytep row = xmalloc(row_bytes);
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!info) {
		png_destroy_write_struct(&png, NULL);
		free(row);
		return ct_fail(err, CT_INTERNAL, "libpng could not start a PNG");
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		free(row);
		return ct_fail(err, CT_INTERNAL, "libpng failed writing the QR code");
	}
	png_set_write_fn(png, out, png_write_buf, png_flush_none);
	png_set_compression_level(png, 3); /* two-tone images: level 9 saves little and costs much */
	png_set_IHDR(png, info, side, side, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	/* One packed row per module row, written module_px times. */
	memset(row, 0xFF, row_bytes); /* 1 = white in 1-bit greyscale */
	for (unsigned y = 0; y < QR_QUIET * module_px; y++)
		png_write_row(png, row);
	for (int my = 0; my < q->width; my++) {
		memset(row, 0xFF, row_bytes);
		const uint8_t *m = q->dark + (size_t)my * (size_t)q->width;
		for (int mx = 0; mx < q->width; mx++) {
			if (!m[mx])
				continue;
			unsigned x0 = ((unsigned)mx + QR_QUIET) * module_px;
			for (unsigned x = x0; x < x0 + module_px; x++)
				row[x / 8] &= (png_byte) ~(0x80u >> (x % 8));
		}
		for (unsigned k = 0; k < module_px; k++)
			png_write_row(png, row);
	}
	memset(row, 0xFF, row_bytes);
	for (unsigned y = 0; y < QR_QUIET * module_px; y++)
		png_write_row(png, row);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
	return CT_OK;
}

int qr_svg_size(const struct qr *q)
{
	return q->width + 2 * QR_QUIET;
}

/* Writes v in decimal at p; returns the end. */
static char *put_uint(char *p, unsigned v)
{
	char d[12];
	int n = 0;
	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	while (n > 0)
		*p++ = d[--n];
	return p;
}

void qr_svg_path(const struct qr *q, struct buf *out)
{
	for (int y = 0; y < q->width; y++) {
		const uint8_t *r = q->dark + (size_t)y * (size_t)q->width;
		for (int x = 0; x < q->width;) {
			if (!r[x]) {
				x++;
				continue;
			}
			int n = 1;
			while (x + n < q->width && r[x + n])
				n++;
			/* "M%d,%dh%dv1h-%dz" without printf: a certificate has ~1,500 runs. */
			char t[48], *p = t;
			*p++ = 'M';
			p = put_uint(p, (unsigned)(x + QR_QUIET));
			*p++ = ',';
			p = put_uint(p, (unsigned)(y + QR_QUIET));
			*p++ = 'h';
			p = put_uint(p, (unsigned)n);
			memcpy(p, "v1h-", 4), p += 4;
			p = put_uint(p, (unsigned)n);
			*p++ = 'z';
			buf_append(out, t, (size_t)(p - t));
			x += n;
		}
	}
}

void qr_svg(const struct qr *q, unsigned side_mm, struct buf *out)
{
	int s = qr_svg_size(q);
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"");
	if (side_mm)
		buf_printf(out, " width=\"%umm\" height=\"%umm\"", side_mm, side_mm);
	buf_printf(out, " viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">\n", s, s);
	buf_printf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"", s, s);
	qr_svg_path(q, out);
	buf_puts(out, "\"/>\n</svg>\n");
}

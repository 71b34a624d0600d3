/* A4 certificate page as SVG (210 x 297 mm; one user unit = 0.1 mm). */
#include "certdoc.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "decimal.h"

#define PAGE_W 2100
#define PAGE_H 2970
#define TEXT_W 1500 /* widest line of text, inside the borders */
#define SIDE_W 760  /* widest line under the text, beside the QR code */

static const char serif[] = "'Noto Serif CJK SC','Source Han Serif SC','Songti SC','SimSun','Noto Sans CJK SC',serif";
static const char sans[] = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif";

/* Length of the UTF-8 sequence starting with byte b (1 for stray bytes). */
static size_t seq_len(unsigned char b)
{
	return b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
}

/* Advance of one character in em: ideographs and full-width forms take a
 * whole em, Latin letters and digits about half. An estimate, generous so
 * that text never runs past its box. */
static unsigned advance_milli_em(const char *s)
{
	unsigned char b = (unsigned char)*s;
	if (b < 0x80)
		return b == ' ' ? 300 : (b >= 'A' && b <= 'Z') || b == 'M' || b == 'W' || b == 'm' || b == 'w' ? 700 : 560;
	return seq_len(b) >= 3 ? 1000 : 650;
}

/* Chinese line breaking: closing brackets and punctuation never begin a
 * line, opening brackets never end one. */
static const char *const closing_marks[] = {"）", "」", "』", "】", "》", "〉", "、", "。", "，", "；", "：", "！",
					    "？", "·", ")", "]", ",", ".", ";", ":", "!", "?", NULL};
static const char *const opening_marks[] = {"（", "「", "『", "【", "《", "〈", "(", "[", NULL};

/* Whether the character at s is one of marks. */
static bool is_mark(const char *s, const char *const *marks)
{
	for (size_t i = 0; marks[i]; i++)
		if (strncmp(s, marks[i], strlen(marks[i])) == 0)
			return true;
	return false;
}

/* Where the character before byte j of text (after i) starts, or i. */
static size_t char_before(const char *text, size_t i, size_t j)
{
	size_t p = j > i ? j - 1 : i;
	while (p > i && ((unsigned char)text[p] & 0xC0) == 0x80)
		p--;
	return p;
}

/* Splits text into at most max_lines (<= 8) lines no wider than width at size,
 * shrinking size (down to min_size) until it fits; the last line may still
 * overflow at min_size, where the text is then cut with "…" (only texts far
 * beyond the schema's limits get there). Writes <text> elements centred on x,
 * 1.3 times the size apart, their baselines centred on y (y_is_first: the
 * first baseline at y). Returns the last baseline. */
static int text_block(struct buf *out, const char *text, int x, int y, bool y_is_first, unsigned width,
		      unsigned size, unsigned min_size, unsigned max_lines, const char *attrs)
{
	size_t n = strlen(text);
	size_t starts[8], ends[8];
	unsigned lines = 0;
	for (;; size = size >= min_size + 4 ? size - 4 : min_size) {
		unsigned long limit = (unsigned long)width * 1000 / size; /* milli-em */
		lines = 0;
		size_t i = 0;
		while (i < n && lines < max_lines) {
			unsigned long w = 0;
			size_t j = i, last_space = 0;
			while (j < n) {
				unsigned a = advance_milli_em(text + j);
				if (w + a > limit)
					break;
				w += a;
				if (text[j] == ' ')
					last_space = j;
				j += seq_len((unsigned char)text[j]);
			}
			if (j < n && last_space > i + (j - i) / 2) /* keep a Latin word whole */
				j = last_space + 1;
			/* a closing mark takes the character before it to the next line, an
			 * opening one at the end goes there too */
			while (j < n && char_before(text, i, j) > i &&
			       (is_mark(text + j, closing_marks) || is_mark(text + char_before(text, i, j), opening_marks)))
				j = char_before(text, i, j);
			if (j > n)
				j = n;
			starts[lines] = i, ends[lines] = j;
			lines++;
			i = j;
		}
		if (i >= n || size <= min_size)
			break;
	}
	unsigned gap = size * 13 / 10;
	int y0 = y_is_first ? y : y - (int)((lines - 1) * gap) / 2;
	for (unsigned l = 0; l < lines; l++) {
		char line[4 * 256];
		size_t len = ends[l] - starts[l];
		if (len > sizeof line - 4)
			len = sizeof line - 4;
		memcpy(line, text + starts[l], len);
		line[len] = '\0';
		if (l == lines - 1 && ends[l] < n)
			memcpy(line + len, "…", 4); /* 3 bytes and the NUL */
		buf_printf(out, "<text x=\"%d\" y=\"%d\" font-size=\"%u\" %s>", x, y0 + (int)(l * gap), size, attrs);
		buf_xml(out, line);
		buf_puts(out, "</text>\n");
	}
	return y0 + (int)((lines - 1) * gap);
}

static void frame(struct buf *out)
{
	buf_printf(out,
		   "<rect width=\"%d\" height=\"%d\" fill=\"#fffdf7\"/>\n"
		   "<rect x=\"70\" y=\"70\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#a31f24\" stroke-width=\"22\"/>\n"
		   "<rect x=\"118\" y=\"118\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#c8a24a\" stroke-width=\"6\"/>\n",
		   PAGE_W, PAGE_H, PAGE_W - 140, PAGE_H - 140, PAGE_W - 236, PAGE_H - 236);
	/* Corner ornaments: a small gold square turned 45 degrees. */
	static const int corners[4][2] = {{118, 118}, {PAGE_W - 118, 118}, {118, PAGE_H - 118}, {PAGE_W - 118, PAGE_H - 118}};
	for (int i = 0; i < 4; i++)
		buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"44\" height=\"44\" fill=\"#c8a24a\" transform=\"rotate(45 %d %d)\"/>\n",
			   corners[i][0] - 22, corners[i][1] - 22, corners[i][0], corners[i][1]);
	buf_printf(out, "<line x1=\"650\" y1=\"700\" x2=\"1450\" y2=\"700\" stroke=\"#c8a24a\" stroke-width=\"4\"/>\n");
}

void certdoc_svg(const struct certdoc *d, struct buf *out)
{
	const struct cert *c = d->cert;
	char attrs[512], total[DEC_TEXT_MAX], day[11], id[CERT_ID_TEXT_MAX], line[256];
	struct buf text = {0}; /* lines made of names of any length */
	buf_printf(out,
		   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"210mm\" height=\"297mm\" viewBox=\"0 0 %d %d\">\n",
		   PAGE_W, PAGE_H);
	buf_puts(out, "<title>");
	buf_xml(out, cert_award_name(c->award));
	buf_puts(out, " ");
	buf_xml(out, c->holder);
	buf_puts(out, "</title>\n");
	frame(out);

	snprintf(attrs, sizeof attrs, "text-anchor=\"middle\" font-family=\"%s\" fill=\"#a31f24\" font-weight=\"700\" letter-spacing=\"40\"", serif);
	text_block(out, "荣誉证书", PAGE_W / 2 + 20, 560, false, TEXT_W, 190, 190, 1, attrs);
	snprintf(attrs, sizeof attrs, "text-anchor=\"middle\" font-family=\"%s\" fill=\"#7a6a4f\" letter-spacing=\"12\"", sans);
	text_block(out, "CERTIFICATE OF AWARD", PAGE_W / 2, 660, false, TEXT_W, 40, 40, 1, attrs);

	snprintf(attrs, sizeof attrs, "text-anchor=\"middle\" font-family=\"%s\" fill=\"#1f1a14\" font-weight=\"700\"", serif);
	int y = text_block(out, c->holder, PAGE_W / 2, 960, false, TEXT_W, 120, 44, 3, attrs);
	if (c->organization[0]) {
		snprintf(attrs, sizeof attrs, "text-anchor=\"middle\" font-family=\"%s\" fill=\"#4a4238\"", serif);
		y = text_block(out, c->organization, PAGE_W / 2, y + 110, true, TEXT_W, 58, 36, 3, attrs);
	}
	y = y + 130 > 1340 ? y + 130 : 1340;
	snprintf(attrs, sizeof attrs, "text-anchor=\"middle\" font-family=\"%s\" fill=\"#1f1a14\"", serif);
	buf_puts(&text, "在");
	buf_puts(&text, d->contest_name ? d->contest_name : c->contest);
	y = text_block(out, text.data, PAGE_W / 2, y, true, TEXT_W, 64, 40, 2, attrs);
	buf_reset(&text);
	buf_puts(&text, d->event_name ? d->event_name : c->event);
	buf_puts(&text, " 赛项中荣获");
	y = text_block(out, text.data, PAGE_W / 2, y + 130, true, TEXT_W, 64, 40, 2, attrs);
	buf_free(&text);
	y = y + 250 > 1760 ? y + 250 : 1760; /* only names near the limits push the award down */

	snprintf(attrs, sizeof attrs, "text-anchor=\"middle\" font-family=\"%s\" fill=\"#a31f24\" font-weight=\"700\" letter-spacing=\"30\"", serif);
	text_block(out, cert_award_name(c->award), PAGE_W / 2 + 15, y, false, TEXT_W, 230, 230, 1, attrs);

	snprintf(attrs, sizeof attrs, "text-anchor=\"middle\" font-family=\"%s\" fill=\"#4a4238\"", serif);
	snprintf(line, sizeof line, "名次　第 %u 名　　　总分　%s", c->rank, dec_format(c->total_c, total));
	text_block(out, line, PAGE_W / 2, y + 200, false, TEXT_W, 56, 40, 1, attrs);
	buf_printf(out, "<line x1=\"650\" y1=\"%d\" x2=\"1450\" y2=\"%d\" stroke=\"#c8a24a\" stroke-width=\"4\"/>\n", y + 300,
		   y + 300);

	/* Bottom: issuer and date on the left, QR code on the right. */
	cert_day_format(c->issue_day, day);
	snprintf(line, sizeof line, "%.4s年%u月%u日", day, (unsigned)((day[5] - '0') * 10 + day[6] - '0'),
		 (unsigned)((day[8] - '0') * 10 + day[9] - '0'));
	snprintf(attrs, sizeof attrs, "text-anchor=\"middle\" font-family=\"%s\" fill=\"#1f1a14\"", serif);
	buf_printf(out, "<g transform=\"translate(-330 0)\">\n");
	text_block(out, d->contest_name ? d->contest_name : c->contest, PAGE_W / 2, 2370, false, SIDE_W, 54, 34, 2, attrs);
	text_block(out, line, PAGE_W / 2, 2480, false, SIDE_W, 54, 54, 1, attrs);
	buf_puts(out, "</g>\n");

	int qs = qr_svg_size(d->qr);
	buf_printf(out,
		   "<g transform=\"translate(1430 2150) scale(%.4f)\" shape-rendering=\"crispEdges\">"
		   "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
		   480.0 / qs, qs, qs);
	qr_svg_path(d->qr, out);
	buf_puts(out, "\"/></g>\n");
	snprintf(attrs, sizeof attrs, "text-anchor=\"middle\" font-family=\"%s\" fill=\"#4a4238\"", sans);
	buf_puts(out, "<g transform=\"translate(620 0)\">\n");
	text_block(out, "扫码验证真伪", PAGE_W / 2, 2690, false, 400, 36, 36, 1, attrs);
	buf_puts(out, "</g>\n");

	cert_id_format(c->id, id);
	snprintf(line, sizeof line, "证书编号  %s", id);
	snprintf(attrs, sizeof attrs,
		 "font-family=\"'Noto Sans Mono CJK SC','Noto Sans CJK SC',monospace\" fill=\"#4a4238\" letter-spacing=\"2\"");
	buf_printf(out, "<text x=\"260\" y=\"2700\" font-size=\"36\" %s>", attrs);
	buf_xml(out, line);
	buf_puts(out, "</text>\n");
	if (d->verify_hint && d->verify_hint[0]) {
		buf_printf(out, "<text x=\"260\" y=\"2760\" font-size=\"28\" font-family=\"%s\" fill=\"#7a6a4f\">", sans);
		buf_xml(out, d->verify_hint);
		buf_puts(out, "</text>\n");
	}
	buf_puts(out, "</svg>\n");
}

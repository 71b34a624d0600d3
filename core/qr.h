/* QR codes for certificate URLs: segmentation of a text into alphanumeric and
 * byte mode with the exact bit count that decides whether it fits a version,
 * encoding with libqrencode at error correction level M, and renderings as
 * PNG (libpng, into memory) and SVG. No files: callers write the buffers. */
#ifndef CONTEST_QR_H
#define CONTEST_QR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "status.h"

#define QR_QUIET 4 /* modules of white margin around every rendering */

/* An encoded symbol. */
struct qr {
	int version;    /* 1..40 */
	int width;      /* modules per side: 17 + 4 * version */
	uint8_t *dark;  /* width * width, row-major; 1 = dark module */
};

/* Data bits of a level-M symbol of version (1..40), e.g. 1728 for 10. */
size_t qr_capacity_bits(int version);

/* Data bits text[0..len) takes in a symbol of version (which sets the sizes
 * of the character count fields), segmented as qr_encode does: runs of QR
 * alphanumeric characters (0-9 A-Z space $ % * + - . / :) in alphanumeric
 * mode, everything else in byte mode, with the cheapest grouping of runs
 * into segments. Includes mode and count fields, not the terminator. */
size_t qr_text_bits(const char *text, size_t len, int version);

/* Whether text[0..len) fits a level-M symbol of version max_version or less. */
bool qr_fits(const char *text, size_t len, int max_version);

/* Encodes text[0..len) at error correction level M in the smallest version
 * that holds it. Fails with CT_TOO_LARGE when that version would exceed
 * max_version (1..40), CT_INVALID for an empty text. On success out holds
 * the symbol; release with qr_free. */
enum ct_status qr_encode(const char *text, size_t len, int max_version, struct qr *out, struct ct_err *err);

/* Frees a symbol's modules; a zeroed struct is a no-op. */
void qr_free(struct qr *q);

/* Appends a PNG of q to out: 1-bit greyscale, module_px (1..64) pixels per
 * module, a quiet zone of QR_QUIET modules. Fails with CT_INVALID for a bad
 * module_px, CT_INTERNAL if libpng reports an error (out may then hold a
 * partial image). */
enum ct_status qr_png(const struct qr *q, unsigned module_px, struct buf *out, struct ct_err *err);

/* Appends the path data ("M4,4h7v1h-7z...") of q's dark modules, one unit a
 * module, offset by the quiet zone, for a <path> in a viewBox of
 * qr_svg_size(q) units on a side. */
void qr_svg_path(const struct qr *q, struct buf *out);

/* Side of q with its quiet zone, in modules. */
int qr_svg_size(const struct qr *q);

/* Appends a standalone SVG document of q: white background, one black path,
 * crisp edges, side_mm millimetres on a side (0: no size, just a viewBox). */
void qr_svg(const struct qr *q, unsigned side_mm, struct buf *out);

#endif

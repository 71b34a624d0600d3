/* The printable certificate: one A4 portrait SVG page with the contest, the
 * event, the award in Chinese, the holder, the organization, rank, total,
 * issue date, certificate id and the QR code. Every text is XML-escaped; long
 * names wrap and shrink to stay inside the page. */
#ifndef CONTEST_CERTDOC_H
#define CONTEST_CERTDOC_H

#include "buf.h"
#include "cert.h"
#include "qr.h"

struct certdoc {
	const struct cert *cert;   /* the signed fields (cert_set) */
	const char *contest_name;  /* e.g. "2026年市职业技能大赛"; UTF-8 */
	const char *event_name;    /* e.g. "数控铣" */
	const char *verify_hint;   /* optional line under the id, e.g. where to look the id up; NULL for none */
	const struct qr *qr;       /* the QR code of the certificate's URL (cert_url, qr_encode) */
};

/* Appends the SVG document of d to out (about 25 KB). */
void certdoc_svg(const struct certdoc *d, struct buf *out);

#endif

/* Fuzz target for the certificate payload decoder (outside input: whatever a
 * phone's QR reader or a user pastes). libFuzzer entry point; see driver.c
 * for the replay driver used under ctest. Invariants checked: no crash or
 * sanitizer report, decoded texts within their limits, and no mutated
 * payload verifies as genuine unless it decodes to the same fields as a
 * genuine payload below. Seeds: tests/fuzz/corpus/cert_payload/. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base45.h"
#include "cert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Valid payloads signed by the key of seed 42 (typical, UTF-8, holder as a
 * digest, both names as one digest); also the first seeds of the corpus. */
static const char *const genuine[] = {
	"HTTPS://RESULTS.EXAMPLE.ORG/V/G3DFJ6S6E:O24X790DE8IECN4MQSW$D60AAAI8AVMW.OUSI3X2R6ZP6WVCDXYOS2-QURRWUSZH**MP0IS"
	"0D4QZ*-XFRLMRPKFTQ7N0TM$7CW*H2$T0HAVUTIODY*VG7-*FF6YQR5:$SB30HGZFXG:W4M0$S8K3MC7V7I3D7KQSBMM$60",
	"HTTPS://RESULTS.EXAMPLE.ORG/V/3VEFJ6S6E:O24X790DE8IFCNESQSW$D60AAAN8AKVDEYE*SFPSC6VG*VTZ5FXKGG05YGL6YY99QDDCHS0"
	"CK3:RPKKVKDSB:F8CPDFW592EL$CWE8$8D8R-YANV3:I0-2WN4Q3XIDYCDWSH658V9EFOLFUB999LNKK9W$*:L$B0",
	"HTTPS://RESULTS.EXAMPLE.ORG/V/7NIFJ6S6E:O24X790DE8IGCNOYQSW$D60AAAWAA.E2K8-EGKO11::J.K31L*RSTK2RJ1T8XN6.58EUPGP"
	"N0OMWH-.2CRVAVCJ*KXXQM5-5.S.P4LZV5FW$BB.8LMKFAS8$$IPM5IHX*NV0.9Q*WEP-9H5BJT3:88Z7L:V",
	"HTTPS://RESULTS.EXAMPLE.ORG/V/YOEFJ6S6E:O24X790DE8IHCNY:QSW$D60AAA69AK26F3WCX25S2**DJV$IEAR3O50ZE5NDFH-XJG:X*KQJ"
	"B-2PZD0TCNLWYZWL9HD*GC53ZIP-6DK7PYRS$9111Z-FH9VJ3IDS90UM*MMQSKO$Y497:*IS3*70",
};
#define N_GENUINE (sizeof genuine / sizeof *genuine)

static struct cert_key key;
static struct cert_claim decoded[N_GENUINE];

static void init(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	if (sodium_init() < 0)
		abort();
	uint8_t seed[crypto_sign_SEEDBYTES], pk[CERT_PK_BYTES], sk[CERT_SK_BYTES];
	memset(seed, 42, sizeof seed);
	crypto_sign_seed_keypair(pk, sk, seed);
	if (cert_key_set(&key, pk, "CITY2026", NULL) != CT_OK)
		abort();
	for (size_t i = 0; i < N_GENUINE; i++)
		if (cert_claim_decode(genuine[i], strlen(genuine[i]), &decoded[i], NULL) != CT_OK ||
		    cert_claim_verify(&decoded[i], &key, 1) != CERT_GENUINE)
			abort(); /* the genuine payloads must stay valid */
}

static bool same_fields(const struct cert_claim *a, const struct cert_claim *b)
{
	return memcmp(&a->cert, &b->cert, sizeof a->cert) == 0 && a->holder_form == b->holder_form &&
	       a->organization_form == b->organization_form &&
	       memcmp(a->holder_digest, b->holder_digest, CERT_DIGEST_BYTES) == 0 &&
	       memcmp(a->organization_digest, b->organization_digest, CERT_DIGEST_BYTES) == 0 &&
	       memcmp(a->names_digest, b->names_digest, CERT_DIGEST_BYTES) == 0 &&
	       memcmp(a->sig, b->sig, CERT_SIG_BYTES) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	init();
	struct cert_claim cl;
	if (cert_claim_decode((const char *)data, size, &cl, NULL) == CT_OK) {
		/* Not assert(): release builds define NDEBUG. */
		if (strlen(cl.cert.holder) > CERT_TEXT_MAX || strlen(cl.cert.organization) > CERT_TEXT_MAX ||
		    strlen(cl.cert.event) < 1 || strlen(cl.cert.event) > CERT_CODE_MAX || cl.cert.award < 1 ||
		    cl.cert.award > 3)
			abort();
		if (cert_claim_verify(&cl, &key, 1) == CERT_GENUINE) {
			bool known = false;
			for (size_t i = 0; i < N_GENUINE && !known; i++)
				known = same_fields(&cl, &decoded[i]);
			if (!known)
				abort(); /* a forgery verified */
		}
	}
	/* The other parsers of typed or scanned text. */
	uint8_t out[1024];
	size_t n;
	base45_decode(BASE45_RFC9285, (const char *)data, size, out, sizeof out, &n, NULL);
	char text[64];
	size_t k = size < sizeof text - 1 ? size : sizeof text - 1;
	memcpy(text, data, k);
	text[k] = '\0';
	uint8_t id[CERT_ID_BYTES];
	cert_id_parse(text, id);
	return 0;
}

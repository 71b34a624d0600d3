/* What the certificate commands share: reading the server's JSON records
 * of certificates (contest-certificate-1) and of the contest's public key
 * (contest-key-1), and where judge-cli keeps public keys for offline
 * verification. */
#ifndef JUDGECLI_CMD_CERT_H
#define JUDGECLI_CMD_CERT_H

#include <stdint.h>

#include "cert.h"
#include "cmd.h"

/* Fills c, key_id and (when not NULL) sig from a certificate record.
 * CT_INTERNAL naming the certificate when a field is missing or invalid. */
enum ct_status cmd_cert_decode(const json_t *record, struct cert *c, uint8_t key_id[CERT_KEY_ID_BYTES],
			       uint8_t sig[CERT_SIG_BYTES], struct ct_err *err);

/* Fills k from a public key document; CT_INVALID when it is not one or its
 * key id does not match the key. */
enum ct_status cmd_cert_key_decode(const json_t *doc, struct cert_key *k, struct ct_err *err);

/* The directory of saved public keys ($XDG_CONFIG_HOME/judge-cli/keys, else
 * ~/.config/judge-cli/keys): a new string, or NULL without a home. */
char *cmd_cert_keys_dir(void);

#endif

#!/usr/bin/python3
"""Independent verifier of certificate QR payloads, written from
docs/CERTIFICATES.md alone (it shares no code with core/): decodes the URL,
rebuilds the canonical encoding, checks the Ed25519 signature with the
`cryptography` package and prints the verdict and fields as JSON.

usage: cert_oracle.py URL_FILE PUBLIC_KEY_HEX CONTEST_CODE
"""
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$*-.:"
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def b41decode(text):
    vals = [ALPHABET.index(c) for c in text.upper()]
    if len(vals) % 3 == 1:
        raise ValueError("length")
    out = bytearray()
    for i in range(0, len(vals), 3):
        g = vals[i:i + 3]
        n = sum(v * 41 ** k for k, v in enumerate(g))
        if len(g) == 3:
            if n > 0xFFFF:
                raise ValueError("group")
            out += n.to_bytes(2, "big")
        else:
            if n > 0xFF:
                raise ValueError("group")
            out.append(n)
    return bytes(out)


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if self.pos + n > len(self.data):
            raise ValueError("truncated")
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def varint(self):
        v, shift = 0, 0
        while True:
            b = self.take(1)[0]
            v |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return v


def digest(data, cert_id, person):
    return hashlib.blake2b(data, digest_size=16, salt=cert_id + bytes(6), person=person).digest()


def cert_id_text(cert_id):
    v = int.from_bytes(cert_id, "big")
    syms = [(v >> (75 - 5 * i)) & 31 for i in range(16)]
    exp = [1]
    for _ in range(30):
        x = exp[-1] << 1
        exp.append(x ^ 0x25 if x & 0x20 else x)
    check = 0
    for i, s in enumerate(syms):
        if s:
            check ^= exp[(exp.index(s) + i + 1) % 31]
    t = "".join(CROCKFORD[s] for s in syms)
    return "-".join([t[0:4], t[4:8], t[8:12], t[12:16], CROCKFORD[check]])


def main():
    url = open(sys.argv[1], encoding="ascii").read().strip()
    pk = bytes.fromhex(sys.argv[2])
    contest = sys.argv[3].encode()
    payload = url[url.upper().rindex("/V/") + 3:] if "/V/" in url.upper() else url
    r = Reader(b41decode(payload))
    head = r.take(1)[0]
    assert head >> 6 == 1, "version"
    award, hform, oform = head >> 4 & 3, head >> 2 & 3, head & 3
    key_id = r.take(4)
    cert_id = r.take(10)
    rank, total, day = r.varint(), r.varint(), r.varint()
    event = r.take(r.take(1)[0])
    texts = {}
    digests = {}
    for name, form, person in (("holder", hform, b"CT-CERT holder"), ("organization", oform, b"CT-CERT org")):
        if form in (0, 1):
            raw = r.take(r.varint())
            text = raw.decode("utf-8" if form == 0 else "gb18030")
            texts[name] = text
            digests[name] = digest(text.encode("utf-8"), cert_id, person)
        elif form == 2:
            digests[name] = r.take(16)
    names = r.take(16) if hform == 3 else digest(digests["holder"] + digests["organization"], cert_id,
                                                 b"CT-CERT names")
    sig = r.take(64)
    assert r.pos == len(r.data), "trailing bytes"
    msg = (b"CT-CERT\x01" + key_id + cert_id + bytes([award]) + rank.to_bytes(4, "big") +
           total.to_bytes(4, "big") + day.to_bytes(4, "big") + bytes([len(contest)]) + contest +
           bytes([len(event)]) + event + names)
    if hashlib.blake2b(pk, digest_size=32).digest()[:4] != key_id:
        verdict = "unknown_key"
    else:
        try:
            Ed25519PublicKey.from_public_bytes(pk).verify(sig, msg)
            verdict = "genuine"
        except InvalidSignature:
            verdict = "forged"
    import datetime
    print(json.dumps({
        "verdict": verdict,
        "id": cert_id_text(cert_id),
        "event": event.decode(),
        "holder": texts.get("holder"),
        "organization": texts.get("organization"),
        "award": award,
        "rank": rank,
        "total": "%d.%02d" % divmod(total, 100),
        "issue_date": (datetime.date(1970, 1, 1) + datetime.timedelta(days=day)).isoformat(),
    }, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":
    main()

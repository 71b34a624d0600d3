-- Publication (公示) of an event's results as immutable numbered versions,
-- appeals (申诉) against them, and the certificates issued when the results
-- are final. Replaces the placeholder tables of 001, which nothing wrote.

DROP TABLE certificates;
DROP TABLE appeals;
DROP TABLE publications;

-- One published version of an event's results. The results document is the
-- JSON served to the public, stored once as text and never changed: the
-- triggers below refuse any UPDATE or DELETE, so version n stays what the
-- public saw even after a correction published version n+1.
CREATE TABLE publications (
    id            INTEGER PRIMARY KEY,
    event_id      INTEGER NOT NULL REFERENCES events(id),
    version       INTEGER NOT NULL CHECK (version >= 1),
    published_at  TEXT NOT NULL,       -- ISO 8601 UTC
    published_by  TEXT NOT NULL,       -- audit actor
    notice_until  TEXT,                -- end of the notice period (公示期), ISO 8601 UTC; NULL: none
    reason        TEXT,                -- why version n+1 replaces n (a correction); NULL for version 1
    audit_seq     INTEGER NOT NULL,    -- the audit record of the publication
    results       TEXT NOT NULL,       -- the frozen results document (JSON)
    UNIQUE (event_id, version)
);

CREATE TRIGGER publications_never_change BEFORE UPDATE ON publications
BEGIN
    SELECT RAISE(ABORT, 'a published version never changes; publish a new version');
END;
CREATE TRIGGER publications_never_go BEFORE DELETE ON publications
BEGIN
    SELECT RAISE(ABORT, 'a published version is never removed');
END;

-- An appeal against a published version: who, what, when it was received,
-- and its outcome once resolved. An open appeal blocks finalize.
CREATE TABLE appeals (
    id             INTEGER PRIMARY KEY, -- the appeal's number
    publication_id INTEGER NOT NULL REFERENCES publications(id),
    appellant      TEXT NOT NULL,       -- who appealed: a contestant, a team, an organization
    contestant_id  INTEGER REFERENCES contestants(id), -- the entry it concerns, when named
    text           TEXT NOT NULL,       -- what is appealed
    received_at    TEXT NOT NULL,       -- ISO 8601 UTC
    recorded_by    TEXT NOT NULL,       -- audit actor
    outcome        TEXT CHECK (outcome IN ('upheld', 'rejected')), -- NULL while open
    resolution     TEXT,                -- the decision and its reason
    resolved_at    TEXT,
    resolved_by    TEXT,
    CHECK ((outcome IS NULL) = (resolved_at IS NULL))
);
CREATE INDEX appeals_publication ON appeals(publication_id);

-- A certificate issued at finalize to one winning person (each member of a
-- winning team gets one): the signed fields (docs/CERTIFICATES.md), the key
-- that signed them and the QR URL printed on it. Revocation is the only
-- change a certificate ever sees.
CREATE TABLE certificates (
    id             TEXT PRIMARY KEY,    -- XXXX-XXXX-XXXX-XXXX-C
    event_id       INTEGER NOT NULL REFERENCES events(id),
    contestant_id  INTEGER NOT NULL REFERENCES contestants(id),
    publication_id INTEGER NOT NULL REFERENCES publications(id), -- the final version
    holder         TEXT NOT NULL,
    organization   TEXT NOT NULL,
    team           TEXT,                -- the team's name for a team member; NULL for an individual
    award          INTEGER NOT NULL CHECK (award BETWEEN 1 AND 3),
    rank           INTEGER NOT NULL,
    total_c        INTEGER NOT NULL,
    issue_date     TEXT NOT NULL,       -- YYYY-MM-DD, as signed
    key_id         TEXT NOT NULL,       -- 8 hex digits: the signing key (keys can rotate)
    signature      BLOB NOT NULL,       -- Ed25519 over the canonical encoding
    url            TEXT NOT NULL,       -- the verification URL the QR code holds
    issued_at      TEXT NOT NULL,
    issued_by      TEXT NOT NULL,
    revoked_at     TEXT,
    revoke_reason  TEXT,
    revoked_by     TEXT,
    CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);
CREATE INDEX certificates_event ON certificates(event_id);

-- Named organizer accounts (the first start's admin secret becomes account
-- "admin"), tokens scoped to an organizer or a judge, judges withdrawn from
-- an event, accepted discrepancies with the value that stands, and the
-- audit record's role and reason.

CREATE TABLE organizers (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    secret_hash  TEXT NOT NULL,        -- crypto_pwhash_str of the account's secret
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,        -- audit actor: 'system' or 'organizer:NAME'
    disabled_at  TEXT,                 -- NULL while the account may log in
    disabled_by  TEXT
);

INSERT INTO organizers (name, secret_hash, created_at, created_by)
    SELECT 'admin', admin_hash, created_at, 'system' FROM contest;

ALTER TABLE contest DROP COLUMN admin_hash;

-- Tokens name who they authenticate: an organizer account or a judge.
CREATE TABLE tokens_002 (
    hash          BLOB PRIMARY KEY,    -- BLAKE2b-256 of the token; the token itself is never stored
    role          TEXT NOT NULL CHECK (role IN ('organizer', 'judge')),
    organizer_id  INTEGER REFERENCES organizers(id),
    judge_id      INTEGER REFERENCES judges(id),
    created_at    TEXT NOT NULL,
    expires_at    INTEGER NOT NULL,    -- unix seconds
    CHECK ((role = 'organizer') = (organizer_id IS NOT NULL)),
    CHECK ((role = 'judge') = (judge_id IS NOT NULL))
) WITHOUT ROWID;

INSERT INTO tokens_002 (hash, role, organizer_id, judge_id, created_at, expires_at)
    SELECT hash, CASE role WHEN 'admin' THEN 'organizer' ELSE 'judge' END,
           CASE role WHEN 'admin' THEN (SELECT id FROM organizers WHERE name = 'admin') END,
           CASE role WHEN 'admin' THEN NULL ELSE judge_id END, created_at, expires_at
    FROM tokens WHERE role = 'admin' OR judge_id IS NOT NULL;

DROP TABLE tokens;
ALTER TABLE tokens_002 RENAME TO tokens;
CREATE INDEX tokens_judge ON tokens(judge_id);
CREATE INDEX tokens_organizer ON tokens(organizer_id);

-- A judge withdrawn from an event after the draw is no longer required and
-- the judge's values stop counting; the assignment and the values stay.
ALTER TABLE assignments ADD COLUMN withdrawn_at TEXT;
ALTER TABLE assignments ADD COLUMN withdrawn_by TEXT;
ALTER TABLE assignments ADD COLUMN withdraw_reason TEXT;

-- For a measurement or deduction criterion the chief names the value that
-- stands (hundredths); NULL for the other methods.
ALTER TABLE acceptances ADD COLUMN value_c INTEGER CHECK (value_c IS NULL OR value_c >= 0);

-- Who acted in which role ('organizer', 'judge', 'chief', 'system') and why.
-- Both are covered by the record's hash when either is set (core/audit.c),
-- so the records written before this migration keep their hashes.
ALTER TABLE audit ADD COLUMN role TEXT;
ALTER TABLE audit ADD COLUMN reason TEXT;
-- No index on audit.object: one more B-tree write per score cost about 10 % of
-- group-commit throughput; audit verify and the log by event do without it.

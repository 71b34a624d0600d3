-- The whole contest model (SPEC section 3) and the workflow it goes through
-- (section 5). One database holds one contest. Marks are integers in
-- hundredths of a point (columns ending in _c); times are ISO 8601 UTC text.

CREATE TABLE contest (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    starts_on    TEXT,
    ends_on      TEXT,
    public_url   TEXT NOT NULL,
    sign_pk      BLOB NOT NULL,        -- Ed25519 public key
    sign_sk      BLOB NOT NULL,        -- Ed25519 secret key
    admin_hash   TEXT NOT NULL,        -- crypto_pwhash_str of the admin secret
    created_at   TEXT NOT NULL
);

CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    ratio1_c        INTEGER NOT NULL DEFAULT 1000,  -- award ratios, hundredths of a per cent
    ratio2_c        INTEGER NOT NULL DEFAULT 2000,
    ratio3_c        INTEGER NOT NULL DEFAULT 3000,
    min_award_c     INTEGER,                        -- NULL: no minimum award score
    tiebreak        TEXT NOT NULL DEFAULT '',       -- e.g. 'module:B;time'
    discrepancy_pct INTEGER NOT NULL DEFAULT 20 CHECK (discrepancy_pct BETWEEN 0 AND 100),
    state           TEXT NOT NULL DEFAULT 'setup'
                    CHECK (state IN ('setup', 'drawn', 'locked', 'published', 'final')),
    data_version    INTEGER NOT NULL DEFAULT 0,     -- bumped by every change that can alter results
    drawn_at        TEXT,
    locked_at       TEXT,
    finalized_at    TEXT,
    CHECK (ratio1_c >= 0 AND ratio2_c >= 0 AND ratio3_c >= 0
           AND ratio1_c + ratio2_c + ratio3_c <= 10000)
);

CREATE TABLE modules (
    id        INTEGER PRIMARY KEY,
    event_id  INTEGER NOT NULL REFERENCES events(id),
    code      TEXT NOT NULL,
    name      TEXT NOT NULL,
    weight    INTEGER CHECK (weight IS NULL OR weight BETWEEN 0 AND 100),
    position  INTEGER NOT NULL,
    UNIQUE (event_id, code)
);

CREATE TABLE criteria (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events(id),
    module_id   INTEGER NOT NULL REFERENCES modules(id),
    code        TEXT NOT NULL,
    description TEXT NOT NULL,
    max_c       INTEGER NOT NULL CHECK (max_c > 0),
    method      TEXT NOT NULL CHECK (method IN ('measurement', 'deduction', 'mean',
                                                'trimmed', 'median', 'judgement')),
    position    INTEGER NOT NULL,
    UNIQUE (event_id, code)
);
CREATE INDEX criteria_module ON criteria(module_id);

CREATE TABLE organizations (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE
);

CREATE TABLE contestants (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events(id),
    reg_id          TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    organization_id INTEGER REFERENCES organizations(id),
    status          TEXT NOT NULL DEFAULT 'registered'
                    CHECK (status IN ('registered', 'competed', 'absent', 'withdrawn', 'disqualified')),
    status_reason   TEXT,
    elapsed_s       INTEGER CHECK (elapsed_s IS NULL OR elapsed_s >= 0),
    id_number       TEXT,              -- national id; never shown in full after import
    members         TEXT,              -- team members, ';'-separated; NULL for an individual
    workstation     INTEGER,           -- 工位号, set by the draw
    anon_code       TEXT UNIQUE,       -- 加密号, set by the draw
    UNIQUE (event_id, workstation)
);
CREATE INDEX contestants_event ON contestants(event_id);

CREATE TABLE judges (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    organization_id INTEGER REFERENCES organizations(id),
    pin_hash        TEXT NOT NULL      -- crypto_pwhash_str
);

CREATE TABLE assignments (
    judge_id  INTEGER NOT NULL REFERENCES judges(id),
    event_id  INTEGER NOT NULL REFERENCES events(id),
    role      TEXT NOT NULL CHECK (role IN ('judge', 'chief')),
    PRIMARY KEY (judge_id, event_id)
);
CREATE INDEX assignments_event ON assignments(event_id);

-- The latest value of each (contestant, criterion, judge); every revision,
-- including the first, is also in score_revisions.
CREATE TABLE scores (
    contestant_id INTEGER NOT NULL REFERENCES contestants(id),
    criterion_id  INTEGER NOT NULL REFERENCES criteria(id),
    judge_id      INTEGER NOT NULL REFERENCES judges(id),
    event_id      INTEGER NOT NULL REFERENCES events(id),
    value_c       INTEGER NOT NULL CHECK (value_c >= 0),
    revision      INTEGER NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (contestant_id, criterion_id, judge_id)
) WITHOUT ROWID;
CREATE INDEX scores_event ON scores(event_id);

CREATE TABLE score_revisions (
    id            INTEGER PRIMARY KEY,
    contestant_id INTEGER NOT NULL REFERENCES contestants(id),
    criterion_id  INTEGER NOT NULL REFERENCES criteria(id),
    judge_id      INTEGER NOT NULL REFERENCES judges(id),
    revision      INTEGER NOT NULL,
    value_c       INTEGER NOT NULL,
    entered_by    TEXT NOT NULL,       -- 'judge:J01' or 'admin' (paper sheet on the judge's behalf)
    created_at    TEXT NOT NULL,
    UNIQUE (contestant_id, criterion_id, judge_id, revision)
);

-- Answers already given to score submissions, by the submitter's
-- idempotency key: a retry gets the same answer and stores nothing.
CREATE TABLE idempotency (
    actor       TEXT NOT NULL,
    key         TEXT NOT NULL,
    request_sum BLOB NOT NULL,         -- BLAKE2b of the request body
    http_status INTEGER NOT NULL,
    response    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (actor, key)
) WITHOUT ROWID;

-- Discrepancies the chief judge accepted; removed when a value changes.
CREATE TABLE acceptances (
    contestant_id INTEGER NOT NULL REFERENCES contestants(id),
    criterion_id  INTEGER NOT NULL REFERENCES criteria(id),
    reason        TEXT NOT NULL,
    accepted_by   TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (contestant_id, criterion_id)
);

CREATE TABLE tokens (
    hash        BLOB PRIMARY KEY,      -- BLAKE2b-256 of the token; the token itself is never stored
    role        TEXT NOT NULL CHECK (role IN ('admin', 'judge')),
    judge_id    INTEGER REFERENCES judges(id),
    created_at  TEXT NOT NULL,
    expires_at  INTEGER NOT NULL     -- unix seconds
) WITHOUT ROWID;

-- Published, immutable result versions (公示), appeals against them, and
-- certificates issued from final results.
CREATE TABLE publications (
    id            INTEGER PRIMARY KEY,
    event_id      INTEGER NOT NULL REFERENCES events(id),
    version       INTEGER NOT NULL,
    published_at  TEXT NOT NULL,
    notice_until  TEXT,
    results       TEXT NOT NULL,       -- JSON of the frozen results
    UNIQUE (event_id, version)
);

CREATE TABLE appeals (
    id             INTEGER PRIMARY KEY,
    publication_id INTEGER NOT NULL REFERENCES publications(id),
    contestant_id  INTEGER REFERENCES contestants(id),
    text           TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'rejected')),
    created_at     TEXT NOT NULL,
    resolution     TEXT
);

CREATE TABLE certificates (
    id             TEXT PRIMARY KEY,   -- short, unguessable, with a check character
    event_id       INTEGER NOT NULL REFERENCES events(id),
    contestant_id  INTEGER NOT NULL REFERENCES contestants(id),
    holder         TEXT NOT NULL,
    payload        TEXT NOT NULL,      -- canonical signed fields
    signature      BLOB NOT NULL,
    issued_at      TEXT NOT NULL,
    revoked_at     TEXT,
    revoke_reason  TEXT
);

-- Append-only audit trail; each record's hash chains it to the previous one.
CREATE TABLE audit (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    object     TEXT NOT NULL,
    old_value  TEXT,
    new_value  TEXT,
    prev_hash  BLOB NOT NULL,
    hash       BLOB NOT NULL
);

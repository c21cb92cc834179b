-- The access log as one hash chain (docs/archive-evidence.md "Tamper-evident audit trail"): every row carries its
-- place in the chain (seq, 1, 2, 3, ... without gaps), the hash of the row before it and its own hash, computed by
-- org.medsync.archive.audit.AuditChain over a documented encoding of every column. Appends from every node take one
-- PostgreSQL advisory lock for their transaction, so the cluster writes a single chain.
alter table archive_access
    add column seq       bigint,
    add column prev_hash text check (prev_hash ~ '^[0-9a-f]{64}$'),
    add column hash      text check (hash ~ '^[0-9a-f]{64}$');
create unique index archive_access_seq on archive_access (seq);
create index archive_access_unchained on archive_access (id) where seq is null;
-- Rows written before this migration are chained once, in id order, by the archive (AuditChain.chainUnchained at
-- Archive.open and before any append), so they are exempt (NOT VALID); every row written from now on must be chained.
alter table archive_access add constraint archive_access_chained
    check (seq is not null and prev_hash is not null and hash is not null) not valid;

-- The chain's head as published from time to time (also written to the log): a later verification checks that the
-- chain still holds each published head. Worth most when copied out of the database (see the document above).
create table archive_audit_anchor (
    id          bigserial primary key,
    at          timestamptz not null default now(),
    seq         bigint not null,
    hash        text not null check (hash ~ '^[0-9a-f]{64}$'),
    node        text
);
create index archive_audit_anchor_seq on archive_audit_anchor (seq);

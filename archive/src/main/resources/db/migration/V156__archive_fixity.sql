-- Fixity and copies in several locations (docs/archive-evidence.md, "Fixity and copies in two locations"). A blob is
-- named by the SHA-256 of its own bytes, so checking a copy is re-reading it and hashing it: no key, no other table.

-- Fixity jobs check blobs, not recordings: they have no recording. The kinds are every kind the contract between
-- the archive's parts names (transcode, anonymize, send-to-pacs, fixity, retention-expiry).
alter table archive_job alter column recording_id drop not null;
alter table archive_job drop constraint if exists archive_job_kind_check;
alter table archive_job add constraint archive_job_kind_check
    check (kind in ('transcode', 'anonymize', 'send-to-pacs', 'fixity', 'retention-expiry'));

-- When each blob was last checked in every location (null: never), and until when it sits in a queued batch (so
-- two scheduling rounds do not queue it twice). The scheduler takes the oldest-checked first.
alter table archive_blob add column fixity_checked_at timestamptz;
alter table archive_blob add column fixity_scheduled_until timestamptz;
create index archive_blob_fixity_due on archive_blob (fixity_checked_at nulls first);

-- The last check of each blob in each location (location: 'primary', 'copy', ... as archive.* names them).
-- 'ok': the copy hashes to its name; 'missing': absent or unreadable; 'damaged': other bytes (or another size);
-- 'repaired': was missing or damaged and was rewritten from a copy that verified; 'lost': bad, and no copy verified.
create table archive_fixity (
    blob       text not null check (blob ~ '^[0-9a-f]{64}$'),
    location   text not null check (location ~ '^[a-z0-9][a-z0-9-]{0,31}$'),
    checked_at timestamptz not null default now(),
    state      text not null check (state in ('ok', 'missing', 'damaged', 'repaired', 'lost')),
    detail     text,
    primary key (blob, location)
);
-- The health page and the admin page read only the copies that are not well: keep that cheap at any size.
create index archive_fixity_unwell on archive_fixity (state, checked_at desc) where state in ('missing', 'damaged', 'lost');

-- One fixity run: a batch job on some node, or a whole pass from the command line, and what it found.
create table archive_fixity_run (
    id          bigserial primary key,
    job_id      bigint,
    node        text not null,
    started_at  timestamptz not null default now(),
    finished_at timestamptz,
    checked     int not null default 0,
    damaged     int not null default 0,
    missing     int not null default 0,
    repaired    int not null default 0,
    lost        int not null default 0,
    bytes_read  bigint not null default 0
);
create index archive_fixity_run_started on archive_fixity_run (started_at desc);

-- The cluster's scheduling rounds: one row; a node takes a round by moving last_round forward with a conditional
-- update, so one node per interval queues the batches and every node's workers run them.
create table archive_fixity_schedule (
    id         int primary key check (id = 1),
    last_round timestamptz,
    node       text
);
insert into archive_fixity_schedule (id) values (1);

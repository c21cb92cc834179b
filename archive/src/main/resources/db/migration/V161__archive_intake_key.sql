-- Objects arriving as their bytes arrive (tus uploads sealed as the PATCHes come, docs/archive-evidence.md "Encryption
-- at rest"): the data key a staged blob is sealed under from its first byte, wrapped by the hospital's key like
-- archive_key's, so that a restarted node, or another node sharing the staging directory, continues the same blob.
-- blob/blob_size are written just before the finished staging file is moved into the store: a node killed after the
-- move finds the blob there by name instead of asking the uploader for every byte again. The row goes when the
-- object is indexed (its key then lives in archive_key) or the upload ends otherwise.
create table archive_intake_key (
    id          text primary key,
    hospital_id text not null,
    sha256      text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    size        bigint not null check (size >= 0),
    -- Both null: the vault stores in the clear (archive.keys=none); the row still records the blob below.
    key_id      text,
    wrapped     bytea,
    blob        text check (blob ~ '^[0-9a-f]{64}$'),
    blob_size   bigint,
    created_at  timestamptz not null default now()
);
create index archive_intake_key_version on archive_intake_key (hospital_id, key_id);

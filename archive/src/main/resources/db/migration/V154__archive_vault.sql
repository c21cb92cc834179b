-- What the archive stores for each object (docs/archive-evidence.md): the object's key is the SHA-256 of its
-- content as callers see it; the bytes in the object store ("the blob") may differ from it (encrypted at rest) and
-- are named by their own SHA-256, so any copy can be checked without a key and without this table.
create table archive_blob (
    sha256     text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
    size       bigint not null check (size >= 0),
    blob       text not null check (blob ~ '^[0-9a-f]{64}$'),
    blob_size  bigint not null check (blob_size >= 0),
    -- 'none': the blob is the content itself (objects stored before encryption at rest).
    cipher     text not null default 'none',
    created_at timestamptz not null default now()
);
create index archive_blob_blob on archive_blob (blob);

insert into archive_blob (sha256, size, blob, blob_size, cipher, created_at)
    select sha256, size, sha256, size, 'none', created_at from archive_object;

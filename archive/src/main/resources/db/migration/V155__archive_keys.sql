-- Encryption at rest (docs/archive-evidence.md): each encrypted object has its own data key, stored only wrapped by
-- a key-encryption key of each hospital that stored the object (key_id names the version in the key provider). A
-- rotation rewrites these rows, never a blob; deleting an object's rows makes every copy of its blob unreadable.
create table archive_key (
    sha256      text not null references archive_blob (sha256) on delete cascade,
    hospital_id text not null,
    key_id      text not null,
    wrapped     bytea not null,
    created_at  timestamptz not null default now(),
    primary key (sha256, hospital_id)
);
create index archive_key_version on archive_key (hospital_id, key_id);

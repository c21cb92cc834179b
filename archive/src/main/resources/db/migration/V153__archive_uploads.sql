-- Resumable recorder and browser uploads (tus 1.0, docs/archive-api.md "Recorder uploads"). The bytes are in a staging
-- file <archive.upload.dir>/<id>.part whose length is the upload's offset: it is synced before an offset is
-- acknowledged, so nothing here changes per PATCH and a kill -9 loses nothing acknowledged.
create table archive_upload (
    id           text primary key check (id ~ '^[0-9a-f]{32}$'),
    -- Who may continue it: a device id, or a username for a browser upload.
    owner_kind   text not null check (owner_kind in ('device', 'user')),
    owner        text not null,
    hospital_id  text not null references archive_hospital (id),
    length       bigint not null check (length >= 0),
    -- The whole file's SHA-256 as the uploader declared it; verified when the last byte arrives.
    sha256       text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    -- The Upload-Metadata as validated (hospital and operating room filled in from the device).
    metadata     jsonb not null,
    -- Chosen at creation: finishing the upload again after a crash finds this recording instead of making another.
    recording_id text not null unique,
    state        text not null default 'open'
                 check (state in ('open', 'completed', 'failed', 'terminated', 'expired')),
    message      text,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz not null,
    completed_at timestamptz
);
create index archive_upload_open on archive_upload (expires_at) where state = 'open';

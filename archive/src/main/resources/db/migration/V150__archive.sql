-- The video archive's index: what exists, who owns it, where its bytes are (docs/archive.md).
-- Bytes live in an object store (filesystem or S3) under the SHA-256 of their content; this schema only names them.
-- Usernames are text without a foreign key: the archive runs without the server's account table in its own tests.

-- A hospital: the owner of recordings, and the unit of policy (which archival master, later retention and keys).
create table archive_hospital (
    id            text primary key check (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name          text not null,
    -- 'keep': keep an acceptable uploaded stream as the master; 'h264-422': H.264 High 4:2:2; 'hevc-422': HEVC
    -- Main 4:2:2 10. Sources that are not acceptable as they are are always re-encoded by the chosen codec.
    master_policy text not null default 'keep' check (master_policy in ('keep', 'h264-422', 'hevc-422')),
    -- Lowest PSNR (dB) a diagnostic master may have against its source; lower fails the job.
    master_min_psnr double precision not null default 45,
    -- Rectangles blurred in anonymized renditions (a device's patient banner), as a JSON array of
    -- {"x":..,"y":..,"w":..,"h":..} in fractions of the frame (0..1), so they hold for every rendition size.
    anonymize_regions jsonb not null default '[]',
    created_at    timestamptz not null default now()
);

-- Who works for which hospital: the hospital's clinicians see its recordings.
create table archive_member (
    username    text not null,
    hospital_id text not null references archive_hospital (id) on delete cascade,
    primary key (username, hospital_id)
);

-- A recorder (a device in an OR) and its credential. Only the SHA-256 of the credential is stored: the credential is
-- 256 random bits, so a fast hash cannot be brute-forced and a stolen table does not let anyone upload.
create table archive_device (
    id             text primary key,
    hospital_id    text not null references archive_hospital (id),
    operating_room text not null,
    description    text not null,
    secret_sha256  text not null,
    issued_by      text not null,
    issued_at      timestamptz not null default now(),
    revoked_at     timestamptz,
    revoked_by     text
);

-- Every stored object, once, by content. A later issue adds copies in several locations, fixity checks and retention.
create table archive_object (
    sha256     text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
    size       bigint not null check (size >= 0),
    media_type text not null,
    created_at timestamptz not null default now()
);

-- A recording of a procedure.
create table archive_recording (
    id               text primary key,
    hospital_id      text not null references archive_hospital (id),
    operating_room   text,
    device_id        text references archive_device (id),
    -- The surgeon or operator as the recorder names them (free text), and the account that owns the recording.
    operator         text,
    owner            text,
    procedure        text,
    accession        text,
    study_uid        text,
    patient_id       text,
    patient_name     text,
    started_at       timestamptz not null,
    duration_seconds double precision,
    title            text not null,
    -- The file as uploaded, kept untouched.
    source_object    text references archive_object (sha256),
    source_name      text,
    status           text not null check (status in ('uploaded', 'processing', 'ready', 'failed')),
    status_message   text,
    -- An anonymized copy names the recording it was made from; it carries no patient fields of its own.
    derived_from     text references archive_recording (id),
    anonymized       boolean not null default false,
    created_at       timestamptz not null default now()
);
create index archive_recording_hospital on archive_recording (hospital_id, started_at desc);
create index archive_recording_study on archive_recording (study_uid);
create index archive_recording_accession on archive_recording (accession);
create index archive_recording_derived on archive_recording (derived_from);

-- Work on recordings (encode, anonymize, send to a PACS) as a durable queue: any worker on any node claims a job
-- with SELECT ... FOR UPDATE SKIP LOCKED and holds a lease it renews while it works; a job whose lease ran out (its
-- worker was killed) is claimed again by another worker, up to max_attempts.
create table archive_job (
    id           bigserial primary key,
    recording_id text not null references archive_recording (id) on delete cascade,
    kind         text not null check (kind in ('transcode', 'anonymize', 'send-to-pacs')),
    params       jsonb not null default '{}',
    state        text not null default 'queued' check (state in ('queued', 'running', 'done', 'failed')),
    attempts     int not null default 0,
    max_attempts int not null default 3,
    -- 0..1, and what the worker is doing ("encoding master", "measuring quality"), for the UI.
    progress     double precision not null default 0,
    stage        text,
    message      text,
    worker       text,
    lease_until  timestamptz,
    created_at   timestamptz not null default now(),
    started_at   timestamptz,
    finished_at  timestamptz
);
create index archive_job_claimable on archive_job (created_at) where state in ('queued', 'running');
create index archive_job_recording on archive_job (recording_id);

-- What a recording is made of once encoded: the archival master, the HLS rungs, the storyboard.
create table archive_rendition (
    recording_id text not null references archive_recording (id) on delete cascade,
    -- 'master', 'hls-1080', 'hls-720', 'hls-360', 'storyboard', ...
    name         text not null,
    kind         text not null check (kind in ('master', 'hls', 'storyboard')),
    codec        text,
    profile      text,
    pixel_format text,
    width        int,
    height       int,
    bitrate      bigint,
    -- Measured against the source at the rendition's size (FFmpeg psnr and ssim filters); null where not measured.
    psnr         double precision,
    ssim         double precision,
    -- True when the master is the uploaded stream kept untouched (no re-encode).
    copied       boolean not null default false,
    created_at   timestamptz not null default now(),
    primary key (recording_id, name)
);

-- The files of a rendition by relative path ('index.m3u8', 'init.mp4', 'seg-00001.m4s', 'master.mp4',
-- 'storyboard.jpg'), each an object in the store.
create table archive_rendition_file (
    recording_id text not null,
    rendition    text not null,
    path         text not null check (path ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$'),
    sha256       text not null references archive_object (sha256),
    media_type   text not null,
    primary key (recording_id, rendition, path),
    foreign key (recording_id, rendition) references archive_rendition (recording_id, name) on delete cascade
);

-- Stretches the no-reference ingest checks found, for the player's timeline.
create table archive_flag (
    recording_id  text not null references archive_recording (id) on delete cascade,
    kind          text not null check (kind in ('black', 'frozen', 'blurred', 'overexposed', 'underexposed')),
    start_seconds double precision not null,
    end_seconds   double precision not null,
    detail        text
);
create index archive_flag_recording on archive_flag (recording_id, start_seconds);

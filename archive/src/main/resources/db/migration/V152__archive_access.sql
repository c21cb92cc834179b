-- Who besides the owner and the owner's hospital may see a recording (docs/archive.md "Access").

-- A named user granted one recording, until it expires or is revoked.
create table archive_grant (
    id           text primary key,
    recording_id text not null references archive_recording (id) on delete cascade,
    grantee      text not null,
    granted_by   text not null,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz not null,
    revoked_at   timestamptz,
    revoked_by   text
);
create index archive_grant_grantee on archive_grant (grantee, recording_id);

-- A share link: whoever holds its token may play the recording until it expires or is revoked. Only the token's
-- SHA-256 is stored (256 random bits), so the table does not hand out working links.
create table archive_share_link (
    id           text primary key,
    recording_id text not null references archive_recording (id) on delete cascade,
    token_sha256 text not null unique,
    -- A link to the anonymized rendition only (for teaching), or to the recording itself.
    anonymized   boolean not null,
    created_by   text not null,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz not null,
    revoked_at   timestamptz,
    revoked_by   text
);

-- Every access: uploads, views (a playback session, not each segment), shares, downloads, sends, refusals.
-- Append-only; a later issue chains the rows by hash.
create table archive_access (
    id           bigserial primary key,
    at           timestamptz not null default now(),
    actor        text not null,
    actor_kind   text not null check (actor_kind in ('user', 'device', 'link', 'system')),
    recording_id text,
    action       text not null,
    allowed      boolean not null,
    detail       text
);
create index archive_access_recording on archive_access (recording_id, at);

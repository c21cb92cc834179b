-- Photos of a screen sent by clinicians (issue 15, docs/photo-intake.md). The files (stripped original, rectified
-- and restored PNGs) lie under <data>/photos/<id>/; this row links them with each other, with what the photo was
-- attached to and with the Secondary Capture made from it. A photo is never deleted by processing: a failure leaves
-- status 'failed' with its reason, and the original stays.
create table photo (
    id               text primary key,
    batch_id         text not null,
    position         int not null,
    sender           text not null,
    attach_kind      text not null check (attach_kind in ('study', 'readout', 'consult')),
    attach_ref       text,
    note             text,
    media_type       text not null,
    orientation      int not null default 1,
    photo_width      int not null,
    photo_height     int not null,
    status           text not null,
    -- the quality gate's problems [{code, measured, limit, message}] and the screen quad {corners, confidence}
    problems         jsonb not null default '[]',
    quad             jsonb,
    corners_source   text,
    -- where the Secondary Capture goes (known at upload, or learnt from a photo-mode token) and what it became
    study_uid        text,
    source_series    text,
    source_sop       text,
    source_sop_class text,
    sc_series_uid    text not null,
    sc_sop_uid       text,
    restorer         text,
    error_code       text,
    error_message    text,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now()
);
create index photo_sender on photo (sender, created_at desc);
create index photo_study on photo (study_uid);
create index photo_batch on photo (batch_id, position);

-- Tokens the viewer's photo mode shows in its QR code: 128 random bits naming (user, study, series, instance),
-- never a UID or a name in the picture. Resolved only for a user allowed the study.
create table photo_mode_token (
    token        text primary key,
    username     text not null,
    study_uid    text not null,
    series_uid   text not null,
    sop_uid      text not null,
    sop_class    text,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz not null
);
create index photo_mode_token_expiry on photo_mode_token (expires_at);

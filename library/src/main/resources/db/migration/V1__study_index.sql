-- The study index: one row per patient / study / series / instance, pointing at the stored Part 10 file.
create table patient (
    id           bigserial primary key,
    patient_key  text not null unique,           -- patient_id + '\' + patient_name: the same ID can name two people across sources
    patient_id   text,
    patient_name text,
    birth_date   text,
    sex          text
);

create table study (
    study_uid          text primary key,
    patient            bigint not null references patient(id),
    study_date         text,
    study_time         text,
    description        text,
    accession_number   text,
    referring_physician text,
    study_id           text,
    institution        text,
    search_text        text not null,            -- lower-cased name, ID, accession, description for the worklist search
    imported_at        timestamptz not null default now()
);
create index study_search on study (search_text);
create index study_date_idx on study (study_date desc);

create table series (
    series_uid    text primary key,
    study_uid     text not null references study(study_uid) on delete cascade,
    modality      text,
    series_number integer,
    description   text,
    body_part     text
);
create index series_study on series (study_uid);

create table instance (
    sop_uid          text primary key,
    series_uid       text not null references series(series_uid) on delete cascade,
    sop_class_uid    text not null,
    transfer_syntax  text,
    instance_number  integer,
    rows             integer,
    columns          integer,
    frames           integer not null default 1,
    file_path        text not null,
    file_size        bigint not null,
    imported_at      timestamptz not null default now()
);
create index instance_series on instance (series_uid, instance_number);

-- Retention policies, patient visits, legal holds, deletions and expiry reports (docs/archive-evidence.md,
-- "Retention and legal hold"). The policy is data: a hospital's lawyers change it with a command, not a release.

-- How long a hospital keeps its recordings: `years` counted from an anchor. hospital_id null is the default for
-- hospitals without a policy of their own; procedure null covers every procedure, otherwise the row overrides the
-- hospital's (or the default's) rule for recordings of that procedure (compared case-insensitively).
create table archive_retention_policy (
    id          bigserial primary key,
    hospital_id text references archive_hospital (id) on delete cascade,
    procedure   text check (procedure is null or length(procedure) between 1 and 200),
    years       int not null check (years between 0 and 200),
    -- 'last-visit': from the patient's last visit at the hospital; 'recording': from the recording's own start.
    anchor      text not null check (anchor in ('last-visit', 'recording')),
    note        text,
    updated_by  text not null,
    updated_at  timestamptz not null default now()
);
create unique index archive_retention_policy_scope
    on archive_retention_policy (coalesce(hospital_id, ''), coalesce(lower(procedure), ''));

-- Polish and French law for medical images (the paper): 20 years after the patient's last visit.
insert into archive_retention_policy (hospital_id, procedure, years, anchor, note, updated_by)
    values (null, null, 20, 'last-visit', 'Poland and France: 20 years after the patient''s last visit', 'V157');

-- Visits of a patient at a hospital that the archive has no recording of (a consultation, a follow-up), told by the
-- hospital's systems or an operator: each moves the patient's last visit, so their recordings are kept longer.
create table archive_patient_visit (
    hospital_id text not null references archive_hospital (id) on delete cascade,
    patient_id  text not null check (length(patient_id) between 1 and 200),
    visited_on  date not null,
    recorded_by text not null,
    recorded_at timestamptz not null default now(),
    primary key (hospital_id, patient_id, visited_on)
);
create index archive_recording_patient on archive_recording (hospital_id, patient_id);

-- A legal hold: while it stands nothing it covers may be deleted, whatever its retention. On one recording, on every
-- recording of a patient at a hospital, or on every recording of a case (the accession number) at a hospital.
create table archive_hold (
    id          text primary key,
    scope       text not null check (scope in ('recording', 'patient', 'case')),
    hospital_id text references archive_hospital (id),
    target      text not null check (length(target) between 1 and 200),
    reason      text not null check (length(btrim(reason)) between 1 and 1000),
    placed_by   text not null,
    placed_at   timestamptz not null default now(),
    lifted_at   timestamptz,
    lifted_by   text,
    lift_reason text check (lift_reason is null or length(btrim(lift_reason)) between 1 and 1000),
    check ((scope = 'recording') = (hospital_id is null)),
    check ((lifted_at is null) = (lifted_by is null) and (lifted_at is null) = (lift_reason is null))
);
create index archive_hold_active on archive_hold (scope, target) where lifted_at is null;

-- Every deletion the archive made: the recordings (an original and its anonymized copies) and the objects no other
-- recording referenced. 'pending' until every object is gone from the store; a crash or a locked object leaves it
-- pending and the expiry job finishes it. The recording ids stay: the access log names them too.
create table archive_deletion (
    id          bigserial primary key,
    recording_id text not null,
    recordings  text[] not null,
    objects     text[] not null,
    deleted_by  text not null,
    reason      text not null,
    at          timestamptz not null default now(),
    state       text not null default 'pending' check (state in ('pending', 'done')),
    message     text,
    finished_at timestamptz
);
create index archive_deletion_pending on archive_deletion (id) where state = 'pending';

-- The reports of the retention-expiry job: one row per run, one item per recording found past its retention.
create table archive_expiry_run (
    id             bigserial primary key,
    job_id         bigint,
    started_at     timestamptz not null default now(),
    finished_at    timestamptz,
    delete_expired boolean not null,
    examined       int not null default 0,
    expired        int not null default 0,
    deleted        int not null default 0,
    held           int not null default 0,
    failed         int not null default 0,
    locked         int not null default 0
);
create table archive_expiry_item (
    run_id        bigint not null references archive_expiry_run (id) on delete cascade,
    recording_id  text not null,
    hospital_id   text not null,
    retention_end timestamptz not null,
    outcome       text not null check (outcome in ('reported', 'deleted', 'held', 'failed')),
    detail        text,
    primary key (run_id, recording_id)
);
create index archive_expiry_item_recording on archive_expiry_item (recording_id);

-- How far a recording's objects are locked in the object store (S3 Object Lock): the expiry job and a new visit
-- extend the lock when the retention end moved past it.
create table archive_retention_lock (
    recording_id text primary key references archive_recording (id) on delete cascade,
    locked_until timestamptz not null,
    locked_at    timestamptz not null default now()
);

-- Jobs that concern no one recording (the daily expiry run, the fixity run) have no recording.
alter table archive_job alter column recording_id drop not null;
do $$
declare c record;
begin
    -- Whatever an earlier migration named its kind check, replace it by one that knows every kind of issue 14.
    for c in select conname from pg_constraint
             where conrelid = 'archive_job'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%kind%'
    loop
        execute format('alter table archive_job drop constraint %I', c.conname);
    end loop;
end $$;
alter table archive_job add constraint archive_job_kind_check
    check (kind in ('transcode', 'anonymize', 'send-to-pacs', 'fixity', 'retention-expiry'));

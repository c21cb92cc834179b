-- Numbered 120, above the server's V100/V101: all modules share one Flyway history, and a database made by
-- an earlier version is already at V101, where Flyway would refuse a lower new version as out of order.
-- Patient integrity at import (docs/security.md, "Imports"): an instance joins a study, a series or an
-- instance row only if everything already stored under those UIDs belongs to the same patient and, for
-- the same SOP Instance UID, has the same bytes. The decision is taken here, inside the importing
-- transaction, so that two concurrent imports of conflicting files cannot both pass a check made in Java.

-- A patient is the same patient only if ID, name and birth date are all the same.
update patient set patient_key = coalesce(patient_id, '') || '\' || coalesce(patient_name, '') || '\' || coalesce(birth_date, '');

-- SHA-256 of the stored Part 10 file; null for instances imported before this migration (filled in from the
-- stored file the first time the same SOP Instance UID is offered again).
alter table instance add column content_sha256 bytea;

-- Indexes one instance whose file is about to be put in place. Returns 'imported' (rows inserted, still
-- uncommitted), or one of 'duplicate', 'patient-mismatch', 'series-conflict', 'instance-conflict',
-- 'unhashed' (the stored row has no hash yet), in which case nothing this call did remains: the block's
-- exception handler rolls back its subtransaction. Each statement waits for a concurrent transaction that
-- inserted the same key, then sees its committed row, so the checks below hold against committed data.
create function medsync_index_instance(
    p_patient_key text, p_patient_id text, p_patient_name text, p_birth_date text, p_sex text,
    p_study_uid text, p_study_date text, p_study_time text, p_study_description text, p_accession_number text,
    p_referring_physician text, p_study_id text, p_institution text, p_search_text text,
    p_series_uid text, p_modality text, p_series_number integer, p_series_description text, p_body_part text,
    p_sop_uid text, p_sop_class_uid text, p_transfer_syntax text, p_instance_number integer, p_rows integer,
    p_columns integer, p_frames integer, p_file_path text, p_file_size bigint, p_metadata_json text,
    p_content_sha256 bytea) returns text language plpgsql as $$
declare
    v_patient bigint;
    v_study_patient bigint;
    v_series_study text;
    v_other_patient bigint;
    v_sha256 bytea;
begin
    insert into patient (patient_key, patient_id, patient_name, birth_date, sex)
    values (p_patient_key, p_patient_id, p_patient_name, p_birth_date, p_sex)
    on conflict (patient_key) do nothing
    returning id into v_patient;
    if v_patient is null then
        select id into v_patient from patient where patient_key = p_patient_key;
    end if;

    insert into study (study_uid, patient, study_date, study_time, description, accession_number,
                       referring_physician, study_id, institution, search_text)
    values (p_study_uid, v_patient, p_study_date, p_study_time, p_study_description, p_accession_number,
            p_referring_physician, p_study_id, p_institution, p_search_text)
    on conflict (study_uid) do nothing;
    select patient into v_study_patient from study where study_uid = p_study_uid;
    if v_study_patient <> v_patient then
        raise exception using errcode = 'MS001';
    end if;

    insert into series (series_uid, study_uid, modality, series_number, description, body_part)
    values (p_series_uid, p_study_uid, p_modality, p_series_number, p_series_description, p_body_part)
    on conflict (series_uid) do nothing;
    select study_uid into v_series_study from series where series_uid = p_series_uid;
    if v_series_study <> p_study_uid then
        select patient into v_other_patient from study where study_uid = v_series_study;
        if v_other_patient <> v_patient then
            raise exception using errcode = 'MS001';
        end if;
        raise exception using errcode = 'MS002';
    end if;

    insert into instance (sop_uid, series_uid, sop_class_uid, transfer_syntax, instance_number, rows, columns,
                          frames, file_path, file_size, metadata_json, content_sha256)
    values (p_sop_uid, p_series_uid, p_sop_class_uid, p_transfer_syntax, p_instance_number, p_rows, p_columns,
            p_frames, p_file_path, p_file_size, p_metadata_json, p_content_sha256)
    on conflict (sop_uid) do nothing;
    if found then
        return 'imported';
    end if;
    select content_sha256 into v_sha256 from instance where sop_uid = p_sop_uid;
    if v_sha256 is null then
        raise exception using errcode = 'MS004';
    elsif v_sha256 = p_content_sha256 then
        raise exception using errcode = 'MS005';
    end if;
    raise exception using errcode = 'MS003';
exception
    -- Our own codes; none ends in 000, which PL/pgSQL would read as the whole class.
    when sqlstate 'MS005' then return 'duplicate';
    when sqlstate 'MS001' then return 'patient-mismatch';
    when sqlstate 'MS002' then return 'series-conflict';
    when sqlstate 'MS003' then return 'instance-conflict';
    when sqlstate 'MS004' then return 'unhashed';
end;
$$;

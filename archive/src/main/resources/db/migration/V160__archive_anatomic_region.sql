-- Where the camera was, coded for the DICOM video's Anatomic Region Sequence (docs/archive-dicom.md): a hospital maps
-- its procedure codes or keywords to a SNOMED CT body structure. Without a matching row the video says "Entire body".
create table archive_anatomic_region (
    hospital_id   text not null references archive_hospital (id) on delete cascade,
    -- Lower-case; a procedure matches when it is this text, or contains it as a whole word (the longest match wins).
    match         text not null,
    code_value    text not null,
    coding_scheme text not null,
    code_meaning  text not null,
    primary key (hospital_id, match)
);

package org.medsync.library.index;

import java.util.List;

/** One study as the index knows it, with its counts. */
public record StudyRow(
        String studyUid,
        String patientId,
        String patientName,
        String patientBirthDate,
        String patientSex,
        String studyDate,
        String studyTime,
        String description,
        String accessionNumber,
        String referringPhysician,
        String studyId,
        String institution,
        List<String> modalities,
        int numberOfSeries,
        int numberOfInstances) {}

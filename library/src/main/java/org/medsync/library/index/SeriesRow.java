package org.medsync.library.index;

/** One series of a study, with its instance count. */
public record SeriesRow(
        String studyUid,
        String seriesUid,
        String modality,
        Integer seriesNumber,
        String description,
        String bodyPart,
        int numberOfInstances) {}

package org.medsync.library.source;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.Map;
import org.medsync.dicom.Deidentification;

/**
 * A place studies come from: the local library or a PACS over DICOMweb. Answers are PS3.18 JSON, exactly as
 * they go to the browser; de-identification for restricted roles is applied on top by {@link JsonDeidentifier}.
 */
public interface StudySource {
    SourceInfo info();

    /** Worklist entries whose patient name, ID, accession or description contains {@code text} (null for all). */
    List<StudySummary> worklist(String text, int limit) throws SourceException;

    ArrayNode searchStudies(Map<String, String> query) throws SourceException;

    ArrayNode searchSeries(String studyUid) throws SourceException;

    ArrayNode searchInstances(String studyUid, String seriesUid) throws SourceException;

    /** WADO-RS metadata; Pixel Data's BulkDataURI is {@code bulkDataBase + "/instances/<sop>/frames"}. */
    ArrayNode seriesMetadata(String studyUid, String seriesUid, String bulkDataBase) throws SourceException;

    ArrayNode instanceMetadata(String studyUid, String seriesUid, String sopUid, String bulkDataBase)
            throws SourceException;

    /** One frame (1-based) as stored, still encoded in its transfer syntax. */
    Frame frame(String studyUid, String seriesUid, String sopUid, int frameNumber) throws SourceException;

    /** The whole instance as Part 10, de-identified with {@code deidentification} unless it is null. */
    byte[] instance(String studyUid, String seriesUid, String sopUid, Deidentification deidentification)
            throws SourceException;

    /** A PNG of the series' middle image at its default window. */
    byte[] thumbnail(String studyUid, String seriesUid) throws SourceException;

    record SourceInfo(String id, String name, String kind) {}

    record Frame(String transferSyntaxUid, byte[] bytes) {}
}

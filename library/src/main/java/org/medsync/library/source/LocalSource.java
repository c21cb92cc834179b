package org.medsync.library.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.medsync.dicom.Deidentification;
import org.medsync.dicom.DicomFiles;
import org.medsync.dicom.part10.DicomFormatException;
import org.medsync.dicom.part10.FrameIndex;
import org.medsync.dicom.render.DicomRender;
import org.medsync.library.database.Database;
import org.medsync.library.index.InstanceRow;
import org.medsync.library.index.SeriesRow;
import org.medsync.library.index.StudyIndex;
import org.medsync.library.index.StudyQuery;
import org.medsync.library.index.StudyRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The studies stored in this MedSync's own library. */
public final class LocalSource implements StudySource {
    private static final Logger log = LoggerFactory.getLogger(LocalSource.class);
    public static final String ID = "local";
    /** What importers put as Pixel Data's BulkDataURI in stored metadata; replaced by the real URI when served. */
    public static final String PIXEL_DATA_PLACEHOLDER = "frames";

    private static final int THUMBNAIL_SIZE = 128;
    private static final int THUMBNAILS_KEPT = 2048;
    /** Frame byte ranges kept in memory, about 12 bytes each (see FrameIndexCache). */
    private static final long FRAME_INDEX_SEGMENTS = 1L << 20;

    private final StudyIndex index;
    private final ObjectMapper json = new ObjectMapper();
    /** The most recently drawn thumbnails (a few KB each), so a worklist of many series does not redraw them. */
    private final Map<ThumbnailKey, byte[]> thumbnails =
            Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ThumbnailKey, byte[]> eldest) {
                    return size() > THUMBNAILS_KEPT;
                }
            });

    private final FrameIndexCache frameIndexes = new FrameIndexCache(FRAME_INDEX_SEGMENTS);

    public LocalSource(StudyIndex index) {
        this.index = index;
    }

    @Override
    public SourceInfo info() {
        return new SourceInfo(ID, "MedSync library", "local");
    }

    @Override
    public List<StudySummary> worklist(String text, int limit) throws SourceException {
        try {
            return index.findStudies(StudyQuery.text(text, limit)).stream()
                    .map(r -> StudySummary.fromQido(ID, toQido(r)))
                    .toList();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public ArrayNode searchStudies(Map<String, String> q) throws SourceException {
        String date = q.get("StudyDate");
        String from = null;
        String to = null;
        if (date != null && !date.isBlank()) {
            int dash = date.indexOf('-');
            from = dash < 0 ? date : emptyToNull(date.substring(0, dash));
            to = dash < 0 ? date : emptyToNull(date.substring(dash + 1));
            for (String d : new String[] {from, to}) {
                if (d != null && !d.matches("\\d{8}")) {
                    throw new SourceException(
                            SourceException.Reason.BAD_REQUEST,
                            "StudyDate must be YYYYMMDD or a range YYYYMMDD-YYYYMMDD");
                }
            }
        }
        StudyQuery query = new StudyQuery(
                null,
                q.get("StudyInstanceUID"),
                q.get("PatientID"),
                q.get("PatientName"),
                q.get("AccessionNumber"),
                from,
                to,
                q.get("ModalitiesInStudy"),
                intParam(q, "limit"),
                intParam(q, "offset"));
        try {
            ArrayNode out = DicomJson.array();
            for (StudyRow r : index.findStudies(query)) {
                out.add(toQido(r));
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public ArrayNode searchSeries(String studyUid) throws SourceException {
        try {
            ArrayNode out = DicomJson.array();
            for (SeriesRow s : index.findSeries(studyUid)) {
                ObjectNode o = DicomJson.object();
                DicomJson.put(o, DicomJson.STUDY_INSTANCE_UID, "UI", s.studyUid());
                DicomJson.put(o, DicomJson.SERIES_INSTANCE_UID, "UI", s.seriesUid());
                DicomJson.put(o, DicomJson.MODALITY, "CS", s.modality());
                DicomJson.putInt(o, DicomJson.SERIES_NUMBER, "IS", s.seriesNumber());
                DicomJson.put(o, DicomJson.SERIES_DESCRIPTION, "LO", s.description());
                DicomJson.put(o, DicomJson.BODY_PART_EXAMINED, "CS", s.bodyPart());
                DicomJson.putInt(o, DicomJson.NUMBER_OF_SERIES_RELATED_INSTANCES, "IS", s.numberOfInstances());
                out.add(o);
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public ArrayNode searchInstances(String studyUid, String seriesUid) throws SourceException {
        ArrayNode out = DicomJson.array();
        for (InstanceRow i : instances(studyUid, seriesUid)) {
            ObjectNode o = DicomJson.object();
            DicomJson.put(o, DicomJson.SOP_CLASS_UID, "UI", i.sopClassUid());
            DicomJson.put(o, DicomJson.SOP_INSTANCE_UID, "UI", i.sopUid());
            DicomJson.put(o, DicomJson.STUDY_INSTANCE_UID, "UI", i.studyUid());
            DicomJson.put(o, DicomJson.SERIES_INSTANCE_UID, "UI", i.seriesUid());
            DicomJson.putInt(o, DicomJson.INSTANCE_NUMBER, "IS", i.instanceNumber());
            DicomJson.putInt(o, DicomJson.ROWS, "US", i.rows());
            DicomJson.putInt(o, DicomJson.COLUMNS, "US", i.columns());
            DicomJson.putInt(o, DicomJson.NUMBER_OF_FRAMES, "IS", i.frames());
            out.add(o);
        }
        return out;
    }

    @Override
    public ArrayNode seriesMetadata(String studyUid, String seriesUid, String bulkDataBase) throws SourceException {
        try {
            List<String> stored = index.seriesMetadata(studyUid, seriesUid);
            if (stored.isEmpty()) {
                throw new SourceException(SourceException.Reason.NOT_FOUND, "no such series in the library");
            }
            ArrayNode out = DicomJson.array();
            if (stored.contains(null)) {
                // Imported before metadata was stored: compute it once and keep it.
                for (InstanceRow i : instances(studyUid, seriesUid)) {
                    byte[] bytes = metadataBytes(i);
                    index.storeMetadata(i.sopUid(), bytes);
                    out.add(json.readTree(bytes));
                }
            } else {
                for (String m : stored) {
                    out.add(json.readTree(m));
                }
            }
            return DicomJson.pointPixelDataAt(out, bulkDataBase);
        } catch (SQLException e) {
            throw unavailable(e);
        } catch (IOException e) {
            throw new SourceException(
                    SourceException.Reason.UNREADABLE, "stored metadata of a series is not valid JSON", e);
        }
    }

    @Override
    public ArrayNode instanceMetadata(String studyUid, String seriesUid, String sopUid, String bulkDataBase)
            throws SourceException {
        ArrayNode out = DicomJson.array();
        out.add(metadata(instance(studyUid, seriesUid, sopUid), bulkDataBase));
        return out;
    }

    @Override
    public Frame frame(String studyUid, String seriesUid, String sopUid, int frameNumber) throws SourceException {
        InstanceRow i = instance(studyUid, seriesUid, sopUid);
        if (frameNumber < 1 || frameNumber > i.frames()) {
            throw new SourceException(
                    SourceException.Reason.NOT_FOUND,
                    "frame " + frameNumber + " does not exist; the instance has " + i.frames());
        }
        try {
            // Read only after the index found this instance in this study and series, under that whole key.
            FrameIndex offsets = frameIndexes.get(new FrameIndexCache.Key(ID, studyUid, seriesUid, sopUid), i.file());
            return new Frame(offsets.transferSyntaxUid(), offsets.read(i.file(), frameNumber));
        } catch (DicomFormatException e) {
            throw unreadable(e);
        }
    }

    @Override
    public byte[] instance(String studyUid, String seriesUid, String sopUid, Deidentification deidentification)
            throws SourceException {
        try {
            return DicomFiles.part10(instance(studyUid, seriesUid, sopUid).file(), deidentification);
        } catch (DicomFormatException e) {
            throw unreadable(e);
        }
    }

    /**
     * The series must be found in the study by the index before the cache is read: the caller's access was
     * checked on the study, and a series of another study must not come out of the cache under it. The key is
     * everything the answer depends on (study, series, and the instance drawn, which moves as a series grows);
     * the source is this one. Thumbnails are pixels only and the same for every role.
     */
    @Override
    public byte[] thumbnail(String studyUid, String seriesUid) throws SourceException {
        List<InstanceRow> all = instances(studyUid, seriesUid);
        InstanceRow middle = all.get(all.size() / 2);
        ThumbnailKey key = new ThumbnailKey(studyUid, seriesUid, middle.sopUid());
        byte[] cached = thumbnails.get(key);
        if (cached != null) {
            return cached;
        }
        try {
            BufferedImage image = DicomRender.thumbnail(middle.file(), THUMBNAIL_SIZE);
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            thumbnails.put(key, png.toByteArray());
            return png.toByteArray();
        } catch (DicomFormatException | IOException e) {
            throw new SourceException(
                    SourceException.Reason.UNREADABLE, "no thumbnail for series: " + e.getMessage(), e);
        }
    }

    private record ThumbnailKey(String studyUid, String seriesUid, String sopUid) {}

    private ObjectNode metadata(InstanceRow i, String bulkDataBase) throws SourceException {
        try {
            ArrayNode one = DicomJson.array();
            one.add(json.readTree(metadataBytes(i)));
            return (ObjectNode) DicomJson.pointPixelDataAt(one, bulkDataBase).get(0);
        } catch (IOException e) {
            throw new SourceException(
                    SourceException.Reason.UNREADABLE, "metadata of an instance could not be encoded", e);
        }
    }

    private static byte[] metadataBytes(InstanceRow i) throws SourceException {
        try {
            return DicomFiles.metadataJson(i.file(), PIXEL_DATA_PLACEHOLDER, (Deidentification) null);
        } catch (DicomFormatException e) {
            throw unreadable(e);
        }
    }

    private List<InstanceRow> instances(String studyUid, String seriesUid) throws SourceException {
        try {
            List<InstanceRow> rows = index.findInstances(studyUid, seriesUid);
            if (rows.isEmpty()) {
                throw new SourceException(SourceException.Reason.NOT_FOUND, "no such series in the library");
            }
            return rows;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private InstanceRow instance(String studyUid, String seriesUid, String sopUid) throws SourceException {
        try {
            return index.findInstance(studyUid, seriesUid, sopUid)
                    .orElseThrow(() ->
                            new SourceException(SourceException.Reason.NOT_FOUND, "no such instance in the library"));
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    static ObjectNode toQido(StudyRow r) {
        ObjectNode o = DicomJson.object();
        DicomJson.put(o, DicomJson.STUDY_DATE, "DA", r.studyDate());
        DicomJson.put(o, DicomJson.STUDY_TIME, "TM", r.studyTime());
        DicomJson.put(o, DicomJson.ACCESSION_NUMBER, "SH", r.accessionNumber());
        DicomJson.put(o, DicomJson.MODALITIES_IN_STUDY, "CS", r.modalities().toArray(String[]::new));
        DicomJson.put(o, DicomJson.REFERRING_PHYSICIAN_NAME, "PN", r.referringPhysician());
        DicomJson.put(o, DicomJson.INSTITUTION_NAME, "LO", r.institution());
        DicomJson.put(o, DicomJson.STUDY_DESCRIPTION, "LO", r.description());
        DicomJson.put(o, DicomJson.PATIENT_NAME, "PN", r.patientName());
        DicomJson.put(o, DicomJson.PATIENT_ID, "LO", r.patientId());
        DicomJson.put(o, DicomJson.PATIENT_BIRTH_DATE, "DA", r.patientBirthDate());
        DicomJson.put(o, DicomJson.PATIENT_SEX, "CS", r.patientSex());
        DicomJson.put(o, DicomJson.STUDY_INSTANCE_UID, "UI", r.studyUid());
        DicomJson.put(o, DicomJson.STUDY_ID, "SH", r.studyId());
        DicomJson.putInt(o, DicomJson.NUMBER_OF_STUDY_RELATED_SERIES, "IS", r.numberOfSeries());
        DicomJson.putInt(o, DicomJson.NUMBER_OF_STUDY_RELATED_INSTANCES, "IS", r.numberOfInstances());
        return o;
    }

    private static int intParam(Map<String, String> q, String name) throws SourceException {
        String v = q.get(name);
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new SourceException(
                    SourceException.Reason.BAD_REQUEST, name + " must be a whole number, not '" + v + "'");
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static SourceException unavailable(SQLException e) {
        // The SQL detail goes to the log, not to the browser; an outage is logged once per request by the web
        // server, without a stack trace for every one of them.
        if (!Database.isOutage(e)) {
            log.error("Study index query failed", e);
        }
        return new SourceException(SourceException.Reason.UNAVAILABLE, "the study index is unavailable", e);
    }

    private static SourceException unreadable(DicomFormatException e) {
        return new SourceException(
                SourceException.Reason.UNREADABLE, "a stored file cannot be read: " + e.getMessage(), e);
    }
}

package org.medsync.library.dicomweb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medsync.dicom.Deidentification;
import org.medsync.dicom.DicomFiles;
import org.medsync.dicom.part10.DicomFormatException;
import org.medsync.library.secrets.Secrets;
import org.medsync.library.source.DicomJson;
import org.medsync.library.source.SourceException;
import org.medsync.library.source.StudySource;
import org.medsync.library.source.StudySummary;

/** A PACS reached over DICOMweb (QIDO-RS, WADO-RS), Orthanc with its DICOMweb plugin for one. */
public final class DicomWebSource implements StudySource {
    /**
     * How to reach the PACS; {@code user} null for no authentication. {@code maxResponseBytes} bounds what one
     * answer may make us read and hold in memory (a PACS is outside our control: a broken or hostile one could
     * stream forever).
     */
    public record Settings(
            String id,
            String name,
            URI baseUrl,
            String user,
            String password,
            Duration timeout,
            long maxResponseBytes) {
        /** Without the password (see {@link Secrets}). */
        @Override
        public String toString() {
            return Secrets.recordString(this, "password");
        }
    }

    private static final Set<String> QIDO_STUDY_KEYS = Set.of(
            "PatientName",
            "PatientID",
            "StudyDate",
            "AccessionNumber",
            "ModalitiesInStudy",
            "StudyInstanceUID",
            "limit",
            "offset");
    private static final int WORKLIST_FETCH = 500;

    private final Settings settings;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public DicomWebSource(Settings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public SourceInfo info() {
        return new SourceInfo(settings.id(), settings.name(), "dicomweb");
    }

    @Override
    public List<StudySummary> worklist(String text, int limit) throws SourceException {
        List<StudySummary> out = new ArrayList<>();
        for (JsonNode study : searchStudies(Map.of(
                "limit", String.valueOf(WORKLIST_FETCH), "includefield", "00081030,00201206,00201208,00080061"))) {
            StudySummary s = StudySummary.fromQido(settings.id(), study);
            if (s.matches(text) && out.size() < limit) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public ArrayNode searchStudies(Map<String, String> query) throws SourceException {
        Map<String, String> q = new LinkedHashMap<>();
        query.forEach((k, v) -> {
            if (QIDO_STUDY_KEYS.contains(k) || k.equals("includefield")) {
                q.put(k, v);
            }
        });
        q.putIfAbsent("includefield", "00081030,00201206,00201208,00080061");
        return jsonArray("/studies" + queryString(q));
    }

    @Override
    public ArrayNode searchSeries(String studyUid) throws SourceException {
        return jsonArray("/studies/" + uid(studyUid) + "/series?includefield=00201209,0008103E,00180015");
    }

    @Override
    public ArrayNode searchInstances(String studyUid, String seriesUid) throws SourceException {
        return jsonArray("/studies/" + uid(studyUid) + "/series/" + uid(seriesUid)
                + "/instances?includefield=00280010,00280011,00280008");
    }

    @Override
    public ArrayNode seriesMetadata(String studyUid, String seriesUid, String bulkDataBase) throws SourceException {
        return DicomJson.pointPixelDataAt(
                jsonArray("/studies/" + uid(studyUid) + "/series/" + uid(seriesUid) + "/metadata"), bulkDataBase);
    }

    @Override
    public ArrayNode instanceMetadata(String studyUid, String seriesUid, String sopUid, String bulkDataBase)
            throws SourceException {
        return DicomJson.pointPixelDataAt(
                jsonArray(instancePath(studyUid, seriesUid, sopUid) + "/metadata"), bulkDataBase);
    }

    @Override
    public Frame frame(String studyUid, String seriesUid, String sopUid, int frameNumber) throws SourceException {
        Answer r = get(
                instancePath(studyUid, seriesUid, sopUid) + "/frames/" + frameNumber,
                "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
        List<MultipartRelated.Part> parts = multipart(r);
        MultipartRelated.Part first = parts.getFirst();
        String ts = MultipartRelated.parameter(first.contentType(), "transfer-syntax");
        return new Frame(ts == null ? "1.2.840.10008.1.2.1" : ts, first.body());
    }

    @Override
    public byte[] instance(String studyUid, String seriesUid, String sopUid, Deidentification deidentification)
            throws SourceException {
        Answer r = get(
                instancePath(studyUid, seriesUid, sopUid),
                "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        byte[] part10 = multipart(r).getFirst().body();
        if (deidentification == null) {
            return part10;
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile("medsync-remote-", ".dcm");
            Files.write(tmp, part10);
            return DicomFiles.part10(tmp, deidentification);
        } catch (IOException | DicomFormatException e) {
            throw new SourceException(
                    SourceException.Reason.UNREADABLE,
                    "the PACS sent an instance we cannot read: " + e.getMessage(),
                    e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    @Override
    public byte[] thumbnail(String studyUid, String seriesUid) throws SourceException {
        ArrayNode instances = searchInstances(studyUid, seriesUid);
        if (instances.isEmpty()) {
            throw new SourceException(SourceException.Reason.NOT_FOUND, "the PACS has no instances in this series");
        }
        List<JsonNode> sorted = new ArrayList<>();
        instances.forEach(sorted::add);
        sorted.sort((a, b) -> Integer.compare(
                DicomJson.integer(a, DicomJson.INSTANCE_NUMBER), DicomJson.integer(b, DicomJson.INSTANCE_NUMBER)));
        String sop = DicomJson.string(sorted.get(sorted.size() / 2), DicomJson.SOP_INSTANCE_UID);
        return get(instancePath(studyUid, seriesUid, sop) + "/rendered?viewport=128,128", "image/png")
                .body();
    }

    private ArrayNode jsonArray(String path) throws SourceException {
        Answer r = get(path, "application/dicom+json");
        if (r.statusCode() == 204 || r.body().length == 0) {
            return DicomJson.array();
        }
        try {
            JsonNode node = json.readTree(r.body());
            if (node instanceof ArrayNode a) {
                return a;
            }
            throw new SourceException(
                    SourceException.Reason.UNREADABLE, "the PACS answered " + path + " with JSON that is not an array");
        } catch (IOException e) {
            throw new SourceException(
                    SourceException.Reason.UNREADABLE, "the PACS answered " + path + " with invalid JSON", e);
        }
    }

    private Answer get(String path, String accept) throws SourceException {
        URI uri = URI.create(settings.baseUrl().toString().replaceAll("/+$", "") + path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(settings.timeout())
                .header("Accept", accept)
                .GET();
        if (settings.user() != null) {
            String token = Base64.getEncoder()
                    .encodeToString((settings.user() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
            b.header("Authorization", "Basic " + token);
        }
        Answer r;
        try {
            HttpResponse<InputStream> streaming = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            r = new Answer(streaming.statusCode(), streaming.headers(), readBounded(streaming, path));
        } catch (IOException e) {
            throw new SourceException(
                    SourceException.Reason.UNAVAILABLE,
                    "PACS '" + settings.id() + "' is unreachable: " + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException(
                    SourceException.Reason.UNAVAILABLE, "interrupted while asking PACS '" + settings.id() + "'", e);
        }
        if (r.statusCode() == 404) {
            throw new SourceException(
                    SourceException.Reason.NOT_FOUND, "PACS '" + settings.id() + "' has no such resource");
        }
        if (r.statusCode() >= 400) {
            throw new SourceException(
                    SourceException.Reason.UNAVAILABLE, "PACS '" + settings.id() + "' answered HTTP " + r.statusCode());
        }
        return r;
    }

    /** The body, refused as soon as it (or its announced Content-Length) passes {@code maxResponseBytes}. */
    private byte[] readBounded(HttpResponse<InputStream> r, String path) throws IOException, SourceException {
        long max = settings.maxResponseBytes();
        try (InputStream in = r.body()) {
            long announced = r.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (announced > max) {
                throw tooLarge(path, max);
            }
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, max + 1));
            if (body.length > max) {
                throw tooLarge(path, max);
            }
            return body;
        }
    }

    private SourceException tooLarge(String path, long max) {
        return new SourceException(
                SourceException.Reason.UNREADABLE,
                "PACS '" + settings.id() + "' answered " + path.replaceAll("\\?.*", "") + " with more than " + max
                        + " bytes (sources.max-response-bytes)");
    }

    /** A PACS's answer, its body read under the size bound. */
    private record Answer(int statusCode, HttpHeaders headers, byte[] body) {}

    private List<MultipartRelated.Part> multipart(Answer r) throws SourceException {
        String type = r.headers().firstValue("Content-Type").orElse("");
        try {
            List<MultipartRelated.Part> parts = MultipartRelated.parse(type, r.body());
            if (parts.isEmpty()) {
                throw new SourceException(SourceException.Reason.UNREADABLE, "the PACS sent an empty multipart answer");
            }
            return parts;
        } catch (IllegalArgumentException e) {
            throw new SourceException(
                    SourceException.Reason.UNREADABLE,
                    "the PACS sent a malformed multipart answer: " + e.getMessage(),
                    e);
        }
    }

    private static String instancePath(String studyUid, String seriesUid, String sopUid) throws SourceException {
        return "/studies/" + uid(studyUid) + "/series/" + uid(seriesUid) + "/instances/" + uid(sopUid);
    }

    /** UIDs go into URLs we build, so only real UIDs are let through. */
    private static String uid(String uid) throws SourceException {
        if (uid == null || !uid.matches("[0-9]+(\\.[0-9]+)*") || uid.length() > 64) {
            throw new SourceException(SourceException.Reason.BAD_REQUEST, "not a valid DICOM UID");
        }
        return uid;
    }

    private static String queryString(Map<String, String> q) {
        if (q.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("?");
        q.forEach((k, v) -> sb.append(sb.length() > 1 ? "&" : "")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sb.toString();
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file left behind is harmless; the OS cleans /tmp
            }
        }
    }
}

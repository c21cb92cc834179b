package org.medsync.server.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.dicom.DicomFiles;
import org.medsync.library.importer.StudyImporter;
import org.medsync.server.TestServer;
import org.medsync.testsupport.net.LoopbackPorts;
import org.medsync.testsupport.part10.Variants;

/**
 * Recordings linked to the patient's record: the worklist counts, per study, the recordings the viewer may see
 * (owner, clinician member of the hospital, grantee, admin; never students, whose copies carry no study), and
 * {@code POST /api/archive/recordings/{id}/send} queues a send-to-pacs job for a recording the clinician may see.
 */
class StudyRecordingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static String study;
    private static Recording owned;
    private static Recording ofHospital;

    @BeforeAll
    static void start() throws Exception {
        int closed = LoopbackPorts.free();
        Properties p = new Properties();
        p.setProperty("sources", "pacs");
        p.setProperty("source.pacs.url", "http://127.0.0.1:" + closed + "/dicom-web");
        p.setProperty("source.pacs.timeout-seconds", "2");
        p.setProperty("source.pacs.dicom-host", "127.0.0.1");
        p.setProperty("source.pacs.dicom-port", String.valueOf(closed));
        p.setProperty("source.pacs.dicom-ae", "PACS");
        server = TestServer.start(false, p);
        server.server()
                .library()
                .importer()
                .importFiles(List.of(new StudyImporter.Candidate(Variants.CT_SMALL, "CT_small.dcm")));
        study = DicomFiles.readHeader(Variants.CT_SMALL).studyInstanceUid();
        DataSource db = server.server().dataSource();
        Hospitals hospitals = new Hospitals(db);
        hospitals.save(new Hospital("h1", "Hospital One", Hospital.MasterPolicy.KEEP, 45, List.of()));
        hospitals.save(new Hospital("h2", "Hospital Two", Hospital.MasterPolicy.KEEP, 45, List.of()));
        hospitals.addMember("h1", "attending");
        Recordings recordings = new Recordings(db);
        owned = recordings.create(declared("h2", "resident"), "a".repeat(64), 10, "video/mp4");
        ofHospital = recordings.create(declared("h1", "someone"), "b".repeat(64), 10, "video/mp4");
        recordings.createAnonymizedCopy(ofHospital, "anonymized");
    }

    private static Recording.Declared declared(String hospital, String owner) {
        return new Recording.Declared(
                hospital,
                "OR 1",
                null,
                "Dr X",
                owner,
                "procedure",
                "ACC",
                study,
                "PID",
                "Doe^Jane",
                Instant.parse("2026-12-06T08:00:00Z"),
                "title",
                "video.mp4");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static int recordingsInWorklist(String user) throws Exception {
        HttpResponse<String> r = server.login(user)
                .send(
                        HttpRequest.newBuilder(server.http().resolve("/api/worklist?source=local"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        for (JsonNode line : JSON.readTree(r.body())) {
            if (user.equals("student") || line.path("studyInstanceUid").asText().equals(study)) {
                assertTrue(line.has("recordings"), line.toString());
                if (!user.equals("student")) {
                    return line.path("recordings").asInt();
                }
                assertEquals(0, line.path("recordings").asInt());
            }
        }
        return user.equals("student") ? 0 : -1;
    }

    @Test
    void worklistCountsWhatEachViewerMaySee() throws Exception {
        assertEquals(2, recordingsInWorklist("admin"));
        assertEquals(1, recordingsInWorklist("attending")); // member of h1: the hospital's, not resident's own
        assertEquals(1, recordingsInWorklist("resident")); // owner of one in h2
        assertEquals(0, recordingsInWorklist("student")); // de-identified: studies are pseudonymised, copies unlinked
        try (Connection c = server.server().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("insert into archive_grant (id, recording_id, grantee,"
                        + " granted_by, expires_at) values ('g1', ?, 'resident', 'admin', now() + interval '1 day')")) {
            s.setString(1, ofHospital.id());
            s.executeUpdate();
        }
        assertEquals(2, recordingsInWorklist("resident"));
    }

    private static HttpResponse<String> send(HttpClient client, String recording, String body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(server.http().resolve("/api/archive/recordings/" + recording + "/send"))
                        .header("Origin", "http://" + server.http().getAuthority())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void sendQueuesAJob_forAClinicianWhoMaySee() throws Exception {
        HttpClient attending = server.login("attending");
        HttpResponse<String> ok = send(attending, ofHospital.id(), "{\"destination\":\"pacs\",\"via\":\"c-store\"}");
        assertEquals(202, ok.statusCode(), ok.body());
        long job = JSON.readTree(ok.body()).path("job").asLong();
        try (Connection c = server.server().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select recording_id, kind, params->>'destination', params->>'via', state from archive_job"
                                + " where id = ?")) {
            s.setLong(1, job);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next());
                assertEquals(ofHospital.id(), r.getString(1));
                assertEquals("send-to-pacs", r.getString(2));
                assertEquals("pacs", r.getString(3));
                assertEquals("c-store", r.getString(4));
                assertEquals("queued", r.getString(5));
            }
        }

        HttpResponse<String> unknown = send(attending, ofHospital.id(), "{\"destination\":\"nowhere\"}");
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("no PACS 'nowhere' is configured; configured: pacs"), unknown.body());
        HttpResponse<String> ftp = send(attending, ofHospital.id(), "{\"destination\":\"pacs\",\"via\":\"ftp\"}");
        assertEquals(400, ftp.statusCode());
        assertEquals(400, send(attending, ofHospital.id(), "not json").statusCode());
        // Not visible to this attending (other hospital, not owner, no grant): as if it did not exist.
        assertEquals(
                404, send(attending, owned.id(), "{\"destination\":\"pacs\"}").statusCode());
        assertEquals(
                403,
                send(server.login("student"), ofHospital.id(), "{\"destination\":\"pacs\"}")
                        .statusCode());

        try (Connection c = server.server().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select count(*) filter (where allowed), count(*) filter (where not allowed) from"
                                + " archive_access where actor = 'attending' and action = 'send'")) {
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next());
                assertEquals(1, r.getInt(1));
                assertEquals(3, r.getInt(2)); // unknown destination, ftp, not visible
            }
        }
    }
}

package org.medsync.archive.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.ArchiveDatabase;
import org.medsync.archive.access.AccessLog;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The ATNA XML of a recording's audit entries parses, holds every entry, and recomputes the chain on its own. */
class AtnaXmlTest {
    private static ArchiveDatabase db;

    @BeforeAll
    static void start() throws Exception {
        db = ArchiveDatabase.start("atna");
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @Test
    void everyEntryOfARecordingIsAnAuditMessageThatRecomputesItsHash() throws Exception {
        AccessLog log = new AccessLog(db.dataSource());
        log.append("dev-or1", AccessLog.ActorKind.DEVICE, "rec-a", "upload", true, "upload u1, 10 bytes");
        log.append("dr-b", AccessLog.ActorKind.USER, "rec-b", "view", true, null);
        log.append("dr-a", AccessLog.ActorKind.USER, "rec-a", "play", true, null);
        log.append("link:x", AccessLog.ActorKind.LINK, "rec-a", "link-use", false, "expired <&> \"quoted\"");
        log.append("cli:root", AccessLog.ActorKind.USER, "rec-a", "export", true, "export e1 for Court; reason: x");
        log.append("dr-c", AccessLog.ActorKind.USER, null, "search", true, "ünïcode");
        AuditChain chain = new AuditChain(db.dataSource());
        List<AuditEntry> entries = chain.entries("rec-a", null, null);
        assertEquals(4, entries.size());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtnaXml.write(entries, "medsync-archive", Map.of("rec-a", "north"), out);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(out.toByteArray()));
        NodeList messages = doc.getDocumentElement().getElementsByTagName("AuditMessage");
        assertEquals(entries.size(), messages.getLength());
        assertEquals("4", doc.getDocumentElement().getAttribute("count"));

        for (int i = 0; i < messages.getLength(); i++) {
            Element m = (Element) messages.item(i);
            AuditEntry e = entries.get(i);
            Element event = child(m, "EventIdentification");
            assertEquals(e.allowed() ? "0" : "4", event.getAttribute("EventOutcomeIndicator"));
            assertEquals(e.action(), child(event, "EventTypeCode").getAttribute("csd-code"));
            assertEquals(e.actor(), child(m, "ActiveParticipant").getAttribute("UserID"));
            Element source = child(m, "AuditSourceIdentification");
            assertEquals("medsync-archive", source.getAttribute("AuditSourceID"));
            assertEquals("north", source.getAttribute("AuditEnterpriseSiteID"));
            NodeList objects = m.getElementsByTagName("ParticipantObjectIdentification");
            assertEquals(2, objects.getLength());
            assertEquals("rec-a", ((Element) objects.item(0)).getAttribute("ParticipantObjectID"));

            // The entry rebuilt from the XML alone hashes to the hash it carries: the chain is checkable outside.
            Map<String, String> d = details((Element) objects.item(1));
            AuditEntry rebuilt = new AuditEntry(
                    Long.parseLong(d.get("seq")),
                    Long.parseLong(d.get("id")),
                    Instant.parse(d.get("at")),
                    d.get("actor"),
                    d.get("actor-kind"),
                    d.get("recording-id"),
                    d.get("action"),
                    Boolean.parseBoolean(d.get("allowed")),
                    d.get("detail"),
                    d.get("prev-hash"),
                    d.get("hash"));
            assertEquals(e, rebuilt);
            assertEquals(rebuilt.hash(), rebuilt.computeHash());
        }
        Element upload = (Element) messages.item(0);
        assertEquals(
                "110107", child(child(upload, "EventIdentification"), "EventID").getAttribute("csd-code"));
        Element export = (Element) messages.item(3);
        assertEquals(
                "110106", child(child(export, "EventIdentification"), "EventID").getAttribute("csd-code"));
        assertNull(details((Element) ((Element) messages.item(1))
                        .getElementsByTagName("ParticipantObjectIdentification")
                        .item(1))
                .get("detail"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("<?xml"));
    }

    private static Element child(Element e, String name) {
        NodeList l = e.getElementsByTagName(name);
        assertEquals(1, l.getLength(), name);
        return (Element) l.item(0);
    }

    private static Map<String, String> details(Element object) {
        Map<String, String> out = new HashMap<>();
        NodeList l = object.getElementsByTagName("ParticipantObjectDetail");
        for (int i = 0; i < l.getLength(); i++) {
            Element d = (Element) l.item(i);
            out.put(
                    d.getAttribute("type"),
                    new String(Base64.getDecoder().decode(d.getAttribute("value")), StandardCharsets.UTF_8));
        }
        return out;
    }
}

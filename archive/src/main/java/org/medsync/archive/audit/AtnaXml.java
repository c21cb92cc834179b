package org.medsync.archive.audit;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The audit trail as XML in the IHE ATNA / RFC 3881 spirit: one {@code AuditMessage} of DICOM PS3.15 A.5.1 per entry
 * (EventIdentification, ActiveParticipant, AuditSourceIdentification, ParticipantObjectIdentification), inside one
 * {@code AuditMessages} root. Each message also carries the entry's chain fields as ParticipantObjectDetail, so the
 * chain can be recomputed from the XML alone. The mapping is in docs/archive-evidence.md.
 */
public final class AtnaXml {
    /** The code system of the archive's own codes (action names, actor kinds, object kinds). */
    public static final String MEDSYNC_CODES = "MedSync";

    private AtnaXml() {}

    /** A DICOM (DCM) audit event and its EventActionCode. */
    record Event(String code, String name, String actionCode) {}

    /** The DICOM PS3.16 CID 400 event nearest to a MedSync action; the action itself goes in EventTypeCode. */
    static Event event(String action) {
        return switch (action) {
            case "upload" -> new Event("110107", "Import", "C");
            case "view", "play", "download", "link-use" -> new Event("110103", "DICOM Instances Accessed", "R");
            case "search" -> new Event("110112", "Query", "E");
            case "export" -> new Event("110106", "Export", "R");
            case "send", "sent" -> new Event("110104", "DICOM Instances Transferred", "R");
            case "delete", "retention-expired" -> new Event("110105", "DICOM Study Deleted", "D");
            case "fixity-damaged", "delete-refused" -> new Event("110113", "Security Alert", "E");
            default -> new Event("110100", "Application Activity", "E");
        };
    }

    /**
     * Writes the entries as XML (UTF-8).
     *
     * @param source the AuditSourceID: which archive wrote the trail
     * @param hospitalOf the hospital of each recording (AuditEnterpriseSiteID); recordings absent get none
     */
    public static void write(List<AuditEntry> entries, String source, Map<String, String> hospitalOf, OutputStream out)
            throws XMLStreamException {
        XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
        x.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
        x.writeCharacters("\n");
        x.writeStartElement("AuditMessages");
        x.writeAttribute("source", source);
        x.writeAttribute("encoding", new String(AuditEntry.VERSION, StandardCharsets.US_ASCII));
        x.writeAttribute("count", Integer.toString(entries.size()));
        for (AuditEntry e : entries) {
            x.writeCharacters("\n");
            message(x, e, source, e.recordingId() == null ? null : hospitalOf.get(e.recordingId()));
        }
        x.writeCharacters("\n");
        x.writeEndElement();
        x.writeCharacters("\n");
        x.writeEndDocument();
        x.flush();
        x.close();
    }

    private static void message(XMLStreamWriter x, AuditEntry e, String source, String hospital)
            throws XMLStreamException {
        Event ev = event(e.action());
        x.writeStartElement("AuditMessage");

        x.writeStartElement("EventIdentification");
        x.writeAttribute("EventActionCode", ev.actionCode());
        x.writeAttribute("EventDateTime", AuditEntry.time(e.at()));
        // 0 success; 4 minor failure: the archive refused the attempt, which is itself the event recorded.
        x.writeAttribute("EventOutcomeIndicator", e.allowed() ? "0" : "4");
        coded(x, "EventID", ev.code(), "DCM", ev.name());
        coded(x, "EventTypeCode", e.action(), MEDSYNC_CODES, e.action());
        x.writeEndElement();

        x.writeStartElement("ActiveParticipant");
        x.writeAttribute("UserID", e.actor());
        x.writeAttribute("UserIsRequestor", Boolean.toString(!"system".equals(e.actorKind())));
        coded(x, "RoleIDCode", e.actorKind(), MEDSYNC_CODES, e.actorKind());
        x.writeEndElement();

        x.writeStartElement("AuditSourceIdentification");
        x.writeAttribute("AuditSourceID", source);
        if (hospital != null) {
            x.writeAttribute("AuditEnterpriseSiteID", hospital);
        }
        // 4: application server process (DICOM PS3.15 A.5.1 AuditSourceTypeCode).
        coded(x, "AuditSourceTypeCode", "4", "DCM", "Application Server");
        x.writeEndElement();

        if (e.recordingId() != null) {
            x.writeStartElement("ParticipantObjectIdentification");
            x.writeAttribute("ParticipantObjectID", e.recordingId());
            // 2: system object; 4: resource (a recording and its renditions).
            x.writeAttribute("ParticipantObjectTypeCode", "2");
            x.writeAttribute("ParticipantObjectTypeCodeRole", "4");
            coded(x, "ParticipantObjectIDTypeCode", "recording", MEDSYNC_CODES, "MedSync archive recording");
            x.writeEndElement();
        }

        // The entry itself as a participant object: its chain fields let anyone recompute the hash chain.
        x.writeStartElement("ParticipantObjectIdentification");
        x.writeAttribute("ParticipantObjectID", Long.toString(e.seq()));
        x.writeAttribute("ParticipantObjectTypeCode", "2");
        // 22: table (a row of the archive's audit table).
        x.writeAttribute("ParticipantObjectTypeCodeRole", "22");
        coded(x, "ParticipantObjectIDTypeCode", "audit-entry", MEDSYNC_CODES, "MedSync audit chain entry (seq)");
        detail(x, "seq", Long.toString(e.seq()));
        detail(x, "id", Long.toString(e.id()));
        detail(x, "at", AuditEntry.time(e.at()));
        detail(x, "actor", e.actor());
        detail(x, "actor-kind", e.actorKind());
        detail(x, "recording-id", e.recordingId());
        detail(x, "action", e.action());
        detail(x, "allowed", Boolean.toString(e.allowed()));
        detail(x, "detail", e.detail());
        detail(x, "prev-hash", e.prevHash());
        detail(x, "hash", e.hash());
        x.writeEndElement();

        x.writeEndElement();
    }

    private static void coded(XMLStreamWriter x, String element, String code, String system, String text)
            throws XMLStreamException {
        x.writeEmptyElement(element);
        x.writeAttribute("csd-code", code);
        x.writeAttribute("codeSystemName", system);
        x.writeAttribute("originalText", text);
    }

    /** A null field is left out, which the canonical encoding tells apart from an empty one. */
    private static void detail(XMLStreamWriter x, String type, String value) throws XMLStreamException {
        if (value == null) {
            return;
        }
        x.writeEmptyElement("ParticipantObjectDetail");
        x.writeAttribute("type", type);
        x.writeAttribute("value", Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    }
}

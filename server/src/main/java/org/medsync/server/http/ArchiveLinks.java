package org.medsync.server.http;

import org.medsync.archive.catalog.StudyLinks;
import org.medsync.archive.pacs.SendRequests;

/** The archive as the patient's record reaches it: recordings counted per study, and sending one to a PACS. */
public record ArchiveLinks(StudyLinks studies, SendRequests sends) {}

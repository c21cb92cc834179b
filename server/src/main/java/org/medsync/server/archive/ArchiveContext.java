package org.medsync.server.archive;

import java.time.Clock;
import javax.sql.DataSource;
import org.medsync.archive.store.ObjectStore;

/**
 * What the archive routes work with: the installation's database (the archive's tables live beside the library's)
 * and the archive's object store. MERGE NOTE: the archive.Archive facade (H2) will provide both.
 */
public record ArchiveContext(DataSource dataSource, ObjectStore store, Clock clock) {}

package org.medsync.library;

import java.io.IOException;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.medsync.library.importer.StudyImporter;
import org.medsync.library.index.StudyIndex;
import org.medsync.library.source.LocalSource;
import org.medsync.library.store.InstanceStore;

/** The local study library: stored files, their index, the importer and the source that serves them. */
public final class StudyLibrary implements AutoCloseable {
    private final StudyIndex index;
    private final InstanceStore store;
    private final StudyImporter importer;
    private final LocalSource source;

    public StudyLibrary(DataSource dataSource, Path storeDirectory) throws IOException {
        this.index = new StudyIndex(dataSource);
        this.store = new InstanceStore(storeDirectory);
        this.importer = new StudyImporter(store, index);
        this.source = new LocalSource(index);
    }

    public StudyIndex index() {
        return index;
    }

    public StudyImporter importer() {
        return importer;
    }

    public LocalSource source() {
        return source;
    }

    /** Releases the store's staging directory (what a crash would leave is swept at the next start instead). */
    @Override
    public void close() throws IOException {
        store.close();
    }
}

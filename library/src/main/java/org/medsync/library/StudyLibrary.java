package org.medsync.library;

import org.medsync.library.importer.StudyImporter;
import org.medsync.library.index.StudyIndex;
import org.medsync.library.source.LocalSource;
import org.medsync.library.store.InstanceStore;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;

/** The local study library: stored files, their index, the importer and the source that serves them. */
public final class StudyLibrary {
    private final StudyIndex index;
    private final StudyImporter importer;
    private final LocalSource source;

    public StudyLibrary(DataSource dataSource, Path storeDirectory) throws IOException {
        this.index = new StudyIndex(dataSource);
        this.importer = new StudyImporter(new InstanceStore(storeDirectory), index);
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
}

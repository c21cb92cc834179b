package org.medsync.library.index;

import java.nio.file.Path;

/** One stored instance and where its Part 10 file lies. */
public record InstanceRow(
        String studyUid,
        String seriesUid,
        String sopUid,
        String sopClassUid,
        String transferSyntax,
        Integer instanceNumber,
        Integer rows,
        Integer columns,
        int frames,
        Path file) {}

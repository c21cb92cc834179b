package org.medsync.server.cli;

import java.util.concurrent.Callable;
import org.medsync.archive.pacs.AnatomicRegions;
import org.medsync.dicom.video.VideoInstance;
import org.medsync.server.MedSyncServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code medsync archive anatomic-region}: a hospital's procedure-to-region mapping for DICOM video. */
@Command(
        name = "anatomic-region",
        description = "Map a hospital's procedure codes or keywords to the anatomic region its DICOM videos carry"
                + " (docs/archive-dicom.md); unmapped procedures say SNOMED CT 38266002 \"Entire body\".",
        subcommands = {
            ArchiveRegionCommand.Add.class,
            ArchiveRegionCommand.ListRegions.class,
            ArchiveRegionCommand.Remove.class
        })
final class ArchiveRegionCommand {
    @Command(name = "add", description = "Add or replace a mapping.")
    static final class Add implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Parameters(index = "0", paramLabel = "HOSPITAL")
        String hospital;

        @Parameters(index = "1", paramLabel = "MATCH", description = "procedure code or keyword (whole words)")
        String match;

        @Parameters(index = "2", paramLabel = "CODE", description = "e.g. 28231008")
        String code;

        @Parameters(index = "3", paramLabel = "MEANING", description = "e.g. \"Gallbladder structure\"")
        String meaning;

        @Option(names = "--scheme", defaultValue = "SCT", description = "coding scheme designator; default SCT")
        String scheme;

        @Override
        public Integer call() throws Exception {
            var mapping = new AnatomicRegions.Mapping(hospital, match, new VideoInstance.Code(code, scheme, meaning));
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                if (server.archive().hospitals().find(hospital).isEmpty()) {
                    throw new IllegalArgumentException("there is no hospital '" + hospital + "'");
                }
                new AnatomicRegions(server.archive().dataSource()).put(mapping);
                System.out.println(hospital + ": '" + mapping.match() + "' -> " + scheme + " " + code + " " + meaning);
                return 0;
            }
        }
    }

    @Command(name = "list", description = "List a hospital's mappings.")
    static final class ListRegions implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Parameters(index = "0", paramLabel = "HOSPITAL")
        String hospital;

        @Override
        public Integer call() throws Exception {
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                for (var m : new AnatomicRegions(server.archive().dataSource()).of(hospital)) {
                    System.out.printf(
                            "%-40s %s %s %s%n",
                            m.match(),
                            m.region().scheme(),
                            m.region().value(),
                            m.region().meaning());
                }
                return 0;
            }
        }
    }

    @Command(name = "remove", description = "Remove a mapping.")
    static final class Remove implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Parameters(index = "0", paramLabel = "HOSPITAL")
        String hospital;

        @Parameters(index = "1", paramLabel = "MATCH")
        String match;

        @Override
        public Integer call() throws Exception {
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                boolean removed = new AnatomicRegions(server.archive().dataSource()).remove(hospital, match);
                System.out.println(removed ? "removed" : "no such mapping");
                return removed ? 0 : 1;
            }
        }
    }
}

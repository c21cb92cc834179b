/**
 * DICOM-RTV (PS3.22) devices: the metadata flow codec ({@code metadata}), the transmitter and the
 * receiver, and their HTTP control endpoints ({@code control}, JDK HTTP server). Video helpers
 * (raster drawing, Y4M) are in {@code video}.
 */
module org.medsync.rtv {
    requires transitive org.medsync.st2110;
    requires transitive org.medsync.sdp;
    requires java.desktop;
    requires java.net.http;
    requires jdk.httpserver;
    requires java.management;
    requires java.logging;

    exports org.medsync.rtv.metadata;
    exports org.medsync.rtv.video;
    exports org.medsync.rtv.transmitter;
    exports org.medsync.rtv.receiver;
    exports org.medsync.rtv.control;
}

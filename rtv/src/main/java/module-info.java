/**
 * DICOM-RTV (PS3.22) devices: the metadata flow codec ({@code metadata}), the transmitter and the
 * receiver, and their HTTP control endpoints ({@code control}, JDK HTTP server). Video helpers
 * (raster drawing, Y4M) are in {@code video}; the device's PTP lock and the clocks its flows name in
 * {@code time}; a remote expert's strokes over the receiver's output in {@code annotation}.
 */
module org.medsync.rtv {
    requires transitive org.medsync.st2110;
    requires transitive org.medsync.sdp;
    requires transitive org.medsync.ptp;
    // Part of the exported API, so readers of this module read these too: Snapshots hands out
    // BufferedImages, BoundedBody is a java.net.http body handler, ControlGuard is a JDK HTTP server
    // Filter and ControlAccess binds an HttpServer.
    requires transitive java.desktop;
    requires transitive java.net.http;
    requires transitive jdk.httpserver;
    requires java.management;
    requires java.logging;

    exports org.medsync.rtv.metadata;
    exports org.medsync.rtv.video;
    exports org.medsync.rtv.transmitter;
    exports org.medsync.rtv.annotation;
    exports org.medsync.rtv.receiver;
    exports org.medsync.rtv.control;
    exports org.medsync.rtv.time;
}

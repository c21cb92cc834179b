package org.medsync.server.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.medsync.archive.media.FfmpegProgram;
import org.medsync.rtv.metadata.DataElement;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.Tags;
import org.medsync.rtv.metadata.Vr;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.rtv.transmitter.TransmitterConfig;
import org.medsync.st2110.timing.SystemMediaClock;
import org.medsync.st2110.video.VideoFormat;

/** A real RTV transmitter (test pattern + PS3.22 metadata flow) on loopback, and ffprobe of what was recorded. */
final class RtvRecording {
    private RtvRecording() {}

    /** The procedure the transmitter's metadata flow declares, as the configurator would set it from a worklist. */
    static final Dataset PROCEDURE = Dataset.of(
            DataElement.text(Tags.ACCESSION_NUMBER, Vr.SH, "ACC-2026-0042"),
            DataElement.text(Tags.STATION_NAME, Vr.SH, "OR-3-ENDO"),
            DataElement.text(Tags.STUDY_DESCRIPTION, Vr.LO, "Laparoscopic cholecystectomy"),
            DataElement.text(RecordingMetadata.PERFORMING_PHYSICIAN_NAME, Vr.PN, "HOUSE^GREGORY"),
            DataElement.text(Tags.PATIENT_NAME, Vr.PN, "DOE^JANE"),
            DataElement.text(Tags.PATIENT_ID, Vr.LO, "PID-77"),
            DataElement.text(Tags.STUDY_INSTANCE_UID, Vr.UI, "1.2.826.0.1.3680043.8.498.77"));

    /** A started test-pattern transmitter sending {@code f} with {@link #PROCEDURE} to loopback unicast ports. */
    static Transmitter transmitter(VideoFormat f, Dataset metadata) throws IOException {
        Transmitter tx = new Transmitter(
                "Endoscope", v -> new TestPatternSource("ENDOSCOPE", v), new SystemMediaClock(), "127.0.0.1", "lo");
        tx.configure(new TransmitterConfig(
                f,
                new TransmitterConfig.Endpoint("127.0.0.1", freeUdpPort()),
                new TransmitterConfig.Endpoint("127.0.0.1", freeUdpPort()),
                1,
                "1.2.840.10008.10.1",
                metadata));
        tx.start();
        return tx;
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** ffprobe's view of the first video stream, with frames counted by decoding. */
    static JsonNode probe(Path file) throws IOException, InterruptedException {
        Process p = FfmpegProgram.ffprobe()
                .command(List.of(
                        "-v",
                        "error",
                        "-count_frames",
                        "-select_streams",
                        "v:0",
                        "-show_entries",
                        "stream=codec_name,profile,pix_fmt,width,height,nb_read_frames:format=duration,format_name",
                        "-of",
                        "json",
                        file.toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ffprobe failed on " + file);
        }
        return new ObjectMapper().readTree(new String(out, StandardCharsets.UTF_8));
    }
}

package org.medsync.rtv.transmitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.RtvMeta;
import org.medsync.st2110.timing.SystemMediaClock;
import org.medsync.st2110.video.VideoFormat;

class TransmitterConfigureTest {
    @Test
    void aSourceThatCannotOpen_refusesTheConfig_andKeepsThePreviousOne() {
        TransmitterConfig good = new TransmitterConfig(
                VideoFormat.hd720p50x10(),
                new TransmitterConfig.Endpoint("127.0.0.1", 5004),
                new TransmitterConfig.Endpoint("127.0.0.1", 5006),
                1,
                RtvMeta.VIDEO_ENDOSCOPIC_IMAGE_RTC,
                Dataset.EMPTY);
        TransmitterConfig unopenable = new TransmitterConfig(
                VideoFormat.hd1080p50x10(),
                new TransmitterConfig.Endpoint("127.0.0.1", 5008),
                new TransmitterConfig.Endpoint("127.0.0.1", 5010),
                1,
                RtvMeta.VIDEO_ENDOSCOPIC_IMAGE_RTC,
                Dataset.EMPTY);
        try (Transmitter tx = new Transmitter(
                "test",
                f -> {
                    if (f.height() == 1080) {
                        throw new IllegalArgumentException("cannot open the 1080p input");
                    }
                    return new TestPatternSource("TEST", f);
                },
                new SystemMediaClock(),
                "127.0.0.1",
                "lo")) {
            tx.configure(good);
            assertThrows(IllegalArgumentException.class, () -> tx.configure(unopenable));
            assertEquals(good, tx.config().orElseThrow());
            assertEquals(VideoFormat.hd720p50x10(), tx.status().format());
        }
    }
}

package org.medsync.server.browser;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** What a test's Chromium hears as its microphone: {@code --use-file-for-fake-audio-capture=} a WAV it loops. */
public final class FakeMicrophone {
    private FakeMicrophone() {}

    /**
     * A 48 kHz mono 16-bit PCM WAV of a sine at {@code hz}.
     *
     * @param peak the sine's amplitude in sample units (at most {@link Short#MAX_VALUE})
     */
    public static byte[] toneWav(int hz, int seconds, double peak) {
        int rate = 48_000;
        int n = rate * seconds;
        ByteBuffer pcm = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            pcm.putShort((short) Math.round(peak * Math.sin(2 * Math.PI * hz * i / rate)));
        }
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes()).putInt(36 + n * 2).put("WAVE".getBytes());
        h.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1);
        h.putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16);
        h.put("data".getBytes()).putInt(n * 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.array());
        out.writeBytes(pcm.array());
        return out.toByteArray();
    }
}

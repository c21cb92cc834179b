package org.medsync.server.photo;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.medsync.library.files.PrivateFiles;
import org.medsync.photo.image.GrayImage;

/**
 * A photo's files under {@code <data>/photos/<id>/}: {@code original} (the upload with its metadata stripped, as
 * uploaded type), {@code rectified.png}, {@code restored.png}. 0700/0600 like the study store: only the server reads
 * them, and only for a user the routes allow.
 */
final class PhotoFiles {
    enum Kind {
        ORIGINAL("original"),
        RECTIFIED("rectified.png"),
        RESTORED("restored.png");

        final String file;

        Kind(String file) {
            this.file = file;
        }
    }

    private final Path root;

    PhotoFiles(Path root) throws IOException {
        this.root = PrivateFiles.directories(root);
    }

    void write(String id, Kind kind, byte[] bytes) throws IOException {
        Path dir = PrivateFiles.directories(root.resolve(id));
        PrivateFiles.write(dir.resolve(kind.file), bytes);
    }

    Optional<byte[]> read(String id, Kind kind) throws IOException {
        Path f = root.resolve(id).resolve(kind.file);
        return Files.exists(f) ? Optional.of(Files.readAllBytes(f)) : Optional.empty();
    }

    boolean exists(String id, Kind kind) {
        return Files.exists(root.resolve(id).resolve(kind.file));
    }

    /** 8-bit values of a GrayImage (0..1), rounded and clamped. */
    static byte[] bytes8(GrayImage g) {
        float[] p = g.pixels();
        byte[] out = new byte[p.length];
        for (int i = 0; i < p.length; i++) {
            float v = p[i];
            int q = Float.isNaN(v) ? 0 : Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
            out[i] = (byte) q;
        }
        return out;
    }

    static byte[] png(GrayImage g) throws IOException {
        BufferedImage img = new BufferedImage(g.width(), g.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(bytes8(g), 0, px, 0, px.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}

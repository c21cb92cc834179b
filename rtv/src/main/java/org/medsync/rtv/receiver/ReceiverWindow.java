package org.medsync.rtv.receiver;

import java.awt.Canvas;
import java.awt.Frame;
import java.awt.Graphics;
import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.awt.image.BufferedImage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import org.medsync.rtv.video.Snapshots;

/**
 * A desktop window (java.awt.Frame) showing a receiver's composed output, scaled to the window.
 * Frames are converted on the subscriber thread and painted at most {@code maxFps} times a second;
 * older ones are dropped. Not available headless ({@link #open} throws).
 */
public final class ReceiverWindow implements AutoCloseable {

    private final Frame frame;
    private final AtomicReference<BufferedImage> image = new AtomicReference<>();
    private volatile Flow.Subscription subscription;

    private ReceiverWindow(Receiver rx, String title, int maxFps) {
        frame = new Frame(title);
        Canvas canvas = new Canvas() {
            @Override
            public void paint(Graphics g) {
                BufferedImage img = image.get();
                if (img != null) {
                    g.drawImage(img, 0, 0, getWidth(), getHeight(), null);
                }
            }

            @Override
            public void update(Graphics g) {
                paint(g);
            }
        };
        frame.add(canvas);
        frame.setSize(1280, 400);
        frame.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                close();
            }
        });
        long minGap = 1_000_000_000L / Math.max(1, maxFps);
        rx.frames().subscribe(new Flow.Subscriber<>() {
            private long last;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ComposedFrame f) {
                long now = System.nanoTime();
                if (now - last >= minGap) {
                    last = now;
                    image.set(Snapshots.toImage(f.frame(), f.format()));
                    canvas.repaint();
                }
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onComplete() {}
        });
        frame.setVisible(true);
    }

    /** @throws java.awt.HeadlessException without a display */
    public static ReceiverWindow open(Receiver rx, String title, int maxFps) {
        if (GraphicsEnvironment.isHeadless()) {
            throw new HeadlessException("no display for the receiver window; use /snapshot.png or Y4M");
        }
        return new ReceiverWindow(rx, title, maxFps);
    }

    @Override
    public void close() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        frame.dispose();
    }
}

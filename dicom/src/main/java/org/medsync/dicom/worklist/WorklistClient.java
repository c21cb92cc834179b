package org.medsync.dicom.worklist;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.network.Association;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.FindSOPClassSCU;
import com.pixelmed.network.IdentifierHandler;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.medsync.dicom.worklist.WorklistException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Modality Worklist C-FIND SCU (PS3.4 Annex K): one association per {@link #find}, released at the end.
 * Thread-safe; every failure is a {@link WorklistException} with a {@link Reason}.
 *
 * <p>PixelMed opens its socket with {@code new Socket(host, port)}: no connect timeout and no read
 * timeout for DIMSE. So the exchange runs on a virtual thread and {@link #find} waits at most
 * {@link Options#timeout()}; then the thread is interrupted (a virtual thread blocked in socket I/O gets
 * its socket closed) and the association, if any, aborted.
 */
public final class WorklistClient {

    private static final Logger LOG = LoggerFactory.getLogger(WorklistClient.class);

    /**
     * @param timeout  the whole query: connect, associate, every response, release
     * @param maxItems responses beyond this are counted and dropped (a worklist is a few dozen steps; a
     *                 universal query against a hospital RIS may be thousands)
     */
    public record Options(Duration timeout, int maxItems) {
        public static final Options DEFAULTS = new Options(Duration.ofSeconds(10), 1000);

        public Options {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("worklist timeout must be positive: " + timeout);
            }
            if (maxItems < 1) {
                throw new IllegalArgumentException("maxItems must be at least 1: " + maxItems);
            }
        }
    }

    private final Options options;

    public WorklistClient() {
        this(Options.DEFAULTS);
    }

    public WorklistClient(Options options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public Options options() {
        return options;
    }

    /** Scheduled procedure steps that match {@code query}, in the order the SCP sent them. */
    public List<WorklistItem> find(RemoteAe ae, WorklistQuery query) throws WorklistException {
        Objects.requireNonNull(ae, "ae");
        Objects.requireNonNull(query, "query");
        AtomicReference<Association> association = new AtomicReference<>();
        CompletableFuture<List<WorklistItem>> result = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual()
                .name("mwl-find-" + ae.calledAeTitle())
                .start(() -> {
                    try {
                        result.complete(exchange(ae, query, association));
                    } catch (Throwable t) {
                        result.completeExceptionally(t);
                    }
                });
        try {
            return result.get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            abort(association.get());
            throw new WorklistException(
                    Reason.TIMEOUT,
                    "worklist " + ae + " did not answer within "
                            + options.timeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            worker.interrupt();
            abort(association.get());
            Thread.currentThread().interrupt();
            throw new WorklistException(Reason.TIMEOUT, "interrupted while querying worklist " + ae, e);
        } catch (ExecutionException e) {
            throw translate(ae, e.getCause());
        }
    }

    private List<WorklistItem> exchange(RemoteAe ae, WorklistQuery query, AtomicReference<Association> holder)
            throws Exception {
        AttributeList request = Identifiers.request(query);
        Association a = FindSOPClassSCU.getSuitableAssociation(
                ae.host(), ae.port(), ae.calledAeTitle(), ae.callingAeTitle(), Identifiers.MWL_FIND);
        holder.set(a);
        Collector collector = new Collector(options.maxItems());
        try {
            new FindSOPClassSCU(a, Identifiers.MWL_FIND, request, collector);
        } catch (Exception e) {
            abort(a);
            throw e;
        }
        try {
            a.release();
        } catch (DicomNetworkException e) {
            LOG.debug("worklist {}: A-RELEASE failed after a complete C-FIND: {}", ae, e.getMessage());
        }
        if (collector.failure != null) {
            throw new WorklistException(
                    Reason.BAD_RESPONSE,
                    "worklist " + ae + " sent an identifier we cannot read: " + collector.failure.getMessage(),
                    collector.failure);
        }
        if (collector.dropped > 0) {
            LOG.warn(
                    "worklist {}: {} items beyond the limit of {} dropped; narrow the query",
                    ae,
                    collector.dropped,
                    options.maxItems());
        }
        return List.copyOf(collector.items);
    }

    /** PixelMed reports everything as DicomNetworkException or IOException with a message: map to reasons. */
    private static WorklistException translate(RemoteAe ae, Throwable t) {
        if (t instanceof WorklistException w) {
            return w;
        }
        String m = t.getMessage() == null
                ? t.getClass().getSimpleName()
                : t.getMessage().strip();
        if (t instanceof UnknownHostException) {
            return new WorklistException(Reason.UNREACHABLE, "worklist host " + ae.host() + " is unknown", t);
        }
        if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
            return new WorklistException(Reason.UNREACHABLE, "worklist " + ae + " is unreachable: " + m, t);
        }
        if (t instanceof DicomNetworkException) {
            // PixelMed wraps the socket's exception in the A-P-ABORT text: "... - java.net.ConnectException: ..."
            if (m.contains("ConnectException")
                    || m.contains("NoRouteToHostException")
                    || m.contains("UnknownHostException")) {
                return new WorklistException(Reason.UNREACHABLE, "worklist " + ae + " is unreachable: " + m, t);
            }
            if (m.startsWith("A-ASSOCIATE-RJ")) {
                return new WorklistException(
                        Reason.ASSOCIATION_REJECTED,
                        "worklist " + ae
                                + " rejected the association (check the called AE title \"" + ae.calledAeTitle()
                                + "\" and that our AE \"" + ae.callingAeTitle() + "\" is known): " + m,
                        t);
            }
            if (m.startsWith("No presentation context")) {
                return new WorklistException(
                        Reason.ASSOCIATION_REJECTED,
                        "worklist " + ae
                                + " accepted no Modality Worklist FIND presentation context: it is not a worklist SCP",
                        t);
            }
            if (m.startsWith("C-FIND reports failure status")) {
                return new WorklistException(Reason.FAILED, "worklist " + ae + ": " + m, t);
            }
            if (m.contains("ABORT") || m.contains("closed")) {
                return new WorklistException(Reason.ABORTED, "worklist " + ae + " ended the association: " + m, t);
            }
            return new WorklistException(Reason.BAD_RESPONSE, "worklist " + ae + ": " + m, t);
        }
        if (t instanceof InterruptedIOException) {
            return new WorklistException(Reason.TIMEOUT, "worklist " + ae + " timed out: " + m, t);
        }
        if (t instanceof SocketException || t instanceof IOException) {
            return new WorklistException(Reason.ABORTED, "worklist " + ae + ": connection failed: " + m, t);
        }
        if (t instanceof DicomException) {
            return new WorklistException(
                    Reason.BAD_RESPONSE, "worklist " + ae + " sent something we cannot read: " + m, t);
        }
        return new WorklistException(Reason.BAD_RESPONSE, "worklist " + ae + ": unexpected " + t, t);
    }

    private static void abort(Association a) {
        if (a != null) {
            try {
                a.abort();
            } catch (DicomNetworkException | RuntimeException ignored) {
                // the socket is gone either way
            }
        }
    }

    /** Receives each pending C-FIND-RSP identifier on PixelMed's thread. */
    private static final class Collector extends IdentifierHandler {
        private final int max;
        private final List<WorklistItem> items = new ArrayList<>();
        private int dropped;
        private Exception failure;

        Collector(int max) {
            this.max = max;
        }

        @Override
        public void doSomethingWithIdentifier(AttributeList identifier) {
            try {
                if (items.size() < max) {
                    items.add(Identifiers.item(identifier));
                } else {
                    dropped++;
                }
            } catch (DicomException | RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
    }
}

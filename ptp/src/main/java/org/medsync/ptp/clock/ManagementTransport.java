package org.medsync.ptp.clock;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Carries management datagrams to a ptp4l and back. The real one is an AF_UNIX datagram socket
 * (module medsync-ptp-uds, found through {@link ServiceLoader} because it needs the FFM API and
 * this module must stay compilable for release 21).
 */
public interface ManagementTransport extends AutoCloseable {

    void send(byte[] request) throws IOException;

    /** The next datagram, or empty when none arrives within {@code timeout}. */
    Optional<byte[]> receive(Duration timeout) throws IOException;

    @Override
    void close();

    /** Opens transports to ptp4l's UNIX socket ({@code uds_address}, default /var/run/ptp4l). */
    interface Provider {
        ManagementTransport open(Path ptp4lSocket) throws IOException;
    }

    /**
     * The first provider on the class path. @throws IOException saying what is missing when there is
     * none or it cannot open the socket
     */
    static ManagementTransport unixSocket(Path ptp4lSocket) throws IOException {
        Provider p = ServiceLoader.load(Provider.class, ManagementTransport.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IOException("no AF_UNIX datagram transport on the class path (module "
                        + "medsync-ptp-uds): cannot read ptp4l at " + ptp4lSocket));
        return p.open(ptp4lSocket);
    }
}

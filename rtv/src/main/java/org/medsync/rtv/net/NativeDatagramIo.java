package org.medsync.rtv.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Optional;

/**
 * sendmmsg / recvmmsg (and UDP GSO) on a DatagramChannel's own descriptor, through the FFM API. The channel keeps
 * everything the JDK does well (bind, connect, multicast joins with source filters, close); only the per-datagram
 * system calls are replaced, one call per batch instead of one per datagram. Loaded by name from {@link DatagramIo}
 * (the fuzzing build, release 21, leaves it out).
 *
 * <p>The descriptor is used by number: its owner must stop calling {@link DatagramBatchSender#send} /
 * {@link DatagramBatchReceiver#receive} before it closes the channel (the receiver's timeout exists for that), or a
 * later socket given the same number would be read.
 */
final class NativeDatagramIo implements DatagramIo.Natives {

    // struct msghdr / mmsghdr / iovec / cmsghdr / pollfd, LP64 Linux
    private static final long MSG_IOV = 16;
    private static final long MSG_IOVLEN = 24;
    private static final long MSG_CONTROL = 32;
    private static final long MSG_CONTROLLEN = 40;
    private static final long MSG_FLAGS = 48;
    private static final long MMSG_LEN = 56;
    private static final long MMSGHDR = 64;
    private static final long IOVEC = 16;
    private static final long CMSG_SPACE_U16 = 24;
    private static final int CMSG_LEN_U16 = 18;
    /** The kernel's UDP_MAX_SEGMENTS before 5.x raised it; and one GSO send stays under 64 KB of UDP payload. */
    private static final int GSO_MAX_SEGMENTS = 64;

    private static final int GSO_MAX_BYTES = 65_000;

    private final NativeSockets sockets = new NativeSockets();

    @Override
    public Optional<DatagramBatchSender> sender(DatagramChannel ch, int maxBatch, boolean gso, int sendBufferBytes)
            throws IOException {
        Optional<Integer> fd = descriptor(ch);
        if (fd.isEmpty()) {
            return Optional.empty();
        }
        // best effort, like SO_RCVBUFFORCE: without CAP_NET_ADMIN the JDK's SO_SNDBUF (capped at wmem_max) stays
        sockets.setInt(fd.get(), NativeSockets.SOL_SOCKET, NativeSockets.SO_SNDBUFFORCE, sendBufferBytes);
        return Optional.of(new Sender(fd.get(), maxBatch, gso));
    }

    @Override
    public Optional<DatagramBatchReceiver> receiver(DatagramChannel ch, int maxBatch) throws IOException {
        return descriptor(ch).map(fd -> new Receiver(fd, maxBatch));
    }

    /**
     * The address of a batch's block, looked up once per batch (MemorySegment.ofBuffer makes an object): a sender or
     * receiver is given the same batch call after call.
     */
    private static final class BlockAddress {
        private PacketBatch batch;
        private long address;

        long of(PacketBatch b) {
            if (b != batch) {
                address = MemorySegment.ofBuffer(b.block()).address();
                batch = b;
            }
            return address;
        }
    }

    /** The channel's descriptor, when exactly one UDP socket of ours is bound to its address. */
    private Optional<Integer> descriptor(DatagramChannel ch) throws IOException {
        if (!(ch.getLocalAddress() instanceof InetSocketAddress local)) {
            return Optional.empty();
        }
        List<Integer> fds = sockets.descriptorsBoundTo(local);
        return fds.size() == 1 ? Optional.of(fds.getFirst()) : Optional.empty();
    }

    private final class Sender implements DatagramBatchSender {
        private final int fd;
        private final int maxBatch;
        private final MemorySegment msgs;
        private final MemorySegment iovs;
        private final MemorySegment cmsgs;
        private final MemorySegment capture;
        private final MemorySegment pollFd;
        /** Datagrams carried by each message of the current call (GSO puts several in one). */
        private final int[] perMessage;

        private final BlockAddress block = new BlockAddress();

        private boolean gso;

        Sender(int fd, int maxBatch, boolean gso) {
            this.fd = fd;
            this.maxBatch = maxBatch;
            this.gso = gso;
            Arena arena = Arena.ofAuto();
            this.msgs = arena.allocate(MMSGHDR * maxBatch, 8);
            this.iovs = arena.allocate(IOVEC * maxBatch, 8);
            this.cmsgs = arena.allocate(CMSG_SPACE_U16 * maxBatch, 8);
            this.capture = sockets.captureState(arena);
            this.pollFd = arena.allocate(8, 4);
            this.perMessage = new int[maxBatch];
            for (int i = 0; i < maxBatch; i++) {
                MemorySegment c = cmsgs.asSlice(CMSG_SPACE_U16 * i, CMSG_SPACE_U16);
                c.set(ValueLayout.JAVA_LONG, 0, CMSG_LEN_U16);
                c.set(ValueLayout.JAVA_INT, 8, NativeSockets.SOL_UDP);
                c.set(ValueLayout.JAVA_INT, 12, NativeSockets.UDP_SEGMENT);
            }
        }

        @Override
        public String method() {
            return gso ? "sendmmsg+gso" : "sendmmsg";
        }

        @Override
        public int send(PacketBatch batch) throws IOException {
            int n = batch.count();
            if (n > maxBatch) {
                throw new IllegalArgumentException("batch of " + n + " over this sender's " + maxBatch);
            }
            long base = block.of(batch);
            int slot = batch.slotBytes();
            for (int i = 0; i < n; i++) {
                iovs.set(ValueLayout.JAVA_LONG, IOVEC * i, base + (long) slot * i);
                iovs.set(ValueLayout.JAVA_LONG, IOVEC * i + 8, batch.writtenLength(i));
            }
            int refused = 0;
            int done = 0;
            while (done < n) {
                int messages = messages(batch, done, n);
                int sent;
                try {
                    sent = (int) sockets.sendmmsg.invokeExact(capture, fd, msgs, messages, 0);
                } catch (Throwable e) {
                    throw new IOException("sendmmsg: " + e, e);
                }
                if (sent < 0) {
                    int err = sockets.errno(capture);
                    if (err == NativeSockets.ECONNREFUSED) {
                        // an earlier datagram's ICMP port unreachable, reported now: nobody listening, not our fault
                        refused++;
                        done += perMessage[0];
                    } else if (err == NativeSockets.EAGAIN) {
                        waitWritable();
                    } else if (err != NativeSockets.EINTR) {
                        if (gso) {
                            gso = false; // the kernel or the route refuses UDP_SEGMENT: plain sendmmsg from now on
                            continue;
                        }
                        throw new IOException("sendmmsg failed, errno " + err);
                    }
                    continue;
                }
                for (int m = 0; m < sent; m++) {
                    done += perMessage[m];
                }
            }
            return refused;
        }

        /** Fills the mmsghdr array for slots from..n-1; how many messages. */
        private int messages(PacketBatch batch, int from, int n) {
            int m = 0;
            int i = from;
            while (i < n) {
                int len = batch.writtenLength(i);
                int k = 1;
                if (gso) {
                    // equal-sized neighbours go out as one GSO send: the kernel cuts it into datagrams of len bytes
                    while (i + k < n
                            && k < GSO_MAX_SEGMENTS
                            && (long) len * (k + 1) <= GSO_MAX_BYTES
                            && batch.writtenLength(i + k) == len) {
                        k++;
                    }
                }
                long h = MMSGHDR * m;
                msgs.set(ValueLayout.JAVA_LONG, h, 0); // connected: no msg_name
                msgs.set(ValueLayout.JAVA_INT, h + 8, 0);
                msgs.set(ValueLayout.JAVA_LONG, h + MSG_IOV, iovs.address() + IOVEC * i);
                msgs.set(ValueLayout.JAVA_LONG, h + MSG_IOVLEN, k);
                if (k > 1) {
                    cmsgs.set(ValueLayout.JAVA_SHORT_UNALIGNED, CMSG_SPACE_U16 * m + 16, (short) len);
                    msgs.set(ValueLayout.JAVA_LONG, h + MSG_CONTROL, cmsgs.address() + CMSG_SPACE_U16 * m);
                    msgs.set(ValueLayout.JAVA_LONG, h + MSG_CONTROLLEN, CMSG_SPACE_U16);
                } else {
                    msgs.set(ValueLayout.JAVA_LONG, h + MSG_CONTROL, 0);
                    msgs.set(ValueLayout.JAVA_LONG, h + MSG_CONTROLLEN, 0);
                }
                msgs.set(ValueLayout.JAVA_INT, h + MSG_FLAGS, 0);
                perMessage[m++] = k;
                i += k;
            }
            return m;
        }

        private void waitWritable() throws IOException {
            pollFd.set(ValueLayout.JAVA_INT, 0, fd);
            pollFd.set(ValueLayout.JAVA_SHORT, 4, NativeSockets.POLLOUT);
            try {
                int r = (int) sockets.poll.invokeExact(pollFd, 1L, 100);
                if (r < 0) {
                    throw new IOException("poll for writing failed");
                }
            } catch (IOException e) {
                throw e;
            } catch (Throwable e) {
                throw new IOException("poll: " + e, e);
            }
        }
    }

    private final class Receiver implements DatagramBatchReceiver {
        private final int fd;
        private final int maxBatch;
        private final MemorySegment msgs;
        private final MemorySegment iovs;
        private final MemorySegment capture;
        private final MemorySegment pollFd;
        private final BlockAddress block = new BlockAddress();
        private long truncated;

        Receiver(int fd, int maxBatch) {
            this.fd = fd;
            this.maxBatch = maxBatch;
            Arena arena = Arena.ofAuto();
            this.msgs = arena.allocate(MMSGHDR * maxBatch, 8);
            this.iovs = arena.allocate(IOVEC * maxBatch, 8);
            this.capture = sockets.captureState(arena);
            this.pollFd = arena.allocate(8, 4);
            for (int i = 0; i < maxBatch; i++) {
                long h = MMSGHDR * i;
                msgs.set(ValueLayout.JAVA_LONG, h + MSG_IOV, iovs.address() + IOVEC * i);
                msgs.set(ValueLayout.JAVA_LONG, h + MSG_IOVLEN, 1);
            }
        }

        @Override
        public String method() {
            return "recvmmsg";
        }

        @Override
        public long truncated() {
            return truncated;
        }

        @Override
        public int receive(PacketBatch batch, int timeoutMillis) throws IOException {
            batch.clear();
            int n = Math.min(maxBatch, batch.capacity());
            long base = block.of(batch);
            int slot = batch.slotBytes();
            for (int i = 0; i < n; i++) {
                iovs.set(ValueLayout.JAVA_LONG, IOVEC * i, base + (long) slot * i);
                iovs.set(ValueLayout.JAVA_LONG, IOVEC * i + 8, slot);
                msgs.set(ValueLayout.JAVA_INT, MMSGHDR * i + MSG_FLAGS, 0);
            }
            try {
                // the socket stays in the JDK's blocking mode; waiting in poll keeps a timeout for a clean stop
                pollFd.set(ValueLayout.JAVA_INT, 0, fd);
                pollFd.set(ValueLayout.JAVA_SHORT, 4, NativeSockets.POLLIN);
                pollFd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
                int ready = (int) sockets.poll.invokeExact(pollFd, 1L, timeoutMillis);
                if (ready <= 0) {
                    return 0; // timeout, or a signal: the caller loops
                }
                int got = (int) sockets.recvmmsg.invokeExact(
                        capture, fd, msgs, n, NativeSockets.MSG_DONTWAIT, MemorySegment.NULL);
                if (got < 0) {
                    int err = sockets.errno(capture);
                    if (err == NativeSockets.EAGAIN
                            || err == NativeSockets.EINTR
                            || err == NativeSockets.ECONNREFUSED) {
                        return 0;
                    }
                    throw new IOException("recvmmsg failed, errno " + err);
                }
                for (int i = 0; i < got; i++) {
                    long h = MMSGHDR * i;
                    if ((msgs.get(ValueLayout.JAVA_INT, h + MSG_FLAGS) & NativeSockets.MSG_TRUNC) != 0) {
                        truncated++;
                    }
                    batch.received(i, msgs.get(ValueLayout.JAVA_INT, h + MMSG_LEN));
                }
                return got;
            } catch (IOException e) {
                throw e;
            } catch (Throwable e) {
                throw new IOException("recvmmsg: " + e, e);
            }
        }
    }
}

package org.medsync.archive.vault;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.medsync.library.files.PrivateFiles;

/**
 * An object's blob written as its content arrives, so that the finished staging file IS the blob the store keeps
 * (one pass: the content hashed, sealed in {@link EncryptedBlob} chunks, the sealed bytes hashed and written, no
 * re-read). In the clear (no key provider) the staging file is the content itself.
 *
 * <p>Durability, for resumable uploads: {@link #commit} makes everything written so far survive a kill -9. Whole
 * chunks are sealed into the staging file; the content after the last whole chunk (less than one chunk, which GCM
 * cannot seal before it is complete without reusing its nonce) is kept in a side file, {@code <name>.tail}, sealed
 * under a key derived from the data key with a fresh random nonce, in one of two slots written alternately: a write
 * torn by a crash leaves the other slot, and a slot is only trusted when its chunk index is the staging file's number
 * of whole chunks. The staging file is synced before the slot is written, so a slot never names chunks that are not
 * durable. {@link #open} rebuilds the state from the two files: every whole chunk is authenticated and hashed again,
 * a torn trailing chunk cut off.
 *
 * <p>Three stages per upload, so that two cores and the disk work at once: {@link #write} hashes the content on the
 * caller's thread and hands the bytes, in pieces of 1 MiB, through a bounded queue to a sealer thread; the sealer
 * seals them into batches of {@link #BATCH} chunks and hands each batch through a second bounded queue to a writer
 * thread, which hashes the sealed bytes and writes them (in the clear the sealer writes the pieces itself: there is
 * nothing to seal or hash twice). The three SHA-256 / AES-GCM passes cost about the same per byte; with one worker
 * doing the seal, the second hash and the write in sequence it was the bottleneck (0.61x the raw disk), split in two
 * no stage does more than the request thread. Both kinds of buffer are pooled (at most {@link #DEPTH} + 1 of each
 * per upload while a PATCH arrives, none kept between PATCHes). Every other method first waits for both stages to
 * finish what they were given (and reports their failure), so the order of the bytes and the durability rules above
 * are those of one thread. While a PATCH is still arriving, the writer asks for the file's bytes so far to be synced
 * in the background, every {@link #SYNC_EVERY} bytes, so that the disk writes while the CPU seals and
 * {@link #commit}'s own sync finds little left to do.
 *
 * <p>Not thread-safe: one request at a time writes an upload (the caller holds its lock).
 */
public final class StagedBlob {
    private static final int SLOT_HEAD = 8 + 8 + 4 + 12;
    private static final int SLOT = SLOT_HEAD + EncryptedBlob.CHUNK + EncryptedBlob.TAG;
    /** Sealed chunks gathered before one write to the file: fewer system calls. */
    private static final int BATCH = 16;
    /** Content bytes per piece handed to the worker (a whole number of chunks, so pieces seal without copying). */
    private static final int PIECE = BATCH * EncryptedBlob.CHUNK;
    /** Pieces queued per stage: with the ones being worked on, about 10 MiB held while a PATCH arrives, none between. */
    private static final int DEPTH = 4;
    /** Bytes of one batch of sealed chunks. */
    private static final int SEALED_BATCH = BATCH * (EncryptedBlob.CHUNK + EncryptedBlob.TAG);
    /** Written bytes after which the worker starts a background sync of the staging file. */
    private static final long SYNC_EVERY = 4L << 20;
    /**
     * The sealers and writers of all uploads of this node, and their background syncs: threads made on demand, idle
     * ones end after a minute. Daemons: a staged blob is durable only through {@link #commit}, never through these.
     */
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("archive-staged-blob-", 0).factory());

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The finished blob: the content's SHA-256 and size, the blob's own SHA-256 (its name in the store) and size. */
    public record Sealed(String sha256, long size, String blob, long blobSize) {}

    private final Intake intake;
    private final Path file;
    private final Path tailFile;
    private final EncryptedBlob.Header header;
    private final byte[] declared;
    private final SecretKey tailKey;
    private final Cipher cipher;

    // The caller's: the content's digest and how many content bytes were given to write.
    private MessageDigest content = EncryptedBlob.sha256();
    private long received;
    // The writer's while a phase runs (between a write and the next call of any other method); the caller's after.
    private MessageDigest blob = EncryptedBlob.sha256();
    /** The file's length: the bytes written to it (in the clear, the sealer's while a phase runs). */
    private long length;

    private FileChannel out;
    // The sealer's while a phase runs; the caller's after.
    /** Whole chunks sealed (encrypted), written or still in {@link #pending}. */
    private long chunks;

    private final byte[] tail;
    private int tailLength;
    /** The batch of sealed chunks being filled (null: none taken from the pool yet). */
    private byte[] pending;

    private int pendingLength;
    /** Whether the staging file holds this blob's header (false: nothing of it is on disk yet). */
    private boolean headerOnDisk = true;
    /** Bytes written since the last background sync was started, and that sync (null: none). */
    private long unsynced;

    private Future<?> syncing;
    /** The writes being processed by the worker (null: none; the caller owns every field). */
    private Phase phase;
    /** The piece being filled by {@link #write} before it goes to the worker. */
    private byte[] fill;

    private int fillLength;
    private final BlockingQueue<byte[]> spare = new ArrayBlockingQueue<>(DEPTH + 1);
    private int pieces;
    /** Sealed batch buffers the writer has handed back, and how many exist (the sealer's count while a phase runs). */
    private final BlockingQueue<byte[]> sealedSpare = new ArrayBlockingQueue<>(DEPTH + 2);

    private int sealedPieces;

    // What the last commit made durable, for rollback and for checking that no other node moved on.
    private MessageDigest committedContent;
    private MessageDigest committedBlob;
    private long committedChunks;
    private long committedLength;
    private byte[] committedTail;
    private boolean committedHeaderOnDisk;
    private long seq;

    private StagedBlob(Intake intake, Path file, EncryptedBlob.Header header) {
        this.intake = intake;
        this.file = file;
        this.tailFile = tailOf(file);
        this.header = header;
        this.declared = HexFormat.of().parseHex(intake.sha256());
        boolean sealed = intake.encrypted();
        this.tailKey = sealed ? tailKey(intake.dataKey()) : null;
        this.cipher = sealed ? EncryptedBlob.gcm() : null;
        this.tail = sealed ? new byte[EncryptedBlob.CHUNK] : null;
    }

    /** The side file that holds a staged blob's content after its last whole chunk. */
    public static Path tailOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".tail");
    }

    /**
     * The staged blob of an intake in {@code file}, as far as it is durable there: empty when there is none (or what
     * is there is not a blob of this intake: then it starts again at byte 0). Reads only: the files are written by
     * {@link #write}, {@link #commit}, {@link #rollback} and {@link #finish}, which the holder of the upload's lock
     * calls.
     */
    public static StagedBlob open(Intake intake, Path file) throws IOException {
        if (!intake.encrypted()) {
            StagedBlob s = new StagedBlob(intake, file, null);
            s.loadClear();
            return s;
        }
        EncryptedBlob.Header h = null;
        if (Files.exists(file) && Files.size(file) >= EncryptedBlob.HEADER) {
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.allocate(EncryptedBlob.HEADER);
                while (b.hasRemaining() && in.read(b) > 0) {}
                h = EncryptedBlob.header(b.array(), intake.id());
                if (h.size() != intake.size() || h.chunkSize() != EncryptedBlob.CHUNK) {
                    h = null;
                }
            } catch (IOException e) {
                h = null; // not a blob of ours (written in the clear before keys were configured): start again
            }
        }
        if (h == null) {
            // Nothing of this blob is durable: a new header, written with the first bytes (by the lock holder).
            StagedBlob s = new StagedBlob(intake, file, EncryptedBlob.newHeader(intake.size()));
            s.blob.update(s.header.bytes());
            s.length = EncryptedBlob.HEADER;
            s.headerOnDisk = false;
            s.snapshot();
            return s;
        }
        StagedBlob s = new StagedBlob(intake, file, h);
        s.loadSealed();
        return s;
    }

    private void loadClear() throws IOException {
        if (!Files.exists(file)) {
            snapshot();
            return;
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            for (int n; (n = in.read(b.clear())) > 0; ) {
                content.update(b.flip());
                length += n;
            }
        }
        received = length;
        snapshot();
    }

    private void loadSealed() throws IOException {
        long onDisk = Files.size(file);
        blob.update(header.bytes());
        length = EncryptedBlob.HEADER;
        byte[] sealed = new byte[EncryptedBlob.CHUNK + EncryptedBlob.TAG];
        byte[] plain = new byte[EncryptedBlob.CHUNK];
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            in.position(length);
            while (chunks < header.chunks()) {
                int n = header.plainLength(chunks) + EncryptedBlob.TAG;
                if (length + n > onDisk) {
                    break;
                }
                ByteBuffer b = ByteBuffer.wrap(sealed, 0, n);
                while (b.hasRemaining() && in.read(b) > 0) {}
                int m = EncryptedBlob.open(cipher, header, declared, intake.dataKey(), chunks, sealed, 0, n, plain);
                if (m < 0) {
                    break; // torn by a crash before the commit that would have made it durable
                }
                content.update(plain, 0, m);
                blob.update(sealed, 0, n);
                length += n;
                chunks++;
            }
        }
        // Bytes past the durable part (a chunk torn by a crash, or another node's PATCH still arriving) are left:
        // only the holder of the upload's lock writes, and it cuts them off before writing (openOut).
        seq = 0;
        if (Files.exists(tailFile)) {
            byte[] slots = Files.readAllBytes(tailFile);
            long best = -1;
            for (int slot = 0; slot < 2; slot++) {
                if (slots.length < slot * SLOT + SLOT_HEAD) {
                    continue;
                }
                ByteBuffer b = ByteBuffer.wrap(slots, slot * SLOT, Math.min(SLOT, slots.length - slot * SLOT));
                long s = b.getLong();
                long index = b.getLong();
                int n = b.getInt();
                if (n <= 0 || n >= EncryptedBlob.CHUNK || b.remaining() < 12 + n + EncryptedBlob.TAG) {
                    continue;
                }
                byte[] nonce = new byte[12];
                b.get(nonce);
                byte[] plainTail = openSlot(s, index, n, nonce, slots, slot * SLOT + SLOT_HEAD);
                if (plainTail == null) {
                    continue;
                }
                seq = Math.max(seq, s);
                if (index == chunks && s > best) {
                    best = s;
                    System.arraycopy(plainTail, 0, tail, 0, n);
                    tailLength = n;
                }
            }
            if (tailLength > 0) {
                content.update(tail, 0, tailLength);
            }
        }
        received = chunks * EncryptedBlob.CHUNK + tailLength;
        snapshot();
    }

    /** The content bytes received so far (durable or not yet committed). */
    public long offset() {
        return received;
    }

    /**
     * Whether the files on disk are still what this object last committed (another node sharing the staging
     * directory may have continued the upload since): when not, {@link #open} it again.
     */
    public boolean current() throws IOException {
        drain();
        if (!committedHeaderOnDisk) {
            return false; // nothing of ours on disk: cheap to look again
        }
        long onDisk = Files.exists(file) ? Files.size(file) : 0;
        if (onDisk != committedLength) {
            return false;
        }
        if (header == null) {
            return true;
        }
        if (!Files.exists(tailFile)) {
            return seq == 0;
        }
        long highest = 0;
        try (FileChannel in = FileChannel.open(tailFile, StandardOpenOption.READ)) {
            for (int slot = 0; slot < 2; slot++) {
                ByteBuffer b = ByteBuffer.allocate(8);
                if (in.read(b, (long) slot * SLOT) == 8) {
                    highest = Math.max(highest, b.flip().getLong());
                }
            }
        }
        return highest == seq;
    }

    /**
     * Appends content: hashed here, then sealed and written by the worker (whole chunks; the rest is held until
     * {@link #commit} or more arrives). Blocks while the worker is {@link #DEPTH} pieces behind.
     */
    public void write(byte[] b, int off, int len) throws IOException {
        if (received + len > intake.size()) {
            throw new IOException("intake " + intake.id() + ": more than its " + intake.size() + " bytes");
        }
        if (phase != null && phase.failure() != null) {
            throw failed(phase.failure());
        }
        content.update(b, off, len);
        received += len;
        while (len > 0) {
            if (fill == null) {
                fill = piece();
                fillLength = 0;
            }
            int n = Math.min(len, fill.length - fillLength);
            System.arraycopy(b, off, fill, fillLength, n);
            fillLength += n;
            off += n;
            len -= n;
            if (fillLength == fill.length) {
                hand();
            }
        }
    }

    /** A free piece buffer: a spare one, a new one while fewer than DEPTH exist, else the next the worker returns. */
    private byte[] piece() throws IOException {
        byte[] b = spare.poll();
        if (b != null) {
            return b;
        }
        if (pieces <= DEPTH) {
            pieces++;
            return new byte[PIECE];
        }
        return take(spare);
    }

    /** Gives the filled piece to the worker, starting one for this phase if none runs. */
    private void hand() throws IOException {
        if (fillLength == 0) {
            return;
        }
        if (phase == null) {
            openOut();
            phase = new Phase();
            phase.start();
        }
        byte[] b = fill;
        int n = fillLength;
        fill = null;
        fillLength = 0;
        put(phase.plain, new Piece(b, n));
    }

    /**
     * Waits until the sealer and the writer have sealed and written everything handed to them; afterwards the caller
     * owns every field. Rethrows their failure (the staged state then runs ahead of the files: {@link #rollback} or
     * reopen).
     */
    private void drain() throws IOException {
        hand();
        if (phase == null) {
            return;
        }
        Phase p = phase;
        put(p.plain, Piece.END);
        p.await();
        phase = null;
        if (p.failure() != null) {
            throw failed(p.failure());
        }
    }

    /**
     * What the two threads of one phase do: the sealer takes the content pieces in order and hands each buffer back
     * for the next piece; the writer takes the sealed batches in order and hands each buffer back to the sealer. The
     * sealer's END goes on to the writer, so the writer ending means both did everything.
     */
    private final class Phase {
        private final BlockingQueue<Piece> plain = new ArrayBlockingQueue<>(DEPTH);
        private final BlockingQueue<Piece> sealed = new ArrayBlockingQueue<>(DEPTH);
        private volatile Throwable sealerFailure;
        private volatile Throwable writerFailure;
        private Future<?> sealer;
        private Future<?> writer;

        void start() {
            sealer = WORKERS.submit(this::seal);
            if (header != null) {
                writer = WORKERS.submit(this::write);
            }
        }

        /** The first failure in byte order: the sealer's comes before anything the writer could not write after it. */
        Throwable failure() {
            Throwable s = sealerFailure;
            return s != null ? s : writerFailure;
        }

        void await() {
            StagedBlob.await(sealer);
            if (writer != null) {
                StagedBlob.await(writer);
            }
        }

        private void seal() {
            boolean interrupted = false;
            while (true) {
                Piece p;
                try {
                    p = plain.take();
                } catch (InterruptedException e) {
                    interrupted = true; // the caller's END is what ends a phase
                    continue;
                }
                if (p == Piece.END) {
                    break;
                }
                if (failure() == null) {
                    try {
                        append(p.bytes(), 0, p.length(), this);
                    } catch (Throwable e) {
                        // Kept for the caller (its next call throws it); the sealer goes on taking, so no put blocks.
                        sealerFailure = e;
                    }
                }
                spare.add(p.bytes());
            }
            if (header != null) {
                if (pendingLength > 0) {
                    handSealed();
                }
                put(sealed, Piece.END);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private void write() {
            boolean interrupted = false;
            while (true) {
                Piece p;
                try {
                    p = sealed.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                    continue;
                }
                if (p == Piece.END) {
                    break;
                }
                if (failure() == null) {
                    try {
                        writeSealed(p.bytes(), p.length());
                    } catch (Throwable e) {
                        writerFailure = e;
                    }
                }
                sealedSpare.add(p.bytes());
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** The sealer's: the full (or, at the end of the phase, last) batch to the writer, a free buffer for the next. */
        private void handSealed() {
            put(sealed, new Piece(pending, pendingLength));
            pending = null;
            pendingLength = 0;
        }
    }

    private record Piece(byte[] bytes, int length) {
        static final Piece END = new Piece(new byte[0], 0);
    }

    /**
     * The sealer's part of {@link #write}: seals whole chunks into batches for the writer, keeps the rest in the tail;
     * in the clear, writes the content.
     */
    private void append(byte[] b, int off, int len, Phase phase) throws IOException {
        if (header == null) {
            ByteBuffer w = ByteBuffer.wrap(b, off, len);
            while (w.hasRemaining()) {
                out.write(w);
            }
            length += len;
            written(len);
            return;
        }
        while (len > 0) {
            if (tailLength == 0 && len >= EncryptedBlob.CHUNK) {
                sealChunk(b, off, EncryptedBlob.CHUNK, phase); // straight from the piece, no copy
                off += EncryptedBlob.CHUNK;
                len -= EncryptedBlob.CHUNK;
                continue;
            }
            int n = Math.min(len, EncryptedBlob.CHUNK - tailLength);
            System.arraycopy(b, off, tail, tailLength, n);
            tailLength += n;
            off += n;
            len -= n;
            if (tailLength == EncryptedBlob.CHUNK) {
                sealChunk(tail, 0, EncryptedBlob.CHUNK, phase);
                tailLength = 0;
            }
        }
    }

    /**
     * Starts a background sync of what the worker wrote when enough has piled up and none is running. Only earlier:
     * what a commit makes durable, and when, is unchanged (a crash may find more chunks durable, which {@link #open}
     * authenticates and counts, as it would after the kernel's own writeback).
     */
    private void written(long n) {
        unsynced += n;
        if (unsynced >= SYNC_EVERY && (syncing == null || syncing.isDone())) {
            unsynced = 0;
            FileChannel channel = out;
            Future<?> previous = syncing;
            syncing = WORKERS.submit(() -> {
                if (previous != null) {
                    previous.get(); // its failure must reach commit, not be lost behind a later success
                }
                channel.force(false);
                return null;
            });
        }
    }

    /** Waits for the background sync; its failure is the file's (a failed fsync is reported only once by Linux). */
    private void awaitSync() throws IOException {
        Future<?> s = syncing;
        syncing = null;
        unsynced = 0;
        if (s != null) {
            await(s);
            try {
                s.get();
            } catch (ExecutionException e) {
                throw failed(e.getCause());
            } catch (InterruptedException e) {
                throw new IllegalStateException("a finished future does not wait", e);
            }
        }
    }

    private static IOException failed(Throwable t) {
        Throwable cause = t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
        return cause instanceof IOException io ? io : new IOException("sealing the staged blob failed", cause);
    }

    /** Waits for a future without giving up on an interrupt (the state it guards must be settled first). */
    private static void await(Future<?> f) {
        boolean interrupted = false;
        while (true) {
            try {
                f.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break; // the caller reads the outcome
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands over without giving up on an interrupt: the worker always takes, and a lost END would strand it. */
    private static <T> void put(BlockingQueue<T> q, T t) {
        boolean interrupted = false;
        while (true) {
            try {
                q.put(t);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T take(BlockingQueue<T> q) throws InterruptedIOException {
        try {
            return q.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the staged blob's worker");
        }
    }

    /**
     * Opens the staging file for writing at the end of its durable part: writes the header of a new blob, cuts off
     * what lies past the durable part (a torn chunk).
     */
    private void openOut() throws IOException {
        if (out != null) {
            return;
        }
        out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        PrivateFiles.restrict(file);
        if (header != null && !headerOnDisk) {
            Files.deleteIfExists(tailFile);
            out.truncate(0);
            out.write(ByteBuffer.wrap(header.bytes()), 0);
            headerOnDisk = true;
        }
        long durable = length; // between phases every sealed batch is written
        if (out.size() > durable) {
            out.truncate(durable);
        }
        out.position(durable);
    }

    /**
     * Seals one chunk into the current batch; a full batch goes to the writer of {@code into} (the sealer's call) or,
     * when it is null, is written here (the caller's, who owns every field between phases).
     */
    private void sealChunk(byte[] plain, int off, int n, Phase into) throws IOException {
        if (pending != null && pendingLength + n + EncryptedBlob.TAG > pending.length) {
            if (into != null) {
                into.handSealed();
            } else {
                flush();
            }
        }
        if (pending == null) {
            pending = sealedBuffer();
        }
        int m = EncryptedBlob.seal(
                cipher, header, declared, intake.dataKey(), chunks, plain, off, n, pending, pendingLength);
        pendingLength += m;
        chunks++;
    }

    /** A free sealed batch buffer: a spare one, a new one while few exist, else the next the writer hands back. */
    private byte[] sealedBuffer() {
        byte[] b = sealedSpare.poll();
        if (b != null) {
            return b;
        }
        if (sealedPieces <= DEPTH) {
            sealedPieces++;
            return new byte[SEALED_BATCH];
        }
        boolean interrupted = false;
        while (true) {
            try {
                b = sealedSpare.take();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the writer always hands buffers back: waiting cannot strand the sealer
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return b;
    }

    /** The writer's part (the caller's between phases): the sealed bytes hashed and appended to the file. */
    private void writeSealed(byte[] sealed, int n) throws IOException {
        blob.update(sealed, 0, n);
        ByteBuffer w = ByteBuffer.wrap(sealed, 0, n);
        while (w.hasRemaining()) {
            out.write(w);
        }
        length += n;
        written(n);
    }

    /** The caller's, between phases: writes the batch being filled. */
    private void flush() throws IOException {
        if (pendingLength > 0) {
            writeSealed(pending, pendingLength);
            pendingLength = 0;
        }
    }

    /** Makes everything written so far durable: the file synced, then the content after its whole chunks. */
    public void commit() throws IOException {
        drain();
        if (out != null) {
            if (header != null) {
                flush();
            }
            awaitSync();
            out.force(false);
            out.close();
            out = null;
        } else if (!Files.exists(file) && (header == null ? length > 0 : headerOnDisk)) {
            throw new IOException("the staged blob of intake " + intake.id() + " is gone");
        }
        // An upload resting between PATCHes holds no buffers: a node may have many of them.
        spare.clear();
        pieces = 0;
        pending = null;
        sealedSpare.clear();
        sealedPieces = 0;
        boolean tailMoved = header != null
                && tailLength > 0
                && (chunks != committedChunks
                        || !Arrays.equals(tail, 0, tailLength, committedTail, 0, committedTail.length));
        if (tailMoved) {
            writeSlot();
        }
        snapshot();
    }

    /** Forgets what was written since the last {@link #commit}, on disk and here. */
    public void rollback() throws IOException {
        try {
            drain();
        } catch (IOException e) {
            // what the worker failed to write is cut off below
        }
        if (fill != null) {
            spare.add(fill);
            fill = null;
            fillLength = 0;
        }
        try {
            awaitSync();
        } catch (IOException e) {
            // only bytes past the last commit were being synced, and they are cut off below
        }
        if (out != null) {
            out.close();
            out = null;
        }
        pendingLength = 0;
        if (Files.exists(file)) {
            try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
                c.truncate(committedHeaderOnDisk ? committedLength : 0);
                c.force(true);
            }
        }
        headerOnDisk = committedHeaderOnDisk;
        content = clone(committedContent);
        blob = header == null ? blob : clone(committedBlob);
        chunks = committedChunks;
        length = committedLength;
        if (tail != null) {
            System.arraycopy(committedTail, 0, tail, 0, committedTail.length);
            tailLength = committedTail.length;
        }
        received = header == null ? length : chunks * EncryptedBlob.CHUNK + tailLength;
    }

    /**
     * Seals the last chunk once every content byte is in, syncs, and says what the blob is. The content's SHA-256
     * is the caller's to compare with the declared one (the chunks were sealed under the declared one: a blob whose
     * content differs is never readable, and must be discarded).
     */
    public Sealed finish() throws IOException {
        drain();
        if (offset() != intake.size()) {
            throw new IllegalStateException(
                    "intake " + intake.id() + " has " + offset() + " of its " + intake.size() + " bytes: not finished");
        }
        if (!Files.exists(file)) {
            openOut(); // an empty object: nothing was written yet
        }
        if (header != null && chunks < header.chunks()) {
            openOut();
            sealChunk(tail, 0, tailLength, null);
            tailLength = 0;
            commit();
        } else if (out != null) {
            commit();
        }
        String sha = HexFormat.of().formatHex(clone(content).digest());
        String blobSha =
                header == null ? sha : HexFormat.of().formatHex(clone(blob).digest());
        return new Sealed(sha, intake.size(), blobSha, length);
    }

    /** Removes the staging file and its tail. */
    public void delete() throws IOException {
        try {
            drain();
            awaitSync();
        } catch (IOException e) {
            // the files go either way
        }
        if (out != null) {
            out.close();
            out = null;
        }
        Files.deleteIfExists(file);
        Files.deleteIfExists(tailFile);
    }

    public Path file() {
        return file;
    }

    public Intake intake() {
        return intake;
    }

    private void snapshot() {
        committedContent = clone(content);
        committedBlob = header == null ? null : clone(blob);
        committedChunks = chunks;
        committedLength = length;
        committedTail = tail == null ? new byte[0] : Arrays.copyOf(tail, tailLength);
        committedHeaderOnDisk = headerOnDisk;
    }

    private void writeSlot() throws IOException {
        long next = seq + 1;
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        ByteBuffer slot = ByteBuffer.allocate(SLOT_HEAD + tailLength + EncryptedBlob.TAG);
        slot.putLong(next).putLong(chunks).putInt(tailLength).put(nonce);
        try {
            Cipher c = EncryptedBlob.gcm();
            c.init(Cipher.ENCRYPT_MODE, tailKey, new GCMParameterSpec(EncryptedBlob.TAG * 8, nonce));
            c.updateAAD(slotAad(next, chunks, tailLength));
            slot.put(c.doFinal(tail, 0, tailLength));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has AES-256-GCM", e);
        }
        boolean fresh = !Files.exists(tailFile);
        try (FileChannel c = FileChannel.open(tailFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (fresh) {
                PrivateFiles.restrict(tailFile);
            }
            slot.flip();
            long at = (next % 2) * SLOT;
            while (slot.hasRemaining()) {
                at += c.write(slot, at);
            }
            c.force(false);
        }
        seq = next;
    }

    private byte[] openSlot(long s, long index, int n, byte[] nonce, byte[] bytes, int at) {
        try {
            Cipher c = EncryptedBlob.gcm();
            c.init(Cipher.DECRYPT_MODE, tailKey, new GCMParameterSpec(EncryptedBlob.TAG * 8, nonce));
            c.updateAAD(slotAad(s, index, n));
            return c.doFinal(bytes, at, n + EncryptedBlob.TAG);
        } catch (AEADBadTagException e) {
            return null; // a slot torn by a crash, or never written
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has AES-256-GCM", e);
        }
    }

    /** A slot is bound to this blob (its header, with its random nonce prefix) and to its place in the content. */
    private byte[] slotAad(long s, long index, int n) {
        return ByteBuffer.allocate(EncryptedBlob.HEADER + 20)
                .put(header.bytes())
                .putLong(s)
                .putLong(index)
                .putInt(n)
                .array();
    }

    /** A key of its own for the tail slots, so that their random nonces never meet the chunks' counter nonces. */
    private static SecretKey tailKey(SecretKey dataKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(dataKey.getEncoded(), "HmacSHA256"));
            return new SecretKeySpec(mac.doFinal("medsync staged tail v1".getBytes(StandardCharsets.US_ASCII)), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    private static MessageDigest clone(MessageDigest d) {
        try {
            return (MessageDigest) d.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }
}

package org.medsync.rtv.metadata;

import java.util.Objects;

/** The outcome of decoding a metadata payload. Garbage never throws: it is {@link Malformed}. */
public sealed interface MetadataDecodeResult {

    record Decoded(RtvMetadata metadata) implements MetadataDecodeResult {
        public Decoded {
            Objects.requireNonNull(metadata, "metadata");
        }
    }

    record Malformed(MetadataFormatException.Reason reason, String detail) implements MetadataDecodeResult {
        public Malformed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    default RtvMetadata orThrow() {
        return switch (this) {
            case Decoded d -> d.metadata();
            case Malformed m -> throw new MetadataFormatException(m.reason(), m.detail());
        };
    }
}

package org.medsync.conference.protocol;

/** What a relayed WebRTC signal carries: code 1 offer SDP, 2 answer SDP, 3 ICE candidate (JSON of RTCIceCandidateInit). */
public enum SignalKind {
    OFFER(1),
    ANSWER(2),
    CANDIDATE(3);

    private final int code;

    SignalKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    static SignalKind of(long code) throws DecodeException {
        for (SignalKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new DecodeException(DecodeException.Reason.BAD_VALUE, "signal kind " + code);
    }
}

package org.medsync.conference.protocol;

/** Which of a participant's two connections to the audio SFU an AUDIO message is about: code 1 publish, 2 subscribe. */
public enum AudioLeg {
    PUBLISH(1),
    SUBSCRIBE(2);

    private final int code;

    AudioLeg(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    static AudioLeg of(long code) throws DecodeException {
        for (AudioLeg l : values()) {
            if (l.code == code) {
                return l;
            }
        }
        throw new DecodeException(DecodeException.Reason.BAD_VALUE, "audio leg " + code);
    }
}

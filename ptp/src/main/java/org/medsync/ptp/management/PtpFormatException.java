package org.medsync.ptp.management;

/** A management message that is not one: says which field is wrong and at which byte. */
public final class PtpFormatException extends Exception {

    public PtpFormatException(String message) {
        super(message);
    }
}

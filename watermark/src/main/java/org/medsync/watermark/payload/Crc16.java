package org.medsync.watermark.payload;

/**
 * CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF) over bytes: the error detection of a payload. A
 * decoder that lands on a wrong codeword passes it with probability 2^-16.
 */
public final class Crc16 {
    private Crc16() {}

    public static int of(byte[] data) {
        int crc = 0xFFFF;
        for (byte b : data) {
            crc ^= (b & 0xFF) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xFFFF;
        }
        return crc;
    }
}

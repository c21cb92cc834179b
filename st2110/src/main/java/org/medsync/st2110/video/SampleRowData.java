package org.medsync.st2110.video;

/**
 * One Sample Row Data header of RFC 4175 section 4.3: a segment of one line.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Length              |F|          Line No            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C|           Offset            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param length       bytes of sample data of this segment
 * @param field        F: second field of interlaced video (always false for progressive)
 * @param line         line number, 0 = first line
 * @param continuation C: another header follows this one
 * @param offset       first pixel of the segment within the line
 */
public record SampleRowData(int length, boolean field, int line, boolean continuation, int offset) {

    public static final int SIZE = 6;

    public SampleRowData {
        if (length < 0 || length > 0xFFFF || line < 0 || line > 0x7FFF || offset < 0 || offset > 0x7FFF) {
            throw new IllegalArgumentException("length 16 bits, line and offset 15 bits");
        }
    }
}

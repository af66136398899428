package io.eventfeeds.bench.compare;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Finds the benchmark's own fields in a received frame by scanning its bytes, without parsing the frame: a JSON
 * parser per frame would make the load generator, not the server, the bottleneck.
 *
 * <p>The publisher writes {@code "bench_seq":N,"bench_t":MICROS} into every event's data. nchan delivers the
 * published body as it is; the gateway wraps it in its envelope, written without spaces. Both names are unlikely
 * anywhere else in a frame, so the first occurrence is the field.
 */
public final class FrameScanner {

    /** Returned by {@link #longAfter} when the key is not in the frame (or no digits follow it). */
    public static final long MISSING = Long.MIN_VALUE;

    public static final byte[] SEQ = ascii("\"bench_seq\":");
    public static final byte[] SENT_MICROS = ascii("\"bench_t\":");
    public static final byte[] POSITION = ascii("\"position\":\"");
    public static final byte[] SUBSCRIBED = ascii("\"type\":\"subscribed\"");
    public static final byte[] ERROR = ascii("\"type\":\"error\"");
    public static final byte[] RATE_LIMITED = ascii("\"rate_limited\"");

    private FrameScanner() {
    }

    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Index just after the first occurrence of {@code needle} in the buffer's readable bytes, or -1. */
    public static int indexAfter(ByteBuf buf, byte[] needle) {
        int end = buf.writerIndex();
        int last = end - needle.length;
        int from = buf.readerIndex();
        while (from <= last) {
            int at = buf.indexOf(from, last + 1, needle[0]);
            if (at < 0) {
                return -1;
            }
            int i = 1;
            while (i < needle.length && buf.getByte(at + i) == needle[i]) {
                i++;
            }
            if (i == needle.length) {
                return at + needle.length;
            }
            from = at + 1;
        }
        return -1;
    }

    public static boolean contains(ByteBuf buf, byte[] needle) {
        return indexAfter(buf, needle) >= 0;
    }

    /** The non-negative integer right after {@code key} (spaces allowed in between), or {@link #MISSING}. */
    public static long longAfter(ByteBuf buf, byte[] key) {
        int at = indexAfter(buf, key);
        if (at < 0) {
            return MISSING;
        }
        int end = buf.writerIndex();
        while (at < end && buf.getByte(at) == ' ') {
            at++;
        }
        long value = 0;
        int digits = 0;
        while (at < end) {
            byte b = buf.getByte(at);
            if (b < '0' || b > '9' || digits == 18) {
                break;
            }
            value = value * 10 + (b - '0');
            digits++;
            at++;
        }
        return digits == 0 ? MISSING : value;
    }

    /** The string value after {@code keyWithQuote} (which ends with the opening quote) up to the next quote, or null. */
    public static String stringAfter(ByteBuf buf, byte[] keyWithQuote) {
        int at = indexAfter(buf, keyWithQuote);
        if (at < 0) {
            return null;
        }
        int close = buf.indexOf(at, buf.writerIndex(), (byte) '"');
        return close < 0 ? null : buf.toString(at, close - at, StandardCharsets.US_ASCII);
    }
}

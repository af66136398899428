package io.eventfeeds.bench.compare;

import java.time.Instant;

/**
 * Epoch microseconds, cheap and monotonic within a process: the wall clock read once at start plus
 * {@link System#nanoTime()}. Publisher and generators run on the same machine, so their wall clocks agree and a
 * latency is the receiver's {@code nowMicros()} minus the publisher's.
 */
public final class MicroClock {

    private static final long OFFSET_MICROS;

    static {
        Instant now = Instant.now();
        long nanos = System.nanoTime();
        OFFSET_MICROS = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L - nanos / 1_000L;
    }

    private MicroClock() {
    }

    public static long nowMicros() {
        return OFFSET_MICROS + System.nanoTime() / 1_000L;
    }
}

package io.eventfeeds.bench.compare;

/**
 * The publisher's schedule: event {@code i} is due at {@code start + i / rate}, whatever happened to the ones
 * before (no catching up by bursts, no drift). How late each send was tells whether the publisher kept up.
 */
public final class Pacer {

    private final long startNanos;
    private final double ratePerSecond;

    public Pacer(long startNanos, double ratePerSecond) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + ratePerSecond);
        }
        this.startNanos = startNanos;
        this.ratePerSecond = ratePerSecond;
    }

    public long dueNanos(long index) {
        return startNanos + Math.round(index * 1e9 / ratePerSecond);
    }

    /** How many events a run of {@code seconds} at this rate publishes. */
    public static long eventsFor(double ratePerSecond, double seconds) {
        return Math.max(1, Math.round(ratePerSecond * seconds));
    }
}

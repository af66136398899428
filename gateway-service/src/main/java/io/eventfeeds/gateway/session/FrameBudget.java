package io.eventfeeds.gateway.session;

import java.util.concurrent.TimeUnit;

/**
 * How many frames one connection may send: a token bucket of {@code burst} frames refilled at {@code perSecond}.
 * Frames beyond it are dropped and charged to a second bucket of the same size and rate; when that one overflows
 * too, the client has sent more than twice its rate for a while (or a burst of three times {@code burst}), and the
 * connection is closed. A client that only now and then goes over its rate is slowed down, never closed.
 *
 * <p>Each bucket is kept as the generic cell rate algorithm's single "theoretical arrival time", so that ten
 * thousand idle connections cost two longs each. Only the connection's event loop calls it (every frame callback of
 * a connection runs there), so it needs neither locks nor atomics.
 */
public final class FrameBudget {

    /** What happens to one client frame. */
    public enum Verdict {
        /** Within the budget: handle it. */
        ADMIT,
        /** The first frame over the budget since the client last kept to it: drop it and tell the client. */
        REFUSE_AND_TELL,
        /** Further frames over the budget: drop them without an answer, which would only add to the flood. */
        REFUSE,
        /** The dropped frames overflowed as well: close the connection (1008). */
        CLOSE
    }

    private final Limits limits;
    /** When the budget is full again; at or before now when it is full. */
    private long admittedUntilNanos;
    /** The same for the frames that were dropped; an episode of dropping ends when it has drained. */
    private long refusedUntilNanos;

    public FrameBudget(Limits limits, long nowNanos) {
        this.limits = limits;
        this.admittedUntilNanos = nowNanos;
        this.refusedUntilNanos = nowNanos - 1; // drained: the first frame ever dropped is told
    }

    public Verdict admit(long nowNanos) {
        // Times are compared by difference: System.nanoTime() may be negative and may wrap.
        long admitted = admittedUntilNanos - nowNanos < 0 ? nowNanos : admittedUntilNanos;
        if (admitted - nowNanos <= limits.toleranceNanos) {
            admittedUntilNanos = admitted + limits.intervalNanos;
            return Verdict.ADMIT;
        }
        boolean firstOfEpisode = refusedUntilNanos - nowNanos < 0;
        long refused = firstOfEpisode ? nowNanos : refusedUntilNanos;
        if (refused - nowNanos > limits.toleranceNanos) {
            return Verdict.CLOSE;
        }
        refusedUntilNanos = refused + limits.intervalNanos;
        return firstOfEpisode ? Verdict.REFUSE_AND_TELL : Verdict.REFUSE;
    }

    /** The shared, immutable part: one per gateway. */
    public static final class Limits {
        final long intervalNanos;
        final long toleranceNanos;
        final int perSecond;

        public Limits(int perSecond, int burst) {
            if (perSecond < 1 || burst < 1) {
                throw new IllegalArgumentException("frames per second and burst must be at least 1");
            }
            this.perSecond = perSecond;
            this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
            this.toleranceNanos = intervalNanos * (burst - 1);
        }

        public int perSecond() {
            return perSecond;
        }
    }
}

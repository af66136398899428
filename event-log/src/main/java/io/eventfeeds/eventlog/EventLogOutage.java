package io.eventfeeds.eventlog;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether Kafka is away, as the publish path sees it: from the first event abandoned, or not acknowledged within
 * the hand-over timeout, until the next one acknowledged. While it is away, each publish would only wait to be
 * refused (or, once the producer took it, to be left in doubt), so publishes are refused at once; one at a time,
 * at most one per probe interval, is let through to find out when the broker is back. One per service, shared by
 * all its writes ({@link BoundedAppender}): feed-service's REST publishes and the gateway's WebSocket publishes each
 * learn of an outage from their own producer.
 */
public final class EventLogOutage {

    /** What a publish may do. */
    public enum Admission {
        /** Kafka is reachable. */
        OPEN,
        /** Kafka is away and this publish tries it: report its end with {@link #probed()} or {@link #reached()}. */
        PROBE,
        /** Kafka is away: refuse without trying. */
        REFUSED
    }

    private static final long REACHABLE = Long.MIN_VALUE;
    private static final long PROBING = Long.MAX_VALUE;

    private final long probeIntervalNanos;
    /** When the next probe may go (System.nanoTime), {@link #PROBING} while one is out, or {@link #REACHABLE}. */
    private final AtomicLong nextProbe = new AtomicLong(REACHABLE);

    public EventLogOutage(Duration probeInterval) {
        this.probeIntervalNanos = probeInterval.toNanos();
    }

    public Admission admit() {
        long next = nextProbe.get();
        if (next == REACHABLE) {
            return Admission.OPEN;
        }
        if (next != PROBING && System.nanoTime() - next >= 0 && nextProbe.compareAndSet(next, PROBING)) {
            return Admission.PROBE;
        }
        return Admission.REFUSED;
    }

    public boolean away() {
        return nextProbe.get() != REACHABLE;
    }

    /** An event was acknowledged: Kafka is reachable. */
    public void reached() {
        if (nextProbe.get() != REACHABLE) {
            nextProbe.set(REACHABLE);
        }
    }

    /** An event was abandoned, or its acknowledgement was late or timed out. */
    public void missed() {
        nextProbe.compareAndSet(REACHABLE, System.nanoTime() + probeIntervalNanos);
    }

    /** A probe ended without an acknowledgement: the next may go one interval from now. */
    public void probed() {
        nextProbe.compareAndSet(PROBING, System.nanoTime() + probeIntervalNanos);
    }
}

package io.eventfeeds.eventlog;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An event's serialized value, on its way to the producer, that can enter Kafka's producer at most once, and only
 * until it is abandoned. The Kafka connector queues records ahead of the producer and re-sends one whose delivery
 * failed; neither may happen to an event whose publisher was already told "not written", nor write a second copy.
 * The producer serializes a record after its metadata wait and before it joins a batch, so
 * {@link OnceOnlyRecordSerializer} is the last door before the log: it lets each record through once and refuses
 * it after {@link #abandon()}.
 */
public final class OnceOnlyRecord {

    private static final int WAITING = 0;
    private static final int HANDED_OVER = 1;
    private static final int ABANDONED = 2;

    private final byte[] value;
    private final AtomicInteger state = new AtomicInteger(WAITING);

    public OnceOnlyRecord(byte[] value) {
        this.value = value;
    }

    /**
     * Gives up on a record the producer has not taken yet: it will never be written. False when the producer took
     * it already (the outcome is then the producer's to tell).
     */
    public boolean abandon() {
        return state.compareAndSet(WAITING, ABANDONED) || state.get() == ABANDONED;
    }

    boolean abandoned() {
        return state.get() == ABANDONED;
    }

    /** Whether the producer took the record: it may be in the log even if no acknowledgement comes. */
    public boolean handedOver() {
        return state.get() == HANDED_OVER;
    }

    /** The bytes for the producer, once; null when the record was abandoned or already handed over. */
    byte[] handOver() {
        return state.compareAndSet(WAITING, HANDED_OVER) ? value : null;
    }
}

package io.eventfeeds.gateway.fanout;

import io.eventfeeds.eventlog.ChannelPartitions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How far this instance's consumer has handed each partition of the event topic to the shards. Each shard keeps
 * its own exact view for subscribing ({@link FanoutShard#lastDispatched}); this one serves the consumer itself (a
 * partition assigned again continues after it), readiness, and replays that need a known start. It is updated once
 * per partition per batch, never per frame.
 */
@ApplicationScoped
public class PartitionProgress {

    /** No partition assigned yet, so nothing is known about where live delivery starts. */
    public static final long UNKNOWN = Long.MIN_VALUE;

    private final Map<Integer, State> partitions = new ConcurrentHashMap<>();
    private volatile int partitionCount;

    /** Called when the consumer got its partitions: live delivery of each starts after {@code lastBefore}. */
    void assigned(int count, Map<Integer, Long> lastBefore) {
        lastBefore.forEach(this::dispatched);
        partitionCount = count;
    }

    /** The consumer handed the shards the partition's events up to {@code offset}. */
    void dispatched(int partition, long offset) {
        State state = state(partition);
        synchronized (state) {
            if (state.lastDispatched == UNKNOWN || state.lastDispatched < offset) {
                state.lastDispatched = offset;
            }
            state.notifyAll();
        }
    }

    public boolean isAssigned() {
        return partitionCount > 0;
    }

    /** The topic's partition of a channel ({@link ChannelPartitions}); empty until assigned. */
    public OptionalInt partitionOf(String channel) {
        int count = partitionCount;
        if (count == 0) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(ChannelPartitions.partitionOf(channel, count));
    }

    private State state(int partition) {
        return partitions.computeIfAbsent(partition, p -> new State());
    }

    /** The last offset dispatched on a partition (-1: none yet), or {@link #UNKNOWN}. */
    long lastDispatched(int partition) {
        State state = state(partition);
        synchronized (state) {
            return state.lastDispatched;
        }
    }

    /** For replay threads: waits until live delivery of the partition has a known start, or returns UNKNOWN. */
    public long awaitKnown(int partition, Duration timeout) throws InterruptedException {
        State state = state(partition);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (state) {
            while (state.lastDispatched == UNKNOWN) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return UNKNOWN;
                }
                TimeUnit.NANOSECONDS.timedWait(state, left);
            }
            return state.lastDispatched;
        }
    }

    public Map<Integer, Long> snapshot() {
        Map<Integer, Long> copy = new TreeMap<>();
        partitions.forEach((p, s) -> copy.put(p, lastDispatched(p)));
        return copy;
    }

    /** Guarded by itself. */
    private static final class State {
        long lastDispatched = UNKNOWN;
    }
}

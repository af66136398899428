package io.eventfeeds.gateway.resume;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the replays waiting for or running on the replay pool, per connection and in total. Without it a client
 * that subscribes with {@code since} over and over (or many clients at once) would queue replay tasks without
 * limit: each holds a subscription and, once it runs, a Kafka consumer.
 */
final class ReplayQuota {

    private final int perConnection;
    private final int total;
    private final AtomicInteger pending = new AtomicInteger();
    private final Map<String, Integer> byConnection = new ConcurrentHashMap<>();

    ReplayQuota(int perConnection, int total) {
        this.perConnection = perConnection;
        this.total = total;
    }

    /** Takes a slot for one replay of the connection; false when either bound is reached. */
    boolean tryAcquire(String connection) {
        if (pending.incrementAndGet() > total) {
            pending.decrementAndGet();
            return false;
        }
        boolean[] granted = {false};
        byConnection.compute(connection, (id, count) -> {
            int now = count == null ? 0 : count;
            if (now >= perConnection) {
                return count;
            }
            granted[0] = true;
            return now + 1;
        });
        if (!granted[0]) {
            pending.decrementAndGet();
        }
        return granted[0];
    }

    /** Gives back a slot taken by {@link #tryAcquire}; a connection without pending replays leaves no entry. */
    void release(String connection) {
        byConnection.computeIfPresent(connection, (id, count) -> count <= 1 ? null : count - 1);
        pending.decrementAndGet();
    }

    int pending() {
        return pending.get();
    }
}

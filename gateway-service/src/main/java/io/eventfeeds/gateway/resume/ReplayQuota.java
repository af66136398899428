package io.eventfeeds.gateway.resume;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the replays waiting for or running on the replay pool: per connection, per caller and in total. Without it
 * a client that subscribes with {@code since} over and over (or one user over many connections, or many clients at
 * once) would queue replay tasks without limit: each holds a subscription and, once it runs, a Kafka consumer. The
 * per-caller bound keeps one user from taking the whole total, so that everyone else can still resume.
 */
final class ReplayQuota {

    private final int perConnection;
    private final int perCaller;
    private final int total;
    private final AtomicInteger pending = new AtomicInteger();
    private final Map<String, Held> byConnection = new ConcurrentHashMap<>();
    private final Map<String, Integer> byCaller = new ConcurrentHashMap<>();

    ReplayQuota(int perConnection, int perCaller, int total) {
        this.perConnection = perConnection;
        this.perCaller = perCaller;
        this.total = total;
    }

    /** Takes a slot for one replay of the connection, charged to its caller; false when any bound is reached. */
    boolean tryAcquire(String connection, String caller) {
        if (pending.incrementAndGet() > total) {
            pending.decrementAndGet();
            return false;
        }
        // A connection's replays are all charged to the caller it had at its first one, so that a refreshed token
        // (another client of the same subject) cannot move slots from one caller to another.
        Held before = byConnection.get(connection);
        String charged = before == null ? caller : before.caller;
        if (!takeFromCaller(charged)) {
            pending.decrementAndGet();
            return false;
        }
        boolean[] granted = {false};
        byConnection.compute(connection, (id, held) -> {
            if (held == null) {
                granted[0] = true;
                return new Held(1, charged);
            }
            if (held.count >= perConnection) {
                return held;
            }
            granted[0] = true;
            return new Held(held.count + 1, held.caller);
        });
        if (!granted[0]) {
            giveBackToCaller(charged);
            pending.decrementAndGet();
        }
        return granted[0];
    }

    /** Gives back a slot taken by {@link #tryAcquire}; a connection or caller without pending replays leaves no entry. */
    void release(String connection) {
        String[] caller = {null};
        byConnection.computeIfPresent(connection, (id, held) -> {
            caller[0] = held.caller;
            return held.count <= 1 ? null : new Held(held.count - 1, held.caller);
        });
        if (caller[0] != null) {
            giveBackToCaller(caller[0]);
            pending.decrementAndGet();
        }
    }

    int pending() {
        return pending.get();
    }

    private boolean takeFromCaller(String caller) {
        boolean[] granted = {false};
        byCaller.compute(caller, (id, count) -> {
            int now = count == null ? 0 : count;
            if (now >= perCaller) {
                return count;
            }
            granted[0] = true;
            return now + 1;
        });
        return granted[0];
    }

    private void giveBackToCaller(String caller) {
        byCaller.computeIfPresent(caller, (id, count) -> count <= 1 ? null : count - 1);
    }

    private record Held(int count, String caller) {
    }
}

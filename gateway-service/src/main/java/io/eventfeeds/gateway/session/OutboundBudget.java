package io.eventfeeds.gateway.session;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * All connections' unwritten frames together, bounded. Per-connection bounds alone let many stalled clients add up
 * (100 of them at 4 MiB each is 400 MiB of direct buffers), and a JVM near its direct-memory limit stalls every
 * connection, fast ones included. Above the budget the gateway sheds the clients that are furthest behind: a
 * connection whose backlog is above the average is dropped as too slow, and clients that keep up (a frame or two
 * in flight) stay.
 */
public final class OutboundBudget {

    private final long maxChars;
    private final IntSupplier connections;
    private final AtomicLong queued = new AtomicLong();

    public OutboundBudget(long maxChars, IntSupplier connections) {
        this.maxChars = maxChars;
        this.connections = connections;
    }

    void add(long chars) {
        queued.addAndGet(chars);
    }

    void release(long chars) {
        queued.addAndGet(-chars);
    }

    /** Whether a connection with this backlog must go to bring the total back under the budget. */
    boolean mustShed(int framesBehind, long backlogChars) {
        long total = queued.get();
        if (total <= maxChars || framesBehind <= 1) {
            return false;
        }
        return backlogChars > total / Math.max(1, connections.getAsInt());
    }

    /** Characters (about bytes) handed to all sockets and not yet written. */
    public long queued() {
        return queued.get();
    }
}

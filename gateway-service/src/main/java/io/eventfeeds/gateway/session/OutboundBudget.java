package io.eventfeeds.gateway.session;

import java.util.function.IntSupplier;

/**
 * All connections' backlogs together, bounded. Per-connection bounds alone let many stalled clients add up (100 of
 * them at 4 MiB each is 400 MiB of direct buffers), and a JVM near its direct-memory limit stalls every connection,
 * fast ones included. Above the budget the gateway sheds the clients that are furthest behind: a connection whose
 * backlog is above the average is dropped as too slow, and clients that keep up (a frame or two in flight) stay.
 *
 * <p>The total is summed from the connections' own backlogs every {@link ClientSessions#BUDGET_REFRESH} rather
 * than counted per frame: the hot path reads one volatile, and a budget of many megabytes does not need to be
 * exact to the millisecond.
 */
public final class OutboundBudget {

    private final long maxBytes;
    private final IntSupplier connections;
    private volatile long queued;

    public OutboundBudget(long maxBytes, IntSupplier connections) {
        this.maxBytes = maxBytes;
        this.connections = connections;
    }

    /** Sums the backlogs anew; any thread (each backlog is read from its channel, a volatile). */
    public void refresh(Iterable<ClientSession> sessions) {
        long total = 0;
        for (ClientSession session : sessions) {
            total += session.backlogBytes();
        }
        queued = total;
    }

    /** Whether a connection with this backlog must go to bring the total back under the budget. */
    boolean mustShed(int framesBehind, long backlogBytes) {
        long total = queued;
        if (total <= maxBytes || framesBehind <= 1) {
            return false;
        }
        return backlogBytes > total / Math.max(1, connections.getAsInt());
    }

    /** Bytes written to all connections and not yet taken by their sockets, as of the last refresh. */
    public long queued() {
        return queued;
    }
}

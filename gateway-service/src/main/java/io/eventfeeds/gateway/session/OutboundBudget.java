package io.eventfeeds.gateway.session;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * All connections' backlogs together, bounded. Per-connection bounds alone let many stalled clients add up (100 of
 * them at 4 MiB each is 400 MiB of direct buffers), and a JVM near its direct-memory limit stalls every connection,
 * fast ones included. Above the budget the gateway sheds the clients that are furthest behind: a connection whose
 * backlog is above the average is dropped as too slow, and clients that keep up (a frame or two in flight) stay.
 *
 * <p>The total is summed from the connections' own backlogs every {@link ClientSessions#BUDGET_REFRESH} rather
 * than counted per frame: the hot path reads one volatile, and a budget of many megabytes does not need to be
 * exact to the millisecond. Only connections whose socket did not take everything at their last flush are summed:
 * visiting all of them ten times a second cost 7 % of the gateway's samples with 10,000 connections (each visit a
 * cache miss on a connection that had nothing queued), while a connection that keeps up is never among them.
 */
public final class OutboundBudget {

    private final long maxBytes;
    private final IntSupplier connections;
    private final Set<ClientSession> behind = ConcurrentHashMap.newKeySet();
    private volatile long queued;

    public OutboundBudget(long maxBytes, IntSupplier connections) {
        this.maxBytes = maxBytes;
        this.connections = connections;
    }

    /** The connection's socket did not take all it was given: it counts until it has caught up or closed. */
    void behind(ClientSession session) {
        behind.add(session);
    }

    /** Sums the backlogs anew; any thread (each backlog is read from its channel, a volatile). */
    public void refresh() {
        long total = 0;
        for (Iterator<ClientSession> it = behind.iterator(); it.hasNext();) {
            ClientSession session = it.next();
            long backlog = session.isClosed() ? 0 : session.backlogBytes();
            if (backlog == 0) {
                // A write racing with this removal is counted again at the connection's next flush.
                it.remove();
            }
            total += backlog;
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

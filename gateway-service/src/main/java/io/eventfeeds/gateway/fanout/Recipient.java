package io.eventfeeds.gateway.fanout;

import io.netty.buffer.ByteBuf;
import io.quarkus.security.identity.SecurityIdentity;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * What the fan-out writes to: one open connection, owned by one event loop. Every method marked "event loop" is
 * called only on {@link #eventLoop()}, so none of them needs a lock.
 */
public interface Recipient {

    String id();

    /** The event loop that owns the connection: its shard of the fan-out. */
    Executor eventLoop();

    boolean inEventLoop();

    /**
     * Event loop: writes an event frame without flushing. False when the connection must not get it (closed,
     * dropped, or its token expired at {@code nowMillis}), or when this write made it too slow and it was dropped.
     */
    boolean write(ByteBuf frame, long nowMillis);

    /** Event loop: marks the connection written in the current batch; true the first time, so it is flushed once. */
    boolean touch();

    /** Event loop: flushes what this batch wrote and checks the connection's backlog against its bounds. */
    void flushBatch();

    /** A reply or error frame, flushed at once; any thread, in order with what was written before. */
    void send(String frame);

    /** Whether the backlog is at most half its bound; any thread. A dropped connection has no room. */
    boolean hasRoom();

    /**
     * Replay threads only: waits until {@link #hasRoom()}, or drops the connection as too slow after
     * {@code timeout}.
     */
    void awaitRoom(Duration timeout) throws InterruptedException;

    boolean isDropped();

    /** Closes the connection with 4008; its subscriptions stop at once. Any thread. */
    void dropAsTooSlow();

    /** The identity the connection acts as now. */
    SecurityIdentity identity();

    /** The connection's subscriptions by channel; the fan-out adds and removes them on the event loop. */
    Map<String, Subscription> subscriptions();
}

package io.eventfeeds.gateway.fanout;

import io.eventfeeds.gateway.session.ClientSession;
import java.util.ArrayDeque;

/**
 * One connection's subscription to one channel. It delivers each event at most once and in offset order: an
 * event at or below {@code lastSent} is never sent again. While a replay runs, live events wait in a bounded
 * buffer and follow the replayed ones.
 */
public final class Subscription {

    /**
     * Held events handed over per call of {@link #handOverHeld}: the fan-out consumer waits for this lock to add a
     * live event, so it is held for a short step at a time rather than for the whole hold.
     */
    static final int HANDOVER_CHUNK = 128;

    private final ClientSession session;
    private final String channel;
    private final int partition;
    private final int maxBuffered;
    private long lastSent;
    private ArrayDeque<Buffered> buffer;
    private volatile boolean cancelled;

    private Subscription(ClientSession session, String channel, int partition, long lastSent, int maxBuffered,
            boolean replaying) {
        this.session = session;
        this.channel = channel;
        this.partition = partition;
        this.lastSent = lastSent;
        this.maxBuffered = maxBuffered;
        this.buffer = replaying ? new ArrayDeque<>() : null;
    }

    static Subscription live(ClientSession session, String channel, int partition, long lastSent) {
        return new Subscription(session, channel, partition, lastSent, 0, false);
    }

    static Subscription replaying(ClientSession session, String channel, int partition, long since, int maxBuffered) {
        return new Subscription(session, channel, partition, since, maxBuffered, true);
    }

    public ClientSession session() {
        return session;
    }

    public String channel() {
        return channel;
    }

    public int partition() {
        return partition;
    }

    /** A live event from the fan-out consumer (event loop; never blocks). */
    synchronized void offerLive(long offset, String frame) {
        if (cancelled) {
            return;
        }
        if (buffer != null) {
            if (buffer.size() >= maxBuffered) {
                buffer.clear();
                cancelled = true;
                session.dropAsTooSlow();
            } else {
                buffer.add(new Buffered(offset, frame));
            }
            return;
        }
        sendIfNew(offset, frame);
    }

    /** A replayed event (replay thread). */
    public synchronized void offerReplayed(long offset, String frame) {
        if (!cancelled) {
            sendIfNew(offset, frame);
        }
    }

    /**
     * Replay done: hands the held live events to the client, as many as its outbound queue has room for (at most
     * {@link #HANDOVER_CHUNK}), and switches to live once the hold is empty. Returns true once live; until then the
     * replay thread waits for room ({@link ClientSession#awaitRoom}) and calls again. Handing them all over at once
     * would overflow the queue of a healthy client that merely had many events arrive during its replay.
     *
     * <p>Live events that arrive meanwhile join the end of the hold under this lock, and the hold is only given up
     * in the same locked step that empties it, so the switch neither loses nor reorders an event.
     */
    public synchronized boolean handOverHeld() {
        if (buffer == null) {
            return true;
        }
        if (cancelled) {
            buffer = null;
            return true;
        }
        for (int n = 0; n < HANDOVER_CHUNK && !buffer.isEmpty() && session.hasRoom(); n++) {
            Buffered event = buffer.poll();
            sendIfNew(event.offset, event.frame);
        }
        if (buffer.isEmpty() || cancelled) {
            buffer = null;
            return true;
        }
        return false;
    }

    /** Moves the starting point forward, when the requested one is no longer in the log. */
    public synchronized void startAfter(long offset) {
        lastSent = Math.max(lastSent, offset);
    }

    public synchronized long lastSent() {
        return lastSent;
    }

    /** Stops all delivery. Takes no lock, so a slow-client drop from any thread cannot deadlock with delivery. */
    void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    private void sendIfNew(long offset, String frame) {
        if (offset > lastSent) {
            lastSent = offset;
            session.sendEvent(frame);
        }
    }

    private record Buffered(long offset, String frame) {
    }
}

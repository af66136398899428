package io.eventfeeds.gateway.fanout;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;

/**
 * One connection's subscription to one channel. It delivers each event at most once and in offset order: an event
 * at or below {@code lastSent} is never sent again. While a replay runs, live events wait in a bounded hold and
 * follow the replayed ones.
 *
 * <p>Everything but {@link #cancel()} and {@link #isCancelled()} runs on the recipient's event loop (live events
 * from its shard, replayed ones handed over by the replay thread as tasks of that loop), so there is no lock: the
 * switch from replay to live is ordered by the loop itself.
 */
public final class Subscription {

    /**
     * Held events handed over per step of {@link #handOverHeld}: a healthy client that merely had many events
     * arrive during its replay gets them as fast as its backlog drains, not all at once over its bound.
     */
    static final int HANDOVER_CHUNK = 128;

    private final Recipient recipient;
    private final String channel;
    private final int partition;
    private final int maxHeld;
    private long lastSent;
    private long written;
    private ArrayDeque<Held> held;
    private volatile boolean cancelled;

    private Subscription(Recipient recipient, String channel, int partition, long lastSent, int maxHeld,
            boolean replaying) {
        this.recipient = recipient;
        this.channel = channel;
        this.partition = partition;
        this.lastSent = lastSent;
        this.maxHeld = maxHeld;
        this.held = replaying ? new ArrayDeque<>() : null;
    }

    static Subscription live(Recipient recipient, String channel, int partition, long lastSent) {
        return new Subscription(recipient, channel, partition, lastSent, 0, false);
    }

    static Subscription replaying(Recipient recipient, String channel, int partition, long since, int maxHeld) {
        return new Subscription(recipient, channel, partition, since, maxHeld, true);
    }

    public Recipient recipient() {
        return recipient;
    }

    public String channel() {
        return channel;
    }

    public int partition() {
        return partition;
    }

    /** A live event from the shard; true when it was written. */
    boolean offerLive(long offset, ByteBuf frame, long nowMillis) {
        if (cancelled) {
            return false;
        }
        if (held != null) {
            if (held.size() >= maxHeld) {
                held = new ArrayDeque<>(0);
                cancelled = true;
                recipient.dropAsTooSlow();
            } else {
                held.add(new Held(offset, frame));
            }
            return false;
        }
        return sendIfNew(offset, frame, nowMillis);
    }

    /** A replayed event; true when it was written. */
    public boolean offerReplayed(long offset, ByteBuf frame, long nowMillis) {
        return !cancelled && sendIfNew(offset, frame, nowMillis);
    }

    /**
     * Replay done: writes held live events while the client has room (at most {@link #HANDOVER_CHUNK} a step), and
     * switches to live once the hold is empty. Returns true once live; until then the replay thread waits for room
     * and calls again. Live events that arrive meanwhile join the end of the hold, so nothing is lost or reordered.
     */
    public boolean handOverHeld(long nowMillis) {
        if (held == null) {
            return true;
        }
        if (cancelled) {
            held = null;
            return true;
        }
        for (int n = 0; n < HANDOVER_CHUNK && !held.isEmpty() && recipient.hasRoom(); n++) {
            Held event = held.poll();
            sendIfNew(event.offset, event.frame, nowMillis);
        }
        if (held.isEmpty() || cancelled) {
            held = null;
            return true;
        }
        return false;
    }

    /** Moves the starting point forward, when the requested one is no longer in the log. */
    public void startAfter(long offset) {
        lastSent = Math.max(lastSent, offset);
    }

    public long lastSent() {
        return lastSent;
    }

    /** Event frames this subscription has written so far (event loop). */
    long written() {
        return written;
    }

    /** Stops all delivery at once, from any thread. */
    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    private boolean sendIfNew(long offset, ByteBuf frame, long nowMillis) {
        if (offset > lastSent) {
            lastSent = offset;
            if (recipient.write(frame, nowMillis)) {
                written++;
                return true;
            }
        }
        return false;
    }

    private record Held(long offset, ByteBuf frame) {
    }
}

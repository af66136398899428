package io.eventfeeds.gateway.session;

import io.eventfeeds.gateway.fanout.Subscription;
import io.eventfeeds.gateway.protocol.CloseCodes;
import io.quarkus.websockets.next.WebSocketConnection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * One open WebSocket connection: its subscriptions and its bounded outbound queue.
 *
 * <p>The queue is the frames handed to the socket whose write has not completed yet ({@code sendText} completes
 * once the frame was written to the network). A client that stops reading makes it grow; past the bound the
 * connection is closed with 4008 instead of buffering without limit, and no sender ever waits for one client. The
 * {@link OutboundBudget} bounds all connections' queues together, so that many slow clients cannot add up either.
 */
public final class ClientSession {

    private static final Logger LOG = Logger.getLogger(ClientSession.class);

    private final WebSocketConnection connection;
    private final Limits limits;
    private final OutboundBudget budget;
    private final Listener listener;
    private final BooleanSupplier expired;
    private final AtomicInteger framesQueued = new AtomicInteger();
    private final AtomicLong charsQueued = new AtomicLong();
    private final AtomicBoolean dropped = new AtomicBoolean();
    private volatile long lastHeardNanos = System.nanoTime();
    private final Object drained = new Object();
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();

    public ClientSession(WebSocketConnection connection, Limits limits, OutboundBudget budget, Listener listener,
            BooleanSupplier expired) {
        this.connection = connection;
        this.limits = limits;
        this.budget = budget;
        this.listener = listener;
        this.expired = expired;
    }

    public WebSocketConnection connection() {
        return connection;
    }

    public String id() {
        return connection.id();
    }

    /** Queues a reply or error frame; false when the connection is gone or was just dropped as too slow. */
    public boolean send(String frame) {
        return enqueue(frame, false);
    }

    /** Queues an event frame, unless the connection's token expired. */
    public boolean sendEvent(String frame) {
        if (expired.getAsBoolean()) {
            return false;
        }
        return enqueue(frame, true);
    }

    private boolean enqueue(String frame, boolean event) {
        if (dropped.get() || connection.isClosed()) {
            return false;
        }
        int frames = framesQueued.incrementAndGet();
        long chars = charsQueued.addAndGet(frame.length());
        budget.add(frame.length());
        if (frames > limits.maxFrames() || chars > limits.maxChars() || budget.mustShed(frames, chars)) {
            written(frame.length());
            dropAsTooSlow();
            return false;
        }
        connection.sendText(frame).subscribe().with(ok -> {
            written(frame.length());
            if (event) {
                listener.delivered();
            }
        }, failure -> {
            written(frame.length());
            LOG.debugf("frame to %s not written: %s", connection.id(), failure.getMessage());
        });
        return true;
    }

    private void written(int chars) {
        framesQueued.decrementAndGet();
        charsQueued.addAndGet(-chars);
        budget.release(chars);
        synchronized (drained) {
            drained.notifyAll();
        }
    }

    /**
     * For replay threads only (never the event loop): waits until the queue is at most half full, so a replay
     * of many events paces itself to the client instead of overflowing its queue. A client that does not drain
     * within {@code timeout} is dropped as too slow.
     */
    public void awaitRoom(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (drained) {
            while (!dropped.get() && !hasRoom()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    dropAsTooSlow();
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(drained, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        }
    }

    /**
     * Whether the queue is at most half full, the room {@link #awaitRoom} waits for; never blocks. A dropped
     * connection has no room.
     */
    public boolean hasRoom() {
        return !dropped.get() && framesQueued.get() <= limits.maxFrames() / 2
                && charsQueued.get() <= limits.maxChars() / 2;
    }

    /** Closes the connection with 4008; it is told once, and its subscriptions stop at once. */
    public void dropAsTooSlow() {
        if (dropped.compareAndSet(false, true)) {
            LOG.infof("dropping slow client %s (%d frames, %d chars unwritten)", connection.id(), framesQueued.get(),
                    charsQueued.get());
            listener.droppedAsTooSlow(this);
            connection.close(CloseCodes.TOO_SLOW).subscribe().with(ok -> { }, failure -> { });
        }
    }

    /**
     * Closes the connection with 4009 because its client went quiet. Its subscriptions stop at once: the close
     * handshake with a vanished client only ends when the server gives up waiting for its answer.
     */
    public void dropAsSilent() {
        if (dropped.compareAndSet(false, true)) {
            LOG.debugf("closing silent connection %s", connection.id());
            listener.droppedAsSilent(this);
            connection.close(CloseCodes.SILENT).subscribe().with(ok -> { }, failure -> { });
        }
    }

    /** Something arrived from the client (a frame or a pong): it is alive. */
    public void heard() {
        lastHeardNanos = System.nanoTime();
    }

    /** Nanoseconds since anything arrived from the client. */
    public long silentForNanos() {
        return System.nanoTime() - lastHeardNanos;
    }

    public boolean isDropped() {
        return dropped.get();
    }

    public int framesQueued() {
        return framesQueued.get();
    }

    /** This connection's subscriptions by channel; the fan-out adds and removes them. */
    public Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    /** Bounds of the outbound queue. */
    public record Limits(int maxFrames, long maxChars) {
    }

    /** What the session tells the rest of the gateway. */
    public interface Listener {
        void delivered();

        void droppedAsTooSlow(ClientSession session);

        /** The client went quiet; by default nothing beyond the close happens. */
        default void droppedAsSilent(ClientSession session) {
        }
    }
}

package io.eventfeeds.gateway.session;

import io.eventfeeds.gateway.fanout.Recipient;
import io.eventfeeds.gateway.fanout.Subscription;
import io.eventfeeds.gateway.protocol.CloseCodes;
import io.eventfeeds.gateway.transport.FrameChannel;
import io.netty.buffer.ByteBuf;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.CloseReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One open WebSocket connection: its subscriptions and its bounded backlog.
 *
 * <p>The backlog is what was written to the connection and not yet taken by its socket (Netty's outbound buffer),
 * read from the channel itself rather than counted per frame. A client that stops reading makes it grow; past the
 * bound the connection is closed with 4008 instead of buffering without limit, and no sender ever waits for one
 * client. The {@link OutboundBudget} bounds all connections' backlogs together, so that many slow clients cannot add
 * up either.
 */
public final class ClientSession implements Recipient {

    private static final Logger LOG = Logger.getLogger(ClientSession.class);

    /** How often a replay thread looks again whether a stalled client has drained. */
    private static final long ROOM_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final String id;
    private final FrameChannel channel;
    private final Limits limits;
    private final OutboundBudget budget;
    private final Listener listener;
    private final Supplier<SecurityIdentity> identity;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private volatile long tokenDeadlineMillis = Long.MAX_VALUE;
    private volatile boolean dropped;
    private volatile boolean closed;
    private volatile long lastHeardNanos = System.nanoTime();
    /** Event loop only. */
    private final FrameBudget frameBudget;
    /** Event loop only. */
    private boolean touched;

    public ClientSession(String id, FrameChannel channel, Limits limits, OutboundBudget budget, Listener listener,
            Supplier<SecurityIdentity> identity) {
        this.id = id;
        this.channel = channel;
        this.limits = limits;
        this.budget = budget;
        this.listener = listener;
        this.identity = identity;
        this.frameBudget = new FrameBudget(limits.frames(), System.nanoTime());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Executor eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public boolean inEventLoop() {
        return channel.inEventLoop();
    }

    @Override
    public boolean write(ByteBuf frame, long nowMillis) {
        if (dropped || closed || nowMillis >= tokenDeadlineMillis) {
            return false;
        }
        channel.write(frame);
        if (channel.pendingBytes() > limits.maxBytes()) {
            dropAsTooSlow();
            return false;
        }
        return true;
    }

    @Override
    public boolean touch() {
        if (touched) {
            return false;
        }
        touched = true;
        return true;
    }

    @Override
    public void flushBatch() {
        touched = false;
        if (closed) {
            return;
        }
        channel.flush();
        if (dropped) {
            return;
        }
        long backlog = channel.pendingBytes();
        if (backlog > 0) {
            budget.behind(this);
        }
        int frames = channel.pendingFrames();
        if (backlog > limits.maxBytes() || frames > limits.maxFrames() || budget.mustShed(frames, backlog)) {
            dropAsTooSlow();
        }
    }

    /** Queues a reply or error frame, flushed at once; ignored when the connection is gone or was dropped. */
    @Override
    public void send(String frame) {
        if (!dropped && !closed) {
            channel.send(frame.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public boolean hasRoom() {
        return !dropped && !closed && channel.pendingFrames() <= limits.maxFrames() / 2
                && channel.pendingBytes() <= limits.maxBytes() / 2;
    }

    @Override
    public void awaitRoom(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!dropped && !closed && !hasRoom()) {
            if (System.nanoTime() - deadline >= 0) {
                dropAsTooSlow();
                return;
            }
            // The socket drains without telling anyone; a replay thread (never an event loop) looks again shortly.
            LockSupport.parkNanos(ROOM_POLL_NANOS);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    @Override
    public boolean isDropped() {
        return dropped;
    }

    @Override
    public void dropAsTooSlow() {
        if (!dropped) {
            dropped = true;
            LOG.infof("dropping slow client %s (%d frames, %d bytes unwritten)", id, channel.pendingFrames(),
                    channel.pendingBytes());
            subscriptions.values().forEach(Subscription::cancel);
            listener.droppedAsTooSlow(this);
            listener.close(this, CloseCodes.TOO_SLOW);
        }
    }

    /**
     * Charges one client frame (text, ping or pong) to the connection's budget. From the connection's event loop,
     * where Quarkus runs its frame callbacks.
     */
    public FrameBudget.Verdict admitFrame() {
        return frameBudget.admit(System.nanoTime());
    }

    /**
     * Closes the connection with 1008: its client kept sending frames far beyond its budget. Its subscriptions
     * stop at once.
     */
    public void closeAsFlooding() {
        if (!dropped) {
            dropped = true;
            LOG.infof("closing connection %s: its client sends more than %d frames per second", id,
                    limits.frames().perSecond());
            subscriptions.values().forEach(Subscription::cancel);
            listener.droppedAsFlooding(this);
            listener.close(this, CloseCodes.FLOODING);
        }
    }

    /**
     * Closes the connection with 4009 because its client went quiet. Its subscriptions stop at once: the close
     * handshake with a vanished client only ends when the server gives up waiting for its answer.
     */
    public void dropAsSilent() {
        if (!dropped) {
            dropped = true;
            LOG.debugf("closing silent connection %s", id);
            subscriptions.values().forEach(Subscription::cancel);
            listener.droppedAsSilent(this);
            listener.close(this, CloseCodes.SILENT);
        }
    }

    /** The connection closed: nothing more is written to it. */
    void closed() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    /** From this instant on (epoch millis), no event is written: the connection's token has expired. */
    public void tokenValidUntil(long deadlineMillis) {
        tokenDeadlineMillis = deadlineMillis;
    }

    /** True from the instant the connection's token counts as expired: it may no longer act. */
    public boolean tokenExpired(long nowMillis) {
        return nowMillis >= tokenDeadlineMillis;
    }

    @Override
    public SecurityIdentity identity() {
        return identity.get();
    }

    /** Something arrived from the client (a frame or a pong): it is alive. */
    public void heard() {
        lastHeardNanos = System.nanoTime();
    }

    /** Nanoseconds since anything arrived from the client. */
    public long silentForNanos() {
        return System.nanoTime() - lastHeardNanos;
    }

    /** Bytes written to the connection and not yet taken by its socket. */
    public long backlogBytes() {
        return channel.pendingBytes();
    }

    @Override
    public Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    /** Bounds of the backlog, and of what the client may send. */
    public record Limits(int maxFrames, long maxBytes, FrameBudget.Limits frames) {
    }

    /** What the session tells the rest of the gateway. */
    public interface Listener {
        void droppedAsTooSlow(ClientSession session);

        /** The client went quiet; by default nothing beyond the close happens. */
        default void droppedAsSilent(ClientSession session) {
        }

        /** The client sent far more frames than its budget; by default nothing beyond the close happens. */
        default void droppedAsFlooding(ClientSession session) {
        }

        /** Closes the connection with this reason. */
        void close(ClientSession session, CloseReason reason);
    }
}

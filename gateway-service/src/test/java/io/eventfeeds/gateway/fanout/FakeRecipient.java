package io.eventfeeds.gateway.fanout;

import io.eventfeeds.gateway.transport.TextFrame;
import io.netty.buffer.ByteBuf;
import io.quarkus.security.identity.SecurityIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * A connection for fan-out tests without a network: it records the payloads written to it and flushed, and has a
 * backlog of {@code maxBacklog} frames that the test drains by hand.
 */
final class FakeRecipient implements Recipient {

    final List<String> flushed = new ArrayList<>();
    private final List<String> unflushed = new ArrayList<>();
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private final String id;
    private final int maxBacklog;
    int backlog;
    int flushes;
    boolean dropped;
    private boolean touched;

    FakeRecipient(String id, int maxBacklog) {
        this.id = id;
        this.maxBacklog = maxBacklog;
    }

    static ByteBuf frame(String payload) {
        return TextFrame.shared(payload.getBytes(StandardCharsets.UTF_8));
    }

    /** The client reads everything written so far. */
    void drain() {
        backlog = 0;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Executor eventLoop() {
        return Runnable::run;
    }

    @Override
    public boolean inEventLoop() {
        return true;
    }

    @Override
    public boolean write(ByteBuf frame, long nowMillis) {
        if (dropped) {
            return false;
        }
        unflushed.add(new String(TextFrame.payload(frame), StandardCharsets.UTF_8));
        backlog++;
        return true;
    }

    @Override
    public boolean touch() {
        boolean first = !touched;
        touched = true;
        return first;
    }

    @Override
    public void flushBatch() {
        touched = false;
        flushes++;
        flushed.addAll(unflushed);
        unflushed.clear();
    }

    @Override
    public void send(String frame) {
        flushed.add(frame);
    }

    @Override
    public boolean hasRoom() {
        return !dropped && backlog <= maxBacklog / 2;
    }

    @Override
    public void awaitRoom(Duration timeout) {
        drain();
    }

    @Override
    public boolean isDropped() {
        return dropped;
    }

    @Override
    public void dropAsTooSlow() {
        dropped = true;
    }

    @Override
    public SecurityIdentity identity() {
        return null;
    }

    @Override
    public Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    /** Everything written, flushed or not. */
    List<String> written() {
        List<String> all = new ArrayList<>(flushed);
        all.addAll(unflushed);
        return all;
    }
}

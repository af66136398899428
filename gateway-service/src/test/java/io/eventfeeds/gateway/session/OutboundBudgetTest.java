package io.eventfeeds.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.gateway.transport.FrameChannel;
import io.eventfeeds.gateway.transport.TextFrame;
import io.netty.buffer.ByteBuf;
import io.quarkus.websockets.next.CloseReason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** Slow clients together, without a broker: the shared budget sheds the ones furthest behind, never a fast one. */
class OutboundBudgetTest {

    private static final ByteBuf FRAME = TextFrame.shared("x".repeat(1024).getBytes());
    private static final ClientSession.Limits OWN_LIMIT = new ClientSession.Limits(10_000, 1 << 20, new FrameBudget.Limits(100, 200));

    private final List<ClientSession> sessions = new ArrayList<>();
    private final List<Integer> closeCodes = new ArrayList<>();

    @Test
    void stalledClientsTogetherAreDroppedLongBeforeEachFillsItsOwnBacklogWhileAFastOneStays() {
        OutboundBudget budget = new OutboundBudget(256 * 1024, sessions::size);
        ClientSession fast = open(budget, new Channel(true));
        List<ClientSession> stalled = List.of(open(budget, new Channel(false)), open(budget, new Channel(false)),
                open(budget, new Channel(false)), open(budget, new Channel(false)));

        for (int event = 0; event < 500; event++) {
            assertThat(fast.write(FRAME, 0)).as("the fast client takes event %d", event).isTrue();
            fast.flushBatch();
            stalled.forEach(session -> {
                session.write(FRAME, 0);
                session.flushBatch();
            });
            budget.refresh();
        }

        assertThat(stalled).allMatch(ClientSession::isDropped);
        assertThat(closeCodes).hasSize(4).containsOnly(4008);
        assertThat(fast.isDropped()).isFalse();
        // Each was dropped near a quarter of the budget, far below its own 1 MiB limit.
        assertThat(stalled).allMatch(session -> session.backlogBytes() < 256 * 1024);
    }

    @Test
    void theSumVisitsOnlyConnectionsThatWereBehindAndForgetsThemOnceTheyCaughtUp() {
        OutboundBudget budget = new OutboundBudget(64L << 20, sessions::size);
        Channel fastChannel = new Channel(true);
        Channel slowChannel = new Channel(false);
        ClientSession fast = open(budget, fastChannel);
        ClientSession slow = open(budget, slowChannel);
        fast.write(FRAME, 0);
        fast.flushBatch();
        slow.write(FRAME, 0);
        slow.flushBatch();
        int fastReads = fastChannel.backlogReads;

        budget.refresh();
        assertThat(budget.queued()).isEqualTo(FRAME.readableBytes());
        assertThat(fastChannel.backlogReads).as("a connection that kept up is not visited").isEqualTo(fastReads);

        slowChannel.drain();
        budget.refresh();
        assertThat(budget.queued()).isZero();
        int slowReads = slowChannel.backlogReads;
        budget.refresh();
        assertThat(slowChannel.backlogReads).as("caught up: no longer visited").isEqualTo(slowReads);
        assertThat(slow.isDropped()).isFalse();
    }

    @Test
    void belowTheBudgetOnlyTheConnectionsOwnLimitCounts() {
        OutboundBudget budget = new OutboundBudget(64L << 20, sessions::size);
        ClientSession stalled = open(budget, new Channel(false));
        open(budget, new Channel(false));

        int taken = 0;
        while (stalled.write(FRAME, 0)) {
            taken++;
            budget.refresh();
        }

        assertThat(taken).isEqualTo((int) (OWN_LIMIT.maxBytes() / FRAME.readableBytes()));
        assertThat(closeCodes).containsExactly(4008);
    }

    @Test
    void anExpiredTokenGetsNoEventAndADroppedOrClosedConnectionNothingAtAll() {
        OutboundBudget budget = new OutboundBudget(Long.MAX_VALUE, sessions::size);
        Channel channel = new Channel(false);
        ClientSession session = open(budget, channel);
        session.tokenValidUntil(1_000);

        assertThat(session.write(FRAME, 999)).isTrue();
        assertThat(session.write(FRAME, 1_000)).as("at the deadline").isFalse();
        session.closed();
        session.send("{\"type\":\"pong\"}");
        assertThat(session.write(FRAME, 0)).isFalse();
        assertThat(channel.frames).isEqualTo(1);
    }

    private ClientSession open(OutboundBudget budget, Channel channel) {
        ClientSession session = new ClientSession("connection-" + sessions.size(), channel, OWN_LIMIT, budget,
                new ClientSession.Listener() {
                    @Override
                    public void droppedAsTooSlow(ClientSession dropped) {
                    }

                    @Override
                    public void close(ClientSession closed, CloseReason reason) {
                        closeCodes.add(reason.getCode());
                    }
                }, () -> null);
        sessions.add(session);
        return session;
    }

    /** A socket that takes everything at once (fast) or nothing (stalled). */
    private static final class Channel implements FrameChannel {
        private final boolean reads;
        long bytes;
        int frames;
        int backlogReads;

        Channel(boolean reads) {
            this.reads = reads;
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
        public void write(ByteBuf sharedFrame) {
            bytes += sharedFrame.readableBytes();
            frames++;
        }

        @Override
        public void send(byte[] utf8) {
            bytes += utf8.length;
            frames++;
        }

        @Override
        public void flush() {
            if (reads) {
                bytes = 0;
                frames = 0;
            }
        }

        @Override
        public long pendingBytes() {
            backlogReads++;
            return bytes;
        }

        void drain() {
            bytes = 0;
            frames = 0;
        }

        @Override
        public int pendingFrames() {
            return frames;
        }
    }
}

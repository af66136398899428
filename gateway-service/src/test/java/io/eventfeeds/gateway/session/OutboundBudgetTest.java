package io.eventfeeds.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Slow clients together, without a broker: the shared budget sheds the ones furthest behind, never a fast one. */
class OutboundBudgetTest {

    private static final String FRAME = "x".repeat(1024);
    private static final ClientSession.Limits OWN_LIMIT = new ClientSession.Limits(10_000, 1 << 20);

    private final List<ClientSession> sessions = new ArrayList<>();
    private final List<Integer> closeCodes = new ArrayList<>();

    @Test
    void stalledClientsTogetherAreDroppedLongBeforeEachFillsItsOwnQueueWhileAFastOneStays() {
        OutboundBudget budget = new OutboundBudget(256 * 1024, sessions::size);
        ClientSession fast = open(budget, true);
        List<ClientSession> stalled = List.of(open(budget, false), open(budget, false), open(budget, false),
                open(budget, false));

        for (int event = 0; event < 500; event++) {
            assertThat(fast.sendEvent(FRAME)).as("the fast client takes event %d", event).isTrue();
            stalled.forEach(session -> session.sendEvent(FRAME));
        }

        assertThat(stalled).allMatch(ClientSession::isDropped);
        assertThat(closeCodes).hasSize(4).containsOnly(4008);
        assertThat(fast.isDropped()).isFalse();
        // Each was dropped near a quarter of the budget, far below its own 1 MiB limit.
        assertThat(budget.queued()).isLessThanOrEqualTo(256 * 1024 + 4 * FRAME.length());
    }

    @Test
    void belowTheBudgetOnlyTheConnectionsOwnLimitCounts() {
        OutboundBudget budget = new OutboundBudget(64L << 20, sessions::size);
        ClientSession stalled = open(budget, false);
        open(budget, false);

        int taken = 0;
        while (stalled.sendEvent(FRAME)) {
            taken++;
        }

        assertThat(taken).isEqualTo((int) (OWN_LIMIT.maxChars() / FRAME.length()));
        assertThat(closeCodes).containsExactly(4008);
    }

    @Test
    void aDroppedClientsUnwrittenFramesAreReleasedFromTheBudget() {
        OutboundBudget budget = new OutboundBudget(Long.MAX_VALUE, sessions::size);
        List<Runnable> pendingWrites = new ArrayList<>();
        ClientSession session = new ClientSession(connection(pendingWrites), OWN_LIMIT, budget, listener(), () -> false);
        sessions.add(session);
        session.sendEvent(FRAME);
        session.sendEvent(FRAME);
        assertThat(budget.queued()).isEqualTo(2L * FRAME.length());

        pendingWrites.forEach(Runnable::run);

        assertThat(budget.queued()).isZero();
    }

    /** A session whose writes complete at once (fast) or never (stalled). */
    private ClientSession open(OutboundBudget budget, boolean writesComplete) {
        List<Runnable> neverRun = new ArrayList<>();
        ClientSession session = new ClientSession(writesComplete ? connection(null) : connection(neverRun), OWN_LIMIT,
                budget, listener(), () -> false);
        sessions.add(session);
        return session;
    }

    private ClientSession.Listener listener() {
        return new ClientSession.Listener() {
            @Override
            public void delivered() {
            }

            @Override
            public void droppedAsTooSlow(ClientSession dropped) {
            }
        };
    }

    /** Writes complete at once when {@code pendingWrites} is null, else only when the test runs them. */
    private WebSocketConnection connection(List<Runnable> pendingWrites) {
        AtomicInteger ids = new AtomicInteger();
        String id = "connection-" + sessions.size() + "-" + ids.incrementAndGet();
        return (WebSocketConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {WebSocketConnection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "sendText" -> pendingWrites == null ? Uni.createFrom().voidItem()
                            : Uni.createFrom().emitter(emitter -> pendingWrites.add(() -> emitter.complete(null)));
                    case "close" -> {
                        closeCodes.add(((CloseReason) args[0]).getCode());
                        yield Uni.createFrom().voidItem();
                    }
                    case "isClosed" -> false;
                    case "id" -> id;
                    default -> null;
                });
    }
}

package io.eventfeeds.gateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.gateway.session.ClientSession;
import io.eventfeeds.gateway.session.OutboundBudget;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The switch from replay to live, without a broker: which frames a subscription sends, in which order. */
class SubscriptionTest {

    private final List<String> sent = new ArrayList<>();
    private final List<Integer> closedWith = new ArrayList<>();
    private final ClientSession session = new ClientSession(connection(), new ClientSession.Limits(1000, 1 << 20),
            new OutboundBudget(Long.MAX_VALUE, () -> 1), new ClientSession.Listener() {
                @Override
                public void delivered() {
                }

                @Override
                public void droppedAsTooSlow(ClientSession dropped) {
                }
            }, () -> false);

    @Test
    void liveEventsArrivingDuringTheReplayFollowTheReplayedOnesOnceAndInOrder() {
        Subscription subscription = Subscription.replaying(session, "scores:a", 0, 10, 100);
        subscription.offerLive(13, "e13");
        subscription.offerLive(14, "e14");
        assertThat(sent).as("held while replaying").isEmpty();

        subscription.offerReplayed(11, "e11");
        subscription.offerReplayed(12, "e12");
        subscription.offerReplayed(12, "e12");
        subscription.goLive();
        subscription.offerLive(14, "e14");
        subscription.offerLive(15, "e15");

        assertThat(sent).containsExactly("e11", "e12", "e13", "e14", "e15");
        assertThat(subscription.lastSent()).isEqualTo(15);
    }

    @Test
    void nothingAtOrBeforeTheStartingPositionIsSent() {
        Subscription subscription = Subscription.live(session, "scores:a", 0, 41);
        subscription.offerLive(41, "e41");
        subscription.offerLive(42, "e42");
        assertThat(sent).containsExactly("e42");
    }

    @Test
    void anExpiredPositionMovesTheStartToTheOldestKeptEvent() {
        Subscription subscription = Subscription.replaying(session, "scores:a", 0, 3, 100);
        subscription.startAfter(99);
        subscription.offerReplayed(100, "e100");
        subscription.goLive();
        assertThat(sent).containsExactly("e100");
    }

    @Test
    void tooManyLiveEventsDuringAReplayDropTheClientAsTooSlow() {
        Subscription subscription = Subscription.replaying(session, "scores:a", 0, 0, 2);
        subscription.offerLive(1, "e1");
        subscription.offerLive(2, "e2");
        subscription.offerLive(3, "e3");
        subscription.goLive();
        assertThat(session.isDropped()).isTrue();
        assertThat(closedWith).containsExactly(4008);
        assertThat(sent).isEmpty();
    }

    private WebSocketConnection connection() {
        return (WebSocketConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {WebSocketConnection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "sendText" -> {
                        sent.add((String) args[0]);
                        yield Uni.createFrom().voidItem();
                    }
                    case "close" -> {
                        closedWith.add(((CloseReason) args[0]).getCode());
                        yield Uni.createFrom().voidItem();
                    }
                    case "isClosed" -> false;
                    case "id" -> "test-connection";
                    default -> null;
                });
    }
}

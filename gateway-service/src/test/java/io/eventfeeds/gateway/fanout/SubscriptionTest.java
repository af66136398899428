package io.eventfeeds.gateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.gateway.session.ClientSession;
import io.eventfeeds.gateway.session.OutboundBudget;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The switch from replay to live, without a broker: which frames a subscription sends, in which order. */
class SubscriptionTest {

    private final List<String> sent = new ArrayList<>();
    private final List<Integer> closedWith = new ArrayList<>();
    /** Writes the client has not completed yet, while {@link #holdWrites} is set. */
    private final List<UniEmitter<? super Void>> unwritten = new ArrayList<>();
    private boolean holdWrites;
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
        assertThat(subscription.handOverHeld()).isTrue();
        subscription.offerLive(14, "e14");
        subscription.offerLive(15, "e15");

        assertThat(sent).containsExactly("e11", "e12", "e13", "e14", "e15");
        assertThat(subscription.lastSent()).isEqualTo(15);
    }

    @Test
    void heldEventsAreHandedOverOnlyAsFastAsTheQueueHasRoomAndEventsArrivingMeanwhileFollowInOrder() {
        holdWrites = true;
        Subscription subscription = Subscription.replaying(session, "scores:a", 0, 0, 5000);
        long offset = 0;
        while (offset < 1500) {
            offset++;
            subscription.offerLive(offset, "e" + offset);
        }
        int turns = 0;
        while (!subscription.handOverHeld()) {
            assertThat(session.framesQueued()).as("at most half of the 1,000 frames, plus one").isLessThanOrEqualTo(501);
            offset++;
            subscription.offerLive(offset, "e" + offset);
            if (!session.hasRoom()) {
                writeEverything();
            }
            turns++;
        }
        offset++;
        subscription.offerLive(offset, "e" + offset);

        assertThat(turns).as("handed over in several turns").isGreaterThan(3);
        assertThat(session.isDropped()).isFalse();
        List<String> expected = new ArrayList<>();
        for (long n = 1; n <= offset; n++) {
            expected.add("e" + n);
        }
        assertThat(sent).containsExactlyElementsOf(expected);
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
        assertThat(subscription.handOverHeld()).isTrue();
        assertThat(sent).containsExactly("e100");
    }

    @Test
    void tooManyLiveEventsDuringAReplayDropTheClientAsTooSlow() {
        Subscription subscription = Subscription.replaying(session, "scores:a", 0, 0, 2);
        subscription.offerLive(1, "e1");
        subscription.offerLive(2, "e2");
        subscription.offerLive(3, "e3");
        assertThat(subscription.handOverHeld()).isTrue();
        assertThat(session.isDropped()).isTrue();
        assertThat(closedWith).containsExactly(4008);
        assertThat(sent).isEmpty();
    }

    /** The client reads every frame sent so far. */
    private void writeEverything() {
        List<UniEmitter<? super Void>> pending = new ArrayList<>(unwritten);
        unwritten.clear();
        pending.forEach(write -> write.complete(null));
    }

    private WebSocketConnection connection() {
        return (WebSocketConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {WebSocketConnection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "sendText" -> {
                        sent.add((String) args[0]);
                        yield holdWrites ? Uni.createFrom().<Void>emitter(unwritten::add) : Uni.createFrom().voidItem();
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

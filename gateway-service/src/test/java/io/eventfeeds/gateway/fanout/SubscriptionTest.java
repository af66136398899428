package io.eventfeeds.gateway.fanout;

import static io.eventfeeds.gateway.fanout.FakeRecipient.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The switch from replay to live, without a broker: which frames a subscription writes, in which order. */
class SubscriptionTest {

    private static final long NOW = 0;

    private final FakeRecipient client = new FakeRecipient("c", 1000);

    @Test
    void liveEventsArrivingDuringTheReplayFollowTheReplayedOnesOnceAndInOrder() {
        Subscription subscription = Subscription.replaying(client, "scores:a", 0, 10, 100);
        subscription.offerLive(13, frame("e13"), NOW);
        subscription.offerLive(14, frame("e14"), NOW);
        assertThat(client.written()).as("held while replaying").isEmpty();

        subscription.offerReplayed(11, frame("e11"), NOW);
        subscription.offerReplayed(12, frame("e12"), NOW);
        subscription.offerReplayed(12, frame("e12"), NOW);
        assertThat(subscription.handOverHeld(NOW)).isTrue();
        subscription.offerLive(14, frame("e14"), NOW);
        subscription.offerLive(15, frame("e15"), NOW);

        assertThat(client.written()).containsExactly("e11", "e12", "e13", "e14", "e15");
        assertThat(subscription.lastSent()).isEqualTo(15);
        assertThat(subscription.written()).isEqualTo(5);
    }

    @Test
    void heldEventsAreHandedOverOnlyAsFastAsTheBacklogHasRoomAndEventsArrivingMeanwhileFollowInOrder() {
        Subscription subscription = Subscription.replaying(client, "scores:a", 0, 0, 5000);
        long offset = 0;
        while (offset < 1500) {
            offset++;
            subscription.offerLive(offset, frame("e" + offset), NOW);
        }
        int turns = 0;
        while (!subscription.handOverHeld(NOW)) {
            assertThat(client.backlog).as("at most half of the 1,000 frames, plus one").isLessThanOrEqualTo(501);
            offset++;
            subscription.offerLive(offset, frame("e" + offset), NOW);
            if (!client.hasRoom()) {
                client.drain();
            }
            turns++;
        }
        offset++;
        subscription.offerLive(offset, frame("e" + offset), NOW);

        assertThat(turns).as("handed over in several turns").isGreaterThan(3);
        assertThat(client.dropped).isFalse();
        List<String> expected = new ArrayList<>();
        for (long n = 1; n <= offset; n++) {
            expected.add("e" + n);
        }
        assertThat(client.written()).containsExactlyElementsOf(expected);
    }

    @Test
    void nothingAtOrBeforeTheStartingPositionIsSent() {
        Subscription subscription = Subscription.live(client, "scores:a", 0, 41);
        subscription.offerLive(41, frame("e41"), NOW);
        subscription.offerLive(42, frame("e42"), NOW);
        assertThat(client.written()).containsExactly("e42");
    }

    @Test
    void anExpiredPositionMovesTheStartToTheOldestKeptEvent() {
        Subscription subscription = Subscription.replaying(client, "scores:a", 0, 3, 100);
        subscription.startAfter(99);
        subscription.offerReplayed(100, frame("e100"), NOW);
        assertThat(subscription.handOverHeld(NOW)).isTrue();
        assertThat(client.written()).containsExactly("e100");
    }

    @Test
    void tooManyLiveEventsDuringAReplayDropTheClientAsTooSlow() {
        Subscription subscription = Subscription.replaying(client, "scores:a", 0, 0, 2);
        subscription.offerLive(1, frame("e1"), NOW);
        subscription.offerLive(2, frame("e2"), NOW);
        subscription.offerLive(3, frame("e3"), NOW);
        assertThat(subscription.handOverHeld(NOW)).isTrue();
        assertThat(client.dropped).isTrue();
        assertThat(client.written()).isEmpty();
    }

    @Test
    void aCancelledSubscriptionWritesNothingMore() {
        Subscription subscription = Subscription.live(client, "scores:a", 0, -1);
        subscription.offerLive(0, frame("e0"), NOW);
        subscription.cancel();
        subscription.offerLive(1, frame("e1"), NOW);
        assertThat(client.written()).containsExactly("e0");
    }
}

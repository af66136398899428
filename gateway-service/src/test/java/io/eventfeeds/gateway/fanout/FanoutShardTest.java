package io.eventfeeds.gateway.fanout;

import static io.eventfeeds.gateway.fanout.FakeRecipient.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** One event loop's fan-out, without a broker or a network. */
class FanoutShardTest {

    private static final Function<String, Predicate<Recipient>> NO_BROADCASTS = channel -> null;

    private final FanoutShard shard = new FanoutShard(Runnable::run);
    private final FakeRecipient alice = new FakeRecipient("alice", 1000);
    private final FakeRecipient bob = new FakeRecipient("bob", 1000);

    @Test
    void aBatchIsWrittenInOrderAndEachConnectionIsFlushedOnceForIt() {
        shard.assigned(Map.of(0, -1L));
        shard.register(Subscription.live(alice, "scores:a", 0, -1));
        shard.register(Subscription.live(bob, "scores:a", 0, -1));
        shard.register(Subscription.live(bob, "scores:b", 0, -1));

        int written = shard.deliver(List.of(event("scores:a", 0, 0), event("scores:b", 0, 1), event("scores:a", 0, 2),
                event("scores:c", 0, 3)), NO_BROADCASTS);

        assertThat(written).isEqualTo(5);
        assertThat(alice.flushed).containsExactly("scores:a@0", "scores:a@2");
        assertThat(bob.flushed).containsExactly("scores:a@0", "scores:b@1", "scores:a@2");
        assertThat(alice.flushes).isEqualTo(1);
        assertThat(bob.flushes).isEqualTo(1);
        assertThat(shard.lastDispatched(0)).isEqualTo(3);
    }

    @Test
    void aSubscriptionRegisteredBetweenBatchesStartsExactlyAfterTheLastDeliveredEvent() {
        shard.assigned(Map.of(0, 9L));
        shard.deliver(List.of(event("scores:a", 0, 10), event("scores:a", 0, 11)), NO_BROADCASTS);

        long last = shard.lastDispatched(0);
        shard.register(Subscription.live(alice, "scores:a", 0, last));
        shard.deliver(List.of(event("scores:a", 0, 12)), NO_BROADCASTS);

        assertThat(last).isEqualTo(11);
        assertThat(alice.flushed).containsExactly("scores:a@12");
    }

    @Test
    void aRecordOfTheChannelOnAnotherPartitionReachesNoSubscriber() {
        shard.register(Subscription.live(alice, "scores:a", 2, -1));

        shard.deliver(List.of(event("scores:a", 5, 100), event("scores:a", 2, 7)), NO_BROADCASTS);

        assertThat(alice.flushed).containsExactly("scores:a@7");
    }

    @Test
    void aRecordThatIsNoEventMovesTheProgressOnAndReachesNobody() {
        shard.register(Subscription.live(alice, "scores:a", 0, -1));

        shard.deliver(List.of(new EncodedEvent("scores:a", 0, 4, null), new EncodedEvent(null, 0, 5, null)),
                NO_BROADCASTS);

        assertThat(alice.flushed).isEmpty();
        assertThat(alice.flushes).isZero();
        assertThat(shard.lastDispatched(0)).isEqualTo(5);
    }

    @Test
    void aBroadcastReachesEveryConnectionAllowedToReadItOnceEvenWhenSubscribed() {
        FakeRecipient carol = new FakeRecipient("carol", 1000);
        shard.attach(alice);
        shard.attach(bob);
        shard.attach(carol);
        shard.register(Subscription.live(bob, "system:notice", 0, -1));

        shard.deliver(List.of(event("system:notice", 0, 1)),
                channel -> channel.startsWith("system:") ? recipient -> recipient != carol : null);

        assertThat(alice.flushed).containsExactly("system:notice@1");
        assertThat(bob.flushed).containsExactly("system:notice@1");
        assertThat(carol.flushed).isEmpty();
    }

    @Test
    void aRemovedSubscriptionGetsNothingMoreAndLeavesNoCount() {
        Subscription subscription = Subscription.live(alice, "scores:a", 0, -1);
        shard.register(subscription);
        assertThat(shard.subscriptionCount()).isEqualTo(1);

        shard.remove(subscription);
        shard.deliver(List.of(event("scores:a", 0, 0)), NO_BROADCASTS);

        assertThat(alice.flushed).isEmpty();
        assertThat(alice.subscriptions()).isEmpty();
        assertThat(shard.subscriptionCount()).isZero();
    }

    private static EncodedEvent event(String channel, int partition, long offset) {
        return new EncodedEvent(channel, partition, offset, frame(channel + "@" + offset));
    }
}

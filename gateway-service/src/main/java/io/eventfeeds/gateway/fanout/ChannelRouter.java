package io.eventfeeds.gateway.fanout;

import io.eventfeeds.events.Position;
import io.eventfeeds.gateway.GatewayConfig;
import io.eventfeeds.gateway.protocol.ErrorCode;
import io.eventfeeds.gateway.protocol.Frames;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongPredicate;

/**
 * Subscribes connections to channels on their own shard. Subscribing runs on the connection's event loop, the same
 * thread that delivers to it, which is what makes the subscribed position exact and the replay -> live switch
 * gap-free without a lock.
 */
@ApplicationScoped
public class ChannelRouter {

    private final PartitionProgress progress;
    private final FanoutShards shards;
    private final Frames frames;
    private final Replays replays;
    private final GatewayConfig config;
    private final FanoutMetrics metrics;

    public ChannelRouter(PartitionProgress progress, FanoutShards shards, Frames frames, Replays replays,
            GatewayConfig config, FanoutMetrics metrics) {
        this.progress = progress;
        this.shards = shards;
        this.frames = frames;
        this.replays = replays;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Subscribes, answering with the {@code subscribed} frame itself (so no event can overtake it); with
     * {@code since}, replays what the client missed first. Permission checks are the caller's. Call it on the
     * connection's event loop (its own callbacks run there).
     *
     * @return why not, when the subscription was refused
     */
    public Optional<Refusal> subscribe(Recipient recipient, String channel, Position since, String ref) {
        OptionalInt partition = progress.partitionOf(channel);
        if (partition.isEmpty()) {
            return Optional.of(new Refusal(ErrorCode.NOT_READY,
                    "the gateway is still connecting to Kafka; retry in a moment"));
        }
        int p = partition.getAsInt();
        if (since != null && since.partition() != p) {
            return Optional.of(new Refusal(ErrorCode.BAD_REQUEST,
                    "since: position " + since + " is not a position of channel " + channel));
        }
        Subscription existing = recipient.subscriptions().get(channel);
        if (existing == null && recipient.subscriptions().size() >= config.maxSubscriptions()) {
            return Optional.of(new Refusal(ErrorCode.TOO_MANY_SUBSCRIPTIONS,
                    "at most " + config.maxSubscriptions() + " subscriptions per connection"));
        }
        if (since != null && !replays.reserve(recipient)) {
            // Before the existing subscription is replaced: a refused resume leaves the connection as it was.
            return Optional.of(new Refusal(ErrorCode.RATE_LIMITED, "too many replays pending (at most "
                    + config.resume().maxPendingPerConnection() + " per connection, "
                    + config.resume().maxPendingPerCaller() + " per caller); subscribe again in a moment"));
        }
        FanoutShard shard = shards.of(recipient);
        if (existing != null) {
            shard.remove(existing);
        }
        long lastDispatched = shard.lastDispatched(p);
        if (since == null) {
            long last = lastDispatched == PartitionProgress.UNKNOWN ? -1 : lastDispatched;
            shard.register(Subscription.live(recipient, channel, p, last));
            recipient.send(frames.subscribed(channel, last >= 0 ? new Position(p, last) : null));
        } else {
            Subscription subscription = Subscription.replaying(recipient, channel, p, since.offset(),
                    config.resume().maxBufferedEvents());
            shard.register(subscription);
            replays.replay(subscription, since.offset(), lastDispatched, ref, this::remove);
        }
        return Optional.empty();
    }

    public void unsubscribe(Recipient recipient, String channel) {
        Subscription subscription = recipient.subscriptions().get(channel);
        if (subscription != null) {
            remove(subscription);
        }
    }

    /** Ends a subscription (unsubscribed, or its replay failed); stops it at once, from any thread. */
    public void remove(Subscription subscription) {
        subscription.cancel();
        Recipient recipient = subscription.recipient();
        shards.onLoop(recipient, () -> shards.of(recipient).remove(subscription));
    }

    /**
     * Replay threads: writes replayed events in order on the subscription's event loop while the client has room,
     * and waits for that. Returns how many of them were taken; the caller waits for room and hands over the rest.
     */
    public int writeReplayed(Subscription subscription, List<EncodedEvent> events) throws InterruptedException {
        int[] taken = {0};
        onLoop(subscription, now -> {
            Recipient recipient = subscription.recipient();
            int n = events.size();
            int i = 0;
            for (; i < n && (i == 0 || recipient.hasRoom()); i++) {
                EncodedEvent event = events.get(i);
                subscription.offerReplayed(event.offset(), event.frame(), now);
            }
            taken[0] = i;
            return true;
        });
        return taken[0];
    }

    /** Replay threads: one step of {@link Subscription#handOverHeld}; true once the subscription is live. */
    public boolean handOverHeld(Subscription subscription) throws InterruptedException {
        return onLoop(subscription, subscription::handOverHeld);
    }

    /** Runs a replay step on the subscription's event loop, flushes what it wrote, and waits for its answer. */
    private boolean onLoop(Subscription subscription, LongPredicate step) throws InterruptedException {
        Recipient recipient = subscription.recipient();
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        recipient.eventLoop().execute(() -> {
            try {
                long before = subscription.written();
                boolean answer = step.test(System.currentTimeMillis());
                FanoutShard shard = shards.of(recipient);
                shard.touched(recipient);
                shard.flushTouched();
                metrics.delivered((int) (subscription.written() - before));
                done.complete(answer);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("replay step failed", e.getCause());
        }
    }

    /** A refused subscription: the error frame's code and message. */
    public record Refusal(ErrorCode code, String message) {
    }
}

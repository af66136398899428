package io.eventfeeds.gateway.fanout;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.eventfeeds.gateway.transport.EventLoops;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * One {@link FanoutShard} per Vert.x event loop, made at startup, so that every connection's loop has its shard
 * before the first event is dispatched. The consumer hands each batch to each shard once, as a task of its loop.
 */
@ApplicationScoped
public class FanoutShards {

    private static final Logger LOG = Logger.getLogger(FanoutShards.class);

    private final Map<Executor, FanoutShard> byLoop = new ConcurrentHashMap<>();
    private final PartitionProgress progress;
    private final BroadcastAudience audience;
    private final FanoutMetrics metrics;

    public FanoutShards(Vertx vertx, PartitionProgress progress, BroadcastAudience audience, FanoutMetrics metrics,
            MeterRegistry registry) {
        this.progress = progress;
        this.audience = audience;
        this.metrics = metrics;
        for (Executor loop : EventLoops.of(vertx)) {
            byLoop.put(loop, new FanoutShard(loop));
        }
        Gauge.builder("feeds.gateway.subscriptions", this, FanoutShards::subscriptionCount)
                .description("Channel subscriptions of open connections").register(registry);
    }

    /** Hands one poll batch to every shard, in the order batches are consumed. Any thread. */
    void dispatch(List<EncodedEvent> batch) {
        for (FanoutShard shard : byLoop.values()) {
            shard.loop().execute(() -> metrics.delivered(shard.deliver(batch, audience::of)));
        }
    }

    /** A new assignment: every shard's live delivery of these partitions starts after the given offsets. */
    void assigned(Map<Integer, Long> lastBefore) {
        Map<Integer, Long> copy = Map.copyOf(lastBefore);
        for (FanoutShard shard : byLoop.values()) {
            shard.loop().execute(() -> shard.assigned(copy));
        }
    }

    /** The shard of a connection; on its event loop. */
    FanoutShard of(Recipient recipient) {
        FanoutShard shard = byLoop.get(recipient.eventLoop());
        if (shard != null) {
            return shard;
        }
        // Not one of Vert.x's event loops (never seen so far): a shard of its own, starting from what has been
        // consumed; it cannot know batches that were dispatched before it existed.
        return byLoop.computeIfAbsent(recipient.eventLoop(), loop -> {
            LOG.warnf("connection %s is on an event loop without a fan-out shard; adding one", recipient.id());
            FanoutShard added = new FanoutShard(loop);
            added.assigned(progress.snapshot());
            return added;
        });
    }

    /** A new connection on its event loop: it receives broadcasts from now on. */
    public void attach(Recipient recipient) {
        onLoop(recipient, () -> of(recipient).attach(recipient));
    }

    /**
     * A closed or dropped connection: ends its subscriptions and broadcasts. Any thread; always a later task of its
     * loop, because a drop can happen while its shard is iterating the very subscriptions it removes.
     */
    public void detach(Recipient recipient) {
        recipient.eventLoop().execute(() -> {
            FanoutShard shard = of(recipient);
            List.copyOf(recipient.subscriptions().values()).forEach(shard::remove);
            shard.detach(recipient);
        });
    }

    /** Runs a task on the recipient's event loop: at once when already there. */
    void onLoop(Recipient recipient, Runnable task) {
        if (recipient.inEventLoop()) {
            task.run();
        } else {
            recipient.eventLoop().execute(task);
        }
    }

    int subscriptionCount() {
        int total = 0;
        for (FanoutShard shard : byLoop.values()) {
            total += shard.subscriptionCount();
        }
        return total;
    }
}

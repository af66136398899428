package io.eventfeeds.gateway.resume;

import io.eventfeeds.events.EventTopics;
import io.eventfeeds.events.Position;
import io.eventfeeds.gateway.GatewayConfig;
import io.eventfeeds.gateway.fanout.PartitionProgress;
import io.eventfeeds.gateway.fanout.Subscription;
import io.eventfeeds.gateway.protocol.ErrorCode;
import io.eventfeeds.gateway.protocol.Frames;
import io.eventfeeds.gateway.session.ClientSession;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Replays a channel from a position: reads the channel's partition with a consumer of its own from the position up
 * to where live delivery took over when the client subscribed, then lets the subscription's buffered live events
 * follow. Together with {@link Subscription}'s offset check that is every missed event, in order, once.
 *
 * <p>Replays block on Kafka and on the client's queue, so they run on a small thread pool of their own, never on
 * the event loop. It is a plain fixed pool (not virtual threads) because the build targets Java 17; its size bounds
 * how many replays read Kafka at once, and {@link ReplayQuota} how many may wait for it.
 */
@ApplicationScoped
public class Replayer {

    private static final Logger LOG = Logger.getLogger(Replayer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration ASSIGNMENT_WAIT = Duration.ofSeconds(30);

    private final Map<String, Object> kafkaConfig;
    private final PartitionProgress progress;
    private final Frames frames;
    private final GatewayConfig config;
    private final ExecutorService pool;
    private final AtomicInteger replays = new AtomicInteger();
    private final ReplayQuota quota;

    public Replayer(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, PartitionProgress progress,
            Frames frames, GatewayConfig config) {
        this.kafkaConfig = kafkaConfig;
        this.progress = progress;
        this.frames = frames;
        this.config = config;
        this.quota = new ReplayQuota(config.resume().maxPendingPerConnection(), config.resume().maxPending());
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(config.resume().maxConcurrent(), task -> {
            Thread thread = new Thread(task, "gateway-replay-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Takes a replay slot for the connection, before its new subscription replaces anything; false when it or the
     * gateway has too many replays pending, and the subscribe is refused. {@link #replay} gives the slot back.
     */
    public boolean reserve(ClientSession session) {
        return quota.tryAcquire(session.id());
    }

    /**
     * Starts replaying events after {@code since} up to {@code liveAfter} (the last offset live delivery had
     * dispatched when the subscription was registered, or {@link PartitionProgress#UNKNOWN}), then switches the
     * subscription to live. {@code abandon} ends the subscription if the replay cannot complete. Needs a slot taken
     * with {@link #reserve}.
     */
    public void replay(Subscription subscription, long since, long liveAfter, String ref, Consumer<Subscription> abandon) {
        String connection = subscription.session().id();
        try {
            pool.execute(() -> {
                try {
                    run(subscription, since, liveAfter, ref, abandon);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    abandon.accept(subscription);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "replay of %s for %s failed", subscription.channel(), connection);
                    subscription.session().send(frames.error(ErrorCode.NOT_READY, "replay failed: " + e.getMessage()
                            + "; subscribe again", ref, subscription.channel()));
                    abandon.accept(subscription);
                } finally {
                    quota.release(connection);
                }
            });
        } catch (RejectedExecutionException e) {
            // Only once the pool is shut down: the gateway is stopping and closes the connection anyway.
            quota.release(connection);
            abandon.accept(subscription);
        }
    }

    private void run(Subscription subscription, long since, long liveAfter, String ref, Consumer<Subscription> abandon)
            throws InterruptedException {
        ClientSession session = subscription.session();
        String channel = subscription.channel();
        TopicPartition partition = new TopicPartition(EventTopics.EVENTS, subscription.partition());
        if (subscription.isCancelled()) {
            // Unsubscribed, replaced or closed while it waited for a thread: nothing to read, nothing to answer.
            return;
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(partition));
            long oldest = consumer.beginningOffsets(List.of(partition)).get(partition);
            long next = consumer.endOffsets(List.of(partition)).get(partition);
            if (subscription.isCancelled()) {
                // Checked again after the broker round trips, right before answering, so that a client that
                // unsubscribed meanwhile gets no stale subscribed frame (only an unsubscribe in the same instant,
                // handled on another thread, can still cross it).
                return;
            }
            if (since >= next) {
                session.send(frames.error(ErrorCode.BAD_REQUEST, "since: position " + new Position(partition.partition(),
                        since) + " is ahead of the log; subscribe without since", ref, channel));
                abandon.accept(subscription);
                return;
            }
            long from = since + 1;
            if (from < oldest) {
                session.send(frames.error(ErrorCode.POSITION_EXPIRED, "events after " + new Position(
                        partition.partition(), since) + " are no longer kept; resuming from the oldest kept event "
                        + new Position(partition.partition(), oldest), ref, channel));
                from = oldest;
                subscription.startAfter(from - 1);
            }
            session.send(frames.subscribed(channel, from > 0 ? new Position(partition.partition(), from - 1) : null));
            long until = liveAfter != PartitionProgress.UNKNOWN ? liveAfter
                    : progress.awaitKnown(partition.partition(), ASSIGNMENT_WAIT);
            if (until == PartitionProgress.UNKNOWN) {
                session.send(frames.error(ErrorCode.NOT_READY, "the gateway is still connecting to Kafka; subscribe "
                        + "again", ref, channel));
                abandon.accept(subscription);
                return;
            }
            consumer.seek(partition, from);
            Duration drain = config.resume().drainTimeout();
            while (!subscription.isCancelled() && consumer.position(partition) <= until) {
                ConsumerRecords<String, String> records;
                try {
                    records = consumer.poll(POLL);
                } catch (OffsetOutOfRangeException e) {
                    continueFromOldest(consumer, partition, e, subscription, ref);
                    continue;
                }
                for (ConsumerRecord<String, String> record : records) {
                    if (record.offset() > until || subscription.isCancelled()) {
                        break;
                    }
                    if (!channel.equals(record.key())) {
                        continue;
                    }
                    var frame = frames.event(channel, record.value(), new Position(record.partition(), record.offset()));
                    if (frame.isPresent()) {
                        session.awaitRoom(drain);
                        subscription.offerReplayed(record.offset(), frame.get());
                    }
                }
            }
            while (!subscription.handOverHeld() && !session.isDropped()) {
                session.awaitRoom(drain);
            }
        }
    }

    /**
     * Retention deleted events the replay had not read yet (after {@code beginningOffsets}, or during a slow
     * replay). With {@code auto.offset.reset=none} the consumer says so instead of jumping to the log end, which
     * would skip every event up to there without a word: the client is told, as for an expired {@code since}, and
     * the replay goes on from the oldest kept event.
     */
    private void continueFromOldest(KafkaConsumer<String, String> consumer, TopicPartition partition,
            OffsetOutOfRangeException e, Subscription subscription, String ref) {
        Long at = e.offsetOutOfRangePartitions().get(partition);
        long oldest = consumer.beginningOffsets(List.of(partition)).get(partition);
        if (at == null || at >= oldest) {
            // Beyond the log's end (a truncated log): there is no oldest kept event to go on from; the caller
            // answers not_ready and the client subscribes again.
            throw e;
        }
        int p = partition.partition();
        LOG.infof("replay of %s for %s: events %s to %s were deleted while it ran", subscription.channel(),
                subscription.session().id(), new Position(p, at), new Position(p, oldest - 1));
        subscription.session().send(frames.error(ErrorCode.POSITION_EXPIRED, "events " + new Position(p, at) + " to "
                + new Position(p, oldest - 1) + " are no longer kept; resuming from the oldest kept event "
                + new Position(p, oldest), ref, subscription.channel()));
        consumer.seek(partition, oldest);
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> props = new HashMap<>(kafkaConfig);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Never reset silently: a position that retention deleted must reach the client as position_expired.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "gateway-replay-" + replays.incrementAndGet());
        return props;
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}

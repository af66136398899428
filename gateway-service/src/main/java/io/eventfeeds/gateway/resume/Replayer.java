package io.eventfeeds.gateway.resume;

import io.eventfeeds.events.EventTopics;
import io.eventfeeds.events.Position;
import io.eventfeeds.gateway.GatewayConfig;
import io.eventfeeds.gateway.fanout.ChannelRouter;
import io.eventfeeds.gateway.fanout.EncodedEvent;
import io.eventfeeds.gateway.fanout.PartitionProgress;
import io.eventfeeds.gateway.fanout.Recipient;
import io.eventfeeds.gateway.fanout.Replays;
import io.eventfeeds.gateway.fanout.Subscription;
import io.eventfeeds.gateway.protocol.ErrorCode;
import io.eventfeeds.gateway.protocol.Frames;
import io.eventfeeds.gateway.transport.TextFrame;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * Replays a channel from a position: reads the channel's partition from the position up to where live delivery took
 * over when the client subscribed, then lets the subscription's held live events follow. Together with
 * {@link Subscription}'s offset check that is every missed event, in order, once. Each replayed record is encoded
 * once and written on the subscription's event loop, as live events are.
 *
 * <p>Replays block on Kafka and on the client's backlog, so they run on a small thread pool of their own, never on
 * the event loop. It is a plain fixed pool (not virtual threads) because the build targets Java 17; its size bounds
 * how many replays read Kafka at once, and {@link ReplayQuota} how many may wait for it. Each pool thread keeps one
 * Kafka consumer for all its replays: making a consumer (its metadata round trips, its buffers) cost far more than
 * a short replay itself, and a thousand clients resuming at once waited for a thousand of them.
 */
@ApplicationScoped
public class Replayer implements Replays {

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
    private final ChannelRouter router;
    private final ThreadLocal<KafkaConsumer<String, String>> consumers = new ThreadLocal<>();
    private final Queue<KafkaConsumer<String, String>> allConsumers = new ConcurrentLinkedQueue<>();

    public Replayer(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, PartitionProgress progress,
            Frames frames, GatewayConfig config, ChannelRouter router) {
        this.router = router;
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

    @Override
    public boolean reserve(Recipient recipient) {
        return quota.tryAcquire(recipient.id());
    }

    @Override
    public void replay(Subscription subscription, long since, long liveAfter, String ref, Consumer<Subscription> abandon) {
        String connection = subscription.recipient().id();
        try {
            pool.execute(() -> {
                try {
                    run(subscription, since, liveAfter, ref, abandon);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    abandon.accept(subscription);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "replay of %s for %s failed", subscription.channel(), connection);
                    discardConsumer();
                    subscription.recipient().send(frames.error(ErrorCode.NOT_READY, "replay failed: " + e.getMessage()
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
        Recipient session = subscription.recipient();
        String channel = subscription.channel();
        TopicPartition partition = new TopicPartition(EventTopics.EVENTS, subscription.partition());
        if (subscription.isCancelled()) {
            // Unsubscribed, replaced or closed while it waited for a thread: nothing to read, nothing to answer.
            return;
        }
        KafkaConsumer<String, String> consumer = consumer();
        {
            // One consumer serves this thread's replays one after the other: assign replaces the previous partition.
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
                List<EncodedEvent> chunk = new ArrayList<>();
                for (ConsumerRecord<String, String> record : records) {
                    if (record.offset() > until || subscription.isCancelled()) {
                        break;
                    }
                    if (!channel.equals(record.key())) {
                        continue;
                    }
                    var frame = frames.event(channel, record.value(), new Position(record.partition(), record.offset()));
                    frame.ifPresent(bytes -> chunk.add(new EncodedEvent(channel, record.partition(), record.offset(),
                            TextFrame.shared(bytes))));
                }
                int done = 0;
                while (done < chunk.size() && !subscription.isCancelled() && !session.isDropped()) {
                    session.awaitRoom(drain);
                    done += router.writeReplayed(subscription, chunk.subList(done, chunk.size()));
                }
            }
            while (!router.handOverHeld(subscription) && !session.isDropped()) {
                session.awaitRoom(drain);
            }
        }
    }

    /** This pool thread's consumer, made on its first replay. */
    private KafkaConsumer<String, String> consumer() {
        KafkaConsumer<String, String> consumer = consumers.get();
        if (consumer == null) {
            consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new StringDeserializer());
            consumers.set(consumer);
            allConsumers.add(consumer);
        }
        return consumer;
    }

    /** After a failed replay the consumer's state is unknown: the thread's next replay makes a new one. */
    private void discardConsumer() {
        KafkaConsumer<String, String> consumer = consumers.get();
        if (consumer != null) {
            consumers.remove();
            allConsumers.remove(consumer);
            try {
                consumer.close(Duration.ofSeconds(1));
            } catch (RuntimeException e) {
                LOG.debugf("closing a replay consumer: %s", e.getMessage());
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
        Recipient recipient = subscription.recipient();
        Long at = e.offsetOutOfRangePartitions().get(partition);
        long oldest = consumer.beginningOffsets(List.of(partition)).get(partition);
        if (at == null || at >= oldest) {
            // Beyond the log's end (a truncated log): there is no oldest kept event to go on from; the caller
            // answers not_ready and the client subscribes again.
            throw e;
        }
        int p = partition.partition();
        LOG.infof("replay of %s for %s: events %s to %s were deleted while it ran", subscription.channel(),
                recipient.id(), new Position(p, at), new Position(p, oldest - 1));
        recipient.send(frames.error(ErrorCode.POSITION_EXPIRED, "events " + new Position(p, at) + " to "
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
        // Closed from here, not their threads: a KafkaConsumer may be closed from any thread once none uses it.
        KafkaConsumer<String, String> consumer;
        while ((consumer = allConsumers.poll()) != null) {
            try {
                consumer.close(Duration.ofSeconds(1));
            } catch (RuntimeException e) {
                LOG.debugf("closing a replay consumer: %s", e.getMessage());
            }
        }
    }
}

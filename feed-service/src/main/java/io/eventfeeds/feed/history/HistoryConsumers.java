package io.eventfeeds.feed.history;

import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A small pool of plain {@link KafkaConsumer}s for history reads. Reads use assign and seek with no consumer group
 * (a read is a random-access look at the log, not a subscription), which Reactive Messaging's channels are not
 * made for, hence Kafka's client directly. A consumer is used by one read at a time (it is not thread-safe) and
 * only on worker threads, since every call on it blocks.
 */
@ApplicationScoped
public class HistoryConsumers {

    private final Map<String, Object> kafkaConfig;
    private final BlockingQueue<KafkaConsumer<String, String>> idle;
    private final AtomicInteger created = new AtomicInteger();
    private final int size;

    public HistoryConsumers(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, HistoryConfig config) {
        this.kafkaConfig = kafkaConfig;
        this.size = config.consumers();
        this.idle = new ArrayBlockingQueue<>(size);
    }

    /** A consumer for one read, or null if none became free within {@code wait}. Give it back with {@link #release}. */
    public KafkaConsumer<String, String> acquire(Duration wait) throws InterruptedException {
        KafkaConsumer<String, String> consumer = idle.poll();
        if (consumer != null) {
            return consumer;
        }
        if (created.incrementAndGet() <= size) {
            return create();
        }
        created.decrementAndGet();
        return idle.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void release(KafkaConsumer<String, String> consumer) {
        if (!idle.offer(consumer)) {
            consumer.close(Duration.ZERO);
        }
    }

    /** A consumer that failed is closed rather than reused, and its place freed. */
    public void discard(KafkaConsumer<String, String> consumer) {
        created.decrementAndGet();
        consumer.close(Duration.ZERO);
    }

    private KafkaConsumer<String, String> create() {
        Map<String, Object> props = new HashMap<>();
        // Connection and security settings (bootstrap servers, SASL, TLS) are the application's kafka.* ones.
        kafkaConfig.forEach((key, value) -> {
            if (!key.startsWith("health") && !key.contains("devservices")) {
                props.put(key, value);
            }
        });
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "feed-history-" + created.get());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    @PreDestroy
    void closeAll() {
        KafkaConsumer<String, String> consumer;
        while ((consumer = idle.poll()) != null) {
            consumer.close(Duration.ZERO);
        }
    }
}

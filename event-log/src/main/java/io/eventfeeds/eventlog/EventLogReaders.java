package io.eventfeeds.eventlog;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Opens {@link EventLogReader}s, with the one set of consumer settings for reading the event topic by position
 * (feed-service's history, the gateway's replays). Reactive Messaging's channels subscribe; a read by position
 * assigns and seeks, so it uses Kafka's own consumer, made only here.
 */
@ApplicationScoped
public class EventLogReaders {

    /**
     * Records one poll hands over at most. A history page (up to 1000 events) and a replay slice take a few polls;
     * the broker fetches the same bytes either way, this only bounds what one poll returns at once.
     */
    static final int MAX_POLL_RECORDS = 500;
    /**
     * How long one broker call (offsets, metadata, a fetch) may take before it fails, rather than Kafka's default of a
     * minute: a reader holds a worker thread while it waits, and its caller answers "retry" sooner.
     */
    static final int TIMEOUT_MS = 5000;

    private final Map<String, Object> settings;
    private final AtomicInteger opened = new AtomicInteger();

    /** @param kafkaConfig the application's kafka.* settings, as Quarkus gives them (without the prefix) */
    public EventLogReaders(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.settings = settings(kafkaConfig);
    }

    /**
     * A new reader, to be closed by its owner. Making one costs metadata round trips and buffers: callers keep a few
     * and reuse them.
     *
     * @param purpose names its Kafka client ({@code purpose-N}) in the broker's logs and metrics
     */
    public EventLogReader open(String purpose) {
        Map<String, Object> props = new HashMap<>(settings);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, purpose + "-" + opened.incrementAndGet());
        return new EventLogReader(new KafkaConsumer<String, String>(props));
    }

    /** The consumer settings of every reader, derived from the application's kafka.* ones. */
    static Map<String, Object> settings(Map<String, Object> kafkaConfig) {
        Map<String, Object> props = new HashMap<>();
        // Connection and security settings (bootstrap servers, SASL, TLS) are the application's. Quarkus's own
        // switches under kafka.* (health checks, Dev Services) are not Kafka client settings.
        kafkaConfig.forEach((key, value) -> {
            if (!key.startsWith("health") && !key.contains("devservices")) {
                props.put(key, value);
            }
        });
        // A read is a random-access look at the log, not a subscription: no group, nothing committed.
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Only events whose append was acknowledged, as live delivery sees them.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Never reset silently: a position that retention deleted must reach the reader (EventLogReader.poll), which
        // tells its caller; "latest" would skip every event up to the log's end without a word.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        // The producer writes keys and envelopes as UTF-8 strings (EventLogAppender).
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }
}

package io.eventfeeds.gateway.fanout;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;

/**
 * The fan-out's Prometheus metrics (docs/protocol.md lists them); Micrometer turns the dots into underscores. They
 * are counted once per batch, not per frame. Registered at startup, so that each is exposed (at zero) before the
 * first event, not only once one arrived.
 */
@Startup
@ApplicationScoped
public class FanoutMetrics {

    private final Counter eventsConsumed;
    private final Counter framesDelivered;
    private final Timer eventAge;
    private final AtomicLong lag = new AtomicLong();
    private final KafkaClientService kafka;

    public FanoutMetrics(MeterRegistry registry, KafkaClientService kafka) {
        this.kafka = kafka;
        Gauge.builder("feeds.gateway.consumer.lag", this, FanoutMetrics::consumerLag)
                .description("Events on the topic that the fan-out consumer has not read yet").register(registry);
        eventsConsumed = Counter.builder("feeds.gateway.events.consumed")
                .description("Events read from Kafka by the fan-out consumer").register(registry);
        framesDelivered = Counter.builder("feeds.gateway.frames.delivered")
                .description("Event frames written to clients").register(registry);
        // A histogram, so that a quantile can be taken over any window and across instances. It tells how much of
        // the time from publish to a client is spent before the fan-out (feed-service, Kafka, the consumer) and how
        // much after it.
        eventAge = Timer.builder("feeds.gateway.events.age")
                .description("Time from an event's publish (its Kafka record's timestamp) until the fan-out has it")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    }

    void consumed(int events) {
        eventsConsumed.increment(events);
    }

    /**
     * An event the fan-out consumed, {@code ageMillis} after its record's timestamp. The timestamp is the
     * producer's clock, so across hosts the age is only as good as their clock sync; a negative age (a clock behind)
     * counts as zero.
     */
    void consumedAged(long ageMillis) {
        eventAge.record(Math.max(0, ageMillis), TimeUnit.MILLISECONDS);
    }

    /** Event frames written by one shard's batch, or by a replay step. */
    public void delivered(int frames) {
        if (frames > 0) {
            framesDelivered.increment(frames);
        }
    }

    /**
     * The value of the last scrape's refresh: the consumer may only be asked on its polling thread, so each scrape
     * starts a refresh there and reads what the previous one found.
     */
    private double consumerLag() {
        try {
            KafkaConsumer<Object, Object> consumer = kafka.getConsumer(KafkaChannels.EVENTS_IN);
            if (consumer != null) {
                consumer.runOnPollingThread(c -> {
                    long total = 0;
                    for (TopicPartition partition : c.assignment()) {
                        OptionalLong partitionLag = c.currentLag(partition);
                        total += partitionLag.orElse(0);
                    }
                    return total;
                }).subscribe().with(lag::set, failure -> { });
            }
        } catch (RuntimeException e) {
            // Not connected yet: report the last known value.
        }
        return lag.get();
    }
}

package io.eventfeeds.feed.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/** Events accepted and refused (by problem type), and how long Kafka took to acknowledge. */
@ApplicationScoped
public class PublishMetrics {

    private final MeterRegistry registry;
    private final Counter accepted;
    private final Timer latency;

    public PublishMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.accepted = Counter.builder("feeds.events.accepted")
                .description("events Kafka acknowledged").register(registry);
        this.latency = Timer.builder("feeds.events.publish.latency")
                .description("from accepting a publish request to Kafka's acknowledgement").publishPercentileHistogram()
                .register(registry);
    }

    public void accepted(long startNanos) {
        accepted.increment();
        latency.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** @param reason the problem type's slug, a small fixed set */
    public void refused(String reason) {
        registry.counter("feeds.events.refused", "reason", reason).increment();
    }
}

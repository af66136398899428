package io.eventfeeds.gateway.ops;

import io.eventfeeds.gateway.fanout.KafkaChannels;
import io.eventfeeds.gateway.fanout.Subscriptions;
import io.eventfeeds.gateway.session.ClientSessions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Provider;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;

/** The gateway's Prometheus metrics (docs/protocol.md lists them); Micrometer turns the dots into underscores. */
@ApplicationScoped
public class GatewayMetrics {

    private final Counter eventsConsumed;
    private final Counter framesDelivered;
    private final Counter slowClientsDropped;
    private final Counter silentClientsClosed;
    private final Counter publishAcks;
    private final AtomicLong lag = new AtomicLong();
    private final KafkaClientService kafka;

    public GatewayMetrics(MeterRegistry registry, Provider<ClientSessions> sessions,
            Provider<Subscriptions> subscriptions, KafkaClientService kafka) {
        this.kafka = kafka;
        Gauge.builder("feeds.gateway.connections", sessions, s -> s.get().count())
                .description("Open WebSocket connections").register(registry);
        Gauge.builder("feeds.gateway.outbound.queued", sessions, s -> s.get().outboundQueued()).baseUnit("bytes")
                .description("Frames handed to all connections and not yet written, in characters (about bytes)")
                .register(registry);
        Gauge.builder("feeds.gateway.subscriptions", subscriptions, s -> s.get().count())
                .description("Channel subscriptions of open connections").register(registry);
        Gauge.builder("feeds.gateway.consumer.lag", this, GatewayMetrics::consumerLag)
                .description("Events on the topic that the fan-out consumer has not read yet").register(registry);
        eventsConsumed = Counter.builder("feeds.gateway.events.consumed")
                .description("Events read from Kafka by the fan-out consumer").register(registry);
        framesDelivered = Counter.builder("feeds.gateway.frames.delivered")
                .description("Event frames written to clients").register(registry);
        slowClientsDropped = Counter.builder("feeds.gateway.slow.clients.dropped")
                .description("Connections closed with 4008 because they did not read fast enough").register(registry);
        silentClientsClosed = Counter.builder("feeds.gateway.silent.clients.closed")
                .description("Connections closed with 4009 because nothing, not even a pong, came within the idle timeout")
                .register(registry);
        publishAcks = Counter.builder("feeds.gateway.publish.acks")
                .description("Client publishes acknowledged by Kafka").register(registry);
    }

    public void eventConsumed() {
        eventsConsumed.increment();
    }

    public void frameDelivered() {
        framesDelivered.increment();
    }

    public void slowClientDropped() {
        slowClientsDropped.increment();
    }

    public void silentClientClosed() {
        silentClientsClosed.increment();
    }

    public void publishAcked() {
        publishAcks.increment();
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

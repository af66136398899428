package io.eventfeeds.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * feed-service's latency settings (docs/operations.md) as the running application has them: the event log's producer
 * the connector built (event-log's defaults, which this service must not override), and the native transport.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LatencySettingsTest {

    @Inject
    KafkaClientService kafka;

    @Inject
    Vertx vertx;

    @Test
    void eventsAreSentAtOnceAndAcknowledgedByEveryInSyncReplica() {
        Map<String, ?> producer = kafka.getProducer("events-out").configuration();

        assertThat(String.valueOf(producer.get("linger.ms"))).isEqualTo("0");
        assertThat(String.valueOf(producer.get("acks"))).isEqualTo("all");
        assertThat(String.valueOf(producer.get("enable.idempotence"))).isEqualTo("true");
    }

    @Test
    void vertxRunsOnTheNativeEpollTransport() {
        // prefer-native-transport falls back to NIO with only a log line when the native library cannot load.
        assertThat(vertx.isNativeTransportEnabled())
                .as("native transport (cause of a fallback: %s)", vertx.unavailableNativeTransportCause())
                .isTrue();
    }
}

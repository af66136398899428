package io.eventfeeds.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfeeds.testsupport.EventTopicWriter;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.WsTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class KafkaToWebSocketTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/ws")
    URI ws;

    @BeforeEach
    void gatewayIsReady() {
        TestClients.awaitReady();
    }

    @Test
    void eventFromAPlainKafkaProducerReachesAnAuthenticatedSubscriber() {
        String marker = UUID.randomUUID().toString();
        try (WsTestClient client = WsTestClient.connect(ws, TestClients.token("alice"))) {
            client.send("{\"op\":\"subscribe\",\"channel\":\"scores:foundation\"}");
            client.awaitType("subscribed", WAIT);

            // The consumer may still be joining its group: keep producing until one event arrives.
            JsonNode event = null;
            RecordMetadata written = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (event == null && System.nanoTime() < deadline) {
                written = EventTopicWriter.write("scores:foundation", "{\"id\":\"" + marker
                        + "\",\"channel\":\"scores:foundation\",\"data\":{\"home\":2},\"ts\":1}");
                try {
                    event = client.awaitFrame(f -> marker.equals(f.path("id").asText()), Duration.ofSeconds(2));
                } catch (AssertionError notYet) {
                    event = null;
                }
            }
            assertThat(event).as("event delivered over the WebSocket").isNotNull();
            assertThat(event.path("type").asText()).isEqualTo("event");
            assertThat(event.path("channel").asText()).isEqualTo("scores:foundation");
            assertThat(event.path("data").path("home").asInt()).isEqualTo(2);
            // Every try wrote the same event to the channel's partition; the one delivered may be any of them.
            assertThat(event.path("position").asText()).matches("\\d+-\\d+").startsWith(written.partition() + "-");
        }
    }

    @Test
    void handshakeWithoutTokenIsRefused() {
        assertThatThrownBy(() -> WsTestClient.connect(ws, null)).isInstanceOfSatisfying(WsTestClient.HandshakeRefused.class,
                refused -> assertThat(refused.status()).isEqualTo(401));
    }

    @Test
    void handshakeWithAForgedTokenIsRefused() {
        String token = TestClients.token("alice");
        String forged = token.substring(0, token.length() - 4) + "AAAA";
        assertThatThrownBy(() -> WsTestClient.connect(ws, forged)).isInstanceOfSatisfying(WsTestClient.HandshakeRefused.class,
                refused -> assertThat(refused.status()).isEqualTo(401));
    }
}

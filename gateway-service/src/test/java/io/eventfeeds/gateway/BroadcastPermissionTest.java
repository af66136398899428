package io.eventfeeds.gateway;

import static io.eventfeeds.gateway.TestClients.WAIT;
import static io.eventfeeds.gateway.TestClients.awaitEvent;
import static io.eventfeeds.gateway.TestClients.connect;
import static io.eventfeeds.gateway.TestClients.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.WsTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code system:*} broadcasts obey the channel policy like subscriptions do: here only role {@code chat} reads them. */
@QuarkusTest
@TestProfile(BroadcastPermissionTest.SystemReadableByChatOnly.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class BroadcastPermissionTest {

    @TestHTTPResource("/ws")
    URI ws;

    @BeforeEach
    void gatewayIsReady() {
        TestClients.awaitReady();
    }

    @Test
    void broadcastReachesOnlyTheConnectionsWhoseIdentityMayReadTheChannel() {
        String channel = "system:restricted-" + UUID.randomUUID().toString().substring(0, 8);
        String id = UUID.randomUUID().toString();
        try (WsTestClient alice = connect(ws, "alice"); WsTestClient carol = connect(ws, "carol")) {
            TestClients.produce(channel, List.of(envelope(channel, id, "{\"text\":\"for chat users\"}")));
            awaitEvent(alice, channel, id);

            // One dispatch sends a broadcast to every connection: it is past carol once alice has it.
            carol.send("{\"op\":\"ping\"}");
            assertThat(carol.awaitFrame(f -> "pong".equals(f.path("type").asText())
                    || "event".equals(f.path("type").asText()), WAIT).path("type").asText())
                    .as("carol (no role chat) gets no broadcast").isEqualTo("pong");
        }
    }

    /** system:* readable only with role chat (alice has it, carol has not). */
    public static final class SystemReadableByChatOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("feeds.channels.namespace.system.read", "chat");
        }
    }
}

package io.eventfeeds.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakServer;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.OperatorTool;
import io.eventfeeds.testsupport.SharedServers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A handshake with an API key the gateway has not validated yet, while Keycloak is down, is refused with 503 (retry
 * later) rather than the 401 that would tell the client its key is bad.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class KeycloakOutageHandshakeTest {

    @TestHTTPResource("/ws")
    URI ws;

    @Test
    void apiKeyThatCannotBeCheckedWhileKeycloakIsDownIsRefusedWith503NotWith401() {
        String key = OperatorTool.createApiKey("ws-outage-" + UUID.randomUUID().toString().substring(0, 8),
                "--role", "subscriber");

        KeycloakServer keycloak = SharedServers.keycloak();
        keycloak.stop();
        try {
            assertThat(Credentials.apiKey(key).status(ws)).isEqualTo(503);
        } finally {
            keycloak.start();
        }
    }
}

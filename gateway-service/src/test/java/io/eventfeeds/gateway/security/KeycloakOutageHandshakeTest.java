package io.eventfeeds.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.OperatorTool;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A handshake with an API key the gateway cannot check because Keycloak does not answer is refused with 503 (retry
 * later), not with the 401 that would tell the client its key is bad.
 */
@QuarkusTest
@TestProfile(KeycloakOutageHandshakeTest.UnreachableTokenEndpoint.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class KeycloakOutageHandshakeTest {

    @TestHTTPResource("/ws")
    URI ws;

    @Test
    void apiKeyThatCannotBeCheckedBecauseKeycloakIsUnreachableIsRefusedWith503NotWith401() {
        String key = OperatorTool.createApiKey("ws-outage-" + UUID.randomUUID().toString().substring(0, 8),
                "--role", "subscriber");

        assertThat(Credentials.apiKey(key).status(ws)).isEqualTo(503);
    }

    /**
     * The key exchange goes to a port where nothing listens (connection refused), the outage that matters here,
     * without stopping the Keycloak that the other tests of this JVM share.
     */
    public static class UnreachableTokenEndpoint implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("feeds.api-keys.token-endpoint", "http://127.0.0.1:1/realms/feeds/protocol/openid-connect/token");
        }
    }
}

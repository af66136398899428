package io.eventfeeds.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.gateway.protocol.CloseCodes;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.OperatorTool;
import io.eventfeeds.testsupport.TokenEndpointProxy;
import io.eventfeeds.testsupport.TokenEndpointProxyResource;
import io.eventfeeds.testsupport.WsTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An API-key connection whose key can no longer be re-checked (Keycloak unreachable for the exchange: the token
 * endpoint's proxy answers 502) is closed after the configured number of failed re-checks in a row, instead of
 * living on with an unverifiable key. The key is re-checked once per interval however many connections it has.
 */
@QuarkusTest
@TestProfile(ApiKeyRecheckFailureTest.FastRechecks.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = TokenEndpointProxyResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ApiKeyRecheckFailureTest {

    private static final int MAX_FAILED_RECHECKS = 3;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int CONNECTIONS_ON_ONE_KEY = 5;

    private final TokenEndpointProxy keycloak = TokenEndpointProxy.shared();

    @TestHTTPResource("/ws")
    URI ws;

    @AfterEach
    void keycloakAnswersAgain() {
        keycloak.forward();
    }

    @Test
    void connectionWhoseKeyCannotBeReCheckedIsClosedAfterTheConfiguredFailedReChecksInARow() throws Exception {
        String key = OperatorTool.createApiKey("ws-unchecked-" + UUID.randomUUID().toString().substring(0, 8),
                "--role", "subscriber");
        try (WsTestClient connection = Credentials.apiKey(key).connect(ws)) {
            connection.send("{\"op\":\"ping\"}");
            connection.awaitType("pong", WAIT);

            int before = keycloak.requests();
            keycloak.fail();

            WsTestClient.Closed closed = connection.closed().get(30, TimeUnit.SECONDS);
            assertThat(closed.code()).isEqualTo(CloseCodes.TOKEN_EXPIRED.getCode());
            assertThat(keycloak.requests() - before).as("failed re-checks before the close")
                    .isGreaterThanOrEqualTo(MAX_FAILED_RECHECKS);
        }
    }

    @Test
    void connectionsSharingAKeyAreReCheckedOnceForAllAndClosedTogether() throws Exception {
        String key = OperatorTool.createApiKey("ws-shared-" + UUID.randomUUID().toString().substring(0, 8),
                "--role", "subscriber");
        List<WsTestClient> connections = new ArrayList<>();
        try {
            for (int i = 0; i < CONNECTIONS_ON_ONE_KEY; i++) {
                WsTestClient connection = Credentials.apiKey(key).connect(ws);
                connections.add(connection);
                connection.send("{\"op\":\"ping\"}");
                connection.awaitType("pong", WAIT);
            }

            int before = keycloak.requests();
            keycloak.fail();

            for (WsTestClient connection : connections) {
                WsTestClient.Closed closed = connection.closed().get(30, TimeUnit.SECONDS);
                assertThat(closed.code()).isEqualTo(CloseCodes.TOKEN_EXPIRED.getCode());
            }
            // One re-check per interval for the key: the failed ones, plus at most one that was already on its way
            // when Keycloak stopped answering. Re-checked per connection, it would take five times as many.
            assertThat(keycloak.requests() - before)
                    .as("re-checks until all %d connections of the key were closed", CONNECTIONS_ON_ONE_KEY)
                    .isBetween(MAX_FAILED_RECHECKS, MAX_FAILED_RECHECKS + 1);
        } finally {
            connections.forEach(WsTestClient::close);
        }
    }

    public static class FastRechecks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "feeds.gateway.security.api-key-recheck", "1S",
                    "feeds.api-keys.max-failed-rechecks", Integer.toString(MAX_FAILED_RECHECKS));
        }
    }
}

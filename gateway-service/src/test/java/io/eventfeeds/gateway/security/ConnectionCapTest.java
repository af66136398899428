package io.eventfeeds.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventfeeds.gateway.RefusedHandshake;
import io.eventfeeds.gateway.protocol.HandshakeProblems;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.OperatorTool;
import io.eventfeeds.testsupport.Tokens;
import io.eventfeeds.testsupport.WsTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One caller may hold only so many connections: the gateway's default cap, or its key's own
 * ({@code ./platform api-key create ... --max-connections N}, which also shows that the operator tool and the gateway
 * agree on the claim's name). A fresh key per test is a caller with no connections yet.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ConnectionCapTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int DEFAULT_CAP = 50;

    @TestHTTPResource("/ws")
    URI ws;

    @Test
    void aKeysOwnCapRefusesTheNextHandshakeWith429UntilOneOfItsConnectionsCloses() throws IOException {
        String name = "ws-cap-" + UUID.randomUUID().toString().substring(0, 8);
        String key = OperatorTool.createApiKey(name, "--role", "subscriber", "--max-connections", "2");
        List<WsTestClient> open = new ArrayList<>();
        try {
            open.add(usable(Credentials.apiKey(key).connect(ws)));
            open.add(usable(Credentials.apiKey(key).connect(ws)));

            RefusedHandshake refused = RefusedHandshake.of(ws, Map.of("X-API-Key", key), WAIT);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).isEqualTo("5");
            assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(refused.problem().get("type").asText())
                    .isEqualTo(HandshakeProblems.TOO_MANY_CONNECTIONS.uri());
            try (WsTestClient other = Credentials.bearer(Tokens.accessToken("bob")).connect(ws)) {
                usable(other);
            }
            usable(open.get(0));

            open.remove(0).close();
            await().atMost(WAIT).ignoreExceptions().until(() -> open.add(Credentials.apiKey(key).connect(ws)));
            usable(open.get(open.size() - 1));
        } finally {
            open.forEach(WsTestClient::close);
            OperatorTool.revokeApiKey(name);
        }
    }

    @Test
    void aCallerWithoutACapOfItsOwnGetsTheDefault() {
        String name = "ws-default-cap-" + UUID.randomUUID().toString().substring(0, 8);
        String key = OperatorTool.createApiKey(name, "--role", "subscriber");
        List<WsTestClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < DEFAULT_CAP; i++) {
                open.add(usable(Credentials.apiKey(key).connect(ws)));
            }

            assertThat(Credentials.apiKey(key).status(ws)).isEqualTo(429);
            usable(open.get(DEFAULT_CAP - 1));
        } finally {
            open.forEach(WsTestClient::close);
            OperatorTool.revokeApiKey(name);
        }
    }

    /**
     * Waits for a pong: the connection is open on the server (counted) once it answers frames. A handshake's 101 may
     * reach the client before the server counted the connection; a handshake racing it would be closed with 4429
     * after its upgrade instead of refused with 429 before.
     */
    private static WsTestClient usable(WsTestClient connection) {
        connection.send("{\"op\":\"ping\"}");
        connection.awaitType("pong", WAIT);
        return connection;
    }
}

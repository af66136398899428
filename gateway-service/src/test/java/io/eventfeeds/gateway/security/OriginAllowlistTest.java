package io.eventfeeds.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.gateway.RefusedHandshake;
import io.eventfeeds.gateway.protocol.HandshakeProblems;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cross-site WebSocket hijacking: a page of another origin cannot open the socket, even with valid credentials. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OriginAllowlistTest {

    @TestHTTPResource("/ws")
    URI ws;

    @Test
    void pageOfAnotherOriginIsRefusedWith403() {
        String token = Tokens.accessToken("alice");
        assertThat(Credentials.bearer(token).header("Origin", "https://evil.example").status(ws)).isEqualTo(403);
        assertThat(Credentials.bearer(token).header("Origin", "http://localhost:8081").status(ws)).isEqualTo(403);
        // Sandboxed iframes and file:// pages send the literal origin "null".
        assertThat(Credentials.bearer(token).header("Origin", "null").status(ws)).isEqualTo(403);
    }

    /**
     * The refusal says why in a problem body, and comes before the credentials are looked at: a forged token from a
     * foreign page gets the same 403, so the page learns nothing about the token and Keycloak is never asked.
     */
    @Test
    void refusedOriginGetsAProblemBodyWhateverItsCredentials() throws IOException {
        for (String token : List.of(Tokens.accessToken("alice"), "not-a-token")) {
            RefusedHandshake answer = RefusedHandshake.of(ws, Map.of("Authorization", "Bearer " + token,
                    "Origin", "https://evil.example"), Duration.ofSeconds(10));

            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(answer.problem().get("type").asText()).isEqualTo(HandshakeProblems.FORBIDDEN_ORIGIN.uri());
            assertThat(answer.problem().get("status").asInt()).isEqualTo(403);
            assertThat(answer.problem().get("detail").asText()).contains("feeds.gateway.security.allowed-origins");
        }
    }

    @Test
    void gatewaysOwnOriginsAreAllowedByDefault() {
        String token = Tokens.accessToken("alice");
        assertThat(Credentials.bearer(token).header("Origin", "http://localhost:8080").status(ws)).isEqualTo(101);
        assertThat(Credentials.bearer(token).header("Origin", "http://127.0.0.1:8080").status(ws)).isEqualTo(101);
        assertThat(Credentials.browserSubprotocol(token).header("Origin", "https://localhost:8443").status(ws))
                .isEqualTo(101);
    }

    @Test
    void clientWithoutOriginIsAllowed() {
        assertThat(Credentials.bearer(Tokens.accessToken("alice")).status(ws)).isEqualTo(101);
    }
}

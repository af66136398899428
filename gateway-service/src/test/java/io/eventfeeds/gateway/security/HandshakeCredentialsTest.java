package io.eventfeeds.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventfeeds.testsupport.ForgedTokens;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakAdmin;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.OperatorTool;
import io.eventfeeds.testsupport.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every way to present credentials on the handshake, and every bad credential refused with 401 before upgrade. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class HandshakeCredentialsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/ws")
    URI ws;

    private void assertUsable(Handshake.Connection connection) {
        connection.send("{\"op\":\"ping\"}");
        connection.awaitType("pong", WAIT);
    }

    @Test
    void bearerHeaderOpensTheConnection() {
        try (Handshake.Connection connection = Handshake.bearer(Tokens.accessToken("alice")).connect(ws)) {
            assertUsable(connection);
        }
    }

    @Test
    void browserTokenInTheSubprotocolOpensTheConnectionAndOnlyTheCarrierIsEchoed() {
        try (Handshake.Connection connection = Handshake.browserSubprotocol(Tokens.accessToken("alice")).connect(ws)) {
            assertThat(connection.subprotocol()).isEqualTo(Handshake.CARRIER);
            assertUsable(connection);
        }
    }

    @Test
    void forgedTokenInTheSubprotocolIsRefusedWith401() {
        String forged = ForgedTokens.unsigned(Tokens.accessToken("alice"));
        assertThat(Handshake.browserSubprotocol(forged).status(ws)).isEqualTo(401);
    }

    @Test
    void apiKeyFromTheOperatorToolOpensTheConnection() {
        String key = OperatorTool.createApiKey("ws-" + UUID.randomUUID().toString().substring(0, 8),
                "--role", "subscriber");
        try (Handshake.Connection connection = Handshake.apiKey(key).connect(ws)) {
            assertUsable(connection);
        }
    }

    @Test
    void unknownApiKeyIsRefusedWith401() {
        assertThat(Handshake.apiKey("efk_bm90LWEta2V5").status(ws)).isEqualTo(401);
    }

    @Test
    void noCredentialsAreRefusedWith401() {
        assertThat(Handshake.none().status(ws)).isEqualTo(401);
    }

    @Test
    void unsignedAndHs256AndTamperedTokensAreRefusedWith401() {
        String real = Tokens.accessToken("carol");
        assertThat(Handshake.bearer(ForgedTokens.unsigned(real)).status(ws)).isEqualTo(401);
        assertThat(Handshake.bearer(ForgedTokens.hmacWithPublicKey(real)).status(ws)).isEqualTo(401);
        assertThat(Handshake.bearer(ForgedTokens.tamperedClaim(real, "preferred_username", "mallory")).status(ws))
                .isEqualTo(401);
    }

    @Test
    void tokensOfAnotherIssuerOrAudienceAreRefusedWith401() {
        assertThat(Handshake.bearer(KeycloakAdmin.masterAdminToken()).status(ws)).isEqualTo(401);
        KeycloakAdmin.createClient("{\"clientId\":\"ws-no-audience\",\"publicClient\":true,"
                + "\"directAccessGrantsEnabled\":true,\"standardFlowEnabled\":false}");
        assertThat(Handshake.bearer(Tokens.passwordWithClient("ws-no-audience", "carol").accessToken()).status(ws))
                .isEqualTo(401);
    }

    @Test
    void expiredTokenIsRefusedWith401() {
        String token = ShortLivedTokens.of("carol");
        assertThat(Handshake.bearer(token).status(ws)).isEqualTo(101);
        await().atMost(Duration.ofSeconds(ShortLivedTokens.LIFESPAN_SECONDS + 10)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Handshake.bearer(token).status(ws) == 401);
    }
}

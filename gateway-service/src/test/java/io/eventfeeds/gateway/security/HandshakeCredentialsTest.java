package io.eventfeeds.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventfeeds.testsupport.ForgedTokens;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakAdmin;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.OperatorTool;
import io.eventfeeds.testsupport.Tokens;
import io.eventfeeds.testsupport.WsTestClient;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/** Every way to present credentials on the handshake, and every bad credential refused with 401 before upgrade. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class HandshakeCredentialsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/ws")
    URI ws;

    @Inject
    ConnectionAuth auth;

    @Inject
    OpenConnections openConnections;

    private void assertUsable(WsTestClient connection) {
        connection.send("{\"op\":\"ping\"}");
        connection.awaitType("pong", WAIT);
    }

    @Test
    void bearerHeaderOpensTheConnection() {
        try (WsTestClient connection = Credentials.bearer(Tokens.accessToken("alice")).connect(ws)) {
            assertUsable(connection);
        }
    }

    @Test
    void browserTokenInTheSubprotocolOpensTheConnectionAndOnlyTheCarrierIsEchoed() {
        try (WsTestClient connection = Credentials.browserSubprotocol(Tokens.accessToken("alice")).connect(ws)) {
            assertThat(connection.subprotocol()).isEqualTo(Credentials.CARRIER);
            assertUsable(connection);
        }
    }

    /** An open connection holds its identity for its whole life: the roles and the claims read, not the token. */
    @Test
    void anOpenConnectionKeepsItsRolesAndSubjectButNotItsToken() {
        String token = Tokens.accessToken("alice");
        try (WsTestClient connection = Credentials.bearer(token).connect(ws)) {
            assertUsable(connection);
            SecurityIdentity held = openConnections.listAll().stream()
                    .filter(c -> ("Bearer " + token).equals(c.handshakeRequest().header("Authorization")))
                    .map(auth::identity).findFirst().orElseThrow();

            assertThat(held.getRoles()).contains("subscriber");
            assertThat(((JsonWebToken) held.getPrincipal()).getSubject()).isNotBlank();
            assertThat(held.getCredentials()).isEmpty();
            assertThat(held.getPrincipal()).isInstanceOf(CompactJwtPrincipal.class);
        }
    }

    @Test
    void forgedTokenInTheSubprotocolIsRefusedWith401() {
        String forged = ForgedTokens.unsigned(Tokens.accessToken("alice"));
        assertThat(Credentials.browserSubprotocol(forged).status(ws)).isEqualTo(401);
    }

    @Test
    void apiKeyFromTheOperatorToolOpensTheConnection() {
        String key = OperatorTool.createApiKey("ws-" + UUID.randomUUID().toString().substring(0, 8),
                "--role", "subscriber");
        try (WsTestClient connection = Credentials.apiKey(key).connect(ws)) {
            assertUsable(connection);
        }
    }

    @Test
    void unknownApiKeyIsRefusedWith401() {
        assertThat(Credentials.apiKey("efk_bm90LWEta2V5").status(ws)).isEqualTo(401);
    }

    @Test
    void noCredentialsAreRefusedWith401() {
        assertThat(Credentials.none().status(ws)).isEqualTo(401);
    }

    @Test
    void unsignedAndHs256AndTamperedTokensAreRefusedWith401() {
        String real = Tokens.accessToken("carol");
        assertThat(Credentials.bearer(ForgedTokens.unsigned(real)).status(ws)).isEqualTo(401);
        assertThat(Credentials.bearer(ForgedTokens.hmacWithPublicKey(real)).status(ws)).isEqualTo(401);
        assertThat(Credentials.bearer(ForgedTokens.tamperedClaim(real, "preferred_username", "mallory")).status(ws))
                .isEqualTo(401);
    }

    @Test
    void tokensOfAnotherIssuerOrAudienceAreRefusedWith401() {
        assertThat(Credentials.bearer(KeycloakAdmin.masterAdminToken()).status(ws)).isEqualTo(401);
        KeycloakAdmin.createClient("{\"clientId\":\"ws-no-audience\",\"publicClient\":true,"
                + "\"directAccessGrantsEnabled\":true,\"standardFlowEnabled\":false}");
        assertThat(Credentials.bearer(Tokens.passwordWithClient("ws-no-audience", "carol").accessToken()).status(ws))
                .isEqualTo(401);
    }

    @Test
    void expiredTokenIsRefusedWith401() {
        String token = ShortLivedTokens.of("carol");
        assertThat(Credentials.bearer(token).status(ws)).isEqualTo(101);
        await().atMost(Duration.ofSeconds(ShortLivedTokens.LIFESPAN_SECONDS + 10)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Credentials.bearer(token).status(ws) == 401);
    }
}

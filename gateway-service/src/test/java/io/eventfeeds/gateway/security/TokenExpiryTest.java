package io.eventfeeds.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfeeds.apikey.ApiKey;
import io.eventfeeds.gateway.RawWebSocket;
import io.eventfeeds.gateway.protocol.CloseCodes;
import io.eventfeeds.gateway.protocol.ErrorCode;
import io.eventfeeds.testsupport.EventTopicWriter;
import io.eventfeeds.testsupport.ForgedTokens;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakAdmin;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.OperatorTool;
import io.eventfeeds.testsupport.Tokens;
import io.eventfeeds.testsupport.WsTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connections live as long as their token: closed with 4401 at expiry unless the client sends a fresh token of the
 * same subject in-band. Tokens come from a real Keycloak client whose tokens live
 * {@value ShortLivedTokens#LIFESPAN_SECONDS} s.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TokenExpiryTest {

    private static final String CHANNEL = "scores:token-expiry";
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The gateway closes this long before exp at the earliest, and the close should arrive soon after exp. */
    private static final Duration EARLY = ConnectionAuth.EXPIRY_LEAD.plusMillis(500);
    private static final Duration LATE = Duration.ofSeconds(2);

    @TestHTTPResource("/ws")
    URI ws;

    @Inject
    ConnectionAuth auth;

    @Inject
    OpenConnections openConnections;

    @BeforeEach
    void consumerIsDelivering() {
        // A fresh application's consumer may still be joining its group: the expiry windows below are a few seconds,
        // so make sure events flow before any of them starts.
        try (WsTestClient connection = subscribed(Tokens.accessToken("alice"))) {
            deliverOne(connection, Duration.ofSeconds(30));
        }
    }

    /**
     * A client that ignores the 4401 close and goes on reading gets nothing after it: no event the gateway took in
     * after the expiry, no answer to what it sends (RFC 6455 allows no data frame after a close frame).
     */
    @Test
    void withoutRefreshTheConnectionIsClosedWith4401AtExpiryAndNoEventIsWrittenAfter() throws Exception {
        String token = ShortLivedTokens.of("alice");
        Instant expiry = ShortLivedTokens.expiryOf(token);
        try (WsTestClient bob = subscribed(Tokens.accessToken("bob"));
                RawWebSocket expiring = RawWebSocket.open(ws, token)) {
            expiring.sendText(("{\"op\":\"subscribe\",\"channel\":\"" + CHANNEL + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(expiring.nextText(WAIT)).contains("\"subscribed\"");
            String before = UUID.randomUUID().toString();
            EventTopicWriter.write(CHANNEL, event(before));
            assertThat(expiring.nextText(WAIT)).contains(before);

            int code = expiring.closeCode(Duration.ofSeconds(ShortLivedTokens.LIFESPAN_SECONDS + 10));
            Instant closedAt = Instant.now();
            assertThat(code).isEqualTo(CloseCodes.TOKEN_EXPIRED.getCode());
            assertThat(closedAt).isBetween(expiry.minus(EARLY), expiry.plus(LATE));

            // Events published now reach bob. The expired connection then sends a ping and its half of the closing
            // handshake; the gateway ends the TCP connection after it, which is the barrier: nothing came before.
            deliverOne(bob, WAIT);
            expiring.sendText("{\"op\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
            expiring.sendClose();
            assertThat(expiring.textsUntilTheEnd(WAIT)).as("frames after the 4401 close").isEmpty();
        }
    }

    /**
     * A client may ignore the close and go on sending: what it sends after its token expired is not acted on, and its
     * publish never reaches anyone (bob, subscribed to the room, sees the publish after it and not the late one).
     */
    @Test
    void aClientThatIgnoresThe4401CloseCannotPublishAfterItsTokenExpired() throws Exception {
        String room = "chat:late-" + UUID.randomUUID().toString().substring(0, 8);
        String token = ShortLivedTokens.of("alice");
        try (WsTestClient bob = WsTestClient.connect(ws, Tokens.accessToken("bob"));
                RawWebSocket expired = RawWebSocket.open(ws, token)) {
            bob.send("{\"op\":\"subscribe\",\"channel\":\"" + room + "\"}");
            bob.awaitType("subscribed", WAIT);

            assertThat(expired.closeCode(Duration.ofSeconds(ShortLivedTokens.LIFESPAN_SECONDS + 10)))
                    .isEqualTo(CloseCodes.TOKEN_EXPIRED.getCode());
            expired.sendText(("{\"op\":\"publish\",\"channel\":\"" + room + "\",\"data\":\"late\",\"ref\":\"l\"}")
                    .getBytes(StandardCharsets.UTF_8));

            // The barrier: a later publish to the same room, which reaches bob after anything published before it.
            List<JsonNode> seen;
            try (WsTestClient alice = WsTestClient.connect(ws, Tokens.accessToken("alice"))) {
                alice.send("{\"op\":\"publish\",\"channel\":\"" + room + "\",\"data\":\"barrier\"}");
                seen = bob.framesUntil(frame -> "barrier".equals(frame.path("data").asText()), WAIT);
            }
            assertThat(seen).as("what bob got up to the barrier").extracting(frame -> frame.path("data").asText())
                    .doesNotContain("late");
            expired.sendClose();
            assertThat(expired.textsUntilTheEnd(WAIT)).as("answers after the 4401 close").isEmpty();
        }
    }

    @Test
    void apiKeyConnectionIsClosedWith4401WhenItsExchangedTokenExpires() throws Exception {
        // An API key as the operator tool makes it (a confidential client with a service account), whose tokens
        // live a few seconds.
        String clientId = ApiKey.CLIENT_PREFIX + "ws-short-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = UUID.randomUUID().toString();
        KeycloakAdmin.createClient("{\"clientId\":\"" + clientId + "\",\"secret\":\"" + secret + "\","
                + "\"publicClient\":false,\"serviceAccountsEnabled\":true,\"standardFlowEnabled\":false,"
                + "\"directAccessGrantsEnabled\":false,"
                + "\"attributes\":{\"access.token.lifespan\":\"" + ShortLivedTokens.LIFESPAN_SECONDS + "\"},"
                + "\"protocolMappers\":[{\"name\":\"aud\",\"protocol\":\"openid-connect\","
                + "\"protocolMapper\":\"oidc-audience-mapper\",\"config\":{\"included.custom.audience\":\"eventfeeds\","
                + "\"access.token.claim\":\"true\"}}]}");
        Instant opened = Instant.now();
        try (WsTestClient connection = Credentials.apiKey(new ApiKey(clientId, secret).encoded()).connect(ws)) {
            connection.send("{\"op\":\"ping\"}");
            connection.awaitType("pong", WAIT);

            WsTestClient.Closed closed = connection.closed()
                    .get(ShortLivedTokens.LIFESPAN_SECONDS + 10, TimeUnit.SECONDS);
            assertThat(closed.code()).isEqualTo(CloseCodes.TOKEN_EXPIRED.getCode());
            assertThat(closed.at()).isBefore(opened.plusSeconds(ShortLivedTokens.LIFESPAN_SECONDS).plus(LATE));
        }
    }

    @Test
    void revokedApiKeyEndsAllItsOpenConnectionsWithinTheRecheckInterval() throws Exception {
        String name = "ws-revoked-" + UUID.randomUUID().toString().substring(0, 8);
        String key = OperatorTool.createApiKey(name, "--role", "subscriber");
        try (WsTestClient first = Credentials.apiKey(key).connect(ws);
                WsTestClient second = Credentials.apiKey(key).connect(ws)) {
            for (WsTestClient connection : List.of(first, second)) {
                connection.send("{\"op\":\"ping\"}");
                connection.awaitType("pong", WAIT);
            }

            OperatorTool.revokeApiKey(name);
            Instant revoked = Instant.now();
            // The key's token lives minutes: only the re-check (2 s in the test profile) can close them this soon.
            for (WsTestClient connection : List.of(first, second)) {
                WsTestClient.Closed closed = connection.closed().get(20, TimeUnit.SECONDS);
                assertThat(closed.code()).isEqualTo(CloseCodes.TOKEN_EXPIRED.getCode());
                assertThat(closed.at()).isBefore(revoked.plusSeconds(15));
            }
        }
    }

    @Test
    void refreshReReadsTheRolesAndEndsSubscriptionsTheNewRolesNoLongerAllow() {
        // Same user, but from a client that puts no realm roles into its tokens.
        KeycloakAdmin.createClient("{\"clientId\":\"ws-no-roles\",\"publicClient\":true,\"fullScopeAllowed\":false,"
                + "\"directAccessGrantsEnabled\":true,\"standardFlowEnabled\":false,"
                + "\"protocolMappers\":[{\"name\":\"aud\",\"protocol\":\"openid-connect\","
                + "\"protocolMapper\":\"oidc-audience-mapper\",\"config\":{\"included.custom.audience\":\"eventfeeds\","
                + "\"access.token.claim\":\"true\"}}]}");
        String token = Tokens.accessToken("alice");
        try (WsTestClient connection = subscribed(token)) {
            WebSocketConnection serverSide = openConnections.listAll().stream()
                    .filter(c -> ("Bearer " + token).equals(c.handshakeRequest().header("Authorization")))
                    .findFirst().orElseThrow();
            assertThat(auth.identity(serverSide).getRoles()).contains("subscriber");

            connection.send("{\"op\":\"auth\",\"token\":\""
                    + Tokens.passwordWithClient("ws-no-roles", "alice").accessToken() + "\"}");
            JsonNode ended = connection.awaitType("error", WAIT);
            assertThat(ended.path("code").asText()).isEqualTo("forbidden");
            assertThat(ended.path("channel").asText()).isEqualTo(CHANNEL);
            connection.awaitType("auth", WAIT);
            assertThat(auth.identity(serverSide).getRoles()).doesNotContain("subscriber");

            // The subscription has ended: a valid subscriber gets the next event, this connection does not.
            try (WsTestClient valid = subscribed(Tokens.accessToken("bob"))) {
                deliverOne(valid, WAIT);
                assertThat(connection.framesBeforePong(WAIT)).as("frames of %s after the refresh", CHANNEL)
                        .filteredOn(frame -> CHANNEL.equals(frame.path("channel").asText())).isEmpty();
            }
        }
    }

    @Test
    void inBandRefreshKeepsTheConnectionOpenPastTheFirstExpiry() throws Exception {
        String first = ShortLivedTokens.of("alice");
        Instant firstExpiry = ShortLivedTokens.expiryOf(first);
        try (WsTestClient connection = subscribed(first)) {
            // Refresh half-way, so that the second token outlives the first by a few seconds.
            await().atMost(WAIT).until(() -> Instant.now().isAfter(firstExpiry.minusSeconds(3)));
            String second = ShortLivedTokens.of("alice");
            Instant secondExpiry = ShortLivedTokens.expiryOf(second);
            assertThat(secondExpiry).isAfter(firstExpiry);

            connection.send("{\"op\":\"auth\",\"token\":\"" + second + "\"}");
            JsonNode answer = connection.awaitType("auth", WAIT);
            assertThat(answer.path("expires_at").asLong()).isEqualTo(secondExpiry.getEpochSecond());

            await().atMost(WAIT).until(() -> Instant.now().isAfter(firstExpiry.plusMillis(300)));
            assertThat(connection.closed()).isNotDone();
            deliverOne(connection, Duration.ofSeconds(2));

            WsTestClient.Closed closed = connection.closed()
                    .get(ShortLivedTokens.LIFESPAN_SECONDS + 10, TimeUnit.SECONDS);
            assertThat(closed.code()).isEqualTo(CloseCodes.TOKEN_EXPIRED.getCode());
            assertThat(closed.at()).isBetween(secondExpiry.minus(EARLY), secondExpiry.plus(LATE));
        }
    }

    @Test
    void refreshWithAnotherUsersTokenIsForbiddenAndDoesNotExtendTheConnection() throws Exception {
        String token = ShortLivedTokens.of("alice");
        Instant expiry = ShortLivedTokens.expiryOf(token);
        try (WsTestClient connection = subscribed(token)) {
            connection.send("{\"op\":\"auth\",\"token\":\"" + Tokens.accessToken("bob") + "\"}");
            JsonNode error = connection.awaitType("error", WAIT);
            assertThat(error.path("code").asText()).isEqualTo(ErrorCode.FORBIDDEN.wire());

            WsTestClient.Closed closed = connection.closed()
                    .get(ShortLivedTokens.LIFESPAN_SECONDS + 10, TimeUnit.SECONDS);
            assertThat(closed.code()).isEqualTo(CloseCodes.TOKEN_EXPIRED.getCode());
            assertThat(closed.at()).isBetween(expiry.minus(EARLY), expiry.plus(LATE));
        }
    }

    @Test
    void refreshWithAnInvalidTokenIsUnauthorizedAndTheConnectionStaysOpen() {
        String token = Tokens.accessToken("alice");
        try (WsTestClient connection = subscribed(token)) {
            connection.send("{\"op\":\"auth\",\"token\":\"" + ForgedTokens.unsigned(token) + "\"}");
            assertThat(connection.awaitType("error", WAIT).path("code").asText())
                    .isEqualTo(ErrorCode.UNAUTHORIZED.wire());
            // A frame without the token is malformed rather than a refused credential.
            connection.send("{\"op\":\"auth\"}");
            assertThat(connection.awaitType("error", WAIT).path("code").asText()).isEqualTo("bad_request");

            deliverOne(connection, WAIT);
            assertThat(connection.closed()).isNotDone();
        }
    }

    private WsTestClient subscribed(String token) {
        WsTestClient connection = Credentials.bearer(token).connect(ws);
        connection.send("{\"op\":\"subscribe\",\"channel\":\"" + CHANNEL + "\"}");
        connection.awaitType("subscribed", WAIT);
        return connection;
    }

    /** Publishes events to the channel until one arrives on the connection; returns its id. */
    private static String deliverOne(WsTestClient connection, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            String id = UUID.randomUUID().toString();
            EventTopicWriter.write(CHANNEL, event(id));
            try {
                connection.awaitFrame(frame -> id.equals(frame.path("id").asText()), Duration.ofSeconds(1));
                return id;
            } catch (AssertionError notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no event delivered within " + within, notYet);
                }
            }
        }
    }

    private static String event(String id) {
        return "{\"id\":\"" + id + "\",\"channel\":\"" + CHANNEL + "\",\"data\":{},\"ts\":1}";
    }
}

package io.eventfeeds.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventfeeds.apikey.ApiKey;
import io.eventfeeds.security.problem.SecurityProblemType;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.OperatorTool;
import io.eventfeeds.testsupport.TokenEndpointProxy;
import io.eventfeeds.testsupport.TokenEndpointProxyResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Floods of made-up API keys against the real Keycloak, whose token endpoint is reached through a proxy that counts
 * (and can hold) the exchanges. Client addresses come from X-Forwarded-For, which this profile trusts, so that one
 * test can be several clients.
 */
@QuarkusTest
@TestProfile(ApiKeyFloodTest.SmallLimits.class)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = TokenEndpointProxyResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ApiKeyFloodTest {

    private static final int FAILED_ATTEMPTS = 5;
    private static final int PENDING_EXCHANGES = 4;
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final ExecutorService CLIENTS = Executors.newCachedThreadPool();
    private static String goodKey;
    private static String otherGoodKey;

    private final TokenEndpointProxy keycloak = TokenEndpointProxy.shared();

    @BeforeAll
    static void issueKeys() {
        goodKey = OperatorTool.createApiKey("flood-good-" + SUFFIX, "--role", "publisher");
        otherGoodKey = OperatorTool.createApiKey("flood-other-" + SUFFIX, "--role", "publisher");
    }

    @AfterEach
    void keycloakAnswersAgain() {
        keycloak.forward();
    }

    @AfterAll
    static void stopClients() {
        CLIENTS.shutdownNow();
    }

    @Test
    void floodOfRandomKeysFromOneAddressGets429WithRetryAfterBeforeReachingKeycloakWhileOtherAddressesGoOn() {
        String attacker = "203.0.113.7";
        int before = keycloak.requests();
        for (int i = 0; i < FAILED_ATTEMPTS; i++) {
            assertThat(whoami(attacker, randomKey()).statusCode()).isEqualTo(401);
        }
        assertThat(keycloak.requests() - before).as("exchanges of the allowed attempts").isEqualTo(FAILED_ATTEMPTS);

        int reached = keycloak.requests();
        for (int i = 0; i < 50; i++) {
            Response refused = whoami(attacker, randomKey());
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).matches("[1-9]\\d*");
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.jsonPath().getString("type"))
                    .isEqualTo(SecurityProblemType.TOO_MANY_FAILED_CREDENTIALS.uri());
        }
        assertThat(keycloak.requests()).as("exchanges caused by the flood past the limit").isEqualTo(reached);

        // Another client: a key it never used before is exchanged and accepted, and then served from the cache.
        assertThat(whoami("198.51.100.2", otherGoodKey).statusCode()).isEqualTo(200);
        assertThat(whoami("198.51.100.2", otherGoodKey).statusCode()).isEqualTo(200);
    }

    @Test
    void malformedKeysAndInvalidBearerTokensCountAsFailedAttemptsToo() {
        for (int i = 0; i < FAILED_ATTEMPTS; i++) {
            assertThat(whoami("203.0.113.8", "efk_not*base64").statusCode()).isEqualTo(401);
            assertThat(given().header("X-Forwarded-For", "203.0.113.9").auth().oauth2("not-a-token")
                    .when().get("/test/whoami").statusCode()).isEqualTo(401);
        }

        assertThat(whoami("203.0.113.8", "efk_not*base64").statusCode()).isEqualTo(429);
        assertThat(given().header("X-Forwarded-For", "203.0.113.9").auth().oauth2("not-a-token")
                .when().get("/test/whoami").statusCode()).isEqualTo(429);
        int before = keycloak.requests();
        assertThat(whoami("203.0.113.8", goodKey).statusCode()).as("even a good key, from the refused address")
                .isEqualTo(429);
        assertThat(keycloak.requests()).isEqualTo(before);
    }

    @Test
    void whenTheExchangeQueueIsFullANewKeyGets503AtOnceWhileACachedKeyStillWorks() {
        assertThat(whoami("198.51.100.3", goodKey).statusCode()).isEqualTo(200);
        keycloak.hold();
        List<CompletableFuture<Response>> waiting = new ArrayList<>();
        for (int i = 0; i < PENDING_EXCHANGES; i++) {
            String client = "192.0.2." + (10 + i);
            waiting.add(CompletableFuture.supplyAsync(() -> whoami(client, randomKey()), CLIENTS));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> keycloak.held() == PENDING_EXCHANGES);

        long started = System.nanoTime();
        Response busy = whoami("192.0.2.99", randomKey());
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.header("Retry-After")).matches("[1-9]\\d*");
        assertThat(busy.jsonPath().getString("detail")).contains("too many API keys are waiting");
        assertThat(millis).as("ms to answer with the queue full").isLessThan(2_000);
        assertThat(keycloak.held()).as("the refused exchange never reached Keycloak").isEqualTo(PENDING_EXCHANGES);

        assertThat(whoami("198.51.100.3", goodKey).statusCode()).as("cached key while the queue is full")
                .isEqualTo(200);

        keycloak.forward();
        assertThat(waiting).allSatisfy(request -> assertThat(request.join().statusCode()).isEqualTo(401));
        assertThat(whoami("198.51.100.4", otherGoodKey).statusCode()).as("a new key once the queue drained")
                .isEqualTo(200);
    }

    private static Response whoami(String client, String key) {
        return given().header("X-Forwarded-For", client).header("X-API-Key", key).when().get("/test/whoami");
    }

    private static String randomKey() {
        return new ApiKey("apikey-flood-" + UUID.randomUUID().toString().substring(0, 8),
                UUID.randomUUID().toString()).encoded();
    }

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "feeds.api-keys.failed-attempts-per-client", Integer.toString(FAILED_ATTEMPTS),
                    "feeds.api-keys.max-pending-exchanges", Integer.toString(PENDING_EXCHANGES),
                    // Held exchanges must not time out while the test looks at the full queue.
                    "feeds.api-keys.exchange-timeout", "30S");
        }
    }
}

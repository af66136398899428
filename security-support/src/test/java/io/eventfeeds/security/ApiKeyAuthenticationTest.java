package io.eventfeeds.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.eventfeeds.apikey.ApiKey;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.OperatorTool;
import io.eventfeeds.testsupport.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API keys issued and revoked with the operator tool in the real Keycloak, then used against a Quarkus app with
 * this module's mechanism and throttle (the services get exactly these beans).
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ApiKeyAuthenticationTest {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static String publisherKey;
    private static String subscriberKey;
    private static String slowKey;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/test/whoami")
    URI whoami;

    @BeforeAll
    static void issueKeys() {
        publisherKey = OperatorTool.createApiKey("pub-" + SUFFIX, "--role", "publisher");
        subscriberKey = OperatorTool.createApiKey("sub-" + SUFFIX, "--role", "subscriber");
        slowKey = OperatorTool.createApiKey("slow-" + SUFFIX, "--role", "publisher", "--rate", "2");
    }

    @Test
    void apiKeyFromTheOperatorToolAuthenticatesWithTheRolesItWasGiven() {
        assertThat(publisherKey).startsWith(ApiKey.PREFIX);
        given().header("X-API-Key", publisherKey).when().get("/test/whoami")
                .then().statusCode(200)
                .body("name", equalTo("service-account-apikey-pub-" + SUFFIX))
                .body("roles", hasItem("publisher"));
    }

    @Test
    void apiKeyWithoutTheRoleIsForbidden() {
        given().header("X-API-Key", subscriberKey).when().get("/test/whoami").then().statusCode(403);
    }

    @Test
    void malformedAndUnknownKeysAreRefusedWith401() {
        given().header("X-API-Key", "not-a-key").when().get("/test/whoami").then().statusCode(401);
        given().header("X-API-Key", new ApiKey("apikey-nobody-" + SUFFIX, "guess").encoded())
                .when().get("/test/whoami").then().statusCode(401);
        String tampered = publisherKey.substring(0, publisherKey.length() - 3) + "AAA";
        given().header("X-API-Key", tampered).when().get("/test/whoami").then().statusCode(401);
    }

    @Test
    void revokedApiKeyIsRefusedWithinTheCacheTime() {
        String name = "gone-" + SUFFIX;
        String key = OperatorTool.createApiKey(name, "--role", "publisher");
        given().header("X-API-Key", key).when().get("/test/whoami").then().statusCode(200);
        assertThat(OperatorTool.run(List.of("api-key", "list"))).contains(name).contains("roles=publisher")
                .doesNotContain(key);

        OperatorTool.revokeApiKey(name);
        assertThat(OperatorTool.run(List.of("api-key", "list"))).doesNotContain(name);

        // feeds.api-keys.cache-ttl is 5 s in this test application (60 s by default).
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().header("X-API-Key", key).when().get("/test/whoami").then().statusCode(401));
    }

    /**
     * The burst goes out at once: sent one after the other, on a busy machine, the bucket (2, refilled at 2 per
     * second) refills between requests and the count of those let through says nothing. The bound allows for the
     * refill during the burst, however long it took.
     */
    @Test
    void callerOverItsKeycloakRateGets429WithRetryAfterWhileOtherKeysGoOn() {
        given().header("X-API-Key", slowKey).when().get("/test/whoami"); // exchanges the key once, outside the burst
        HttpRequest request = HttpRequest.newBuilder(whoami).header("X-API-Key", slowKey).build();
        long start = System.nanoTime();
        List<HttpResponse<String>> burst = IntStream.range(0, 10)
                .mapToObj(i -> HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())).toList().stream()
                .map(CompletableFuture::join).toList();
        double seconds = (System.nanoTime() - start) / 1e9;

        HttpResponse<String> limited = burst.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow(
                () -> new AssertionError("no 429 in a burst of 10 at 2 per second"));
        assertThat(limited.headers().firstValue("Retry-After"))
                .hasValueSatisfying(v -> assertThat(v).matches("[1-9]\\d*"));
        assertThat(limited.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(JsonPath.from(limited.body()).getInt("status")).isEqualTo(429);
        assertThat(burst.stream().filter(r -> r.statusCode() == 200).count())
                .isBetween(1L, 2L + (long) Math.ceil(2 * seconds));

        given().header("X-API-Key", publisherKey).when().get("/test/whoami").then().statusCode(200);
    }

    @Test
    void bearerTokensStillWorkAndNoCredentialsAreChallengedForOne() {
        given().auth().oauth2(Tokens.clientCredentials(Tokens.DEMO_PUBLISHER, Tokens.DEMO_PUBLISHER_SECRET).accessToken())
                .when().get("/test/whoami").then().statusCode(200);
        given().when().get("/test/whoami").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"));
    }
}

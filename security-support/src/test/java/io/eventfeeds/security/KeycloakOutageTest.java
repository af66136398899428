package io.eventfeeds.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import io.eventfeeds.testsupport.KeycloakServer;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.OperatorTool;
import io.eventfeeds.testsupport.SharedServers;
import io.eventfeeds.testsupport.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * With Keycloak down, tokens already issued and API keys already validated keep working (the realm's keys and the
 * validated keys are cached), an API key not seen yet gets 503 with Retry-After rather than the 401 of a bad key,
 * and nothing hangs; when it comes back with new signing keys, the unknown key id makes the service fetch the keys again.
 */
@QuarkusTest
@TestProfile(KeycloakOutageTest.LongKeyCache.class)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class KeycloakOutageTest {

    @Test
    void issuedTokensAndCachedKeysOutliveAKeycloakOutageUncachedKeysGet503AndNewKeysAreFetchedAfterIt() {
        String token = Tokens.accessToken("dave");
        given().auth().oauth2(token).when().get("/test/whoami").then().statusCode(200);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String neverUsedKey = OperatorTool.createApiKey("outage-" + suffix, "--role", "publisher");
        String usedKey = OperatorTool.createApiKey("outage-used-" + suffix, "--role", "publisher");
        given().header("X-API-Key", usedKey).when().get("/test/whoami").then().statusCode(200);

        KeycloakServer keycloak = SharedServers.keycloak();
        keycloak.stop();
        try {
            long started = System.nanoTime();
            given().auth().oauth2(token).when().get("/test/whoami").then().statusCode(200);
            given().header("X-API-Key", usedKey).when().get("/test/whoami").then().statusCode(200);
            // Not "your key is bad" (401): the key could not be checked, so the caller is told to come back.
            given().header("X-API-Key", neverUsedKey).when().get("/test/whoami").then().statusCode(503)
                    .contentType(startsWith("application/problem+json"))
                    .header("Retry-After", matchesPattern("[1-9]\\d*"))
                    .body("status", equalTo(503))
                    .body("type", equalTo("https://eventfeeds.io/problems/identity-provider-unavailable"))
                    .body("detail", containsString("unreachable"));
            assertThat((System.nanoTime() - started) / 1_000_000).as("ms for the requests").isLessThan(10_000);
        } finally {
            keycloak.start();
        }

        // The restarted Keycloak (in-memory database) signs with a new key: accepted only if the unknown key id
        // made the service fetch the realm's keys again.
        String afterRestart = Tokens.accessToken("dave");
        given().auth().oauth2(afterRestart).when().get("/test/whoami").then().statusCode(200);
    }

    /** The test application trusts a key for 5 s; stopping Keycloak can take longer than that. */
    public static class LongKeyCache implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("feeds.api-keys.cache-ttl", "2M");
        }
    }
}

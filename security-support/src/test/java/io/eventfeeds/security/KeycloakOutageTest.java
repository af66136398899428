package io.eventfeeds.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.testsupport.KeycloakServer;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.OperatorTool;
import io.eventfeeds.testsupport.SharedServers;
import io.eventfeeds.testsupport.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * With Keycloak down, tokens already issued keep working (the realm's keys are cached) and nothing hangs; when it
 * comes back with new signing keys, the unknown key id makes the service fetch the keys again.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class KeycloakOutageTest {

    @Test
    void issuedTokensOutliveAKeycloakOutageAndNewKeysAreFetchedAfterIt() {
        String token = Tokens.accessToken("dave");
        given().auth().oauth2(token).when().get("/test/whoami").then().statusCode(200);
        String neverUsedKey = OperatorTool.createApiKey("outage-" + UUID.randomUUID().toString().substring(0, 8),
                "--role", "publisher");

        KeycloakServer keycloak = SharedServers.keycloak();
        keycloak.stop();
        try {
            long started = System.nanoTime();
            given().auth().oauth2(token).when().get("/test/whoami").then().statusCode(200);
            given().header("X-API-Key", neverUsedKey).when().get("/test/whoami").then().statusCode(401);
            assertThat((System.nanoTime() - started) / 1_000_000).as("ms for both requests").isLessThan(10_000);
        } finally {
            keycloak.start();
        }

        // The restarted Keycloak (in-memory database) signs with a new key: accepted only if the unknown key id
        // made the service fetch the realm's keys again.
        String afterRestart = Tokens.accessToken("dave");
        given().auth().oauth2(afterRestart).when().get("/test/whoami").then().statusCode(200);
    }
}

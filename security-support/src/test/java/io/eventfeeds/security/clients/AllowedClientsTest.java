package io.eventfeeds.security.clients;

import static io.restassured.RestAssured.given;

import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With an allowlist, a valid token of the realm, with the eventfeeds audience, is still refused when the client it
 * was issued to is not on the list; clients on it, by name or by prefix, are accepted.
 */
@QuarkusTest
@TestProfile(AllowedClientsTest.OnlyTheCliAndApiKeys.class)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AllowedClientsTest {

    public static class OnlyTheCliAndApiKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("feeds.auth.allowed-clients", "feeds-cli,apikey-*");
        }
    }

    @Test
    void aTokenOfAnAllowedClientIsAccepted() {
        given().auth().oauth2(Tokens.accessToken("dave")).when().get("/test/whoami").then().statusCode(200);
    }

    @Test
    void aValidTokenOfAClientNotOnTheListIsRefusedWith401() {
        String publisher = Tokens.clientCredentials(Tokens.DEMO_PUBLISHER, Tokens.DEMO_PUBLISHER_SECRET).accessToken();

        given().auth().oauth2(publisher).when().get("/test/whoami").then().statusCode(401);
    }
}

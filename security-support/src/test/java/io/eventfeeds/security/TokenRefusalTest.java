package io.eventfeeds.security;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.eventfeeds.testsupport.ForgedTokens;
import io.eventfeeds.testsupport.KeycloakAdmin;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Token validation as both services configure it (quarkus-oidc, audience eventfeeds): every forged, foreign or
 * stale token is refused with 401.
 */
@QuarkusTest
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TokenRefusalTest {

    private static String daveToken() {
        return Tokens.accessToken("dave");
    }

    @Test
    void validTokenIsAccepted() {
        given().auth().oauth2(daveToken()).when().get("/test/whoami").then().statusCode(200);
    }

    @Test
    void unsignedAlgNoneTokenIsRefused() {
        given().auth().oauth2(ForgedTokens.unsigned(daveToken())).when().get("/test/whoami").then().statusCode(401);
    }

    @Test
    void hs256SignedWithThePublicKeyIsRefused() {
        given().auth().oauth2(ForgedTokens.hmacWithPublicKey(daveToken())).when().get("/test/whoami")
                .then().statusCode(401);
    }

    @Test
    void tamperedPayloadIsRefused() {
        given().auth().oauth2(ForgedTokens.tamperedClaim(daveToken(), "preferred_username", "mallory"))
                .when().get("/test/whoami").then().statusCode(401);
    }

    @Test
    void tokenFromAnotherIssuerIsRefused() {
        given().auth().oauth2(KeycloakAdmin.masterAdminToken()).when().get("/test/whoami").then().statusCode(401);
    }

    @Test
    void tokenForAnotherAudienceIsRefused() {
        // A real token of the feeds realm, from a client without the eventfeeds audience mapper.
        KeycloakAdmin.createClient("{\"clientId\":\"no-audience\",\"publicClient\":true,"
                + "\"directAccessGrantsEnabled\":true,\"standardFlowEnabled\":false}");
        given().auth().oauth2(Tokens.passwordWithClient("no-audience", "dave").accessToken())
                .when().get("/test/whoami").then().statusCode(401);
    }

    @Test
    void expiredTokenIsRefused() {
        KeycloakAdmin.createClient("{\"clientId\":\"short-lived\",\"publicClient\":true,"
                + "\"directAccessGrantsEnabled\":true,\"standardFlowEnabled\":false,"
                + "\"attributes\":{\"access.token.lifespan\":\"2\"},"
                + "\"protocolMappers\":[{\"name\":\"aud\",\"protocol\":\"openid-connect\","
                + "\"protocolMapper\":\"oidc-audience-mapper\",\"config\":{\"included.custom.audience\":\"eventfeeds\","
                + "\"access.token.claim\":\"true\"}}]}");
        String token = Tokens.passwordWithClient("short-lived", "dave").accessToken();
        given().auth().oauth2(token).when().get("/test/whoami").then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                given().auth().oauth2(token).when().get("/test/whoami").then().statusCode(401));
    }
}

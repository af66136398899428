package io.eventfeeds.feed.publish;

import static io.eventfeeds.feed.FeedRequests.PROBLEM_JSON;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;

import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Who may publish: a valid token with the publisher role, nothing less. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PublishAuthTest {

    @Test
    void requestWithoutTokenIsRefusedWith401() {
        given().contentType(ContentType.JSON).body("{\"data\":1}")
                .when().post("/api/v1/channels/scores:game-1/events")
                .then().statusCode(401);
    }

    @Test
    void userWithoutThePublisherRoleIsRefusedWith403() {
        given().auth().oauth2(Tokens.accessToken("carol")).contentType(ContentType.JSON).body("{\"data\":1}")
                .when().post("/api/v1/channels/scores:game-1/events")
                .then().statusCode(403).contentType(startsWith(PROBLEM_JSON));
    }

    @Test
    void forgedTokenIsRefusedWith401() {
        String token = Tokens.accessToken("dave");
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4) + "AAAA";
        given().auth().oauth2(forged).contentType(ContentType.JSON).body("{\"data\":1}")
                .when().post("/api/v1/channels/scores:game-1/events")
                .then().statusCode(401);
    }
}

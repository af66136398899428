package io.eventfeeds.feed;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.eventfeeds.testsupport.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;

/** Requests and checks the feed-service tests share: a publisher's token, a fresh channel, a problem answer. */
public final class FeedRequests {

    public static final String PROBLEM_JSON = "application/problem+json";

    private FeedRequests() {
    }

    /** A token of the demo publisher (a Keycloak service account). */
    public static String publisherToken() {
        return Tokens.clientCredentials(Tokens.DEMO_PUBLISHER, Tokens.DEMO_PUBLISHER_SECRET).accessToken();
    }

    /** A channel of the namespace that no other test uses. */
    public static String uniqueChannel(String namespace) {
        return namespace + ":t-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** Publishes one event to a channel. */
    public static Response post(String token, String channel, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/channels/" + channel + "/events");
    }

    /** The answer is a problem of the given status and type, naming the field (null: none). */
    public static ValidatableResponse expectProblem(Response response, int status, String type, String field) {
        return response.then().statusCode(status).contentType(startsWith(PROBLEM_JSON))
                .body("type", equalTo("https://eventfeeds.io/problems/" + type))
                .body("status", equalTo(status))
                .body("field", equalTo(field));
    }
}

package io.eventfeeds.feed.publish;

import static io.eventfeeds.feed.FeedRequests.expectProblem;
import static io.eventfeeds.feed.FeedRequests.publisherToken;
import static io.eventfeeds.feed.FeedRequests.uniqueChannel;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.eventfeeds.feed.TopicOffsets;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Publishing many events at once: {@code POST /api/v1/events}. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class BatchEventsTest {

    @Test
    void batchAnswersEachEventsResultInOrderAndWritesOnlyTheValidOnes() {
        String token = publisherToken();
        String scores = uniqueChannel("scores");
        String stocks = uniqueChannel("stocks");
        String body = "{\"events\":[{\"channel\":\"" + scores + "\",\"type\":\"a\",\"data\":1},"
                + "{\"channel\":\"nope\",\"data\":2},"
                + "{\"channel\":\"" + stocks + "\",\"data\":3},"
                + "{\"channel\":\"" + scores + "\",\"type\":\"b\"},"
                + "{\"channel\":\"" + scores + "\",\"type\":\"c\",\"data\":5},"
                + "{\"channel\":\"" + scores + "\",\"type\":\"" + "t".repeat(129) + "\",\"data\":6},"
                // 30,000 characters of three UTF-8 bytes each: under the limit in characters, over it in bytes.
                + "{\"channel\":\"" + scores + "\",\"data\":\"" + "\u20ac".repeat(30_000) + "\"}]}";

        Response answer = given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/events")
                .then().statusCode(200)
                .body("accepted", equalTo(3)).body("refused", equalTo(4))
                .body("results.index", equalTo(List.of(0, 1, 2, 3, 4, 5, 6)))
                .body("results.status", equalTo(List.of(202, 400, 202, 400, 202, 400, 413)))
                .body("results[5].problem.field", equalTo("events[5].type"))
                .body("results[6].problem.field", equalTo("events[6].data"))
                .body("results[1].problem.field", equalTo("events[1].channel"))
                .body("results[1].problem.type", equalTo("https://eventfeeds.io/problems/invalid-channel"))
                .body("results[3].problem.field", equalTo("events[3].data"))
                .extract().response();

        given().auth().oauth2(Tokens.accessToken("carol")).when().get("/api/v1/channels/" + scores + "/events")
                .then().statusCode(200)
                .body("events.type", equalTo(List.of("a", "c")))
                .body("events.position", equalTo(List.of(answer.path("results[0].event.position"),
                        answer.<String>path("results[4].event.position"))));

        expectProblem(given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"events\":[]}")
                .when().post("/api/v1/events"), 400, "invalid-field", "events");
        String tooMany = "{\"events\":[" + String.join(",", Collections.nCopies(501,
                "{\"channel\":\"" + scores + "\",\"data\":0}")) + "]}";
        long before = TopicOffsets.endOfEventTopic();
        expectProblem(given().auth().oauth2(token).contentType(ContentType.JSON).body(tooMany)
                .when().post("/api/v1/events"), 400, "invalid-field", "events");
        String overHttpLimit = "{\"events\":[{\"channel\":\"" + scores + "\",\"data\":\""
                + "x".repeat(4 * 1024 * 1024) + "\"}]}";
        expectProblem(given().auth().oauth2(token).contentType(ContentType.JSON).body(overHttpLimit)
                .when().post("/api/v1/events"), 413, "too-large", "body");
        assertThat(TopicOffsets.endOfEventTopic()).isEqualTo(before);
    }

    @Test
    void aRetriedBatchWritesOnlyTheEventsWithoutAnAnswerYetAndKeyedEventsKeepTheirFirstAnswer() {
        String token = publisherToken();
        String channel = uniqueChannel("stocks");
        String keyA = UUID.randomUUID().toString();
        String keyB = UUID.randomUUID().toString();
        String first = "{\"events\":[{\"channel\":\"" + channel + "\",\"data\":1,\"idempotency_key\":\"" + keyA + "\"},"
                + "{\"channel\":\"" + channel + "\",\"data\":2,\"idempotency_key\":\"" + keyB + "\"}]}";
        Response firstAnswer = given().auth().oauth2(token).contentType(ContentType.JSON).body(first)
                .when().post("/api/v1/events").then().statusCode(200).body("accepted", equalTo(2)).extract().response();

        // The retry repeats both keyed events (in another order) and adds a new one, an unkeyed one, and a key
        // reused for different data.
        String keyC = UUID.randomUUID().toString();
        String retry = "{\"events\":[{\"channel\":\"" + channel + "\",\"data\":2,\"idempotency_key\":\"" + keyB + "\"},"
                + "{\"channel\":\"" + channel + "\",\"idempotency_key\":\"" + keyA + "\",\"data\":1},"
                + "{\"channel\":\"" + channel + "\",\"data\":3,\"idempotency_key\":\"" + keyC + "\"},"
                + "{\"channel\":\"" + channel + "\",\"data\":4},"
                + "{\"channel\":\"" + channel + "\",\"data\":99,\"idempotency_key\":\"" + keyA + "\"},"
                + "{\"channel\":\"" + channel + "\",\"data\":5,\"idempotency_key\":7}]}";
        given().auth().oauth2(token).contentType(ContentType.JSON).body(retry).when().post("/api/v1/events")
                .then().statusCode(200)
                .body("results.status", equalTo(List.of(202, 202, 202, 202, 422, 400)))
                .body("results[0].event.id", equalTo(firstAnswer.path("results[1].event.id")))
                .body("results[1].event.id", equalTo(firstAnswer.path("results[0].event.id")))
                .body("results[1].event.position", equalTo(firstAnswer.path("results[0].event.position")))
                .body("results[4].problem.field", equalTo("events[4].idempotency_key"))
                .body("results[5].problem.field", equalTo("events[5].idempotency_key"));

        given().auth().oauth2(Tokens.accessToken("carol")).when().get("/api/v1/channels/" + channel + "/events")
                .then().statusCode(200).body("events.data", equalTo(List.of(1, 2, 3, 4)));
    }
}

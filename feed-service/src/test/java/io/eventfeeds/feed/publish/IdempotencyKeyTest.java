package io.eventfeeds.feed.publish;

import static io.eventfeeds.feed.FeedRequests.PROBLEM_JSON;
import static io.eventfeeds.feed.FeedRequests.publisherToken;
import static io.eventfeeds.feed.FeedRequests.uniqueChannel;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Publishing with an {@code Idempotency-Key}: retries, and tries that race, write one event. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class IdempotencyKeyTest {

    @Test
    void retryWithTheSameIdempotencyKeyGetsTheFirstAnswerAndWritesOneEvent() {
        String token = publisherToken();
        String channel = uniqueChannel("stocks");
        String body = "{\"data\":{\"price\":12.5}}";
        String key = UUID.randomUUID().toString();

        Map<String, Object> first = given().auth().oauth2(token).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body).when().post("/api/v1/channels/" + channel + "/events")
                .then().statusCode(202).extract().jsonPath().getMap("");
        List<CompletableFuture<Response>> retries = IntStream.range(0, 4).mapToObj(i -> CompletableFuture.supplyAsync(() ->
                given().auth().oauth2(token).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                        .when().post("/api/v1/channels/" + channel + "/events"))).toList();
        for (CompletableFuture<Response> retry : retries) {
            Response answer = retry.join();
            assertThat(answer.statusCode()).isEqualTo(202);
            assertThat(answer.jsonPath().getMap("")).isEqualTo(first);
        }

        given().auth().oauth2(token).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"data\":{\"price\":99}}").when().post("/api/v1/channels/" + channel + "/events")
                .then().statusCode(422).contentType(startsWith(PROBLEM_JSON)).body("field", equalTo("Idempotency-Key"));

        given().auth().oauth2(Tokens.accessToken("carol")).when().get("/api/v1/channels/" + channel + "/events")
                .then().statusCode(200).body("events.id", equalTo(List.of(first.get("id"))));
    }

    @Test
    void concurrentFirstTriesWithOneIdempotencyKeyShareOneWrite() {
        String token = publisherToken();
        String channel = uniqueChannel("stocks");
        String key = UUID.randomUUID().toString();
        List<CompletableFuture<Response>> tries = IntStream.range(0, 5).mapToObj(i -> CompletableFuture.supplyAsync(() ->
                given().auth().oauth2(token).header("Idempotency-Key", key).contentType(ContentType.JSON)
                        .body("{\"data\":1}").when().post("/api/v1/channels/" + channel + "/events"))).toList();
        List<String> ids = tries.stream().map(CompletableFuture::join)
                .peek(answer -> assertThat(answer.statusCode()).isEqualTo(202))
                .map(answer -> answer.<String>path("id")).distinct().toList();
        assertThat(ids).hasSize(1);
        given().auth().oauth2(Tokens.accessToken("carol")).when().get("/api/v1/channels/" + channel + "/events")
                .then().statusCode(200).body("events.id", equalTo(ids));
    }
}

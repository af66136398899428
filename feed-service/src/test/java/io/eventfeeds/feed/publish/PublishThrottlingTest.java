package io.eventfeeds.feed.publish;

import static io.eventfeeds.feed.FeedRequests.PROBLEM_JSON;
import static io.eventfeeds.feed.FeedRequests.uniqueChannel;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.OperatorTool;
import io.eventfeeds.testsupport.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Each caller publishes at its rate; beyond it, 429 with {@code Retry-After}. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PublishThrottlingTest {

    @Test
    void apiKeyIssuedByTheOperatorToolPublishesAndIsThrottledWith429AndRetryAfter() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String key = OperatorTool.createApiKey("feed-pub-" + suffix, "--role", "publisher", "--rate", "2");
        String channel = uniqueChannel("scores");
        List<Response> burst = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            burst.add(given().header("X-API-Key", key).contentType(ContentType.JSON).body("{\"data\":" + i + "}")
                    .when().post("/api/v1/channels/" + channel + "/events"));
        }
        burst.get(0).then().statusCode(202).body("position", matchesPattern("\\d+-\\d+"));
        Response limited = burst.stream().filter(r -> r.statusCode() == 429).findFirst()
                .orElseThrow(() -> new AssertionError("no 429 in a burst of 6 at 2 per second"));
        assertThat(limited.header("Retry-After")).matches("[1-9]\\d*");
        assertThat(limited.contentType()).startsWith(PROBLEM_JSON);
        assertThat(burst).allMatch(r -> r.statusCode() == 202 || r.statusCode() == 429);
        List<Object> acceptedIds = burst.stream().filter(r -> r.statusCode() == 202).map(r -> r.path("id")).toList();
        given().auth().oauth2(Tokens.accessToken("carol")).when().get("/api/v1/channels/" + channel + "/events")
                .then().statusCode(200).body("events.id", equalTo(acceptedIds));
    }

    @Test
    void batchCountsEachEventAgainstTheCallersRateAndRefusesTheExcessWith429() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String key = OperatorTool.createApiKey("feed-batch-" + suffix, "--role", "publisher", "--rate", "3");
        String channel = uniqueChannel("scores");
        String events = IntStream.range(0, 8).mapToObj(i -> "{\"channel\":\"" + channel + "\",\"data\":" + i + "}")
                .collect(Collectors.joining(",", "{\"events\":[", "]}"));

        Response batch = given().header("X-API-Key", key).contentType(ContentType.JSON).body(events)
                .when().post("/api/v1/events");

        batch.then().statusCode(200);
        List<Integer> statuses = batch.jsonPath().getList("results.status", Integer.class);
        assertThat(statuses).hasSize(8);
        int accepted = batch.jsonPath().getInt("accepted");
        // A rate of 3 per second is a burst of 3: at most 3 events, and a few more only if the bucket refilled.
        assertThat(accepted).isBetween(1, 4);
        assertThat(statuses.subList(0, accepted)).containsOnly(202);
        assertThat(statuses.subList(accepted, 8)).containsOnly(429);
        assertThat(batch.jsonPath().getString("results[7].problem.type"))
                .isEqualTo("https://eventfeeds.io/problems/rate-limited");
        assertThat(batch.header("Retry-After")).matches("[1-9]\\d*");
        List<Object> acceptedIds = batch.jsonPath().getList("results.event.id").subList(0, accepted);
        given().auth().oauth2(Tokens.accessToken("carol")).when().get("/api/v1/channels/" + channel + "/events")
                .then().statusCode(200).body("events.id", equalTo(acceptedIds));
    }
}

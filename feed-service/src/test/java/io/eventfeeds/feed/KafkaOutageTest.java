package io.eventfeeds.feed;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.eventfeeds.testsupport.KafkaBroker;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.SharedServers;
import io.eventfeeds.testsupport.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stops the shared broker under a running feed-service. Test classes run one after another, the broker is
 * restarted in {@code finally}, and the test only ends once feed-service publishes again, so no other test sees the
 * broker down or the producer still recovering. (A test profile would isolate it further but costs another
 * application start with its own Kafka and Keycloak.) Only as {@code @QuarkusTest}: the packaged jar behaves the
 * same and the outage costs time.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class KafkaOutageTest {

    /** The default delivery timeout; the test checks the 503 comes within it (plus HTTP slack). */
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void withTheBrokerStoppedPostAnswers503AndEveryAcceptedEventIsInTheTopicExactlyOnceAfterwards() {
        String token = PublishToKafkaTest.publisherToken();
        String channel = PublishToKafkaTest.uniqueChannel("scores");
        List<String> acceptedIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            acceptedIds.add(PublishToKafkaTest.post(token, channel, "{\"data\":{\"before\":" + i + "}}")
                    .then().statusCode(202).extract().path("id"));
        }

        KafkaBroker broker = SharedServers.kafka();
        broker.stop();
        try {
            long start = System.nanoTime();
            Response refused = PublishToKafkaTest.post(token, channel, "{\"data\":{\"during\":1}}");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            refused.then().statusCode(503).contentType(startsWith(PublishToKafkaTest.PROBLEM_JSON))
                    .body("type", equalTo("https://eventfeeds.io/problems/event-log-unavailable"));
            assertThat(refused.header("Retry-After")).matches("[1-9]\\d*");
            assertThat(took).isLessThan(DELIVERY_TIMEOUT.plusSeconds(3));
        } finally {
            broker.start();
        }

        // The producer reconnects by itself; the first publishes after the restart may still fail with 503.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Response answer = PublishToKafkaTest.post(token, channel, "{\"data\":{\"after\":1}}");
            if (answer.statusCode() == 202) {
                acceptedIds.add(answer.path("id"));
                return true;
            }
            assertThat(answer.statusCode()).isEqualTo(503);
            return false;
        });
        for (int i = 0; i < 3; i++) {
            acceptedIds.add(PublishToKafkaTest.post(token, channel, "{\"data\":{\"after\":" + (i + 2) + "}}")
                    .then().statusCode(202).extract().path("id"));
        }

        List<String> inTopic = given().auth().oauth2(Tokens.accessToken("carol")).queryParam("limit", 1000)
                .when().get("/api/v1/channels/" + channel + "/events")
                .then().statusCode(200).extract().jsonPath().getList("events.id", String.class);
        assertThat(acceptedIds).doesNotHaveDuplicates();
        for (String id : acceptedIds) {
            assertThat(inTopic).as("accepted event %s in the topic", id).containsOnlyOnce(id);
        }
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}

package io.eventfeeds.feed.publish;

import static io.eventfeeds.feed.FeedRequests.expectProblem;
import static io.eventfeeds.feed.FeedRequests.post;
import static io.eventfeeds.feed.FeedRequests.publisherToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.eventfeeds.feed.TopicOffsets;
import io.eventfeeds.testsupport.EventTopicReader;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Publishing one event: {@code POST /api/v1/channels/{channel}/events}. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ChannelEventsTest {

    @Test
    void eventPublishedWithAKeycloakServiceTokenIsInTheTopicAtThePositionTheAnswerGave() {
        String marker = UUID.randomUUID().toString();

        Response response = post(publisherToken(), "scores:game-1", "{\"type\":\"score\",\"data\":{\"marker\":\"" + marker + "\"}}")
                .then().statusCode(202)
                .body("channel", equalTo("scores:game-1"))
                .body("position", matchesPattern("\\d+-\\d+"))
                .extract().response();

        List<ConsumerRecord<String, String>> records = EventTopicReader.readAll(
                record -> record.value().contains(marker), 1, Duration.ofSeconds(20));
        assertThat(records).hasSize(1);
        ConsumerRecord<String, String> record = records.get(0);
        assertThat(record.key()).isEqualTo("scores:game-1");
        assertThat(record.partition() + "-" + record.offset()).isEqualTo(response.path("position"));
        assertThat(record.value()).contains("\"id\":\"" + response.path("id") + "\"")
                .contains("\"publisher\":\"service-account-demo-publisher\"");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void aBadInputGetsItsStatusAndAProblemNamingTheFieldAndWritesNothing(BadInput input) {
        String token = publisherToken();
        long before = TopicOffsets.endOfEventTopic();

        expectProblem(input.request().apply(token), input.status(), input.type(), input.field());

        assertThat(TopicOffsets.endOfEventTopic()).isEqualTo(before);
    }

    static Stream<BadInput> badInputs() {
        return Stream.of(
                new BadInput("body that is not JSON", token -> post(token, "scores:game-1", "{\"data\": {"),
                        400, "invalid-json", "body"),
                new BadInput("no body", token -> given().auth().oauth2(token).contentType(ContentType.JSON)
                        .when().post("/api/v1/channels/scores:game-1/events"), 400, "missing-body", "body"),
                new BadInput("malformed channel", token -> post(token, "Scores:Game!", "{\"data\":1}"),
                        400, "invalid-channel", "channel"),
                new BadInput("channel longer than 128 characters",
                        token -> post(token, "scores:" + "x".repeat(130), "{\"data\":1}"),
                        400, "invalid-channel", "channel"),
                new BadInput("channel of an unknown namespace", token -> post(token, "weather:berlin", "{\"data\":1}"),
                        400, "unknown-namespace", "channel"),
                new BadInput("no data", token -> post(token, "scores:game-1", "{\"type\":\"score\"}"),
                        400, "invalid-field", "data"),
                new BadInput("type that is not a string",
                        token -> post(token, "scores:game-1", "{\"type\":7,\"data\":1}"),
                        400, "invalid-field", "type"),
                new BadInput("type longer than 128 characters",
                        token -> post(token, "scores:game-1", "{\"type\":\"" + "t".repeat(129) + "\",\"data\":1}"),
                        400, "invalid-field", "type"),
                new BadInput("publisher set by the client",
                        token -> post(token, "scores:game-1", "{\"data\":1,\"publisher\":\"me\"}"),
                        400, "invalid-field", "publisher"),
                new BadInput("body over 64 KiB",
                        token -> post(token, "scores:game-1", "{\"data\":\"" + "x".repeat(64 * 1024) + "\"}"),
                        413, "too-large", "body"),
                new BadInput("channel the publisher may not write", token -> post(token, "chat:lobby", "{\"data\":1}"),
                        403, "forbidden-channel", "channel"),
                new BadInput("body sent as text/plain", token -> given().auth().oauth2(token)
                        .contentType(ContentType.TEXT).body("hello")
                        .when().post("/api/v1/channels/scores:game-1/events"),
                        415, "unsupported-media-type", "Content-Type"));
    }

    /** One refused request: how to send it (with a publisher's token), and the problem it gets. */
    record BadInput(String name, Function<String, Response> request, int status, String type, String field) {
        @Override
        public String toString() {
            return name + ": " + status + " " + type + " naming " + field;
        }
    }
}

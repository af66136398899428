package io.eventfeeds.feed.history;

import static io.eventfeeds.feed.FeedRequests.expectProblem;
import static io.eventfeeds.feed.FeedRequests.post;
import static io.eventfeeds.feed.FeedRequests.publisherToken;
import static io.eventfeeds.feed.FeedRequests.uniqueChannel;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.eventfeeds.events.EventTopics;
import io.eventfeeds.events.Position;
import io.eventfeeds.testsupport.EventTopicReader;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.SharedServers;
import io.eventfeeds.testsupport.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Reading a channel back: {@code GET /api/v1/channels/{channel}/events}. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ChannelHistoryTest {

    @Test
    void eventsPostedToAChannelAreReadBackInOrderByKafkasConsumerAndByTheGetWithTheirPositions() {
        String token = publisherToken();
        String channel = uniqueChannel("scores");
        List<String> positions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            positions.add(post(token, channel, "{\"type\":\"n\",\"data\":{\"n\":" + i + "}}")
                    .then().statusCode(202).extract().path("position"));
        }

        List<ConsumerRecord<String, String>> records = EventTopicReader.readAll(
                record -> channel.equals(record.key()), 3, Duration.ofSeconds(20));
        assertThat(records).extracting(r -> r.partition() + "-" + r.offset()).containsExactlyElementsOf(positions);

        String reader = Tokens.accessToken("carol");
        given().auth().oauth2(reader).when().get("/api/v1/channels/" + channel + "/events")
                .then().statusCode(200)
                .body("channel", equalTo(channel))
                .body("events.position", equalTo(positions))
                .body("events.data.n", equalTo(List.of(0, 1, 2)))
                .body("events[0].publisher", equalTo("service-account-demo-publisher"))
                .body("truncated", equalTo(false));
        given().auth().oauth2(reader).queryParam("since", positions.get(0))
                .when().get("/api/v1/channels/" + channel + "/events")
                .then().statusCode(200)
                .body("events.position", equalTo(positions.subList(1, 3)))
                .body("next", equalTo(positions.get(2)));
        given().auth().oauth2(reader).queryParam("since", positions.get(0)).queryParam("limit", 1)
                .when().get("/api/v1/channels/" + channel + "/events")
                .then().statusCode(200)
                .body("events.position", equalTo(List.of(positions.get(1))))
                .body("next", equalTo(positions.get(1)))
                .body("more", equalTo(true));
        given().auth().oauth2(reader).queryParam("limit", 2)
                .when().get("/api/v1/channels/" + channel + "/events")
                .then().statusCode(200).body("events.position", equalTo(positions.subList(1, 3)));
    }

    @Test
    void aSinceOlderThanTheLogIsMarkedTruncatedAndTheReadStartsAtTheOldestKeptEvent() throws Exception {
        String token = publisherToken();
        String channel = uniqueChannel("scores");
        List<String> positions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            positions.add(post(token, channel, "{\"data\":{\"n\":" + i + "}}").then().statusCode(202)
                    .extract().path("position"));
        }
        Position first = Position.parse(positions.get(0)).orElseThrow();
        Position keptFrom = Position.parse(positions.get(3)).orElseThrow();
        try (Admin admin = SharedServers.kafka().admin()) {
            admin.deleteRecords(Map.of(new TopicPartition(EventTopics.EVENTS, keptFrom.partition()),
                    RecordsToDelete.beforeOffset(keptFrom.offset()))).all().get(20, TimeUnit.SECONDS);
        }

        given().auth().oauth2(Tokens.accessToken("carol")).queryParam("since", first.toString())
                .when().get("/api/v1/channels/" + channel + "/events")
                .then().statusCode(200)
                .body("truncated", equalTo(true))
                .body("events.position", equalTo(positions.subList(3, 5)))
                .body("events.data.n", equalTo(List.of(3, 4)))
                .body("next", equalTo(positions.get(4)));
    }

    @Test
    void aPositionFarPastTheEndReadsNothingAndIsNotTruncated() {
        String channel = uniqueChannel("scores");
        String position = post(publisherToken(), channel, "{\"data\":1}").then().statusCode(202)
                .extract().path("position");
        String farAhead = position.substring(0, position.indexOf('-') + 1) + Long.MAX_VALUE;
        given().auth().oauth2(Tokens.accessToken("carol")).queryParam("since", farAhead)
                .when().get("/api/v1/channels/" + channel + "/events")
                .then().statusCode(200)
                .body("events", empty())
                .body("truncated", equalTo(false))
                .body("next", equalTo(farAhead));
    }

    @Test
    void aTransactionMarkerAtTheEndOfThePartitionEndsTheReadInsteadOfHoldingItForItsTimeBudget() throws Exception {
        String channel = uniqueChannel("scores");
        String since = post(publisherToken(), channel, "{\"data\":0}").then().statusCode(202)
                .extract().path("position");
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "history-test-" + UUID.randomUUID());
        String written;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            RecordMetadata record = producer.send(new ProducerRecord<>(EventTopics.EVENTS, channel,
                    "{\"id\":\"tx-1\",\"channel\":\"" + channel + "\",\"data\":1}")).get(20, TimeUnit.SECONDS);
            producer.commitTransaction();
            written = record.partition() + "-" + record.offset();
        }

        String carol = Tokens.accessToken("carol");
        long started = System.nanoTime();
        given().auth().oauth2(carol).queryParam("since", since)
                .when().get("/api/v1/channels/" + channel + "/events")
                .then().statusCode(200)
                .body("events.position", equalTo(List.of(written)))
                .body("more", equalTo(false));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void historyRefusesMalformedPositionsAndLimitsAndChannelsTheCallerMayNotRead() {
        String carol = Tokens.accessToken("carol");
        expectProblem(given().auth().oauth2(carol).queryParam("since", "yesterday")
                .when().get("/api/v1/channels/scores:game-1/events"), 400, "invalid-position", "since");
        expectProblem(given().auth().oauth2(carol).queryParam("limit", 5000)
                .when().get("/api/v1/channels/scores:game-1/events"), 400, "invalid-field", "limit");
        expectProblem(given().auth().oauth2(carol)
                .when().get("/api/v1/channels/weather:x/events"), 400, "unknown-namespace", "channel");
        expectProblem(given().auth().oauth2(carol)
                .when().get("/api/v1/channels/chat:lobby/events"), 403, "forbidden-channel", "channel");
        given().when().get("/api/v1/channels/scores:game-1/events").then().statusCode(401);
    }
}

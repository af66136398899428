package io.eventfeeds.feed;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import io.eventfeeds.events.EventTopics;
import io.eventfeeds.events.Position;
import io.eventfeeds.testsupport.EventTopicReader;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.OperatorTool;
import io.eventfeeds.testsupport.SharedServers;
import io.eventfeeds.testsupport.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PublishToKafkaTest {

    static final String PROBLEM_JSON = "application/problem+json";

    static String publisherToken() {
        return Tokens.clientCredentials(Tokens.DEMO_PUBLISHER, Tokens.DEMO_PUBLISHER_SECRET).accessToken();
    }

    static String uniqueChannel(String namespace) {
        return namespace + ":t-" + UUID.randomUUID().toString().substring(0, 12);
    }

    static Response post(String token, String channel, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/channels/" + channel + "/events");
    }

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

    @Test
    void eachBadInputGetsItsStatusAndAProblemNamingTheFieldAndWritesNothing() {
        String token = publisherToken();
        long before = TopicOffsets.endOfEventTopic();

        expectProblem(post(token, "scores:game-1", "{\"data\": {"), 400, "invalid-json", "body");
        expectProblem(given().auth().oauth2(token).contentType(ContentType.JSON)
                .when().post("/api/v1/channels/scores:game-1/events"), 400, "missing-body", "body");
        expectProblem(post(token, "Scores:Game!", "{\"data\":1}"), 400, "invalid-channel", "channel");
        expectProblem(post(token, "scores:" + "x".repeat(130), "{\"data\":1}"), 400, "invalid-channel", "channel");
        expectProblem(post(token, "weather:berlin", "{\"data\":1}"), 400, "unknown-namespace", "channel");
        expectProblem(post(token, "scores:game-1", "{\"type\":\"score\"}"), 400, "invalid-field", "data");
        expectProblem(post(token, "scores:game-1", "{\"type\":7,\"data\":1}"), 400, "invalid-field", "type");
        expectProblem(post(token, "scores:game-1", "{\"type\":\"" + "t".repeat(129) + "\",\"data\":1}"), 400,
                "invalid-field", "type");
        expectProblem(post(token, "scores:game-1", "{\"data\":1,\"publisher\":\"me\"}"), 400, "invalid-field", "publisher");
        expectProblem(post(token, "scores:game-1", "{\"data\":\"" + "x".repeat(64 * 1024) + "\"}"), 413, "too-large", "body");
        expectProblem(post(token, "chat:lobby", "{\"data\":1}"), 403, "forbidden-channel", "channel");
        expectProblem(given().auth().oauth2(token).contentType(ContentType.TEXT).body("hello")
                .when().post("/api/v1/channels/scores:game-1/events"), 415, "unsupported-media-type", "Content-Type");

        assertThat(TopicOffsets.endOfEventTopic()).isEqualTo(before);
    }

    static ValidatableResponse expectProblem(Response response, int status, String type, String field) {
        return response.then().statusCode(status).contentType(startsWith(PROBLEM_JSON))
                .body("type", equalTo("https://eventfeeds.io/problems/" + type))
                .body("status", equalTo(status))
                .body("field", equalTo(field));
    }

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

package io.eventfeeds.feed;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfeeds.events.EventTopics;
import io.eventfeeds.testsupport.EventTopicReader;
import io.eventfeeds.testsupport.KafkaCluster;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.ThreeNodeKafkaTestResource;
import io.eventfeeds.testsupport.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

/**
 * Kills, with SIGKILL, the Kafka node that leads the channel's partition while a publisher keeps publishing with
 * idempotency keys, on a three-node cluster set up as {@code KAFKA_NODES=3 ./platform up} sets it up (replication 3,
 * two replicas in sync for a write). The publisher retries every 503 with its key, honouring nothing but a short
 * pause. Then the log is read with Kafka's own consumer and counted: every event once, with the id its 202 named.
 */
@QuarkusTest
@WithTestResource(value = ThreeNodeKafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class KafkaNodeLossTest {

    /** Events published one every {@link #PACE}; the leader is killed when event {@link #KILL_AT} is due. */
    static final int EVENTS = 60;
    static final int KILL_AT = 20;
    static final Duration PACE = Duration.ofMillis(100);

    @Test
    void killingTheLeaderOfOneNodeInThreeLosesNoEventWritesNoneTwiceAndPublishingGoesOn() throws Exception {
        String token = Tokens.clientCredentials(Tokens.DEMO_PUBLISHER, Tokens.DEMO_PUBLISHER_SECRET).accessToken();
        String channel = "scores:t-" + UUID.randomUUID().toString().substring(0, 12);
        String run = channel.substring(channel.indexOf(':') + 3);
        String firstPosition = post(token, channel, run, 0).then().statusCode(202).extract().path("position");
        int partition = Integer.parseInt(firstPosition.substring(0, firstPosition.indexOf('-')));
        KafkaCluster cluster = ThreeNodeKafkaTestResource.cluster();
        int leader = leaderOf(cluster, partition);

        Map<Integer, Response> firstAnswers = new ConcurrentHashMap<>();
        ScheduledExecutorService pacer = Executors.newScheduledThreadPool(8);
        try {
            List<CompletableFuture<Void>> sent = IntStream.range(1, EVENTS).mapToObj(seq -> {
                CompletableFuture<Void> done = new CompletableFuture<>();
                pacer.schedule(() -> {
                    try {
                        if (seq == KILL_AT) {
                            cluster.kill(leader);
                        }
                        firstAnswers.put(seq, post(token, channel, run, seq));
                        done.complete(null);
                    } catch (RuntimeException e) {
                        done.completeExceptionally(e);
                    }
                }, seq * PACE.toMillis(), TimeUnit.MILLISECONDS);
                return done;
            }).toList();
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        } finally {
            pacer.shutdownNow();
        }
        // A publish in flight to the dead leader may be answered 503 (not written, or outcome unknown): the retry settles it.
        assertThat(firstAnswers.values()).extracting(Response::statusCode).isSubsetOf(202, 503);

        // Publishing goes on with the node still dead: a new leader took the partition over.
        assertThat(cluster.isRunning()).isFalse();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> post(token, channel, run, EVENTS).statusCode() == 202);
        // The publisher retries each refused event with its key: written now, or settled as written before.
        Map<Integer, String> acceptedIds = new ConcurrentHashMap<>();
        for (int seq = 1; seq < EVENTS; seq++) {
            int event = seq;
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
                Response answer = firstAnswers.containsKey(event) && firstAnswers.get(event).statusCode() == 202
                        ? firstAnswers.get(event) : post(token, channel, run, event);
                assertThat(answer.statusCode()).as("event %d", event).isIn(202, 503);
                if (answer.statusCode() == 202) {
                    acceptedIds.put(event, answer.path("id"));
                }
                return answer.statusCode() == 202;
            });
        }

        ObjectMapper json = new ObjectMapper();
        Map<Integer, List<String>> idsBySeq = EventTopicReader.readToEnd(cluster.bootstrapServers(),
                record -> channel.equals(record.key()), Duration.ofSeconds(60)).stream()
                .map(record -> read(json, record.value()))
                .collect(Collectors.groupingBy(event -> event.path("data").path("seq").asInt(),
                        Collectors.mapping(event -> event.path("id").asText(), Collectors.toList())));
        assertThat(idsBySeq.keySet()).as("events in the log").containsExactlyInAnyOrderElementsOf(
                IntStream.rangeClosed(0, EVENTS).boxed().toList());
        idsBySeq.forEach((seq, ids) -> assertThat(ids).as("copies of event %d", seq).hasSize(1));
        acceptedIds.forEach((seq, id) -> assertThat(idsBySeq.get(seq)).as("id of event %d", seq).containsExactly(id));

        cluster.restart(leader);
    }

    private static JsonNode read(ObjectMapper json, String value) {
        try {
            return json.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not an event envelope: " + value, e);
        }
    }

    private static int leaderOf(KafkaCluster cluster, int partition) throws Exception {
        try (Admin admin = cluster.admin()) {
            TopicPartitionInfo info = admin.describeTopics(List.of(EventTopics.EVENTS)).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(EventTopics.EVENTS).partitions().get(partition);
            assertThat(info.isr()).as("replicas in sync before the kill").hasSize(3);
            return info.leader().id();
        }
    }

    /** Event {@code seq} of this run, always with the same key and body, as a publisher's retry would be. */
    private static Response post(String token, String channel, String run, int seq) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .header("Idempotency-Key", run + "-" + seq)
                .body("{\"type\":\"n\",\"data\":{\"seq\":" + seq + "}}")
                .when().post("/api/v1/channels/" + channel + "/events");
    }
}

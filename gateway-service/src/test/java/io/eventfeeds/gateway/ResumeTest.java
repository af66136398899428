package io.eventfeeds.gateway;

import static io.eventfeeds.gateway.TestClients.WAIT;
import static io.eventfeeds.gateway.TestClients.awaitEvent;
import static io.eventfeeds.gateway.TestClients.connect;
import static io.eventfeeds.gateway.TestClients.envelope;
import static io.eventfeeds.gateway.TestClients.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfeeds.events.EventTopics;
import io.eventfeeds.events.Position;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.SharedServers;
import io.eventfeeds.testsupport.WsTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ResumeTest {

    @TestHTTPResource("/ws")
    URI ws;

    @BeforeEach
    void gatewayIsReady() {
        TestClients.awaitReady();
    }

    @Test
    void clientThatMissedAThousandEventsGetsExactlyThoseInOrderThenTheLiveOnes() throws Exception {
        String channel = "scores:resume-" + UUID.randomUUID().toString().substring(0, 8);
        String first = UUID.randomUUID().toString();
        String lastSeen;
        try (WsTestClient alice = connect(ws, "alice")) {
            subscribe(alice, channel);
            TestClients.produce(channel, List.of(envelope(channel, first, "0")));
            lastSeen = awaitEvent(alice, channel, first).path("position").asText();
        }

        List<String> missed = ids("missed", 1000);
        TestClients.produce(channel, missed.stream().map(id -> envelope(channel, id, "{\"n\":1}")).toList());

        List<String> during = ids("during", 50);
        try (WsTestClient alice = connect(ws, "alice")) {
            alice.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"since\":\"" + lastSeen + "\"}");
            // Events produced while the replay runs must come after the replayed ones, none lost, none twice.
            CompletableFuture<List<RecordMetadata>> producing = CompletableFuture.supplyAsync(() ->
                    TestClients.produce(channel, during.stream().map(id -> envelope(channel, id, "{\"n\":2}")).toList()));

            JsonNode subscribed = alice.awaitType("subscribed", WAIT);
            assertThat(subscribed.path("position").asText()).isEqualTo(lastSeen);

            List<JsonNode> received = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.size() < 1050 && System.nanoTime() < deadline) {
                received.add(alice.awaitFrame(f -> "event".equals(f.path("type").asText())
                        && channel.equals(f.path("channel").asText()), WAIT));
            }
            producing.get(30, TimeUnit.SECONDS);
            alice.send("{\"op\":\"ping\"}");
            JsonNode afterAll = alice.awaitFrame(f -> "pong".equals(f.path("type").asText())
                    || ("event".equals(f.path("type").asText()) && channel.equals(f.path("channel").asText())), WAIT);
            assertThat(afterAll.path("type").asText()).as("no event after the 1,050 expected").isEqualTo("pong");

            List<String> expected = new ArrayList<>(missed);
            expected.addAll(during);
            assertThat(received.stream().map(f -> f.path("id").asText()).toList()).containsExactlyElementsOf(expected);
            List<Long> offsets = received.stream()
                    .map(f -> Position.parse(f.path("position").asText()).orElseThrow().offset()).toList();
            assertThat(offsets).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void positionOlderThanTheLogIsReportedAndResumesFromTheOldestKeptEvent() throws Exception {
        String channel = "stocks:expired-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = ids("old", 5);
        List<RecordMetadata> written = TestClients.produce(channel,
                ids.stream().map(id -> envelope(channel, id, "1")).toList());
        TopicPartition partition = new TopicPartition(EventTopics.EVENTS, written.get(0).partition());
        long keepFrom = written.get(3).offset();
        try (Admin admin = SharedServers.kafka().admin()) {
            admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(keepFrom))).all()
                    .get(20, TimeUnit.SECONDS);
        }

        try (WsTestClient alice = connect(ws, "alice")) {
            String since = new Position(partition.partition(), written.get(0).offset()).toString();
            alice.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"since\":\"" + since
                    + "\",\"ref\":\"resume-1\"}");
            JsonNode expired = alice.awaitType("error", WAIT);
            assertThat(expired.path("code").asText()).isEqualTo("position_expired");
            assertThat(expired.path("channel").asText()).isEqualTo(channel);
            assertThat(expired.path("ref").asText()).isEqualTo("resume-1");
            JsonNode subscribed = alice.awaitType("subscribed", WAIT);
            assertThat(subscribed.path("position").asText())
                    .isEqualTo(new Position(partition.partition(), keepFrom - 1).toString());
            assertThat(awaitNextEvent(alice, channel).path("id").asText()).isEqualTo(ids.get(3));
            assertThat(awaitNextEvent(alice, channel).path("id").asText()).isEqualTo(ids.get(4));
        }
    }

    @Test
    void positionOfAnotherPartitionIsABadRequest() {
        String channel = "scores:wrong-" + UUID.randomUUID().toString().substring(0, 8);
        String id = UUID.randomUUID().toString();
        int partition = TestClients.produce(channel, List.of(envelope(channel, id, "1"))).get(0).partition();
        int other = (partition + 1) % 3;
        try (WsTestClient alice = connect(ws, "alice")) {
            alice.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"since\":\"" + other + "-0\"}");
            assertThat(alice.awaitType("error", WAIT).path("code").asText()).isEqualTo("bad_request");
        }
    }

    private static JsonNode awaitNextEvent(WsTestClient client, String channel) {
        return client.awaitFrame(f -> "event".equals(f.path("type").asText())
                && channel.equals(f.path("channel").asText()), WAIT);
    }

    private static List<String> ids(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i + "-" + UUID.randomUUID()).toList();
    }
}

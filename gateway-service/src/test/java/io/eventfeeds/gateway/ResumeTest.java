package io.eventfeeds.gateway;

import static io.eventfeeds.gateway.TestClients.WAIT;
import static io.eventfeeds.gateway.TestClients.awaitEvent;
import static io.eventfeeds.gateway.TestClients.connect;
import static io.eventfeeds.gateway.TestClients.envelope;
import static io.eventfeeds.gateway.TestClients.subscribe;
import static io.eventfeeds.testsupport.ManagementPortTestResource.management;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfeeds.eventlog.ChannelPartitions;
import io.eventfeeds.events.EventTopics;
import io.eventfeeds.events.Position;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.SharedServers;
import io.eventfeeds.testsupport.WsTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ResumeTest {

    private static final Pattern QUEUED = Pattern.compile(
            "(?m)^feeds_gateway_outbound_queued_bytes(?:\\{[^}]*\\})? (\\S+)");
    /** Events this large fill a stalled client's TCP buffers and then the gateway's queue for it after a few MB. */
    private static final String FILLER = "{\"filler\":\"" + "x".repeat(16 * 1024) + "\"}";

    @TestHTTPResource("/ws")
    URI ws;

    @Inject
    MeterRegistry registry;

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
    void clientsResumingTheSameChannelAtOnceFromDifferentPositionsEachGetExactlyWhatTheyMissedEvenBesideAStalledOne() {
        String channel = "scores:storm-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = ids("storm", 300);
        List<RecordMetadata> written = TestClients.produce(channel,
                ids.stream().map(id -> envelope(channel, id, "{\"n\":1}")).toList());
        List<String> bulky = ids("bulky", 300);
        written = new ArrayList<>(written);
        written.addAll(TestClients.produce(channel, bulky.stream().map(id -> envelope(channel, id, FILLER)).toList()));
        List<String> all = new ArrayList<>(ids);
        all.addAll(bulky);
        int[] missedFrom = {0, 0, 17, 150, 299, 420, 599};

        List<WsTestClient> clients = new ArrayList<>();
        try (WsTestClient stalled = connect(ws, "bob")) {
            stalled.pauseReading();
            for (int from : missedFrom) {
                clients.add(connect(ws, "alice"));
            }
            // Everyone at once: the stalled one first, so that it is in the same group and must leave it.
            stalled.send(resume(channel, positionOf(written.get(0))));
            for (int i = 0; i < clients.size(); i++) {
                clients.get(i).send(resume(channel, positionOf(written.get(missedFrom[i]))));
            }
            for (int i = 0; i < clients.size(); i++) {
                WsTestClient client = clients.get(i);
                List<String> received = new ArrayList<>();
                int expected = all.size() - missedFrom[i] - 1;
                while (received.size() < expected) {
                    received.add(awaitNextEvent(client, channel).path("id").asText());
                }
                client.send("{\"op\":\"ping\"}");
                assertThat(client.awaitFrame(eventOf(channel).or(WsTestClient.ofType("pong")), WAIT)
                        .path("type").asText()).as("client %d: nothing twice", i).isEqualTo("pong");
                assertThat(received).as("client %d resumed after event %d", i, missedFrom[i])
                        .containsExactlyElementsOf(all.subList(missedFrom[i] + 1, all.size()));
            }
            stalled.resumeReading();
            List<String> atStalled = new ArrayList<>();
            while (atStalled.size() < all.size() - 1) {
                atStalled.add(awaitNextEvent(stalled, channel).path("id").asText());
            }
            assertThat(atStalled).containsExactlyElementsOf(all.subList(1, all.size()));
        } finally {
            clients.forEach(WsTestClient::close);
        }
    }

    private static String resume(String channel, String since) {
        return "{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"since\":\"" + since + "\"}";
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

    @Test
    void moreLiveEventsThanTheOutboundQueueHoldsArrivingDuringAReplayAllFollowItInOrderWithoutDroppingTheClient() {
        String channel = "scores:held-" + UUID.randomUUID().toString().substring(0, 8);
        String since = positionOf(TestClients.produce(channel, List.of(envelope(channel, "start", "0"))).get(0));
        List<String> missed = ids("missed", 1000);
        TestClients.produce(channel, missed.stream().map(id -> envelope(channel, id, FILLER)).toList());
        // 2,500 is well above the outbound queue's 1,000 frames (and its 1 MiB in tests), and below the 10,000
        // events a subscription may hold while it replays.
        List<String> during = ids("during", 2500);
        String small = "{\"text\":\"" + "y".repeat(1024) + "\"}";

        try (WsTestClient alice = connect(ws, "alice"); WsTestClient bob = connect(ws, "bob")) {
            subscribe(bob, channel);
            alice.pauseReading();
            alice.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"since\":\"" + since + "\"}");
            // The replay has filled alice's buffers and waits for room, so the live events that follow are held.
            awaitReplayStalled();
            TestClients.produce(channel, during.stream().map(id -> envelope(channel, id, small)).toList());
            awaitEvent(bob, channel, during.get(during.size() - 1));
            alice.resumeReading();

            assertThat(alice.awaitType("subscribed", WAIT).path("position").asText()).isEqualTo(since);
            List<String> received = new ArrayList<>();
            while (received.size() < missed.size() + during.size()) {
                received.add(awaitNextEvent(alice, channel).path("id").asText());
            }
            alice.send("{\"op\":\"ping\"}");
            assertThat(alice.awaitFrame(eventOf(channel).or(WsTestClient.ofType("pong")), WAIT).path("type").asText())
                    .as("no event after the expected ones").isEqualTo("pong");
            List<String> expected = new ArrayList<>(missed);
            expected.addAll(during);
            assertThat(received).containsExactlyElementsOf(expected);
            assertThat(alice.closed()).as("not dropped as too slow").isNotDone();
        }
    }

    @Test
    void eventsDeletedWhileAReplayRunsAreReportedAsExpiredAndTheReplayGoesOnFromTheOldestKeptEvent() throws Exception {
        String channel = "stocks:deleted-" + UUID.randomUUID().toString().substring(0, 8);
        String since = positionOf(TestClients.produce(channel, List.of(envelope(channel, "start", "0"))).get(0));
        List<String> ids = ids("old", 1500);
        List<RecordMetadata> written = TestClients.produce(channel,
                ids.stream().map(id -> envelope(channel, id, FILLER)).toList());
        int keepFrom = 1400;

        try (WsTestClient alice = connect(ws, "alice")) {
            alice.pauseReading();
            alice.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"since\":\"" + since
                    + "\",\"ref\":\"r1\"}");
            // The replay stalls a few MB in, far before the 1,400th event; retention then deletes up to it.
            awaitReplayStalled();
            TopicPartition partition = new TopicPartition(EventTopics.EVENTS, written.get(0).partition());
            try (Admin admin = SharedServers.kafka().admin()) {
                admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(written.get(keepFrom).offset())))
                        .all().get(20, TimeUnit.SECONDS);
            }
            alice.resumeReading();

            assertThat(alice.awaitType("subscribed", WAIT).path("position").asText()).isEqualTo(since);
            List<String> before = new ArrayList<>();
            JsonNode frame;
            while ("event".equals((frame = alice.awaitFrame(eventOf(channel).or(WsTestClient.ofType("error")), WAIT))
                    .path("type").asText())) {
                before.add(frame.path("id").asText());
            }
            assertThat(frame.path("code").asText()).isEqualTo("position_expired");
            assertThat(frame.path("channel").asText()).isEqualTo(channel);
            assertThat(frame.path("ref").asText()).isEqualTo("r1");
            assertThat(before).isNotEmpty().isEqualTo(ids.subList(0, before.size()));
            List<String> after = new ArrayList<>();
            while (after.size() < ids.size() - keepFrom) {
                after.add(awaitNextEvent(alice, channel).path("id").asText());
            }
            assertThat(after).containsExactlyElementsOf(ids.subList(keepFrom, ids.size()));
        }
    }

    @Test
    void clientThatUnsubscribesBeforeItsReplayAnswersGetsNoSubscribedFrame() {
        String channel = "scores:gone-" + UUID.randomUUID().toString().substring(0, 8);
        String since = positionOf(TestClients.produce(channel, List.of(envelope(channel, "start", "0"))).get(0));
        Predicate<JsonNode> subscribed = f -> "subscribed".equals(f.path("type").asText())
                && channel.equals(f.path("channel").asText());
        try (WsTestClient alice = connect(ws, "alice")) {
            alice.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"since\":\"" + since + "\"}");
            alice.send("{\"op\":\"unsubscribe\",\"channel\":\"" + channel + "\"}");
            // The replay needs a Kafka consumer and two broker round trips first: the unsubscribe overtakes it.
            assertThat(alice.awaitFrame(subscribed.or(WsTestClient.ofType("unsubscribed")), WAIT).path("type").asText())
                    .isEqualTo("unsubscribed");
            // The barrier: once no replay is queued or running, the cancelled one has ended, and what it wrote
            // to the connection precedes the pong.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(this::noReplayQueuedOrRunning);
            assertThat(alice.framesBeforePong(WAIT)).as("frames after unsubscribed").isEmpty();
        }
    }

    @Test
    void eventOfTheChannelWrittenToAnotherPartitionReachesNoSubscriberAndHidesNoLaterEvent() throws Exception {
        String channel = "scores:astray-" + UUID.randomUUID().toString().substring(0, 8);
        int own = TestClients.produce(channel, List.of(envelope(channel, "first", "0"))).get(0).partition();
        int partitions;
        try (Admin admin = SharedServers.kafka().admin()) {
            partitions = admin.describeTopics(List.of(EventTopics.EVENTS)).allTopicNames().get(20, TimeUnit.SECONDS)
                    .get(EventTopics.EVENTS).partitions().size();
        }
        int other = (own + 1) % partitions;
        String marker = channelOn(other, partitions);
        try (WsTestClient alice = connect(ws, "alice"); WsTestClient bob = connect(ws, "bob")) {
            subscribe(alice, channel);
            subscribe(bob, marker);
            // The astray record's offset must be above the channel's, else dropping it proves nothing.
            long ownEnd = endOffset(own);
            long otherEnd = endOffset(other);
            if (otherEnd <= ownEnd) {
                TestClients.produceTo(other, marker, IntStream.rangeClosed(0, (int) (ownEnd - otherEnd))
                        .mapToObj(i -> envelope(marker, "filler-" + i, "0")).toList());
            }
            TestClients.produceTo(other, channel, List.of(envelope(channel, "astray", "0")));
            TestClients.produceTo(other, marker, List.of(envelope(marker, "marker", "0")));
            awaitEvent(bob, marker, "marker");
            TestClients.produce(channel, List.of(envelope(channel, "next", "0")));

            assertThat(awaitNextEvent(alice, channel).path("id").asText()).isEqualTo("next");
            alice.send("{\"op\":\"ping\"}");
            assertThat(alice.awaitFrame(eventOf(channel).or(WsTestClient.ofType("pong")), WAIT).path("type").asText())
                    .isEqualTo("pong");
        }
    }

    /** A channel whose records Kafka's default partitioner puts on the partition. */
    private static String channelOn(int partition, int partitions) {
        while (true) {
            String channel = "scores:marker-" + UUID.randomUUID().toString().substring(0, 8);
            if (ChannelPartitions.partitionOf(channel, partitions) == partition) {
                return channel;
            }
        }
    }

    private static long endOffset(int partition) throws Exception {
        TopicPartition topicPartition = new TopicPartition(EventTopics.EVENTS, partition);
        try (Admin admin = SharedServers.kafka().admin()) {
            return admin.listOffsets(Map.of(topicPartition, OffsetSpec.latest())).partitionResult(topicPartition)
                    .get(20, TimeUnit.SECONDS).offset();
        }
    }

    /** Waits until the gateway holds about half of a connection's outbound bytes: a replay waits for room. */
    private static void awaitReplayStalled() {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            Matcher matcher = QUEUED.matcher(given().get(management("metrics")).asString());
            return matcher.find() && Double.parseDouble(matcher.group(1)) >= 256 * 1024;
        });
    }

    private boolean noReplayQueuedOrRunning() {
        return registry.get("feeds.gateway.replays.running").gauge().value() == 0
                && registry.get("feeds.gateway.replays.queued").gauge().value() == 0;
    }

    private static Predicate<JsonNode> eventOf(String channel) {
        return f -> "event".equals(f.path("type").asText()) && channel.equals(f.path("channel").asText());
    }

    private static String positionOf(RecordMetadata written) {
        return new Position(written.partition(), written.offset()).toString();
    }

    private static JsonNode awaitNextEvent(WsTestClient client, String channel) {
        return client.awaitFrame(f -> "event".equals(f.path("type").asText())
                && channel.equals(f.path("channel").asText()), WAIT);
    }

    private static List<String> ids(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i + "-" + UUID.randomUUID()).toList();
    }
}

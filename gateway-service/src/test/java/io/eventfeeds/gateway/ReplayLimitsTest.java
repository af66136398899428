package io.eventfeeds.gateway;

import static io.eventfeeds.gateway.TestClients.WAIT;
import static io.eventfeeds.gateway.TestClients.connect;
import static io.eventfeeds.gateway.TestClients.envelope;
import static io.eventfeeds.testsupport.ManagementPortTestResource.management;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfeeds.events.Position;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.WsTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one caller's resumes may cost: how far back one replay reads, a request of the caller's rate each, and how
 * many replay threads it may hold. The profile sets a replay window of {@value #RECORDS_BACK} records and slices of
 * {@value #SLICE} so that a test needs few events (and every replay here goes alone, in slices), and two replay
 * threads, one per caller.
 */
@QuarkusTest
@TestProfile(ReplayLimitsTest.ShortReplayWindow.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ReplayLimitsTest {

    static final int RECORDS_BACK = 50;
    static final int SLICE = 10;
    private static final Pattern REPLAYS = Pattern.compile("(?m)^feeds_gateway_replays_(running|queued) (\\S+)$");

    public static class ShortReplayWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("feeds.gateway.resume.max-records-back", String.valueOf(RECORDS_BACK),
                    "feeds.gateway.resume.slice-records", String.valueOf(SLICE),
                    "feeds.gateway.resume.max-concurrent", "2",
                    "feeds.gateway.resume.max-concurrent-per-caller", "1");
        }
    }

    @TestHTTPResource("/ws")
    URI ws;

    @BeforeEach
    void gatewayIsReady() {
        TestClients.awaitReady();
    }

    @Test
    void aResumeFromFurtherBackThanTheWindowGetsPositionExpiredAndOnlyTheWindowWhileAnotherResumeIsWhole() {
        String channel = "scores:far-" + UUID.randomUUID().toString().substring(0, 8);
        // An event before them, to resume from: the first of them may be the partition's first (offset 0).
        long start = TestClients.produce(channel, List.of(envelope(channel, "start", "1"))).get(0).offset();
        List<String> ids = IntStream.range(0, 3 * RECORDS_BACK).mapToObj(i -> "far-" + i).toList();
        List<RecordMetadata> written = TestClients.produce(channel,
                ids.stream().map(id -> envelope(channel, id, "1")).toList());
        int partition = written.get(0).partition();
        long last = written.get(written.size() - 1).offset();
        // Nothing else writes to the topic while this test runs: the partition's end is right after the last event.
        long oldestAllowed = last + 1 - RECORDS_BACK;

        try (WsTestClient alice = connect(ws, "alice"); WsTestClient bob = connect(ws, "bob")) {
            alice.send(subscribe(channel, new Position(partition, start), "far"));
            JsonNode expired = alice.awaitType("error", WAIT);
            assertThat(expired.path("code").asText()).isEqualTo("position_expired");
            assertThat(expired.path("message").asText()).contains(new Position(partition, oldestAllowed).toString());
            assertThat(alice.awaitType("subscribed", WAIT).path("position").asText())
                    .isEqualTo(new Position(partition, oldestAllowed - 1).toString());
            assertThat(eventsUntil(alice, channel, ids.get(ids.size() - 1)))
                    .containsExactlyElementsOf(ids.subList(ids.size() - RECORDS_BACK, ids.size()));

            int within = RECORDS_BACK / 2;
            bob.send(subscribe(channel, new Position(partition, last - within), "near"));
            // Its first answer: a position_expired error would come before it.
            JsonNode answer = bob.awaitFrame(frame -> true, WAIT);
            assertThat(answer.path("type").asText()).as(answer.toString()).isEqualTo("subscribed");
            assertThat(answer.path("position").asText()).isEqualTo(new Position(partition, last - within).toString());
            assertThat(eventsUntil(bob, channel, ids.get(ids.size() - 1)))
                    .containsExactlyElementsOf(ids.subList(ids.size() - within, ids.size()));
            assertThat(bob.framesBeforePong(WAIT)).as("frames after the replayed events").isEmpty();
        }
    }

    /** The test profile's rate is 20 requests per second (application.properties): 40 resumes at once exceed it. */
    @Test
    void resumesAreChargedAgainstTheCallersRateAndAnotherCallerStillResumes() {
        int resumes = 40;
        List<String> channels = new ArrayList<>();
        List<Position> positions = new ArrayList<>();
        for (int i = 0; i < resumes + 1; i++) {
            String channel = "scores:charged-" + i + "-" + UUID.randomUUID().toString().substring(0, 8);
            RecordMetadata written = TestClients.produce(channel, List.of(envelope(channel, "c" + i, "1"))).get(0);
            channels.add(channel);
            positions.add(new Position(written.partition(), written.offset()));
        }

        try (WsTestClient alice = connect(ws, "alice"); WsTestClient bob = connect(ws, "bob")) {
            for (int i = 0; i < resumes; i++) {
                alice.send(subscribe(channels.get(i), positions.get(i), "r" + i));
            }
            int subscribed = 0;
            int limited = 0;
            while (subscribed + limited < resumes) {
                JsonNode answer = alice.awaitFrame(f -> "subscribed".equals(f.path("type").asText())
                        || "error".equals(f.path("type").asText()), WAIT);
                if ("subscribed".equals(answer.path("type").asText())) {
                    subscribed++;
                } else {
                    assertThat(answer.path("code").asText()).isEqualTo("rate_limited");
                    assertThat(answer.path("message").asText()).contains("resumes");
                    limited++;
                }
            }
            assertThat(limited).isPositive();
            assertThat(subscribed).isPositive();

            bob.send(subscribe(channels.get(resumes), positions.get(resumes), "bob"));
            assertThat(bob.awaitType("subscribed", WAIT).path("channel").asText()).isEqualTo(channels.get(resumes));
        }
    }

    @Test
    void aCallerWhoseReplaysAreStuckHoldsOneReplayThreadAndAnotherCallersResumeGoesOn() {
        String stuck = "scores:stuck-" + UUID.randomUUID().toString().substring(0, 8);
        RecordMetadata start = TestClients.produce(stuck, List.of(envelope(stuck, "start", "0"))).get(0);
        // Far more than a client that does not read can take: the outbound queue (1 MiB in tests) and the loopback
        // socket's buffers, so each replay waits for room (up to the 30 s drain timeout) holding its thread.
        String big = "{\"filler\":\"" + "x".repeat(512 * 1024) + "\"}";
        TestClients.produce(stuck, IntStream.range(0, RECORDS_BACK - 1).mapToObj(i -> envelope(stuck, "big-" + i, big))
                .toList());
        String other = "scores:other-" + UUID.randomUUID().toString().substring(0, 8);
        RecordMetadata before = TestClients.produce(other, List.of(envelope(other, "seen", "0"))).get(0);
        TestClients.produce(other, List.of(envelope(other, "missed", "1")));

        try (WsTestClient alice1 = connect(ws, "alice"); WsTestClient alice2 = connect(ws, "alice");
                WsTestClient bob = connect(ws, "bob")) {
            Position since = new Position(start.partition(), start.offset());
            for (WsTestClient alice : List.of(alice1, alice2)) {
                alice.pauseReading();
                alice.send(subscribe(stuck, since, "stuck"));
            }
            // Both of alice's replays are in the pool: one holds her one thread, waiting for room; the other waits.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> replays("running") == 1
                    && replays("queued") == 1);

            bob.send(subscribe(other, new Position(before.partition(), before.offset()), "bob"));
            assertThat(bob.awaitFrame(f -> "event".equals(f.path("type").asText()), WAIT).path("id").asText())
                    .isEqualTo("missed");
            assertThat(alice1.closed()).as("bob did not wait for alice's replays to be dropped").isNotDone();
            assertThat(alice2.closed()).isNotDone();
        }
    }

    private static double replays(String state) {
        Matcher matcher = REPLAYS.matcher(given().get(management("metrics")).asString());
        while (matcher.find()) {
            if (matcher.group(1).equals(state)) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        return -1;
    }

    private static String subscribe(String channel, Position since, String ref) {
        return "{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"since\":\"" + since + "\",\"ref\":\"" + ref
                + "\"}";
    }

    /** The ids of the channel's events the client receives, in order, up to and including {@code last}. */
    private static List<String> eventsUntil(WsTestClient client, String channel, String last) {
        List<String> ids = new ArrayList<>();
        while (ids.isEmpty() || !last.equals(ids.get(ids.size() - 1))) {
            ids.add(client.awaitFrame(f -> "event".equals(f.path("type").asText())
                    && channel.equals(f.path("channel").asText()), WAIT).path("id").asText());
        }
        return ids;
    }
}

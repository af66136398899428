package io.eventfeeds.gateway;

import static io.eventfeeds.gateway.TestClients.WAIT;
import static io.eventfeeds.gateway.TestClients.connect;
import static io.eventfeeds.gateway.TestClients.envelope;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one caller's resumes may cost: how far back one replay reads, and a request of the caller's rate each. The
 * profile sets a replay window of {@value #RECORDS_BACK} records so that a test needs few events.
 */
@QuarkusTest
@TestProfile(ReplayLimitsTest.ShortReplayWindow.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ReplayLimitsTest {

    static final int RECORDS_BACK = 50;

    public static class ShortReplayWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("feeds.gateway.resume.max-records-back", String.valueOf(RECORDS_BACK));
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
        List<String> ids = IntStream.range(0, 3 * RECORDS_BACK).mapToObj(i -> "far-" + i).toList();
        List<RecordMetadata> written = TestClients.produce(channel,
                ids.stream().map(id -> envelope(channel, id, "1")).toList());
        int partition = written.get(0).partition();
        long last = written.get(written.size() - 1).offset();
        // Nothing else writes to the topic while this test runs: the partition's end is right after the last event.
        long oldestAllowed = last + 1 - RECORDS_BACK;

        try (WsTestClient alice = connect(ws, "alice"); WsTestClient bob = connect(ws, "bob")) {
            alice.send(subscribe(channel, new Position(partition, written.get(0).offset() - 1), "far"));
            JsonNode expired = alice.awaitType("error", WAIT);
            assertThat(expired.path("code").asText()).isEqualTo("position_expired");
            assertThat(expired.path("message").asText()).contains(new Position(partition, oldestAllowed).toString());
            assertThat(alice.awaitType("subscribed", WAIT).path("position").asText())
                    .isEqualTo(new Position(partition, oldestAllowed - 1).toString());
            assertThat(eventsUntil(alice, channel, ids.get(ids.size() - 1)))
                    .containsExactlyElementsOf(ids.subList(ids.size() - RECORDS_BACK, ids.size()));

            int within = RECORDS_BACK / 2;
            bob.send(subscribe(channel, new Position(partition, last - within), "near"));
            assertThat(bob.awaitType("subscribed", WAIT).path("position").asText())
                    .isEqualTo(new Position(partition, last - within).toString());
            assertThat(eventsUntil(bob, channel, ids.get(ids.size() - 1)))
                    .containsExactlyElementsOf(ids.subList(ids.size() - within, ids.size()));
            assertThat(bob.received(frame -> "error".equals(frame.path("type").asText()))).isFalse();
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

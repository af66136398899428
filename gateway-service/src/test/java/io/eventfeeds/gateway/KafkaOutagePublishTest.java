package io.eventfeeds.gateway;

import static io.eventfeeds.gateway.TestClients.WAIT;
import static io.eventfeeds.gateway.TestClients.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfeeds.events.Position;
import io.eventfeeds.testsupport.EventTopicReader;
import io.eventfeeds.testsupport.KafkaCluster;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.SharedServers;
import io.eventfeeds.testsupport.WsTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Stops the shared broker under a running gateway while a client publishes keyed events over the WebSocket, then
 * retries every refused event with its key once the broker is back, and counts what is in the log with Kafka's own
 * consumer. The WebSocket twin of feed-service's {@code KafkaOutageTest}: the broker is restarted in
 * {@code finally}, and the test only ends once the gateway publishes again and is ready, so no other test sees the
 * broker down.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class KafkaOutagePublishTest {

    static final String NOT_WRITTEN = "event_log_unavailable";
    static final String OUTCOME_UNKNOWN = "event_outcome_unknown";
    /** Publishes while the broker is down, each sent once the previous one was answered. */
    static final int DURING = 10;
    /**
     * feeds.gateway.publish.hand-over-timeout (1 s) and slack for a busy machine, still below the producer's own
     * bounds (max.block.ms 5 s, delivery.timeout.ms 10 s): an answer that waited for those fails.
     */
    static final Duration HAND_OVER = Duration.ofMillis(4500);
    /** Refused without trying the producer. */
    static final Duration AT_ONCE = Duration.ofMillis(500);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/ws")
    URI ws;

    private final AtomicInteger refs = new AtomicInteger();

    record Answer(int seq, JsonNode frame, long millis) {
        String code() {
            return frame.path("code").asText();
        }
    }

    @Test
    void aBrokerOutageIsAnsweredNotWrittenAtOnceAndEachKeyedRetryLeavesOneCopyInTheLog() {
        TestClients.awaitReady();
        String channel = "chat:outage-" + UUID.randomUUID().toString().substring(0, 8);
        String run = UUID.randomUUID().toString();
        try (WsTestClient alice = connect(ws, "alice")) {
            assertThat(publish(alice, channel, run, 0).frame().path("type").asText())
                    .as("a publish before the outage").isEqualTo("ack");

            KafkaCluster broker = SharedServers.kafka();
            List<Answer> during = new ArrayList<>();
            broker.stop();
            try {
                for (int seq = 100; seq < 100 + DURING; seq++) {
                    during.add(publish(alice, channel, run, seq));
                }
            } finally {
                broker.start();
            }

            assertThat(during).allSatisfy(answer -> {
                assertThat(answer.frame().path("type").asText()).as("event %d: %s", answer.seq(), answer.frame())
                        .isEqualTo("error");
                assertThat(answer.code()).as("event %d", answer.seq()).isIn(NOT_WRITTEN, OUTCOME_UNKNOWN);
                assertThat(answer.frame().path("retry_after").asInt()).as("event %d", answer.seq()).isPositive();
                assertThat(answer.frame().path("channel").asText()).isEqualTo(channel);
            });
            List<Answer> notWritten = during.stream().filter(answer -> NOT_WRITTEN.equals(answer.code())).toList();
            assertThat(notWritten).as("not written: refused at once or abandoned after the hand-over timeout")
                    .isNotEmpty()
                    .allSatisfy(answer -> assertThat(answer.millis()).as("event %d", answer.seq())
                            .isLessThan(HAND_OVER.toMillis()));
            // Once the first event missed the hand-over timeout, publishes are refused at once, but for one probe a
            // second.
            assertThat(during).filteredOn(answer -> answer.millis() < AT_ONCE.toMillis())
                    .as("answered within %s", AT_ONCE).hasSizeGreaterThanOrEqualTo(DURING / 2);

            // The producer reconnects by itself; until then a publish is refused. Its ack is the barrier: the log
            // is read to its end after it.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                Answer probe = publish(alice, channel, run, 1000);
                assertThat(probe.frame().path("type").asText().equals("ack") || probe.code().equals(NOT_WRITTEN)
                        || probe.code().equals(OUTCOME_UNKNOWN)).as("%s", probe.frame()).isTrue();
                return "ack".equals(probe.frame().path("type").asText());
            });
            Set<Integer> notWrittenSeqs = notWritten.stream().map(Answer::seq).collect(Collectors.toSet());
            assertThat(copiesBySeq(channel).keySet()).as("events answered %s, in the log once Kafka is back",
                    NOT_WRITTEN).doesNotContainAnyElementsOf(notWrittenSeqs);

            // The client retries every refused event with its key: each is written now, or was already.
            Map<Integer, String> ackedPositions = new HashMap<>();
            for (Answer answer : during) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    Answer retry = publish(alice, channel, run, answer.seq());
                    boolean acked = "ack".equals(retry.frame().path("type").asText());
                    if (acked) {
                        ackedPositions.put(answer.seq(), retry.frame().path("position").asText());
                    }
                    return acked;
                });
            }

            Map<Integer, List<String>> inLog = copiesBySeq(channel);
            for (Answer answer : during) {
                assertThat(inLog.get(answer.seq())).as("copies of event %d in the log", answer.seq())
                        .containsExactly(ackedPositions.get(answer.seq()));
            }
            assertThat(inLog.values()).as("no event is in the log twice").allSatisfy(copies ->
                    assertThat(copies).hasSize(1));
        }
        TestClients.awaitReady();
    }

    /** Event {@code seq} of this run, always with the same key and data, as a client's retry would be; its answer. */
    private Answer publish(WsTestClient client, String channel, String run, int seq) {
        String ref = "p" + refs.incrementAndGet();
        long start = System.nanoTime();
        client.send("{\"op\":\"publish\",\"channel\":\"" + channel + "\",\"event_type\":\"n\",\"data\":{\"seq\":"
                + seq + "},\"idempotency_key\":\"" + run + "-" + seq + "\",\"ref\":\"" + ref + "\"}");
        JsonNode answer = client.awaitFrame(frame -> ref.equals(frame.path("ref").asText()), WAIT);
        return new Answer(seq, answer, (System.nanoTime() - start) / 1_000_000);
    }

    /** The positions of each event of the channel in the log, by its {@code seq}, read to the log's end. */
    private static Map<Integer, List<String>> copiesBySeq(String channel) {
        List<ConsumerRecord<String, String>> records = EventTopicReader.readToEnd(
                SharedServers.kafka().bootstrapServers(), record -> channel.equals(record.key()), WAIT);
        Map<Integer, List<String>> copies = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                int seq = JSON.readTree(record.value()).path("data").path("seq").asInt();
                copies.computeIfAbsent(seq, ignored -> new ArrayList<>())
                        .add(new Position(record.partition(), record.offset()).toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return copies;
    }
}

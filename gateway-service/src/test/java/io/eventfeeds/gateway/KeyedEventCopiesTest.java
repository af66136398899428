package io.eventfeeds.gateway;

import static io.eventfeeds.gateway.TestClients.WAIT;
import static io.eventfeeds.gateway.TestClients.connect;
import static io.eventfeeds.gateway.TestClients.envelope;
import static io.eventfeeds.gateway.TestClients.subscribe;
import static io.eventfeeds.testsupport.WsTestClient.ofType;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfeeds.events.EventIds;
import io.eventfeeds.events.Position;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.WsTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Copies of a keyed event in the log (a publisher's retry that reached Kafka twice) reach a subscriber once, live and
 * on resume; events without a key are never taken for copies.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class KeyedEventCopiesTest {

    @TestHTTPResource("/ws")
    URI ws;

    @BeforeEach
    void gatewayIsReady() {
        TestClients.awaitReady();
    }

    @Test
    void aLiveSubscriberGetsEachKeyedEventOnceHoweverOftenTheLogHoldsIt() {
        String channel = channel();
        String keyed = EventIds.keyed("service-account-publisher", "order-" + UUID.randomUUID());
        String unkeyed = "plain-" + UUID.randomUUID();
        String barrier = "barrier-" + UUID.randomUUID();
        try (WsTestClient alice = connect(ws, "alice")) {
            subscribe(alice, channel);
            TestClients.produce(channel, List.of(envelope(channel, keyed, "1"), envelope(channel, keyed, "1"),
                    envelope(channel, unkeyed, "2"), envelope(channel, unkeyed, "2"), envelope(channel, keyed, "1"),
                    envelope(channel, barrier, "3")));

            assertThat(eventIdsUntil(alice, channel, barrier)).containsExactly(keyed, unkeyed, unkeyed, barrier);
        }
    }

    @Test
    void aResumingSubscriberGetsEachKeyedEventOnce() {
        String channel = channel();
        String keyed = EventIds.keyed("service-account-publisher", "order-" + UUID.randomUUID());
        String barrier = "barrier-" + UUID.randomUUID();
        RecordMetadata start = TestClients.produce(channel, List.of(envelope(channel, "start", "0"))).get(0);
        TestClients.produce(channel, List.of(envelope(channel, keyed, "1"), envelope(channel, "between", "2"),
                envelope(channel, keyed, "1"), envelope(channel, barrier, "3")));

        try (WsTestClient alice = connect(ws, "alice")) {
            String since = new Position(start.partition(), start.offset()).toString();
            alice.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"since\":\"" + since + "\"}");
            alice.awaitType("subscribed", WAIT);

            assertThat(eventIdsUntil(alice, channel, barrier)).containsExactly(keyed, "between", barrier);
        }
    }

    @Test
    void aClientRepublishingWithTheSameIdempotencyKeyIsDeliveredOnceAndBothPublishesAreAcknowledged() {
        String channel = "chat:keyed-" + UUID.randomUUID().toString().substring(0, 8);
        String key = "msg-" + UUID.randomUUID();
        try (WsTestClient alice = connect(ws, "alice"); WsTestClient bob = connect(ws, "bob")) {
            subscribe(bob, channel);
            List<String> positions = new ArrayList<>();
            for (String ref : List.of("first", "retry")) {
                alice.send("{\"op\":\"publish\",\"channel\":\"" + channel + "\",\"data\":{\"text\":\"once\"},"
                        + "\"idempotency_key\":\"" + key + "\",\"ref\":\"" + ref + "\"}");
                JsonNode answer = alice.awaitFrame(f -> ref.equals(f.path("ref").asText()), WAIT);
                assertThat(answer.path("type").asText()).isEqualTo("ack");
                positions.add(answer.path("position").asText());
            }
            assertThat(positions.get(1)).as("the retry gets the first publish's ack, not a second write")
                    .isEqualTo(positions.get(0));
            alice.send("{\"op\":\"publish\",\"channel\":\"" + channel + "\",\"data\":{\"text\":\"end\"},\"ref\":\"b\"}");
            JsonNode end = alice.awaitFrame(f -> "b".equals(f.path("ref").asText()), WAIT);
            assertThat(end.path("type").asText()).isEqualTo("ack");

            List<JsonNode> atBob = new ArrayList<>();
            bob.awaitFrame(f -> {
                if ("event".equals(f.path("type").asText())) {
                    atBob.add(f);
                }
                return end.path("position").asText().equals(f.path("position").asText());
            }, WAIT);
            assertThat(atBob).extracting(f -> f.path("data").path("text").asText()).containsExactly("once", "end");
            assertThat(EventIds.isKeyed(atBob.get(0).path("id").asText()))
                    .as("the id is made from the publisher and the key, as feed-service makes it").isTrue();
        }
    }

    @Test
    void anIdempotencyKeyReusedForAnotherEventIsRefusedAndNotWritten() {
        String channel = "chat:keyed-" + UUID.randomUUID().toString().substring(0, 8);
        String key = "msg-" + UUID.randomUUID();
        try (WsTestClient alice = connect(ws, "alice")) {
            alice.send("{\"op\":\"publish\",\"channel\":\"" + channel + "\",\"data\":{\"text\":\"one\"},"
                    + "\"idempotency_key\":\"" + key + "\",\"ref\":\"a\"}");
            assertThat(alice.awaitFrame(f -> "a".equals(f.path("ref").asText()), WAIT).path("type").asText())
                    .isEqualTo("ack");

            alice.send("{\"op\":\"publish\",\"channel\":\"" + channel + "\",\"data\":{\"text\":\"two\"},"
                    + "\"idempotency_key\":\"" + key + "\",\"ref\":\"b\"}");
            JsonNode refused = alice.awaitFrame(f -> "b".equals(f.path("ref").asText()), WAIT);
            assertThat(refused.path("code").asText()).isEqualTo("idempotency_key_reused");
            assertThat(refused.path("channel").asText()).isEqualTo(channel);
        }
    }

    @Test
    void anIdempotencyKeyThatIsNoShortStringIsABadRequest() {
        try (WsTestClient alice = connect(ws, "alice")) {
            for (String key : List.of("1", "\"\"", "\"" + "k".repeat(EventIds.MAX_KEY_LENGTH + 1) + "\"")) {
                alice.send("{\"op\":\"publish\",\"channel\":\"chat:a\",\"data\":{},\"idempotency_key\":" + key
                        + ",\"ref\":\"k\"}");
                JsonNode refused = alice.awaitType("error", WAIT);
                assertThat(refused.path("code").asText()).as(key).isEqualTo("bad_request");
                assertThat(refused.path("ref").asText()).isEqualTo("k");
            }
        }
    }

    /** Ids of the channel's events as they arrive, up to and with the barrier event. */
    private static List<String> eventIdsUntil(WsTestClient client, String channel, String barrier) {
        List<String> ids = new ArrayList<>();
        client.awaitFrame(f -> {
            if (ofType("event").test(f) && channel.equals(f.path("channel").asText())) {
                ids.add(f.path("id").asText());
            }
            return barrier.equals(f.path("id").asText());
        }, WAIT);
        return ids;
    }

    private static String channel() {
        return "scores:keyed-" + UUID.randomUUID().toString().substring(0, 8);
    }
}

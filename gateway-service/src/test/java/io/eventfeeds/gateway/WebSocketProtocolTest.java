package io.eventfeeds.gateway;

import static io.eventfeeds.gateway.TestClients.WAIT;
import static io.eventfeeds.gateway.TestClients.awaitEvent;
import static io.eventfeeds.gateway.TestClients.connect;
import static io.eventfeeds.gateway.TestClients.subscribe;
import static io.eventfeeds.testsupport.ManagementPortTestResource.management;
import static io.eventfeeds.testsupport.WsTestClient.ofType;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfeeds.events.Position;
import io.eventfeeds.testsupport.EventTopicReader;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.WsTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class WebSocketProtocolTest {

    @TestHTTPResource("/ws")
    URI ws;

    @BeforeEach
    void gatewayIsReady() {
        TestClients.awaitReady();
    }

    @Test
    void chatMessageFromAliceReachesBobAndHerselfInTheRoomButNotDaveInAnotherRoom() {
        String room = "chat:room-" + UUID.randomUUID().toString().substring(0, 8);
        String otherRoom = "chat:other-" + UUID.randomUUID().toString().substring(0, 8);
        try (WsTestClient alice = connect(ws, "alice"); WsTestClient bob = connect(ws, "bob");
                WsTestClient dave = connect(ws, "dave")) {
            subscribe(alice, room);
            subscribe(bob, room);
            subscribe(dave, otherRoom);

            alice.send("{\"op\":\"publish\",\"channel\":\"" + room + "\",\"data\":{\"text\":\"hi bob\"},\"ref\":\"c1\"}");
            // Alice's ack and her own copy of the event travel separately: either may come first.
            List<JsonNode> atAlice = alice.awaitEach(WAIT, ofType("ack"), ofType("event"));
            JsonNode ack = atAlice.get(0);
            assertThat(ack.path("ref").asText()).isEqualTo("c1");

            JsonNode atBob = bob.awaitFrame(f -> "event".equals(f.path("type").asText()), WAIT);
            assertThat(atBob.path("channel").asText()).isEqualTo(room);
            assertThat(atBob.path("data").path("text").asText()).isEqualTo("hi bob");
            assertThat(atBob.path("position").asText()).isEqualTo(ack.path("position").asText());
            assertThat(atAlice.get(1).path("id").asText()).isEqualTo(atBob.path("id").asText());

            // Dave proves he is live by receiving his own room's message, and never saw the other one.
            dave.send("{\"op\":\"publish\",\"channel\":\"" + otherRoom + "\",\"data\":{\"text\":\"x\"},\"ref\":\"d1\"}");
            JsonNode atDave = dave.awaitFrame(f -> "event".equals(f.path("type").asText()), WAIT);
            assertThat(atDave.path("channel").asText()).isEqualTo(otherRoom);
        }
    }

    @Test
    void publishAckCarriesTheRecordsPositionAndThePublisherIsTheIdentityNotTheClientsClaim() {
        String room = "chat:ack-" + UUID.randomUUID().toString().substring(0, 8);
        try (WsTestClient alice = connect(ws, "alice")) {
            alice.send("{\"op\":\"publish\",\"channel\":\"" + room + "\",\"event_type\":\"message\","
                    + "\"publisher\":\"mallory\",\"data\":{\"text\":\"who am i\"},\"ref\":\"r-42\"}");
            JsonNode ack = alice.awaitType("ack", WAIT);
            assertThat(ack.path("ref").asText()).isEqualTo("r-42");
            Position position = Position.parse(ack.path("position").asText()).orElseThrow();

            List<ConsumerRecord<String, String>> records = EventTopicReader.readAll(r -> room.equals(r.key()), 1, WAIT);
            assertThat(records).hasSize(1);
            assertThat(new Position(records.get(0).partition(), records.get(0).offset())).isEqualTo(position);
            assertThat(records.get(0).value()).contains("\"publisher\":\"alice\"").doesNotContain("mallory")
                    .contains("\"type\":\"message\"");
        }
    }

    @Test
    void carolMayNeitherSubscribeToNorPublishInChat() {
        try (WsTestClient carol = connect(ws, "carol")) {
            carol.send("{\"op\":\"subscribe\",\"channel\":\"chat:lobby\",\"ref\":\"s1\"}");
            JsonNode refused = carol.awaitType("error", WAIT);
            assertThat(refused.path("code").asText()).isEqualTo("forbidden");
            assertThat(refused.path("ref").asText()).isEqualTo("s1");

            carol.send("{\"op\":\"publish\",\"channel\":\"chat:lobby\",\"data\":{},\"ref\":\"p1\"}");
            refused = carol.awaitType("error", WAIT);
            assertThat(refused.path("code").asText()).isEqualTo("forbidden");
            assertThat(refused.path("ref").asText()).isEqualTo("p1");

            carol.send("{\"op\":\"ping\"}");
            carol.awaitType("pong", WAIT);
        }
    }

    @Test
    void onlyTheOwnerMaySubscribeToAUserChannel() {
        try (WsTestClient alice = connect(ws, "alice")) {
            alice.send("{\"op\":\"subscribe\",\"channel\":\"user:someone-else\"}");
            assertThat(alice.awaitType("error", WAIT).path("code").asText()).isEqualTo("forbidden");
        }
    }

    @Test
    void aUserChannelEventReachesItsOwnerAndNobodyElse() {
        String aliceSubject = subjectOf(TestClients.token("alice"));
        String channel = "user:" + aliceSubject;
        try (WsTestClient alice = connect(ws, "alice"); WsTestClient bob = connect(ws, "bob")) {
            subscribe(alice, channel);
            bob.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\"}");
            assertThat(bob.awaitType("error", WAIT).path("code").asText()).isEqualTo("forbidden");

            String id = UUID.randomUUID().toString();
            TestClients.produce(channel, List.of(TestClients.envelope(channel, id, "{\"note\":\"for alice\"}")));
            assertThat(awaitEvent(alice, channel, id).path("data").path("note").asText()).isEqualTo("for alice");

            // Bob proves he is live with a ping after the event was delivered, and never saw it.
            assertThat(bob.framesBeforePong(WAIT)).as("ids of the frames bob got before his pong")
                    .extracting(frame -> frame.path("id").asText()).doesNotContain(id);
        }
    }

    @Test
    void aChannelInAnUnknownNamespaceIsUnknown() {
        try (WsTestClient alice = connect(ws, "alice")) {
            alice.send("{\"op\":\"subscribe\",\"channel\":\"weather:paris\",\"ref\":\"u1\"}");
            JsonNode error = alice.awaitType("error", WAIT);
            assertThat(error.path("code").asText()).isEqualTo("unknown_channel");
            assertThat(error.path("message").asText()).contains("weather");
        }
    }

    @Test
    void badFramesGetErrorFramesAndTheConnectionStaysUsable() {
        try (WsTestClient alice = connect(ws, "alice")) {
            assertThat(answer(alice, "{not json")).isEqualTo("bad_request");
            assertThat(answer(alice, "[1,2]")).isEqualTo("bad_request");
            assertThat(answer(alice, "{\"channel\":\"scores:a\"}")).isEqualTo("bad_request");
            assertThat(answer(alice, "{\"op\":\"dance\",\"ref\":\"x\"}")).isEqualTo("unknown_op");
            assertThat(answer(alice, "{\"op\":\"subscribe\"}")).isEqualTo("bad_request");
            assertThat(answer(alice, "{\"op\":\"subscribe\",\"channel\":\"Not A Channel\"}")).isEqualTo("bad_request");
            assertThat(answer(alice, "{\"op\":\"subscribe\",\"channel\":\"scores:a\",\"since\":\"soon\"}"))
                    .isEqualTo("bad_request");
            assertThat(answer(alice, "{\"op\":\"publish\",\"channel\":\"chat:a\"}")).isEqualTo("bad_request");
            assertThat(answer(alice, "{\"op\":\"publish\",\"channel\":\"chat:a\",\"data\":1,\"event_type\":\""
                    + "t".repeat(129) + "\"}")).isEqualTo("bad_request");

            alice.send("{\"op\":\"ping\"}");
            alice.awaitType("pong", WAIT);
            assertThat(alice.closeCode()).isNotDone();
        }
    }

    @Test
    void aBinaryFrameClosesTheConnectionWithUnsupportedData() {
        try (WsTestClient alice = connect(ws, "alice")) {
            alice.sendBinary(new byte[] {0x7b, 0x7d});

            assertThat(alice.closeCode()).succeedsWithin(WAIT).isEqualTo(1003);
        }
    }

    @Test
    void aTextFrameThatIsNotUtf8ClosesTheConnectionWithInvalidPayload() throws Exception {
        byte[] notUtf8 = {'{', '"', 'o', 'p', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'};
        try (RawWebSocket raw = RawWebSocket.open(ws, TestClients.token("alice"))) {
            raw.sendText(notUtf8);

            assertThat(raw.closeCode(WAIT)).isEqualTo(1007);
        }
    }

    @Test
    void aFrameOfExactlyTheProtocolsLimitIsHandled() {
        String prefix = "{\"op\":\"publish\",\"channel\":\"chat:limit\",\"ref\":\"big\",\"data\":\"";
        String suffix = "\"}";
        String frame = prefix + "x".repeat(64 * 1024 - prefix.length() - suffix.length()) + suffix;
        try (WsTestClient alice = connect(ws, "alice")) {
            alice.send(frame);

            JsonNode answer = alice.awaitFrame(f -> "big".equals(f.path("ref").asText()), WAIT);
            assertThat(answer.path("type").asText()).isEqualTo("ack");
        }
    }

    @Test
    void aFrameAboveTheProtocolsLimitClosesTheConnectionWithMessageTooBig() throws Exception {
        try (RawWebSocket raw = RawWebSocket.open(ws, TestClients.token("alice"))) {
            raw.sendTextHeader(64 * 1024 + 1, "{\"op\":\"ping\"".getBytes(StandardCharsets.UTF_8));

            assertThat(raw.closeCode(WAIT)).isEqualTo(1009);
        }
    }

    @Test
    void aConnectionMayHoldAtMostTheConfiguredNumberOfSubscriptions() {
        try (WsTestClient alice = connect(ws, "alice")) {
            for (int i = 0; i < 100; i++) {
                subscribe(alice, "scores:limit-" + i);
            }
            alice.send("{\"op\":\"subscribe\",\"channel\":\"scores:limit-100\",\"ref\":\"one-too-many\"}");
            JsonNode refused = alice.awaitType("error", WAIT);
            assertThat(refused.path("code").asText()).isEqualTo("too_many_subscriptions");
            assertThat(refused.path("ref").asText()).isEqualTo("one-too-many");

            alice.send("{\"op\":\"unsubscribe\",\"channel\":\"scores:limit-0\"}");
            alice.awaitType("unsubscribed", WAIT);
            subscribe(alice, "scores:limit-100");
        }
    }

    @Test
    void publishingFasterThanTheCallersRateIsAnsweredWithRateLimitedAndTheConnectionGoesOn() {
        String room = "chat:flood-" + UUID.randomUUID().toString().substring(0, 8);
        int sent = 150; // above the test profile's 20 publishes per second, inside the connection's frame burst
        try (WsTestClient dave = connect(ws, "dave")) {
            for (int i = 0; i < sent; i++) {
                dave.send("{\"op\":\"publish\",\"channel\":\"" + room + "\",\"data\":" + i + ",\"ref\":\"f" + i + "\"}");
            }
            int acks = 0;
            int limited = 0;
            while (acks + limited < sent) {
                JsonNode answer = dave.awaitFrame(f -> "ack".equals(f.path("type").asText())
                        || "error".equals(f.path("type").asText()), WAIT);
                if ("ack".equals(answer.path("type").asText())) {
                    acks++;
                } else {
                    assertThat(answer.path("code").asText()).isEqualTo("rate_limited");
                    assertThat(answer.path("ref").asText()).startsWith("f");
                    limited++;
                }
            }
            assertThat(limited).as("publishes over the test profile's 20 per second").isPositive();
            assertThat(acks).isPositive();
            dave.send("{\"op\":\"ping\"}");
            dave.awaitType("pong", WAIT);
        }
    }

    @Test
    void systemBroadcastReachesEveryConnectionWithoutSubscribing() {
        String id = UUID.randomUUID().toString();
        try (WsTestClient alice = connect(ws, "alice"); WsTestClient carol = connect(ws, "carol")) {
            alice.send("{\"op\":\"ping\"}");
            alice.awaitType("pong", WAIT);
            carol.send("{\"op\":\"ping\"}");
            carol.awaitType("pong", WAIT);
            TestClients.produce("system:announcements",
                    List.of(TestClients.envelope("system:announcements", id, "{\"text\":\"maintenance at 5\"}")));
            assertThat(awaitEvent(alice, "system:announcements", id).path("data").path("text").asText())
                    .isEqualTo("maintenance at 5");
            awaitEvent(carol, "system:announcements", id);
        }
    }

    @Test
    void subscribedPositionIsTheLastEventTheClientWillNotReceive() {
        String channel = "scores:pos-" + UUID.randomUUID().toString().substring(0, 8);
        String before = UUID.randomUUID().toString();
        var written = TestClients.produce(channel, List.of(TestClients.envelope(channel, before, "1")));
        try (WsTestClient alice = connect(ws, "alice")) {
            JsonNode subscribed = null;
            // The fan-out consumer may still be reading the event written just before: once it has, the
            // subscribed position is at or after it.
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                subscribed = subscribe(alice, channel);
                Position at = Position.parse(subscribed.path("position").asText()).orElse(null);
                if (at != null && at.offset() >= written.get(0).offset()) {
                    break;
                }
            }
            Position at = Position.parse(subscribed.path("position").asText()).orElseThrow();
            assertThat(at.partition()).isEqualTo(written.get(0).partition());
            String after = UUID.randomUUID().toString();
            TestClients.produce(channel, List.of(TestClients.envelope(channel, after, "2")));
            JsonNode next = alice.awaitFrame(f -> "event".equals(f.path("type").asText()), WAIT);
            assertThat(next.path("id").asText()).isEqualTo(after);
        }
    }

    @Test
    void gatewayMetricsAreExposed() {
        given().get(management("metrics")).then().statusCode(200)
                .body(containsString("feeds_gateway_connections"))
                .body(containsString("feeds_gateway_subscriptions"))
                .body(containsString("feeds_gateway_events_consumed_total"))
                .body(containsString("feeds_gateway_frames_delivered_total"))
                .body(containsString("feeds_gateway_slow_clients_dropped_total"))
                .body(containsString("feeds_gateway_publish_acks_total"))
                .body(containsString("feeds_gateway_consumer_lag"))
                .body(containsString("feeds_gateway_outbound_queued_bytes"))
                .body(containsString("feeds_gateway_silent_clients_closed_total"));
    }

    @Test
    void metricsCountConsumedEventsTheirAgeDeliveredFramesAndPublishAcks() {
        double consumed = metric("feeds_gateway_events_consumed_total");
        double aged = metric("feeds_gateway_events_age_seconds_count");
        double delivered = metric("feeds_gateway_frames_delivered_total");
        double acks = metric("feeds_gateway_publish_acks_total");
        String room = "chat:metrics-" + UUID.randomUUID().toString().substring(0, 8);
        try (WsTestClient alice = connect(ws, "alice")) {
            subscribe(alice, room);
            alice.send("{\"op\":\"publish\",\"channel\":\"" + room + "\",\"data\":{},\"ref\":\"m1\"}");
            alice.awaitEach(WAIT, ofType("ack"), ofType("event"));

            assertThat(metric("feeds_gateway_connections")).isGreaterThanOrEqualTo(1);
            assertThat(metric("feeds_gateway_subscriptions")).isGreaterThanOrEqualTo(1);
            assertThat(metric("feeds_gateway_publish_acks_total")).isGreaterThan(acks);
            // Counted after the frame is written, which may be a moment after the client read it.
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(metric("feeds_gateway_events_consumed_total")).isGreaterThan(consumed);
                assertThat(metric("feeds_gateway_events_age_seconds_count")).isGreaterThan(aged);
                assertThat(metric("feeds_gateway_frames_delivered_total")).isGreaterThan(delivered);
            });
            assertThat(metric("feeds_gateway_consumer_lag")).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void readinessIncludesTheFanOutConsumerAssignment() {
        given().get(management("health/ready")).then().statusCode(200).body(containsString("fan-out consumer assigned"));
    }

    @Test
    void handshakeWithoutCredentialsIsRefusedBeforeUpgrading() {
        assertThatThrownBy(() -> WsTestClient.connect(ws, null)).isInstanceOfSatisfying(
                WsTestClient.HandshakeRefused.class, refused -> assertThat(refused.status()).isEqualTo(401));
    }

    /** The sum of a Prometheus metric's samples (all tag combinations); fails if it is not exposed. */
    private static double metric(String name) {
        String body = given().get(management("metrics")).then().statusCode(200).extract().asString();
        List<Double> samples = body.lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .toList();
        assertThat(samples).as("samples of " + name).isNotEmpty();
        return samples.stream().mapToDouble(Double::doubleValue).sum();
    }

    private static String subjectOf(String token) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        try {
            return new ObjectMapper().readTree(payload).path("sub").asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String answer(WsTestClient client, String frame) {
        client.send(frame);
        return client.awaitType("error", Duration.ofSeconds(10)).path("code").asText();
    }
}

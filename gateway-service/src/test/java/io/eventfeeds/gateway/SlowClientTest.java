package io.eventfeeds.gateway;

import static io.eventfeeds.gateway.TestClients.WAIT;
import static io.eventfeeds.gateway.TestClients.connect;
import static io.eventfeeds.gateway.TestClients.envelope;
import static io.eventfeeds.gateway.TestClients.subscribe;
import static io.eventfeeds.testsupport.ManagementPortTestResource.management;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.WsTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SlowClientTest {

    private static final Pattern DROPPED = Pattern.compile("(?m)^feeds_gateway_slow_clients_dropped_total(?:\\{[^}]*\\})? (\\S+)");

    @TestHTTPResource("/ws")
    URI ws;

    @BeforeEach
    void gatewayIsReady() {
        TestClients.awaitReady();
    }

    @Test
    void clientThatStopsReadingIsDroppedWith4008WhileAFastOneOnTheSameChannelGetsEverything() throws Exception {
        String channel = "scores:slow-" + UUID.randomUUID().toString().substring(0, 8);
        String payload = "{\"filler\":\"" + "x".repeat(16 * 1024) + "\"}";
        double droppedBefore = droppedSoFar();
        StalledListener stalled = new StalledListener();
        URI wsUri = URI.create(ws.toString().replaceFirst("^http", "ws"));
        WebSocket slow = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + TestClients.token("bob"))
                .buildAsync(wsUri, stalled).get(10, TimeUnit.SECONDS);
        try (WsTestClient fast = connect(ws, "alice")) {
            slow.sendText("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\"}", true).get(10, TimeUnit.SECONDS);
            stalled.subscribed.get(20, TimeUnit.SECONDS);
            subscribe(fast, channel);

            // The slow client reads nothing more; produce until the gateway gives up on it.
            List<String> produced = new ArrayList<>();
            List<String> atFast = new ArrayList<>();
            for (int batch = 0; batch < 60 && droppedSoFar() <= droppedBefore; batch++) {
                List<String> ids = IntStream.range(0, 50).mapToObj(i -> UUID.randomUUID().toString()).toList();
                TestClients.produce(channel, ids.stream().map(id -> envelope(channel, id, payload)).toList());
                produced.addAll(ids);
                drain(fast, channel, atFast, produced.size() - 100);
            }
            assertThat(droppedSoFar()).as("slow client dropped").isGreaterThan(droppedBefore);

            List<String> after = IntStream.range(0, 20).mapToObj(i -> UUID.randomUUID().toString()).toList();
            TestClients.produce(channel, after.stream().map(id -> envelope(channel, id, "1")).toList());
            produced.addAll(after);
            drain(fast, channel, atFast, produced.size());
            assertThat(atFast).as("every event, once, in order").containsExactlyElementsOf(produced);

            // Once it reads again it finds the close frame behind what was queued: 4008, resume by position.
            stalled.resume(slow);
            assertThat(stalled.closed.get(30, TimeUnit.SECONDS)).isEqualTo(4008);
        } finally {
            slow.abort();
        }
    }

    private static void drain(WsTestClient fast, String channel, List<String> into, int atLeast) {
        while (into.size() < atLeast) {
            into.add(fast.awaitFrame(f -> "event".equals(f.path("type").asText())
                    && channel.equals(f.path("channel").asText()), WAIT).path("id").asText());
        }
    }

    private static double droppedSoFar() {
        Matcher matcher = DROPPED.matcher(given().get(management("metrics")).asString());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    /** Reads frames only until it is subscribed, then stops asking for more, like a stuck browser tab. */
    private static final class StalledListener implements WebSocket.Listener {
        final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private volatile boolean reading = true;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (last && data.toString().contains("\"subscribed\"")) {
                reading = false;
                subscribed.complete(null);
            }
            if (reading || !last) {
                webSocket.request(1);
            }
            return null;
        }

        void resume(WebSocket webSocket) {
            reading = true;
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}

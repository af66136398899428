package io.eventfeeds.gateway;

import static io.eventfeeds.gateway.TestClients.WAIT;
import static io.eventfeeds.gateway.TestClients.connect;
import static io.eventfeeds.gateway.TestClients.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfeeds.gateway.protocol.HandshakeProblems;
import io.eventfeeds.testsupport.FreePort;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.SharedServers;
import io.eventfeeds.testsupport.Tokens;
import io.eventfeeds.testsupport.WsTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Instance A is the packaged gateway Quarkus starts for the test; instance B is a second JVM from the same
 * quarkus-run.jar on another port, with a consumer group of its own, as behind a load balancer.
 */
@QuarkusIntegrationTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesIT {

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    private static Process instanceB;
    private static int portB;
    private static int managementPortB;
    private static Path logB;

    @TestHTTPResource("/ws")
    URI wsA;

    @BeforeAll
    static void startInstanceB() throws IOException {
        portB = FreePort.pick();
        managementPortB = FreePort.pick();
        logB = Path.of("target", "gateway-b.log").toAbsolutePath();
        launchInstanceB();
    }

    /** Starts instance B on its ports, as ./platform up starts a gateway, and waits until it is ready. */
    private static void launchInstanceB() throws IOException {
        instanceB = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dquarkus.http.port=" + portB, "-Dquarkus.management.port=" + managementPortB,
                "-Dkafka.bootstrap.servers=" + SharedServers.kafka().bootstrapServers(),
                "-Dquarkus.oidc.auth-server-url=" + SharedServers.keycloak().realmUrl(),
                "-Dfeeds.gateway.shutdown-grace=" + SHUTDOWN_GRACE.toSeconds() + "S",
                "-jar", Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(new File(logB.toString())))
                .start();
        HttpClient http = HttpClient.newHttpClient();
        Process started = instanceB;
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(started.isAlive()).as("instance B running, see " + logB).isTrue();
            try {
                URI ready = URI.create("http://127.0.0.1:" + managementPortB + "/q/health/ready");
                return http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @BeforeEach
    void instanceAIsReady() {
        TestClients.awaitReady();
    }

    @AfterAll
    static void stopInstanceB() throws InterruptedException {
        if (instanceB != null && instanceB.isAlive()) {
            instanceB.destroy();
            if (!instanceB.waitFor(30, TimeUnit.SECONDS)) {
                instanceB.destroyForcibly();
            }
        }
    }

    @Test
    @Order(1)
    void chatPublishedOnOneInstanceReachesSubscribersOnTheOtherBothWays() {
        String room = "chat:two-" + UUID.randomUUID().toString().substring(0, 8);
        try (WsTestClient alice = connect(wsA, "alice"); WsTestClient bob = connect(wsB(), "bob")) {
            subscribe(alice, room);
            subscribe(bob, room);

            alice.send("{\"op\":\"publish\",\"channel\":\"" + room + "\",\"data\":{\"text\":\"from A\"},\"ref\":\"a\"}");
            alice.awaitType("ack", WAIT);
            JsonNode atB = bob.awaitFrame(f -> "event".equals(f.path("type").asText()), WAIT);
            assertThat(atB.path("data").path("text").asText()).isEqualTo("from A");
            assertThat(atB.path("publisher").asText()).isEqualTo("alice");

            bob.send("{\"op\":\"publish\",\"channel\":\"" + room + "\",\"data\":{\"text\":\"from B\"},\"ref\":\"b\"}");
            bob.awaitType("ack", WAIT);
            JsonNode atA = alice.awaitFrame(f -> "event".equals(f.path("type").asText())
                    && "from B".equals(f.path("data").path("text").asText()), WAIT);
            assertThat(atA.path("publisher").asText()).isEqualTo("bob");
        }
    }

    @Test
    @Order(2)
    void eventFromAPlainKafkaProducerReachesSubscribersOnBothInstances() {
        String channel = "scores:both-" + UUID.randomUUID().toString().substring(0, 8);
        String id = UUID.randomUUID().toString();
        try (WsTestClient onA = connect(wsA, "alice"); WsTestClient onB = connect(wsB(), "carol")) {
            subscribe(onA, channel);
            subscribe(onB, channel);
            TestClients.produce(channel, List.of(TestClients.envelope(channel, id, "{\"home\":1}")));
            TestClients.awaitEvent(onA, channel, id);
            TestClients.awaitEvent(onB, channel, id);
        }
    }

    /**
     * Instance B is killed with SIGKILL while events stream to its subscribers, and started again; each subscriber
     * reconnects and resumes from the last position it saw, and ends with every event exactly once, in order.
     */
    @Test
    @Order(3)
    void killMinus9UnderLoadLosesAndRepeatsNothingForResumingSubscribers() throws Exception {
        String channel = "scores:crash-" + UUID.randomUUID().toString().substring(0, 8);
        int subscribers = 5;
        int events = 400;
        List<ResumingSubscriber> clients = new ArrayList<>();
        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int i = 0; i < subscribers; i++) {
                clients.add(new ResumingSubscriber(channel, connect(wsB(), "alice")));
            }
            // 50 events/s, so that events are on their way to every socket when it dies, and meanwhile.
            AtomicInteger next = new AtomicInteger();
            publisher.scheduleAtFixedRate(() -> {
                int n = next.getAndIncrement();
                if (n < events) {
                    TestClients.produce(channel, List.of(TestClients.envelope(channel, UUID.randomUUID().toString(),
                            "{\"n\":" + n + "}")));
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            for (ResumingSubscriber client : clients) {
                client.readUpTo(events / 4);
            }

            instanceB.destroyForcibly();
            assertThat(instanceB.waitFor(30, TimeUnit.SECONDS)).as("instance B killed").isTrue();
            for (ResumingSubscriber client : clients) {
                client.readWhatArrivedBeforeItDied();
            }
            launchInstanceB();
            for (ResumingSubscriber client : clients) {
                client.resume(connect(wsB(), "alice"));
            }
            for (ResumingSubscriber client : clients) {
                client.readUpTo(events - 1);
            }
        } finally {
            publisher.shutdownNow();
            clients.forEach(ResumingSubscriber::close);
        }
        List<Integer> everyEvent = IntStream.range(0, events).boxed().toList();
        for (ResumingSubscriber client : clients) {
            assertThat(client.received).as("events of one subscriber, across the crash").isEqualTo(everyEvent);
        }
    }

    /** A subscriber that counts every event's number and resumes from the last position it saw. */
    private static final class ResumingSubscriber implements AutoCloseable {
        private final String channel;
        private final List<Integer> received = new ArrayList<>();
        private WsTestClient socket;
        private String position;

        ResumingSubscriber(String channel, WsTestClient socket) {
            this.channel = channel;
            this.socket = socket;
            position = subscribe(socket, channel).path("position").asText(null);
        }

        void readUpTo(int number) {
            take(socket.framesUntil(frame -> isEvent(frame) && frame.path("data").path("n").asInt() >= number,
                    Duration.ofSeconds(60)));
        }

        void readWhatArrivedBeforeItDied() throws Exception {
            socket.closed().handle((closed, error) -> closed).get(30, TimeUnit.SECONDS);
            take(socket.remainingFrames());
        }

        void resume(WsTestClient reconnected) {
            socket = reconnected;
            socket.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"since\":\"" + position + "\"}");
            take(socket.framesUntil(frame -> "subscribed".equals(frame.path("type").asText()), WAIT));
        }

        private void take(List<JsonNode> frames) {
            for (JsonNode frame : frames) {
                if (isEvent(frame)) {
                    received.add(frame.path("data").path("n").asInt());
                    position = frame.path("position").asText();
                }
            }
        }

        private boolean isEvent(JsonNode frame) {
            return "event".equals(frame.path("type").asText()) && channel.equals(frame.path("channel").asText());
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    @Test
    @Order(4)
    void sigtermClosesEveryConnectionWith1001RefusesNewOnesAndExitsWithinTheGracePeriod() throws Exception {
        try (WsTestClient onB = connect(wsB(), "alice")) {
            onB.send("{\"op\":\"ping\"}");
            onB.awaitType("pong", WAIT);

            Map<String, String> credentials = Map.of("Authorization", "Bearer " + Tokens.accessToken("alice"));
            long logged = Files.size(logB);
            long start = System.nanoTime();
            instanceB.destroy();
            assertThat(onB.closeCode().get(20, TimeUnit.SECONDS)).isEqualTo(1001);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("1001 sent at once").isLessThan(SHUTDOWN_GRACE);
            // The 1001 comes when the shutdown delay (1 s) starts; a handshake during the delay is refused before the
            // upgrade and says why, so the client backs off to another instance instead of connecting to close again.
            RefusedHandshake draining = RefusedHandshake.of(wsB(), credentials, WAIT);
            assertThat(draining.status()).isEqualTo(503);
            assertThat(draining.header("Retry-After")).isEqualTo("1");
            assertThat(draining.problem().get("type").asText()).isEqualTo(HandshakeProblems.DRAINING.uri());
            // Delay (1 s) + closes (at most the grace) + stopping Kafka clients, on a busy machine.
            assertThat(instanceB.waitFor(SHUTDOWN_GRACE.toSeconds() + 10, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(instanceB.exitValue()).as("exit code after SIGTERM").isIn(0, 143);
            String shutdownLog;
            try (var reader = Files.newInputStream(logB)) {
                reader.skipNBytes(logged);
                shutdownLog = new String(reader.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(shutdownLog).as("instance B's log from SIGTERM on").contains("stopped in")
                    .doesNotContain(" ERROR ");
        }
    }

    private URI wsB() {
        return URI.create("ws://127.0.0.1:" + portB + "/ws");
    }
}

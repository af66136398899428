package io.eventfeeds.gateway;

import static io.eventfeeds.gateway.TestClients.WAIT;
import static io.eventfeeds.gateway.TestClients.connect;
import static io.eventfeeds.gateway.TestClients.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfeeds.testsupport.FreePort;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.SharedServers;
import io.eventfeeds.testsupport.WsTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
        Path log = Path.of("target", "gateway-b.log").toAbsolutePath();
        logB = log;
        instanceB = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dquarkus.http.port=" + portB, "-Dquarkus.management.port=" + managementPortB,
                "-Dkafka.bootstrap.servers=" + SharedServers.kafka().bootstrapServers(),
                "-Dquarkus.oidc.auth-server-url=" + SharedServers.keycloak().realmUrl(),
                "-Dfeeds.gateway.shutdown-grace=" + SHUTDOWN_GRACE.toSeconds() + "S",
                "-jar", Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(new File(log.toString())))
                .start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(instanceB.isAlive()).as("instance B running, see " + log).isTrue();
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

    @Test
    @Order(3)
    void sigtermClosesEveryConnectionWith1001RefusesNewOnesAndExitsWithinTheGracePeriod() throws Exception {
        try (WsTestClient onB = connect(wsB(), "alice")) {
            onB.send("{\"op\":\"ping\"}");
            onB.awaitType("pong", WAIT);

            long logged = Files.size(logB);
            long start = System.nanoTime();
            instanceB.destroy();
            assertThat(onB.closeCode().get(20, TimeUnit.SECONDS)).isEqualTo(1001);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("1001 sent at once").isLessThan(SHUTDOWN_GRACE);
            // A handshake while it drains is refused before the upgrade (or finds the port closed), never upgraded.
            assertThatThrownBy(() -> connect(wsB(), "alice").close()).satisfies(refused -> {
                if (refused instanceof WsTestClient.HandshakeRefused handshake) {
                    assertThat(handshake.status()).isEqualTo(503);
                } else {
                    assertThat(refused).hasRootCauseInstanceOf(ConnectException.class);
                }
            });
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

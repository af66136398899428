package io.eventfeeds.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfeeds.testsupport.FreePort;
import io.eventfeeds.testsupport.WsTestClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The README's first command, whole: {@code ./platform up} on free ports brings up real Kafka, Keycloak and both
 * services; status shows them healthy; an event published with a Keycloak token reaches a WebSocket subscriber;
 * with TLS=1 the gateway also speaks wss:// with the certificate the platform made; a second up starts nothing new;
 * down leaves no process behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformLifecycleIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Path platformDir;
    private static PlatformCommand platform;
    private static int keycloakPort;
    private static int feedPort;
    private static int gatewayPort;
    private static int gatewayTlsPort;
    private static int feedTlsPort;

    @BeforeAll
    static void freePorts() throws IOException {
        platformDir = Files.createDirectories(Path.of("target", "platform-it")).toAbsolutePath();
        keycloakPort = FreePort.pick();
        feedPort = FreePort.pick();
        gatewayPort = FreePort.pick();
        gatewayTlsPort = FreePort.pick();
        feedTlsPort = FreePort.pick();
        platform = new PlatformCommand().with("PLATFORM_DIR", platformDir.toString())
                .with("KAFKA_PORT", String.valueOf(FreePort.pick()))
                .with("KAFKA_CONTROLLER_PORT", String.valueOf(FreePort.pick()))
                .with("KEYCLOAK_PORT", String.valueOf(keycloakPort))
                .with("KEYCLOAK_MANAGEMENT_PORT", String.valueOf(FreePort.pick()))
                .with("FEED_PORT", String.valueOf(feedPort))
                .with("GATEWAY_PORT", String.valueOf(gatewayPort))
                .with("FEED_MANAGEMENT_PORT", String.valueOf(FreePort.pick()))
                .with("GATEWAY_MANAGEMENT_PORT", String.valueOf(FreePort.pick()))
                .with("TLS", "1")
                .with("GATEWAY_TLS_PORT", String.valueOf(gatewayTlsPort))
                .with("FEED_TLS_PORT", String.valueOf(feedTlsPort));
    }

    @AfterAll
    static void alwaysDown() throws Exception {
        platform.run(Duration.ofMinutes(2), "down");
    }

    @Test
    @Order(1)
    void upStartsAllFourComponentsAndSaysHowToUseThem() throws Exception {
        PlatformCommand.Result up = platform.run(Duration.ofMinutes(6), "up");

        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("the platform is up").contains("alice / alice-demo")
                .contains("http://127.0.0.1:" + gatewayPort + "/").contains("./platform down");
    }

    @Test
    @Order(2)
    void statusShowsEveryComponentHealthy() throws Exception {
        PlatformCommand.Result status = platform.run(Duration.ofSeconds(60), "status");

        assertThat(status.exitCode()).as(status.output()).isZero();
        for (String component : List.of("kafka", "keycloak", "feed", "gateway")) {
            assertThat(status.output()).containsPattern("(?m)^" + component + " +\\d+ +healthy");
        }
    }

    @Test
    @Order(3)
    void anEventPublishedWithAKeycloakTokenReachesAWebSocketSubscriber() throws Exception {
        String marker = UUID.randomUUID().toString();
        try (WsTestClient alice = WsTestClient.connect(URI.create("ws://127.0.0.1:" + gatewayPort + "/ws"),
                token("grant_type=password&client_id=feeds-cli&username=alice&password=alice-demo"))) {
            alice.send("{\"op\":\"subscribe\",\"channel\":\"scores:platform-check\"}");
            alice.awaitType("subscribed", Duration.ofSeconds(20));

            HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + feedPort + "/api/v1/channels/scores:platform-check/events"))
                    .header("Authorization", "Bearer " + token(
                            "grant_type=client_credentials&client_id=demo-publisher&client_secret=demo-publisher-secret"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"data\":{\"marker\":\"" + marker + "\"}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

            JsonNode event = alice.awaitFrame(f -> marker.equals(f.path("data").path("marker").asText()),
                    Duration.ofSeconds(30));
            assertThat(event.path("position").asText()).isEqualTo(JSON.readTree(accepted.body()).path("position").asText());
        }
    }

    @Test
    @Order(4)
    void withTlsTheGatewayAcceptsWssAndPagesOnHttpsCallFeedServiceOverHttps() throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(platformDir.resolve("tls").resolve("gateway.p12"))) {
            keyStore.load(in, "changeit-local-only".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);

        try (WsTestClient carol = WsTestClient.connect(URI.create("wss://localhost:" + gatewayTlsPort + "/ws"),
                token("grant_type=password&client_id=feeds-cli&username=carol&password=carol-demo"), tls)) {
            // A ping answered over wss:// is the check: awaitType fails the test when no pong comes.
            carol.send("{\"op\":\"ping\"}");
            carol.awaitType("pong", Duration.ofSeconds(20));
        }

        // A page served over https learns feed-service's https URL (no mixed content), and that URL answers.
        HttpClient https = HttpClient.newBuilder().sslContext(tls).build();
        String feedForHttps = JSON.readTree(https.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + gatewayTlsPort + "/config.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("feedUrl").asText();
        assertThat(feedForHttps).isEqualTo("https://localhost:" + feedTlsPort);
        assertThat(https.send(HttpRequest.newBuilder(URI.create(feedForHttps + "/api/v1/channels/scores:game-1/events"))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as("an anonymous read, answered").isEqualTo(401);
        String feedForHttp = JSON.readTree(HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gatewayPort + "/config.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("feedUrl").asText();
        assertThat(feedForHttp).isEqualTo("http://127.0.0.1:" + feedPort);
    }

    /**
     * The first start after a build leaves each service a class-data archive; a gateway that died is started again
     * from it (how much sooner it serves is measured by benchmarks/run-restart, not here).
     */
    @Test
    @Order(5)
    void aKilledGatewayIsStartedAgainFromItsClassDataArchive() throws Exception {
        Path archive = platformDir.resolve("cds").resolve("gateway-service.jsa");
        assertThat(archive).as("written by the first up").isNotEmptyFile();
        assertThat(platformDir.resolve("cds").resolve("feed-service.jsa")).isNotEmptyFile();
        long gateway = recordedPid(platformDir.resolve("run").resolve("gateway.pid"));
        ProcessHandle killed = ProcessHandle.of(gateway).orElseThrow();
        killed.destroyForcibly();
        killed.onExit().get(30, TimeUnit.SECONDS);

        PlatformCommand.Result again = platform.run(Duration.ofMinutes(2), "up");

        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("gateway: healthy").doesNotContain("class-data archive");
        long restarted = recordedPid(platformDir.resolve("run").resolve("gateway.pid"));
        assertThat(ProcessHandle.of(restarted).flatMap(p -> p.info().arguments()).map(List::of).orElseThrow())
                .contains("-XX:SharedArchiveFile=" + archive);
    }

    @Test
    @Order(6)
    void secondUpStartsNoDuplicates() throws Exception {
        List<Long> before = recordedPids();
        PlatformCommand.Result again = platform.run(Duration.ofMinutes(2), "up");

        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("already running");
        assertThat(recordedPids()).containsExactlyInAnyOrderElementsOf(before).hasSize(4);
    }

    @Test
    @Order(7)
    void downStopsEveryProcessThatUpStarted() throws Exception {
        List<Long> pids = recordedPids();
        PlatformCommand.Result down = platform.run(Duration.ofMinutes(2), "down");

        assertThat(down.exitCode()).as(down.output()).isZero();
        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("process %d still alive", pid).isFalse());
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(cmd -> cmd.contains(platformDir.toString()))).isEmpty();
        PlatformCommand.Result status = platform.run(Duration.ofSeconds(30), "status");
        assertThat(status.exitCode()).isNotZero();
        assertThat(status.output()).doesNotContain("healthy");
    }

    private static List<Long> recordedPids() throws IOException {
        try (Stream<Path> files = Files.list(platformDir.resolve("run"))) {
            return files.filter(p -> p.toString().endsWith(".pid")).map(p -> {
                try {
                    return recordedPid(p);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    /** A pid file holds the process id, then its start time. */
    private static long recordedPid(Path pidFile) throws IOException {
        return Long.parseLong(Files.readString(pidFile).trim().split(" ")[0]);
    }

    private static String token(String form) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + keycloakPort + "/realms/feeds/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("access_token").asText();
    }
}

package io.eventfeeds.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventfeeds.testsupport.ChildProcess;
import io.eventfeeds.testsupport.FreePort;
import io.eventfeeds.testsupport.KafkaCluster;
import io.eventfeeds.testsupport.KeycloakAdmin;
import io.eventfeeds.testsupport.KeycloakServer;
import io.eventfeeds.testsupport.SharedServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole platform as a person runs it: the real Kafka and Keycloak of test-support, and feed-service (with its
 * demo feed) and gateway-service started from their packaged applications, on free ports.
 *
 * <p>The realm's browser client {@code feeds-web} only allows the gateway's default port 8080 as redirect URI; the
 * tests register a copy of it, {@value #WEB_CLIENT}, for the gateway's free port, and the gateway tells the page to
 * use it. The copy is made from the realm file, so the page is tested against the same client settings, except
 * for a shorter access token lifespan, so that every page lives through several token refreshes.
 */
final class RunningPlatform {

    static final String WEB_CLIENT = "feeds-web-e2e";
    /** The test client's access tokens live this long (the realm's 5 minutes would make a refresh test slow). */
    static final int ACCESS_TOKEN_SECONDS = 30;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path root = Path.of(System.getProperty("eventfeeds.root", "..")).toAbsolutePath().normalize();
    private final Path logs = Path.of(System.getProperty("eventfeeds.test.work.dir", "target"), "services");
    private final int gatewayPort = FreePort.pick();
    private final int feedPort = FreePort.pick();
    private final int gatewayManagementPort = FreePort.pick();
    private final int feedManagementPort = FreePort.pick();
    private final ChildProcess feed = new ChildProcess("feed-service", logs.resolve("feed-service.log"));
    private final ChildProcess gateway = new ChildProcess("gateway-service", logs.resolve("gateway-service.log"));
    private KafkaCluster kafka;
    private KeycloakServer keycloak;

    void start() {
        kafka = SharedServers.kafka();
        keycloak = SharedServers.keycloak();
        registerWebClient();
        feed.start(java(app("feed-service")), root, Map.of(
                "QUARKUS_HTTP_PORT", String.valueOf(feedPort),
                "QUARKUS_MANAGEMENT_PORT", String.valueOf(feedManagementPort),
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.realmUrl(),
                "FEEDS_DEMO_ENABLED", "true",
                "FEEDS_CORS_ORIGINS", gatewayUrl()));
        startGateway();
        feed.awaitReady(() -> ready(feedManagementPort), START_TIMEOUT);
    }

    void startGateway() {
        gateway.start(java(app("gateway-service")), root, Map.of(
                "QUARKUS_HTTP_PORT", String.valueOf(gatewayPort),
                "QUARKUS_MANAGEMENT_PORT", String.valueOf(gatewayManagementPort),
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.realmUrl(),
                "FEEDS_WEB_CLIENT_ID", WEB_CLIENT,
                "FEEDS_WEB_FEED_URL", feedUrl()));
        gateway.awaitReady(() -> ready(gatewayManagementPort), START_TIMEOUT);
    }

    /** SIGTERM, as an operator's restart: the gateway closes its connections with 1001 and exits. */
    void stopGateway() {
        gateway.stop();
    }

    boolean gatewayRunning() {
        return gateway.isAlive();
    }

    void stop() {
        gateway.stop();
        feed.stop();
    }

    String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    String feedUrl() {
        return "http://127.0.0.1:" + feedPort;
    }

    String keycloakUrl() {
        return keycloak.url();
    }

    private Path app(String module) {
        Path jar = root.resolve(module).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package " + module + " first (./mvnw verify from the "
                    + "repository root builds it before web-tests)");
        }
        return jar;
    }

    private static List<String> java(Path jar) {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        return List.of(javaBin.toString(), "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-jar", jar.toString());
    }

    private static boolean ready(int managementPort) {
        try {
            URI readiness = URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready");
            HttpRequest request = HttpRequest.newBuilder(readiness)
                    .timeout(Duration.ofSeconds(3)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void registerWebClient() {
        Path realmFile = Path.of(System.getProperty("eventfeeds.realm.file",
                root.resolve("auth-config/src/main/resources/realm/feeds-realm.json").toString()));
        try {
            ObjectNode webClient = null;
            for (var client : JSON.readTree(realmFile.toFile()).path("clients")) {
                if ("feeds-web".equals(client.path("clientId").asText())) {
                    webClient = (ObjectNode) client.deepCopy();
                }
            }
            if (webClient == null) {
                throw new IllegalStateException("no feeds-web client in " + realmFile);
            }
            webClient.put("clientId", WEB_CLIENT);
            webClient.withObjectProperty("attributes")
                    .put("access.token.lifespan", String.valueOf(ACCESS_TOKEN_SECONDS));
            webClient.remove("id");
            ArrayNode redirects = webClient.putArray("redirectUris");
            redirects.add(gatewayUrl() + "/*");
            ArrayNode origins = webClient.putArray("webOrigins");
            origins.add(gatewayUrl());
            KeycloakAdmin.createClient(JSON.writeValueAsString(webClient));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

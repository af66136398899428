package io.eventfeeds.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real Keycloak server (the keycloak-quarkus-dist that platform-runtime unpacked) in dev mode with an in-memory
 * database and the project's realm imported at start, as ./platform runs it but on free ports.
 */
public final class KeycloakServer {

    public static final String REALM = "feeds";
    /** DEMO ONLY: the bootstrap admin of a throw-away test or local server. */
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin";

    private final Path dir;
    private final int port = FreePort.pick();
    private final int managementPort = FreePort.pick();
    private final ChildProcess process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public KeycloakServer(Path dir) {
        this.dir = dir;
        this.process = new ChildProcess("Keycloak", dir.resolve("keycloak.log"));
    }

    /** The server's base URL, for example {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The realm's issuer URL, which is what quarkus.oidc.auth-server-url wants. */
    public String realmUrl() {
        return url() + "/realms/" + REALM;
    }

    public synchronized void start() {
        if (process.isAlive()) {
            return;
        }
        Path home = RuntimeLayout.keycloakHome();
        Path importDir = home.resolve("data").resolve("import");
        Path realm = RuntimeLayout.realmFile(dir);
        try {
            Files.createDirectories(importDir);
            Files.copy(realm, importDir.resolve("feeds-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String javaHome = System.getProperty("java.home");
        process.start(List.of("bash", home.resolve("bin").resolve("kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + managementPort,
                "--health-enabled=true", "--db=dev-mem", "--import-realm", "--cache=local"),
                dir, Map.of("JAVA_HOME", javaHome, "JAVA", javaHome + "/bin/java",
                        "KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER, "KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD));
        // About 15 s on an idle 2-core machine, but start-dev re-augments the server and was seen to take over 3
        // minutes when several builds shared those cores: the limit only has to catch a server that never comes up.
        process.awaitReady(() -> ok("http://127.0.0.1:" + managementPort + "/health/ready")
                && ok(realmUrl() + "/.well-known/openid-configuration"), Duration.ofSeconds(300));
    }

    public synchronized void stop() {
        process.stop();
    }

    private boolean ok(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

package io.eventfeeds.testsupport;

import io.eventfeeds.runtime.keycloak.KeycloakHome;
import io.eventfeeds.runtime.keycloak.KeycloakLaunch;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The real Keycloak server (the keycloak-quarkus-dist that platform-runtime unpacked), started by platform-runtime's
 * {@link KeycloakLaunch} as ./platform starts it, but on free ports, in memory, and from the distribution's folder.
 */
public final class KeycloakServer {

    public static final String REALM = KeycloakLaunch.REALM;
    /** DEMO ONLY: the bootstrap admin of a throw-away test or local server. */
    public static final String ADMIN_USER = KeycloakLaunch.ADMIN_USER;
    public static final String ADMIN_PASSWORD = "admin";

    private final Path dir;
    private final KeycloakLaunch launch;
    private final ChildProcess process;

    public KeycloakServer(Path dir) {
        this.dir = dir;
        this.launch = new KeycloakLaunch(RuntimeLayout.keycloakHome(), "127.0.0.1", FreePort.pick(), FreePort.pick(),
                KeycloakLaunch.Storage.MEMORY);
        this.process = new ChildProcess("Keycloak", dir.resolve("keycloak.log"));
    }

    /** The server's base URL, for example {@code http://127.0.0.1:41234}. */
    public String url() {
        return launch.url();
    }

    public int port() {
        return launch.port();
    }

    /** The realm's issuer URL, which is what quarkus.oidc.auth-server-url wants. */
    public String realmUrl() {
        return url() + "/realms/" + REALM;
    }

    public synchronized void start() {
        if (process.isAlive()) {
            return;
        }
        KeycloakHome.importRealm(RuntimeLayout.realmFile(), launch.home());
        process.start(launch.command(), dir,
                launch.environment(Path.of(System.getProperty("java.home")), ADMIN_PASSWORD));
        // About 15 s on an idle 2-core machine, but start-dev re-augments the server and was seen to take over 3
        // minutes when several builds shared those cores: the limit only has to catch a server that never comes up.
        process.awaitReady(launch.readiness()::ready, Duration.ofSeconds(300));
    }

    public synchronized void stop() {
        process.stop();
    }
}

package io.eventfeeds.runtime.keycloak;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How one Keycloak server of the platform is started: the keycloak-quarkus-dist this module unpacks, in dev mode,
 * with the project's realm imported at its first start. {@code ./platform} (through {@link KeycloakLauncher}) and
 * the tests' server start it from here, so both run the same server the same way, on their own ports and storage.
 *
 * @param home the server's folder (a copy of the distribution, or the distribution itself for a throw-away server)
 */
public record KeycloakLaunch(Path home, String host, int port, int managementPort, Storage storage) {

    public static final String REALM = "feeds";
    /** DEMO ONLY: the bootstrap admin's name; the password is the starter's ({@code KEYCLOAK_ADMIN_PASSWORD}). */
    public static final String ADMIN_USER = "admin";

    /** Where the server keeps its database. */
    public enum Storage {
        /** Keycloak's dev file database in the home: users, API keys and sessions outlive a restart. */
        FILE,
        /** In memory: each start begins from the realm file, as a test wants. */
        MEMORY
    }

    public String url() {
        return "http://" + host + ":" + port;
    }

    public KeycloakReadiness readiness() {
        return new KeycloakReadiness(host, port, managementPort);
    }

    public List<String> command() {
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin").resolve("kc.sh").toString(),
                "start-dev", "--http-host=" + host, "--http-port=" + port, "--http-management-port=" + managementPort,
                // Fixed, so that every token's issuer is this URL whichever way the server was reached.
                "--hostname=" + url(), "--health-enabled=true", "--import-realm", "--cache=local"));
        if (storage == Storage.MEMORY) {
            command.add("--db=dev-mem");
        }
        return command;
    }

    /** What the server's process needs in its environment besides the starter's own. */
    public Map<String, String> environment(Path javaHome, String adminPassword) {
        return Map.of("JAVA_HOME", javaHome.toString(), "JAVA", javaHome.resolve("bin").resolve("java").toString(),
                "KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER, "KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
    }
}

package io.eventfeeds.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One single-node Kafka cluster and one Keycloak server per test JVM, started on first use and stopped when the JVM exits.
 *
 * <p>Quarkus restarts the application for each test profile and calls test resources' stop() each time; keeping
 * the servers here instead means a module pays their start-up once, not once per profile.
 */
public final class SharedServers {

    private static KafkaCluster kafka;
    private static KeycloakServer keycloak;
    private static Path workDir;

    private SharedServers() {
    }

    public static synchronized KafkaCluster kafka() {
        if (kafka == null) {
            kafka = new KafkaCluster(workDir().resolve("kafka"), 1);
        }
        kafka.start();
        return kafka;
    }

    public static synchronized KeycloakServer keycloak() {
        if (keycloak == null) {
            // Kept only once it started, so that one failed start does not fail every later test class of the JVM.
            KeycloakServer starting = new KeycloakServer(workDir().resolve("keycloak"));
            starting.start();
            keycloak = starting;
        }
        return keycloak;
    }

    private static Path workDir() {
        if (workDir == null) {
            try {
                Path base = Path.of(System.getProperty("eventfeeds.test.work.dir", "target"));
                Files.createDirectories(base);
                workDir = Files.createTempDirectory(base.toAbsolutePath(), "servers-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(SharedServers::stopAll, "stop-test-servers"));
        }
        return workDir;
    }

    private static synchronized void stopAll() {
        if (kafka != null) {
            kafka.stop();
        }
        if (keycloak != null) {
            keycloak.stop();
        }
    }
}

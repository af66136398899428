package io.eventfeeds.deploy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventfeeds.deploy.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the checks learn from a module's sources: its keys, its port and its health paths. */
class ServiceConfigTest {

    private static final Repository REPOSITORY = Repository.current();

    @Test
    void servicesReadTheirOwnKeysAndTheSharedSecurityKeys() {
        ServiceConfig feed = ServiceConfig.of(REPOSITORY, "feed-service");

        assertThat(feed.httpPort()).isEqualTo(8081);
        assertThat(feed.reads("KAFKA_BOOTSTRAP_SERVERS")).isTrue();
        assertThat(feed.reads("QUARKUS_OIDC_AUTH_SERVER_URL")).isTrue();
        assertThat(feed.reads("FEEDS_THROTTLE_DEFAULT_PER_SECOND")).isTrue();
        assertThat(feed.reads("FEEDS_CHANNELS_NAMESPACE_STOCKS_WRITE")).isTrue();
        assertThat(feed.reads("FEEDS_API_KEYS_EXCHANGE_TIMEOUT")).isTrue();
        assertThat(feed.reads("KAFKA_BOOTSTRAP")).isFalse();
        assertThat(feed.reads("FEEDS_THROTTLE_BURST")).isFalse();
        assertThat(feed.reads("QUARKUS_HTTP_HOST")).isFalse();
    }

    @Test
    void aVariableNamedInsideAPropertyValueIsRead() {
        ServiceConfig feed = ServiceConfig.of(REPOSITORY, "feed-service");

        assertThat(feed.reads("FEEDS_CORS_ORIGINS")).isTrue();
        assertThat(feed.reads("FEEDS_CORS_ORIGIN")).isFalse();
        assertThat(ServiceConfig.of(REPOSITORY, "gateway-service").reads("FEEDS_CORS_ORIGINS")).isFalse();
    }

    @Test
    void healthPathsAreSmallRyeHealthsDefaultsUnlessTheModuleMovesThem(@TempDir Path root) throws IOException {
        assertThat(ServiceConfig.of(REPOSITORY, "gateway-service").healthPaths())
                .containsExactly("/q/health", "/q/health/live", "/q/health/ready", "/q/health/started");

        Path module = root.resolve("moved-service");
        Files.createDirectories(module.resolve("src/main/docker"));
        Files.createDirectories(module.resolve("src/main/resources"));
        Files.writeString(module.resolve("pom.xml"), "<project/>");
        Files.writeString(module.resolve("src/main/resources/application.properties"),
                "quarkus.http.non-application-root-path=/internal\nquarkus.smallrye-health.readiness-path=/ready-now\n"
                        + "%dev.quarkus.http.port=9999\nquarkus.http.port=7000\n");
        ServiceConfig moved = ServiceConfig.of(new Repository(root), "moved-service");

        assertThat(moved.healthPaths())
                .containsExactly("/internal/health", "/internal/health/live", "/ready-now", "/internal/health/started");
        assertThat(moved.readinessPath()).isEqualTo("/ready-now");
        assertThat(moved.httpPort()).isEqualTo(7000);
    }

    @Test
    void healthMovesToTheManagementInterfaceWhenItIsEnabled(@TempDir Path root) throws IOException {
        Path module = root.resolve("managed-service");
        Files.createDirectories(module.resolve("src/main/docker"));
        Files.createDirectories(module.resolve("src/main/resources"));
        Files.writeString(module.resolve("pom.xml"), "<project/>");
        Files.writeString(module.resolve("src/main/resources/application.properties"),
                "quarkus.http.port=8080\nquarkus.management.enabled=true\n");
        ServiceConfig managed = ServiceConfig.of(new Repository(root), "managed-service");

        assertThat(managed.healthPort()).isEqualTo(9000);
        assertThat(managed.httpPort()).isEqualTo(8080);
        assertThat(managed.readinessPath()).isEqualTo("/q/health/ready");
    }

    @Test
    void durationsAreReadInQuarkusSyntax() {
        ServiceConfig gateway = ServiceConfig.of(REPOSITORY, "gateway-service");

        assertThat(gateway.property("feeds.gateway.shutdown-grace", Duration.class, null)).isEqualTo(Duration.ofSeconds(5));
        assertThat(gateway.property("quarkus.shutdown.timeout", Duration.class, null)).isNull();
    }

    @Test
    void onlyModulesWithDockerfilesAreServices() {
        assertThat(ServiceConfig.isServiceModule(REPOSITORY, "gateway-service")).isTrue();
        assertThat(ServiceConfig.isServiceModule(REPOSITORY, "event-model")).isFalse();
        assertThatThrownBy(() -> ServiceConfig.of(REPOSITORY, "auth-config"))
                .hasMessageContaining("auth-config is not a service module");
    }

    @Test
    void environmentVariableNamesFollowSmallRyeConfig() {
        assertThat(ServiceConfig.toEnvironmentVariable("quarkus.oidc.auth-server-url")).isEqualTo("QUARKUS_OIDC_AUTH_SERVER_URL");
        assertThat(ServiceConfig.toEnvironmentVariable("mp.messaging.outgoing.events-out.topic"))
                .isEqualTo("MP_MESSAGING_OUTGOING_EVENTS_OUT_TOPIC");
    }
}

package io.eventfeeds.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./platform up} rebuilds when any module the services may depend on changed, not only the services' own
 * code: a change in security-support once ran stale jars. Checked through {@code ./platform status}, which tells the
 * same staleness {@code up} acts on, on a copy of the script in a made-up repository whose file times are set.
 */
class PlatformBuildStalenessIT {

    private static final Duration QUICK = Duration.ofSeconds(30);
    private static final Instant SOURCES = Instant.now().minusSeconds(3600);
    private static final Instant BUILT = SOURCES.plusSeconds(600);
    private static final List<String> SOURCE_FILES = List.of("pom.xml", "event-model/pom.xml",
            "event-model/src/main/java/Event.java", "event-log/pom.xml", "event-log/src/main/java/Log.java",
            "security-support/pom.xml", "security-support/src/main/java/Auth.java", "feed-service/pom.xml",
            "feed-service/src/main/java/Feed.java", "gateway-service/pom.xml", "gateway-service/src/main/java/Gateway.java",
            "platform-runtime/pom.xml", "platform-runtime/src/main/java/Launcher.java");
    private static final List<String> BUILT_FILES = List.of("feed-service/target/quarkus-app/quarkus-run.jar",
            "gateway-service/target/quarkus-app/quarkus-run.jar", "platform-runtime/target/platform-runtime-1.0.jar",
            "platform-runtime/target/kafka/libs/kafka.jar", "platform-runtime/target/keycloak/keycloak-1/bin/kc.sh",
            "platform-admin/target/platform-admin-1.0.jar");

    @TempDir
    Path repository;
    @TempDir
    Path platformDir;

    @BeforeEach
    void builtRepository() throws IOException {
        Files.copy(PlatformCommand.ROOT.resolve("platform"), repository.resolve("platform"),
                StandardCopyOption.COPY_ATTRIBUTES);
        for (String file : SOURCE_FILES) {
            write(file, SOURCES);
        }
        for (String file : BUILT_FILES) {
            write(file, BUILT);
        }
        // A directory's time moves when a file is added to it, which the script counts as a change too.
        try (Stream<Path> all = Files.walk(repository)) {
            for (Path directory : (Iterable<Path>) all.filter(Files::isDirectory)::iterator) {
                Files.setLastModifiedTime(directory, FileTime.from(SOURCES));
            }
        }
    }

    @Test
    void jarsNewerThanEverySourceAreCurrent() throws Exception {
        assertThat(status()).contains("build: current");
    }

    @ParameterizedTest(name = "a change in {0} rebuilds")
    @ValueSource(strings = {"security-support/src/main/java/Auth.java", "event-log/src/main/java/Log.java",
        "event-model/src/main/java/Event.java", "pom.xml", "security-support/pom.xml",
        "platform-runtime/src/main/java/Launcher.java", "gateway-service/src/main/java/Gateway.java"})
    void aChangeInAnyModuleMakesTheBuildStale(String changed) throws Exception {
        write(changed, BUILT.plusSeconds(60));

        assertThat(status()).contains("build: out of date, " + changed + " changed since the last build");
    }

    /** Maven keeps a module's jar as it was when its classes did not change: that alone is no reason to build. */
    @Test
    void aJarMavenLeftUntouchedIsNoChange() throws Exception {
        write("platform-runtime/target/platform-runtime-1.0.jar", SOURCES.minusSeconds(600));

        assertThat(status()).contains("build: current");
    }

    @Test
    void aMissingServiceJarMakesTheBuildStale() throws Exception {
        Files.delete(repository.resolve("gateway-service/target/quarkus-app/quarkus-run.jar"));

        assertThat(status()).contains("build: out of date, the services are not built yet");
    }

    private String status() throws Exception {
        PlatformCommand.Result result = new PlatformCommand(repository).with("PLATFORM_DIR", platformDir.toString())
                .run(QUICK, "status");
        assertThat(result.exitCode()).as("nothing runs, so status fails: %s", result.output()).isEqualTo(1);
        return result.output();
    }

    private void write(String file, Instant modified) throws IOException {
        Path path = repository.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, file);
        Files.setLastModifiedTime(path, FileTime.from(modified));
    }
}

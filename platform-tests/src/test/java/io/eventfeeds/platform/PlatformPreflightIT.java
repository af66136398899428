package io.eventfeeds.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.testsupport.FreePort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad starts give a clear one-line error within seconds and leave nothing running: a port already in use, no java,
 * Maven Central unreachable.
 */
class PlatformPreflightIT {

    private static final Duration QUICK = Duration.ofSeconds(30);

    @TempDir
    Path platformDir;

    private PlatformCommand onFreePorts() {
        return new PlatformCommand().with("PLATFORM_DIR", platformDir.toString())
                .with("KAFKA_PORT", String.valueOf(FreePort.pick()))
                .with("KAFKA_CONTROLLER_PORT", String.valueOf(FreePort.pick()))
                .with("KEYCLOAK_PORT", String.valueOf(FreePort.pick()))
                .with("KEYCLOAK_MANAGEMENT_PORT", String.valueOf(FreePort.pick()))
                .with("FEED_PORT", String.valueOf(FreePort.pick()))
                .with("GATEWAY_PORT", String.valueOf(FreePort.pick()))
                .with("FEED_MANAGEMENT_PORT", String.valueOf(FreePort.pick()))
                .with("GATEWAY_MANAGEMENT_PORT", String.valueOf(FreePort.pick()));
    }

    @ParameterizedTest
    @CsvSource({"KEYCLOAK_PORT, keycloak", "GATEWAY_MANAGEMENT_PORT, gateway management",
            "FEED_MANAGEMENT_PORT, feed management"})
    void portAlreadyInUseIsNamedWithTheVariableThatMovesIt(String variable, String component) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PlatformCommand.Result result = onFreePorts().with(variable, String.valueOf(taken.getLocalPort()))
                    .run(QUICK, "up");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.output())
                    .contains("error: port " + taken.getLocalPort() + " (" + component + ") is already in use")
                    .contains(variable + "=");
            assertThat(result.took()).isLessThan(QUICK);
            assertNothingStarted();
        }
    }

    @Test
    void missingJavaSaysWhatToInstall(@TempDir Path bin) throws Exception {
        // A PATH with every tool of the machine but java.
        for (String dir : new String[] {"/usr/bin", "/bin"}) {
            try (Stream<Path> tools = Files.list(Path.of(dir))) {
                for (Path tool : (Iterable<Path>) tools::iterator) {
                    Path link = bin.resolve(tool.getFileName());
                    if (!tool.getFileName().toString().equals("java") && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, tool);
                    }
                }
            }
        }
        PlatformCommand.Result result = onFreePorts().with("PATH", bin.toString()).without("JAVA_HOME").run(QUICK, "up");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("error: java not found").contains("JDK 17");
        assertNothingStarted();
    }

    @Test
    void unreachableMavenCentralIsReportedBeforeAnyBuildStarts() throws Exception {
        int closedPort = FreePort.pick();
        PlatformCommand.Result result = onFreePorts().with("PLATFORM_REBUILD", "1")
                .with("MAVEN_CENTRAL_URL", "http://127.0.0.1:" + closedPort + "/maven2").run(QUICK, "up");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("error: Maven Central (http://127.0.0.1:" + closedPort + "/maven2) is unreachable");
        assertNothingStarted();
    }

    @Test
    void unknownCommandIsRefusedWithUsage() throws Exception {
        PlatformCommand.Result result = onFreePorts().run(QUICK, "upp");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("error: unknown command 'upp'").contains("./platform up");
    }

    private void assertNothingStarted() throws IOException {
        Path run = platformDir.resolve("run");
        if (Files.isDirectory(run)) {
            try (Stream<Path> pids = Files.list(run)) {
                assertThat(pids.filter(p -> p.toString().endsWith(".pid"))).isEmpty();
            }
        }
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(cmd -> cmd.contains(platformDir.toString()))).isEmpty();
    }
}

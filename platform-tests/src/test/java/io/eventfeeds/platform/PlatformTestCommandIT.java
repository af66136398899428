package io.eventfeeds.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./platform test}, the README's test command: what the machine lacks is named in one line before any build
 * starts; with everything present it hands its arguments to {@code ./mvnw -B verify}.
 */
class PlatformTestCommandIT {

    private static final Duration QUICK = Duration.ofSeconds(60);

    @Test
    void missingChromiumIsNamedWithTheCommandThatInstallsIt() throws Exception {
        PlatformCommand.Result result = new PlatformCommand().with("CHROMIUM", "/nonexistent/chromium")
                .with("INSTALL_PREREQUISITES", "0").run(QUICK, "test");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output().strip()).isEqualTo("error: Chromium at /nonexistent/chromium (web-tests' browser) "
                + "is missing: run 'apt-get install -y chromium' as root, then ./platform test again");
    }

    @Test
    void missingKubectlIsNamed() throws Exception {
        PlatformCommand.Result result = new PlatformCommand().with("KUBECTL", "/nonexistent/kubectl")
                .with("INSTALL_PREREQUISITES", "0").run(QUICK, "test");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output().strip()).startsWith("error: deploy-tests need kubectl 1.27 or newer "
                + "(/nonexistent/kubectl: not found)").doesNotContain("\n");
    }

    @Test
    void kubectlTooOldForTheOverlaysIsNamedWithItsVersion(@TempDir Path bin) throws Exception {
        Path kubectl = bin.resolve("kubectl");
        Files.writeString(kubectl, "#!/bin/sh\necho 'Client Version: v1.20.2'\n");
        Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwxr-xr-x"));

        PlatformCommand.Result result = new PlatformCommand().with("KUBECTL", kubectl.toString())
                .with("INSTALL_PREREQUISITES", "0").run(QUICK, "test");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("(found 1.20 at " + kubectl + ")");
    }

    @Test
    void withEverythingPresentItRunsMavenWithTheGivenArguments() throws Exception {
        // --version makes Maven print its version and stop, so this checks the hand-over, not a second build.
        PlatformCommand.Result result = new PlatformCommand().run(QUICK, "test", "--version");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Apache Maven").doesNotContain("error:");
    }
}

package io.eventfeeds.deploy.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.deploy.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * gateway-service/jvm.options is what the gateway's JVM really gets: the JVM accepts every option without a
 * warning, and ./platform passes exactly these (docker-compose.yml and Kubernetes are compared by their checks).
 */
class JvmOptionsTest {

    private static final Repository REPOSITORY = Repository.current();
    private static final String GATEWAY = "gateway-service";

    private static List<String> gatewayOptions() {
        return ServiceConfig.of(REPOSITORY, GATEWAY).jvmOptions().orElseThrow(() -> new AssertionError("no gateway-service/jvm.options"));
    }

    @Test
    void theJvmStartsWithTheGatewaysOptionsWithoutAWarning() throws Exception {
        Result java = javaVersion(gatewayOptions());

        assertThat(java.output()).doesNotContainIgnoringCase("warning").doesNotContainIgnoringCase("error");
        assertThat(java.exitCode()).as(java.output()).isZero();
    }

    @Test
    void aSecondCollectorNextToTheGatewaysIsRefused() throws Exception {
        // Why the deployments set JAVA_OPTS, which replaces the image's defaults, rather than appending to them: the
        // image's default -XX:+UseParallelGC next to the gateway's collector stops the JVM at start.
        List<String> withImageDefault = new ArrayList<>(List.of("-XX:+UseParallelGC"));
        withImageDefault.addAll(gatewayOptions());

        assertThat(javaVersion(withImageDefault).exitCode()).isNotZero();
    }

    @Test
    void thePlatformLaunchesTheGatewayWithItsOptions() throws Exception {
        String platform = REPOSITORY.read("platform");
        assertThat(platform).contains("\"$JAVA\" \"${jvm_opts[@]}\" -jar \"$ROOT/$module/target/quarkus-app/quarkus-run.jar\"");

        String script = "set -euo pipefail; ROOT=\"$1\"; eval \"$(sed -n '/^jvm_options() {/,/^}/p' \"$ROOT/platform\")\";"
                + " read -ra opts <<< \"$(jvm_options " + GATEWAY + ")\"; printf '%s\\n' \"${opts[@]}\"";
        Result bash = run(List.of("bash", "-c", script, "bash", REPOSITORY.root().toString()));

        assertThat(bash.exitCode()).as(bash.output()).isZero();
        assertThat(bash.output().lines().toList()).isEqualTo(gatewayOptions());
    }

    private static Result javaVersion(List<String> options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.add("-version");
        return run(command);
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after 60 s: " + command);
        }
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {
    }
}

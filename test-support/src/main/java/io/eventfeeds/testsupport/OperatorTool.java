package io.eventfeeds.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the operator's own command, {@code ./platform api-key ...}, against the shared test Keycloak, so that tests
 * issue and revoke API keys exactly as an operator does.
 */
public final class OperatorTool {

    private OperatorTool() {
    }

    /** Creates an API key and returns it (the last line the tool prints). */
    public static String createApiKey(String name, String... options) {
        List<String> args = new ArrayList<>(List.of("api-key", "create", name));
        args.addAll(List.of(options));
        String output = run(args);
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    public static void revokeApiKey(String name) {
        run(List.of("api-key", "revoke", name));
    }

    public static String run(List<String> args) {
        Result result = attempt(args, Map.of());
        if (result.exitCode() != 0) {
            throw new IllegalStateException("./platform " + args + " failed:\n" + result.output());
        }
        return result.output();
    }

    /** What the operator sees (standard output and error together) and the exit code, with a changed environment. */
    public record Result(int exitCode, String output) {
    }

    /** Runs the command, failing or not, with {@code environment} over the shared test Keycloak's settings. */
    public static Result attempt(List<String> args, Map<String, String> environment) {
        Path root = repositoryRoot();
        List<String> command = new ArrayList<>(List.of(root.resolve("platform").toString()));
        command.addAll(args);
        try {
            Path platformDir = Files.createDirectories(Path.of("target", "operator-tool")).toAbsolutePath();
            Path output = Files.createTempFile(platformDir, "out-", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().put("PLATFORM_DIR", platformDir.toString());
            builder.environment().put("KEYCLOAK_PORT", String.valueOf(SharedServers.keycloak().port()));
            builder.environment().put("KEYCLOAK_ADMIN_PASSWORD", KeycloakServer.ADMIN_PASSWORD);
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("./platform " + args + " took over 120 s:\n" + Files.readString(output));
            }
            return new Result(process.exitValue(), Files.readString(output));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path repositoryRoot() {
        String configured = System.getProperty("eventfeeds.root");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("platform"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root (the folder with ./platform)");
    }
}

package io.eventfeeds.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code ./platform} from the repository root with a given environment, as a person at a shell would. */
final class PlatformCommand {

    static final Path ROOT = Path.of(System.getProperty("eventfeeds.root", "..")).toAbsolutePath().normalize();

    private final Map<String, String> env = new HashMap<>();
    private final Path root;

    PlatformCommand() {
        this(ROOT);
    }

    /** Runs the {@code platform} script found in {@code root}, which it takes for the repository. */
    PlatformCommand(Path root) {
        this.root = root;
    }

    PlatformCommand with(String key, String value) {
        env.put(key, value);
        return this;
    }

    PlatformCommand without(String key) {
        env.put(key, null);
        return this;
    }

    Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        Path output = Files.createTempFile("platform-", ".out");
        String[] command = new String[args.length + 1];
        command[0] = root.resolve("platform").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        env.forEach((key, value) -> {
            if (value == null) {
                builder.environment().remove(key);
            } else {
                builder.environment().put(key, value);
            }
        });
        long started = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("./platform " + String.join(" ", args) + " ran past " + timeout + ":\n"
                    + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output),
                Duration.ofNanos(System.nanoTime() - started));
    }

    record Result(int exitCode, String output, Duration took) {
    }
}

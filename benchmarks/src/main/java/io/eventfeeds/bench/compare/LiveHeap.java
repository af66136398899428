package io.eventfeeds.bench.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The live heap of JVM servers: what their objects take right after a full collection, from
 * {@code jcmd PID GC.class_histogram} (which runs one).
 *
 * <p>Why not RSS: the gateway's heap is fixed and touched at start, so its RSS hardly grows as connections open and
 * the RSS per connection flatters it (docs/performance.md, run E). The live heap per connection is what a connection
 * really costs it. A server that is not a JVM (nginx) has none: empty.
 */
final class LiveHeap {

    private static final Path JCMD = Path.of(System.getProperty("java.home"), "bin", "jcmd");

    private LiveHeap() {
    }

    /** The live heap of all {@code pids} in bytes; empty if any of them is not a JVM that answers jcmd. */
    static OptionalLong bytes(Collection<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            OptionalLong one = bytes(pid);
            if (one.isEmpty()) {
                return OptionalLong.empty();
            }
            sum += one.getAsLong();
        }
        return pids.isEmpty() ? OptionalLong.empty() : OptionalLong.of(sum);
    }

    private static OptionalLong bytes(long pid) {
        // jcmd wakes a JVM's attach listener with SIGQUIT, sent to any target that catches it; nginx's master
        // catches it to shut down gracefully, and did in the first run. Ask JVMs only.
        if (!isJvm(Path.of("/proc"), pid)) {
            return OptionalLong.empty();
        }
        Path output = null;
        try {
            // To a file, not a pipe: reading a pipe to its end would wait for jcmd however long it hangs.
            output = Files.createTempFile("live-heap-", ".txt");
            Process jcmd = new ProcessBuilder(JCMD.toString(), Long.toString(pid), "GC.class_histogram")
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                jcmd.destroyForcibly();
                return OptionalLong.empty();
            }
            return totalBytes(Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    /** Whether the process has the JVM's library mapped; false when it has ended or cannot be read. */
    static boolean isJvm(Path proc, long pid) {
        try (Stream<String> maps = Files.lines(proc.resolve(Long.toString(pid)).resolve("maps"))) {
            return maps.anyMatch(line -> line.endsWith("/libjvm.so"));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** The bytes column of a class histogram's {@code Total} line; empty if it has none. */
    static OptionalLong totalBytes(String histogram) {
        for (String line : histogram.split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length == 3 && columns[0].equals("Total")) {
                return OptionalLong.of(Long.parseLong(columns[2]));
            }
        }
        return OptionalLong.empty();
    }
}

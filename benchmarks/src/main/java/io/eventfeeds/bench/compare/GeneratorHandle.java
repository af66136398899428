package io.eventfeeds.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The coordinator's side of one {@link Generator} process: a JVM of its own, commands in, one answer each out. */
public final class GeneratorHandle implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final int id;

    public GeneratorHandle(int id, String heap, Path log) throws IOException {
        this.id = id;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-XX:+UseParallelGC");
        // No speculative code in the JIT: a branch never taken so far is compiled in, not left to a trap. Otherwise
        // each report empties the per-second latency map and the next event takes a branch the JIT had dropped; the
        // receive path went back to the interpreter and was compiled again, 0.3-0.6 s of a core per generator, in the
        // first seconds of every measurement, and on the 2-core box the server under test lost that core: its p99
        // rose to 70-290 ms in those seconds (JFR of the generators, many channels, 10,000 subscribers). The code is
        // a little slower; the generators' CPU is reported with every run.
        command.add("-XX:PerMethodTrapLimit=0");
        command.add("-XX:PerBytecodeTrapLimit=0");
        command.add("-Dio.netty.leakDetection.level=disabled");
        // Beside the generator's log, in wall-clock time: a generator pause shows as latency of the server under test.
        command.add("-Xlog:gc:file=" + log.resolveSibling("generator-" + id + "-gc.log") + ":time,uptime");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Generator.class.getName());
        process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    answers.add(line);
                }
            } catch (IOException e) {
                // process gone
            }
            answers.add("EXITED {}");
        }, "generator-" + id + "-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public long pid() {
        return process.pid();
    }

    /** Sends a command without waiting; {@link #await} takes its answer. */
    public void send(String name, Object body) throws IOException {
        commands.write(name + " " + JSON.writeValueAsString(body) + "\n");
        commands.flush();
    }

    public JsonNode await(String expected, long timeoutSeconds) throws Exception {
        String line = answers.poll(timeoutSeconds, TimeUnit.SECONDS);
        if (line == null) {
            throw new IllegalStateException("generator " + id + " did not answer " + expected + " within " + timeoutSeconds + " s");
        }
        int space = line.indexOf(' ');
        String name = line.substring(0, space);
        if (!name.equals(expected)) {
            throw new IllegalStateException("generator " + id + " answered " + line + " instead of " + expected);
        }
        return JSON.readTree(line.substring(space + 1));
    }

    public JsonNode call(String name, Object body, String expected, long timeoutSeconds) throws Exception {
        send(name, body);
        return await(expected, timeoutSeconds);
    }

    @Override
    public void close() {
        try {
            commands.write("EXIT\n");
            commands.flush();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }
}

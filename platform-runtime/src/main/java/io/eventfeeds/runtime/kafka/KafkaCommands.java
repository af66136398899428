package io.eventfeeds.runtime.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * The command lines that run Kafka's own tools from the jars platform-runtime copied: a node's storage format and the
 * node itself. Each runs in a JVM of its own, so that Kafka's Scala and logging classes never meet the caller's.
 */
public record KafkaCommands(Path kafkaLibs, Path confDir, List<String> jvmOptions) {

    public KafkaCommands {
        jvmOptions = List.copyOf(jvmOptions);
    }

    public List<String> formatStorage(Path config, String clusterId) {
        return java("kafka.tools.StorageTool", "format", "--ignore-formatted", "-t", clusterId, "-c", config.toString());
    }

    public List<String> node(Path config) {
        return java("kafka.Kafka", config.toString());
    }

    /** Writes each node's {@code server.properties} into {@link #confDir()} and returns their paths in node order. */
    public List<Path> writeConfigs(KafkaClusterLayout cluster) {
        List<Path> configs = new ArrayList<>();
        try {
            Files.createDirectories(confDir);
            for (KafkaNode node : cluster.nodes()) {
                Files.createDirectories(node.dataDir());
                configs.add(Files.writeString(confDir.resolve("kafka-node-" + node.id() + ".properties"),
                        cluster.serverProperties(node)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return configs;
    }

    /**
     * Formats the storage of each node that has none. Every node of a cluster is formatted with the same cluster id,
     * kept next to the configuration so that a node whose data was deleted rejoins the cluster it belonged to.
     */
    public void formatUnformatted(KafkaClusterLayout cluster, List<Path> configs, Path log) {
        List<KafkaNode> nodes = cluster.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            if (!nodes.get(i).isFormatted()) {
                run(formatStorage(configs.get(i), clusterId()), log, Duration.ofSeconds(60));
            }
        }
    }

    private String clusterId() {
        Path file = confDir.resolve("kafka-cluster.id");
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file).strip();
            }
            String id = Uuid.randomUuid().toString();
            Files.writeString(file, id);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(List<String> command, Path log, Duration timeout) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Kafka storage format did not finish within " + timeout + " (see " + log + ")");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("Kafka storage format failed with exit code " + process.exitValue()
                        + " (see " + log + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run Kafka's storage format", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
    }

    /**
     * Logs at {@code rootLevel}, but always says when a node has started: that line is what a reader of a failed
     * start looks for first.
     */
    public Path writeLogging(String rootLevel) {
        try {
            Files.createDirectories(confDir);
            return Files.writeString(confDir.resolve("kafka-log4j2.properties"), String.join("\n",
                    "rootLogger.level=" + rootLevel,
                    "rootLogger.appenderRef.stdout.ref=STDOUT",
                    "appender.stdout.type=Console",
                    "appender.stdout.name=STDOUT",
                    "appender.stdout.layout.type=PatternLayout",
                    "appender.stdout.layout.pattern=[%d] %p %m (%c)%n",
                    "logger.started.name=kafka.server.KafkaRaftServer",
                    "logger.started.level=INFO",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> java(String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dlog4j2.configurationFile=" + confDir.resolve("kafka-log4j2.properties"));
        command.add("-cp");
        command.add(kafkaLibs + "/*");
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }
}

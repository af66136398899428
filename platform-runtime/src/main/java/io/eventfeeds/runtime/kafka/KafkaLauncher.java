package io.eventfeeds.runtime.kafka;

import io.eventfeeds.runtime.LauncherOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The command {@code ./platform} runs to set up its Kafka cluster; the script itself only starts the node processes
 * and keeps their pids.
 *
 * <pre>
 * prepare    --nodes N --host H --port P --controller-port P --data DIR --conf DIR --libs DIR --log FILE
 *            writes each node's configuration and its command line (arguments separated by NUL), formats storage
 *            where there is none, and prints "ID COMMAND-FILE" per node
 * await-topic --nodes N --host H --port P --controller-port P --data DIR --topic T --partitions N --retention-ms MS --timeout S [--pids P,P]
 *            waits for every node, creates the topic unless it exists, and waits until it accepts writes
 * </pre>
 *
 * Any failure prints one line on standard error and exits with 1 (2 for a wrong command line).
 */
public final class KafkaLauncher {

    /** The platform's nodes; the tests run theirs smaller. */
    static final List<String> NODE_JVM_OPTIONS = List.of("-Xms256m", "-Xmx1g");

    private KafkaLauncher() {
    }

    public static void main(String[] args) {
        LauncherOptions.runMain("kafka launcher", args, KafkaLauncher::run);
    }

    static void run(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("a command is needed: prepare or await-topic");
        }
        LauncherOptions options = LauncherOptions.parse(Arrays.copyOfRange(args, 1, args.length));
        KafkaClusterLayout cluster = KafkaClusterLayout.contiguous(options.integer("nodes"), options.text("host"),
                options.integer("port"), options.integer("controller-port"), Path.of(options.text("data")));
        switch (args[0]) {
            case "prepare" -> prepare(cluster, options);
            case "await-topic" -> awaitTopic(cluster, options);
            default -> throw new IllegalArgumentException("unknown command '" + args[0] + "' (prepare, await-topic)");
        }
    }

    private static void prepare(KafkaClusterLayout cluster, LauncherOptions options) {
        Path conf = Path.of(options.text("conf"));
        keepSize(cluster, Path.of(options.text("data")));
        KafkaCommands commands = new KafkaCommands(Path.of(options.text("libs")), conf, NODE_JVM_OPTIONS);
        commands.writeLogging("INFO");
        List<Path> configs = commands.writeConfigs(cluster);
        commands.formatUnformatted(cluster, configs, Path.of(options.text("log")));
        for (int i = 0; i < configs.size(); i++) {
            int id = cluster.nodes().get(i).id();
            Path commandFile = conf.resolve("kafka-node-" + id + ".command");
            try {
                Files.writeString(commandFile, String.join("\0", commands.node(configs.get(i))) + "\0");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.out.println(id + " " + commandFile);
        }
    }

    /**
     * A cluster's data only works with the nodes it was made with: its topics have replicas on each of them. A
     * different KAFKA_NODES over the same data would wait forever for partitions without a leader, so it is refused.
     */
    private static void keepSize(KafkaClusterLayout cluster, Path data) {
        Path marker = data.resolve("nodes");
        int nodes = cluster.nodes().size();
        try {
            Files.createDirectories(data);
            if (Files.isRegularFile(marker)) {
                int made = Integer.parseInt(Files.readString(marker).strip());
                if (made != nodes) {
                    throw new IllegalStateException("the Kafka data in " + data + " belongs to a cluster of " + made
                            + " node(s): start it with KAFKA_NODES=" + made + ", or delete " + data
                            + " (and its events) for a new cluster of " + nodes);
                }
            } else {
                Files.writeString(marker, Integer.toString(nodes));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitTopic(KafkaClusterLayout cluster, LauncherOptions options) {
        EventTopicSpec topic = new EventTopicSpec(options.text("topic"), options.integer("partitions"),
                Long.parseLong(options.text("retention-ms")));
        new KafkaReadiness(cluster).awaitTopic(topic, Duration.ofSeconds(options.integer("timeout")),
                () -> options.processesAlive("pids"));
    }
}

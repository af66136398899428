package io.eventfeeds.testsupport;

import io.eventfeeds.events.EventTopics;
import io.eventfeeds.runtime.kafka.EventTopicSpec;
import io.eventfeeds.runtime.kafka.KafkaClusterLayout;
import io.eventfeeds.runtime.kafka.KafkaCommands;
import io.eventfeeds.runtime.kafka.KafkaNode;
import io.eventfeeds.runtime.kafka.KafkaReadiness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * A real Apache Kafka cluster in KRaft mode (each node broker and controller), on free loopback ports, set up by
 * platform-runtime's launcher exactly as {@code ./platform} sets up its own. Each node is a child JVM, so that a test
 * can stop, kill and restart nodes to see what the services do.
 *
 * <p>Topics are not auto-created, as on the real platform: {@link #start()} creates the event topic.
 */
public final class KafkaCluster {

    public static final int EVENT_TOPIC_PARTITIONS = 3;
    private static final long WEEK_MS = Duration.ofDays(7).toMillis();

    private final Path dir;
    private final KafkaClusterLayout layout;
    private final KafkaCommands commands;
    private final List<ChildProcess> nodes = new ArrayList<>();
    private List<Path> configs;

    public KafkaCluster(Path dir, int nodeCount) {
        this.dir = dir;
        List<KafkaNode> layoutNodes = new ArrayList<>();
        for (int id = 1; id <= nodeCount; id++) {
            layoutNodes.add(new KafkaNode(id, "127.0.0.1", FreePort.pick(), FreePort.pick(),
                    dir.resolve("data").resolve("node-" + id)));
            nodes.add(new ChildProcess("Kafka node " + id, dir.resolve("kafka-node-" + id + ".log")));
        }
        this.layout = new KafkaClusterLayout(layoutNodes);
        this.commands = new KafkaCommands(RuntimeLayout.kafkaLibs(), dir,
                List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC"));
    }

    public String bootstrapServers() {
        return layout.bootstrapServers();
    }

    /** Starts every node that is not running and waits until the event topic accepts writes. */
    public synchronized void start() {
        if (nodes.stream().allMatch(ChildProcess::isAlive)) {
            return;
        }
        if (configs == null) {
            commands.writeLogging("WARN");
            configs = commands.writeConfigs(layout);
            commands.formatUnformatted(layout, configs, dir.resolve("format.log"));
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (!nodes.get(i).isAlive()) {
                nodes.get(i).start(commands.node(configs.get(i)), dir, Map.of());
            }
        }
        try {
            new KafkaReadiness(layout).awaitTopic(new EventTopicSpec(EventTopics.EVENTS, EVENT_TOPIC_PARTITIONS, WEEK_MS),
                    Duration.ofSeconds(90), () -> nodes.stream().allMatch(ChildProcess::isAlive));
        } catch (IllegalStateException e) {
            String logs = nodes.stream().map(ChildProcess::tail).reduce("", (a, b) -> a + "\n" + b);
            stop();
            throw new IllegalStateException("Kafka did not start: " + e.getMessage() + logs, e);
        }
    }

    /** Stops every node but keeps their data, so that {@link #start()} brings back the same log on the same ports. */
    public synchronized void stop() {
        // All at once: a node asked to stop after the others waits for a quorum that has gone.
        List<Thread> stopping = nodes.stream().map(node -> new Thread(node::stop, "stop-kafka-node")).toList();
        stopping.forEach(Thread::start);
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Starts node {@code id} (1-based) again after {@link #kill(int)}, with its data, and waits until it listens. */
    public synchronized void restart(int id) {
        ChildProcess node = nodes.get(id - 1);
        if (!node.isAlive()) {
            node.start(commands.node(configs.get(id - 1)), dir, Map.of());
            int port = layout.node(id).port();
            node.awaitReady(() -> FreePort.isListening(port), Duration.ofSeconds(60));
        }
    }

    /** Kills node {@code id} (1-based) with SIGKILL, as a crash would: no clean shutdown, no leadership hand-over. */
    public synchronized void kill(int id) {
        nodes.get(id - 1).kill();
    }

    public boolean isRunning() {
        return nodes.stream().allMatch(ChildProcess::isAlive);
    }

    public int size() {
        return nodes.size();
    }

    public void createTopic(String name, int partitions) {
        new KafkaReadiness(layout).createTopic(new EventTopicSpec(name, partitions, WEEK_MS));
    }

    public Admin admin() {
        return new KafkaReadiness(layout).admin();
    }
}

package io.eventfeeds.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Kafka cluster of three nodes (replication 3, two replicas in sync for a write, as {@code KAFKA_NODES=3 ./platform
 * up} makes it) for the one test class that kills a node. Started for that class and stopped after it, so the other
 * tests keep the faster shared single node.
 */
public class ThreeNodeKafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private static KafkaCluster cluster;

    /** The running cluster, for the test to kill and restart its nodes. */
    public static synchronized KafkaCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("ThreeNodeKafkaTestResource has not started a cluster");
        }
        return cluster;
    }

    @Override
    public Map<String, String> start() {
        synchronized (ThreeNodeKafkaTestResource.class) {
            try {
                Path base = Files.createDirectories(Path.of(System.getProperty("eventfeeds.test.work.dir", "target")));
                cluster = new KafkaCluster(Files.createTempDirectory(base.toAbsolutePath(), "kafka-3-"), 3);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            cluster.start();
            return Map.of("kafka.bootstrap.servers", cluster.bootstrapServers());
        }
    }

    @Override
    public void stop() {
        synchronized (ThreeNodeKafkaTestResource.class) {
            if (cluster != null) {
                cluster.stop();
                cluster = null;
            }
        }
    }
}

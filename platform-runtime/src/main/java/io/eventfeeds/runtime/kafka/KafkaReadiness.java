package io.eventfeeds.runtime.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * When a cluster can take the platform's events: every node has joined, the event topic exists with the cluster's
 * replication, and each of its partitions has a leader with enough replicas in sync to accept a write.
 */
public final class KafkaReadiness {

    private final KafkaClusterLayout cluster;

    public KafkaReadiness(KafkaClusterLayout cluster) {
        this.cluster = cluster;
    }

    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        return Admin.create(props);
    }

    /** Answers metadata with at least {@code nodes} live nodes. */
    public boolean hasLiveNodes(int nodes) {
        try (Admin admin = admin()) {
            return hasLiveNodes(admin, nodes);
        }
    }

    private static boolean hasLiveNodes(Admin admin, int nodes) {
        try {
            return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= nodes;
        } catch (Exception e) {
            return false;
        }
    }

    /** Creates the topic unless it exists; a topic that exists keeps its settings. */
    public void createTopic(EventTopicSpec topic) {
        try (Admin admin = admin()) {
            createTopic(admin, topic);
        }
    }

    private void createTopic(Admin admin, EventTopicSpec topic) {
        try {
            admin.createTopics(List.of(topic.newTopic(cluster))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic.name(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e, e);
        }
    }

    public boolean acceptsWrites(String topic) {
        try (Admin admin = admin()) {
            return acceptsWrites(admin, topic);
        }
    }

    private boolean acceptsWrites(Admin admin, String topic) {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(5, TimeUnit.SECONDS);
            return described.get(topic).partitions().stream().allMatch(partition -> partition.leader() != null
                    && !partition.leader().isEmpty() && partition.isr().size() >= cluster.minInsyncReplicas());
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Waits until every node is up and the topic accepts writes, creating it on the way. {@code alive} says whether
     * the nodes' processes still run, so that a node that died fails the wait at once instead of at its end.
     */
    public void awaitTopic(EventTopicSpec topic, Duration timeout, BooleanSupplier alive) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // One client for the whole wait: it reconnects by itself while nodes come up, where a client per poll would
        // start a new connection, metadata fetch and threads four times a second.
        try (Admin admin = admin()) {
            poll("all " + cluster.nodes().size() + " Kafka nodes to join",
                    () -> hasLiveNodes(admin, cluster.nodes().size()), deadline, alive);
            createTopic(admin, topic);
            poll("topic " + topic.name() + " to accept writes", () -> acceptsWrites(admin, topic.name()), deadline,
                    alive);
        }
    }

    private static void poll(String what, BooleanSupplier done, long deadline, BooleanSupplier alive) {
        while (!done.getAsBoolean()) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException("a Kafka node exited while waiting for " + what);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }
}

package io.eventfeeds.runtime.kafka;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The nodes of a local Kafka cluster and the configuration each one runs with. {@code ./platform} and the test
 * resources both take their broker settings from here, so the platform a developer runs is the one the tests run.
 */
public record KafkaClusterLayout(List<KafkaNode> nodes) {

    /** Replicas per partition are capped at three: more buys a loopback cluster nothing but disk writes. */
    static final int MAX_REPLICAS = 3;

    public KafkaClusterLayout {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a Kafka cluster needs at least one node");
        }
        nodes = List.copyOf(nodes);
    }

    /**
     * {@code count} nodes whose client and controller ports start at the given ones and step by two: from 9092 and
     * 9093, three nodes take 9092/9093, 9094/9095 and 9096/9097.
     */
    public static KafkaClusterLayout contiguous(int count, String host, int firstPort, int firstControllerPort,
            Path dataRoot) {
        List<KafkaNode> nodes = new ArrayList<>();
        for (int id = 1; id <= count; id++) {
            nodes.add(new KafkaNode(id, host, firstPort + 2 * (id - 1), firstControllerPort + 2 * (id - 1),
                    dataRoot.resolve("node-" + id)));
        }
        return new KafkaClusterLayout(nodes);
    }

    public String bootstrapServers() {
        return nodes.stream().map(KafkaNode::address).collect(Collectors.joining(","));
    }

    public short replicationFactor() {
        return (short) Math.min(MAX_REPLICAS, nodes.size());
    }

    /**
     * With three replicas, a write needs two: one node may die without losing an acknowledged event or stopping
     * publishers. With fewer there is nothing to spare.
     */
    public int minInsyncReplicas() {
        return replicationFactor() >= MAX_REPLICAS ? 2 : 1;
    }

    public KafkaNode node(int id) {
        return nodes.stream().filter(node -> node.id() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Kafka node " + id));
    }

    /** The {@code server.properties} of one node. */
    public String serverProperties(KafkaNode node) {
        String voters = nodes.stream().map(n -> n.id() + "@127.0.0.1:" + n.controllerPort())
                .collect(Collectors.joining(","));
        int replicas = replicationFactor();
        int minInsync = minInsyncReplicas();
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=" + node.id(),
                "controller.quorum.voters=" + voters,
                "listeners=PLAINTEXT://" + node.address() + ",CONTROLLER://127.0.0.1:" + node.controllerPort(),
                "advertised.listeners=PLAINTEXT://" + node.address(),
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + node.dataDir(),
                // The platform creates its topics itself, with their own settings.
                "auto.create.topics.enable=false",
                "default.replication.factor=" + replicas,
                "min.insync.replicas=" + minInsync,
                "offsets.topic.replication.factor=" + replicas,
                // A local cluster has a handful of consumer groups; 50 partitions only slow its first start.
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=" + replicas,
                "transaction.state.log.min.isr=" + minInsync,
                "share.coordinator.state.topic.replication.factor=" + replicas,
                "share.coordinator.state.topic.min.isr=" + minInsync,
                "group.initial.rebalance.delay.ms=0",
                // A killed node's partitions move to another leader after this long (Kafka's default is 9 s); on
                // loopback, heartbeats are never late for any other reason.
                "broker.session.timeout.ms=3000",
                "broker.heartbeat.interval.ms=500",
                "");
    }
}

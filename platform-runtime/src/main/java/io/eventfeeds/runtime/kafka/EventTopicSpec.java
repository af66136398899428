package io.eventfeeds.runtime.kafka;

import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/** A topic the platform creates itself (auto-creation is off), sized for the cluster it lives on. */
public record EventTopicSpec(String name, int partitions, long retentionMs) {

    NewTopic newTopic(KafkaClusterLayout cluster) {
        return new NewTopic(name, partitions, cluster.replicationFactor()).configs(Map.of(
                "retention.ms", Long.toString(retentionMs),
                "min.insync.replicas", Integer.toString(cluster.minInsyncReplicas())));
    }
}

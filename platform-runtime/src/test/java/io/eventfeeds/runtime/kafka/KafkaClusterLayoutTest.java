package io.eventfeeds.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KafkaClusterLayoutTest {

    private static final Path DATA = Path.of("/data/kafka");

    @Test
    void threeNodesListenOnEveryOtherPortWithTheirControllersInBetween() {
        KafkaClusterLayout cluster = KafkaClusterLayout.contiguous(3, "127.0.0.1", 9092, 9093, DATA);

        assertThat(cluster.bootstrapServers()).isEqualTo("127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096");
        assertThat(cluster.nodes()).extracting(KafkaNode::controllerPort).containsExactly(9093, 9095, 9097);
        assertThat(cluster.node(2).dataDir()).isEqualTo(DATA.resolve("node-2"));
    }

    @Test
    void everyNodeKnowsEveryVoterAndListensOnItsOwnPorts() {
        KafkaClusterLayout cluster = KafkaClusterLayout.contiguous(3, "0.0.0.0", 9092, 9093, DATA);

        String second = cluster.serverProperties(cluster.node(2));

        assertThat(second).contains("node.id=2\n",
                "controller.quorum.voters=1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097\n",
                "listeners=PLAINTEXT://0.0.0.0:9094,CONTROLLER://127.0.0.1:9095\n",
                "log.dirs=" + DATA.resolve("node-2") + "\n");
    }

    @ParameterizedTest(name = "{0} node(s): {1} replicas, {2} in sync for a write")
    @CsvSource({"1, 1, 1", "2, 2, 1", "3, 3, 2", "5, 3, 2"})
    void replicationGrowsWithTheClusterUpToThreeReplicasOfWhichTwoMustWrite(int nodes, int replicas, int minInsync) {
        KafkaClusterLayout cluster = KafkaClusterLayout.contiguous(nodes, "127.0.0.1", 9092, 9093, DATA);

        assertThat(cluster.replicationFactor()).isEqualTo((short) replicas);
        assertThat(cluster.minInsyncReplicas()).isEqualTo(minInsync);
        assertThat(cluster.serverProperties(cluster.node(1))).contains(
                "default.replication.factor=" + replicas + "\n", "min.insync.replicas=" + minInsync + "\n",
                "offsets.topic.replication.factor=" + replicas + "\n",
                "transaction.state.log.min.isr=" + minInsync + "\n");
    }
}

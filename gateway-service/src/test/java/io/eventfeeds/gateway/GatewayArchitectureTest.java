package io.eventfeeds.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.eventfeeds.testsupport.PackageCycles;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The gateway's packages depend on each other one way: endpoint -> session, resume, security, ops, publish ->
 * fanout -> protocol, transport. A cycle would make them one package in all but name again.
 */
class GatewayArchitectureTest {

    private static final JavaClasses GATEWAY = PackageCycles.mainClassesOf("io.eventfeeds.gateway");

    @Test
    void gatewayPackagesHaveNoCycle() {
        assertThat(GATEWAY.size()).as("classes imported").isGreaterThan(30);
        PackageCycles.forbiddenBelow("io.eventfeeds.gateway").check(GATEWAY);
    }

    @Test
    void theRuleFailsOnAPackageCycle() {
        JavaClasses cyclic = new ClassFileImporter().importPackages("io.eventfeeds.archfixture.cyclic");
        assertThatThrownBy(() -> PackageCycles.forbiddenBelow("io.eventfeeds.archfixture.cyclic").check(cyclic))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Cycle");
    }

    @ParameterizedTest(name = "{0} does not depend on {1}")
    @CsvSource({
        "protocol, fanout", "protocol, session", "protocol, endpoint", "protocol, resume", "protocol, security",
        "transport, fanout", "transport, session", "transport, protocol", "transport, endpoint",
        "fanout, session", "fanout, resume", "fanout, endpoint", "fanout, security", "fanout, ops",
        "session, endpoint", "session, resume", "session, security", "resume, endpoint", "resume, session",
        "security, endpoint", "security, session", "security, fanout", "ops, endpoint",
        "publish, endpoint", "publish, session", "publish, fanout", "publish, protocol", "publish, transport"
    })
    void lowerPackagesDoNotReachUp(String lower, String upper) {
        noClasses().that().resideInAPackage("io.eventfeeds.gateway." + lower + "..")
                .should().dependOnClassesThat().resideInAPackage("io.eventfeeds.gateway." + upper + "..")
                .check(GATEWAY);
    }

    /** Going below WebSockets Next (Vert.x internals, Netty's channel) is for speed, and kept in one place. */
    @Test
    void onlyTheTransportReachesBelowWebSocketsNext() {
        noClasses().that().resideOutsideOfPackage("io.eventfeeds.gateway.transport..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx.core.http.impl..", "io.vertx.core.impl..",
                        "io.netty.channel..")
                .check(GATEWAY);
    }

    /**
     * Replays read the event topic by position through event-log's EventLogReader, which owns the consumer settings
     * for it; the live fan-out's consumer is Reactive Messaging's, configured in application.properties.
     */
    @Test
    void noGatewayClassMakesItsOwnKafkaConsumer() {
        noClasses().should().dependOnClassesThat().belongToAnyOf(KafkaConsumer.class, ConsumerConfig.class)
                .check(GATEWAY);
    }
}

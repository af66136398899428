package io.eventfeeds.feed;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.eventfeeds.testsupport.PackageCycles;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * feed-service's packages depend on each other one way: demo -> publish -> problem <- history. Problem answers are
 * shared by the features, so they must not know any of them.
 */
class FeedArchitectureTest {

    private static final JavaClasses FEED = PackageCycles.mainClassesOf("io.eventfeeds.feed");

    @Test
    void feedPackagesHaveNoCycle() {
        assertThat(FEED.size()).as("classes imported").isGreaterThan(20);
        PackageCycles.forbiddenBelow("io.eventfeeds.feed").check(FEED);
    }

    @ParameterizedTest(name = "{0} does not depend on {1}")
    @CsvSource({
        "problem, publish", "problem, history", "problem, demo",
        "history, publish", "history, demo", "publish, history", "publish, demo"
    })
    void featuresDoNotReachEachOther(String from, String to) {
        noClasses().that().resideInAPackage("io.eventfeeds.feed." + from + "..")
                .should().dependOnClassesThat().resideInAPackage("io.eventfeeds.feed." + to + "..")
                .check(FEED);
    }

    /** History reads the event topic through event-log's EventLogReader, which owns the consumer settings for it. */
    @Test
    void noFeedClassMakesItsOwnKafkaConsumer() {
        noClasses().should().dependOnClassesThat().belongToAnyOf(KafkaConsumer.class, ConsumerConfig.class)
                .check(FEED);
    }
}

package io.eventfeeds.feed.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.testsupport.EventTopicReader;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Starts the demo feed in the running application rather than in a test profile with feeds.demo.enabled=true: a
 * profile means another application start with its own Kafka and Keycloak, minutes on a busy machine. The startup
 * observer that reads feeds.demo.* only calls the same start method.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class DemoFeedTest {

    static final String GAME = "scores:demo-test-game";
    static final String STOCK = "stocks:demo-test-stock";

    @Inject
    DemoFeed demoFeed;

    @Test
    void demoFeedPublishesAGameAndStockPricesToTheTopicAsDemoFeed() {
        List<ConsumerRecord<String, String>> records;
        demoFeed.start(Duration.ofMillis(200), GAME, List.of("demo-test-stock"));
        try {
            records = EventTopicReader.readAll(
                    record -> GAME.equals(record.key()) || STOCK.equals(record.key()), 6, Duration.ofSeconds(30));
        } finally {
            demoFeed.stopTicking();
        }

        assertThat(records).extracting(ConsumerRecord::key).contains(GAME, STOCK);
        assertThat(records).allSatisfy(record -> assertThat(record.value()).contains("\"publisher\":\"demo-feed\""));
        assertThat(records).filteredOn(record -> GAME.equals(record.key())).first().satisfies(record ->
                assertThat(record.value()).contains("\"type\":\"score\"").contains("\"quarter\":")
                        .contains("\"home\":{").contains("\"clock\":"));
        assertThat(records).filteredOn(record -> STOCK.equals(record.key())).first().satisfies(record ->
                assertThat(record.value()).contains("\"type\":\"price\"").contains("\"price\":"));
    }
}

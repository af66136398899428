package io.eventfeeds.feed.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.testsupport.EventTopicReader;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(DemoFeedTest.DemoOn.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class DemoFeedTest {

    static final String GAME = "scores:demo-test-game";
    static final String STOCK = "stocks:demo-test-stock";

    public static class DemoOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("feeds.demo.enabled", "true", "feeds.demo.interval", "200ms",
                    "feeds.demo.game-channel", GAME, "feeds.demo.stocks", "demo-test-stock");
        }
    }

    @Test
    void demoFeedPublishesAGameAndStockPricesToTheTopicAsDemoFeed() {
        List<ConsumerRecord<String, String>> records = EventTopicReader.readAll(
                record -> GAME.equals(record.key()) || STOCK.equals(record.key()), 6, Duration.ofSeconds(30));

        assertThat(records).extracting(ConsumerRecord::key).contains(GAME, STOCK);
        assertThat(records).allSatisfy(record -> assertThat(record.value()).contains("\"publisher\":\"demo-feed\""));
        assertThat(records).filteredOn(record -> GAME.equals(record.key())).first().satisfies(record ->
                assertThat(record.value()).contains("\"type\":\"score\"").contains("\"quarter\":")
                        .contains("\"home\":{").contains("\"clock\":"));
        assertThat(records).filteredOn(record -> STOCK.equals(record.key())).first().satisfies(record ->
                assertThat(record.value()).contains("\"type\":\"price\"").contains("\"price\":"));
    }
}

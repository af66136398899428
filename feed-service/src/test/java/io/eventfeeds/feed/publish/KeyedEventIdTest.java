package io.eventfeeds.feed.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyedEventIdTest {

    @Test
    void everyCopyOfAKeyedEventCarriesTheSameId() {
        assertThat(EventPublisher.keyedId("service-account-publisher", "order-17"))
                .isEqualTo(EventPublisher.keyedId("service-account-publisher", "order-17"));
    }

    @Test
    void aKeyedIdIsAUuidLikeEveryOtherEventId() {
        String id = EventPublisher.keyedId("alice", "k");
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
    }

    @ParameterizedTest(name = "{0}/{1} and {2}/{3} differ")
    @CsvSource({
            "alice, k1, bob, k1",
            "alice, k1, alice, k2",
            "ab, c, a, bc",
    })
    void differentCallersOrKeysNeverShareAnId(String caller, String key, String otherCaller, String otherKey) {
        assertThat(EventPublisher.keyedId(caller, key)).isNotEqualTo(EventPublisher.keyedId(otherCaller, otherKey));
    }
}

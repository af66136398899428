package io.eventfeeds.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class EventIdsTest {

    @Test
    void everyCopyOfAKeyedEventCarriesTheSameId() {
        assertThat(EventIds.keyed("service-account-publisher", "order-17"))
                .isEqualTo(EventIds.keyed("service-account-publisher", "order-17"));
    }

    @Test
    void aKeyedIdIsAUuidLikeEveryOtherEventId() {
        String id = EventIds.keyed("alice", "k");
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
    }

    @ParameterizedTest(name = "{0}/{1} and {2}/{3} differ")
    @CsvSource({
            "alice, k1, bob, k1",
            "alice, k1, alice, k2",
            "ab, c, a, bc",
    })
    void differentSubjectsOrKeysNeverShareAnId(String subject, String key, String otherSubject, String otherKey) {
        assertThat(EventIds.keyed(subject, key)).isNotEqualTo(EventIds.keyed(otherSubject, otherKey));
    }

    @Test
    void keyedIdsAreToldFromRandomOnes() {
        assertThat(EventIds.isKeyed(EventIds.keyed("alice", "k"))).isTrue();
        assertThat(EventIds.isKeyed(EventIds.random())).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"e-1", "not-a-uuid-but-just-as-long-as-one-x", "0000000000000000000000000000000000000"})
    void idsOfOtherPublishersAreNotKeyed(String id) {
        assertThat(EventIds.isKeyed(id)).isFalse();
    }
}

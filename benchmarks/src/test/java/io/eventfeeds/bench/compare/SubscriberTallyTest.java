package io.eventfeeds.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class SubscriberTallyTest {

    @Test
    void countsDistinctDuplicatesAndReorderedEvents() {
        SubscriberTally tally = new SubscriberTally();
        assertThat(tally.onEvent(0)).isTrue();
        assertThat(tally.onEvent(2)).isTrue();
        assertThat(tally.onEvent(1)).isTrue();
        assertThat(tally.onEvent(2)).isFalse();

        assertThat(tally.distinct()).isEqualTo(3);
        assertThat(tally.duplicates()).isEqualTo(1);
        assertThat(tally.reordered()).isEqualTo(1);
        assertThat(tally.lost(3, null)).isZero();
    }

    @Test
    void lostCountsEveryMissingEventEvenOutOfOrderAndNotTheRefusedOnes() {
        SubscriberTally tally = new SubscriberTally();
        tally.onEvent(4);
        tally.onEvent(0);
        tally.onEvent(2);
        assertThat(tally.lost(5, null)).isEqualTo(2);

        BitSet refused = new BitSet();
        refused.set(3);
        assertThat(tally.lost(5, refused)).isEqualTo(1);
        // Events beyond what was published so far do not count as received.
        assertThat(tally.lost(2, null)).isEqualTo(1);
    }

    @Test
    void refusesNegativeSequenceNumbers() {
        assertThatThrownBy(() -> new SubscriberTally().onEvent(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}

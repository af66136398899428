package io.eventfeeds.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PacerTest {

    @Test
    void eventIsDueAtStartPlusIndexOverRateWithoutDrift() {
        Pacer pacer = new Pacer(1_000, 3);
        assertThat(pacer.dueNanos(0)).isEqualTo(1_000);
        assertThat(pacer.dueNanos(1)).isEqualTo(1_000 + 333_333_333);
        assertThat(pacer.dueNanos(2)).isEqualTo(1_000 + 666_666_667);
        assertThat(pacer.dueNanos(3)).isEqualTo(1_000 + 1_000_000_000);
        // A million events at 1000/s end exactly 1000 s later: no rounding error adds up.
        assertThat(new Pacer(0, 1000).dueNanos(1_000_000)).isEqualTo(1_000_000_000_000L);
    }

    @Test
    void eventsForARunAndRejectedRates() {
        assertThat(Pacer.eventsFor(60, 30)).isEqualTo(1800);
        assertThat(Pacer.eventsFor(0.1, 1)).isEqualTo(1);
        assertThatThrownBy(() -> new Pacer(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pacer(0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}

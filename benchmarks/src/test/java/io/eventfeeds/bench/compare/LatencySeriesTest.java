package io.eventfeeds.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencySeriesTest {

    @Test
    void recordsPerSecondOfArrivalAndClampsOutOfRangeValues() {
        LatencySeries series = new LatencySeries();
        series.record(10_000_000L, 1_000);
        series.record(10_999_999L, 3_000);
        series.record(11_000_000L, -5);
        series.record(11_500_000L, 10 * LatencySeries.HIGHEST_MICROS);

        assertThat(series.perSecond().keySet()).containsExactly(10L, 11L);
        assertThat(series.perSecond().get(10L).getTotalCount()).isEqualTo(2);
        assertThat(series.total().getTotalCount()).isEqualTo(4);
        assertThat(series.total().getMinValue()).isZero();
        assertThat(series.total().getMaxValue()).isBetween(LatencySeries.HIGHEST_MICROS, LatencySeries.HIGHEST_MICROS * 101 / 100);
    }

    @Test
    void survivesEncodingAndMergesWithAnother() {
        LatencySeries a = new LatencySeries();
        for (int i = 1; i <= 1000; i++) {
            a.record(5_000_000L + i, i * 10L);
        }
        LatencySeries b = new LatencySeries();
        b.record(6_000_000L, 20_000);

        LatencySeries decoded = LatencySeries.decode(a.encode());
        assertThat(decoded.total().getTotalCount()).isEqualTo(1000);
        assertThat(decoded.total().getValueAtPercentile(50)).isEqualTo(a.total().getValueAtPercentile(50));

        decoded.add(LatencySeries.decode(b.encode()));
        assertThat(decoded.total().getTotalCount()).isEqualTo(1001);
        assertThat(decoded.perSecond().keySet()).containsExactly(5L, 6L);
        assertThat(decoded.total().getMaxValue()).isCloseTo(20_000L, within(30L));

        decoded.reset();
        assertThat(decoded.total().getTotalCount()).isZero();
        assertThat(decoded.perSecond()).isEmpty();
    }
}

package io.eventfeeds.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void ratioIsPlatformOverNchanWithTheEdgeCasesSpelledOut() {
        assertThat(Stats.ratio(30.0, 10.0)).isEqualTo(3.0);
        assertThat(Stats.ratio(1.0, 3.0)).isEqualTo(0.33);
        assertThat(Stats.ratio(0.0, 0.0)).isEqualTo(1.0);
        assertThat(Stats.ratio(5.0, 0.0)).isNull();
        assertThat(Stats.ratio(null, 1.0)).isNull();
        assertThat(Stats.ratio(Double.NaN, 1.0)).isNull();
    }

    @Test
    void ratiosOfARowCoverTheNumericMetricsBothTargetsHave() {
        Map<String, Object> platform = new LinkedHashMap<>();
        platform.put("latencyP99Ms", 40.0);
        platform.put("lost", 0L);
        platform.put("generatorSaturated", false);
        platform.put("pipelineCpuPercent", 80.0);
        Map<String, Object> nchan = new LinkedHashMap<>();
        nchan.put("latencyP99Ms", 4.0);
        nchan.put("lost", 0L);
        nchan.put("generatorSaturated", false);

        Map<String, Double> ratios = CompareBenchmark.Rows.ratios(platform, nchan);
        assertThat(ratios).containsEntry("latencyP99Ms", 10.0).containsEntry("lost", 1.0).hasSize(2);
        assertThat(CompareBenchmark.Rows.ratios(platform, null)).isEmpty();
    }

    @Test
    void latencySummaryInMilliseconds() {
        Histogram histogram = new Histogram(LatencySeries.HIGHEST_MICROS, 3);
        for (int i = 1; i <= 100; i++) {
            histogram.recordValue(i * 1000L);
        }
        Map<String, Object> summary = Stats.latencyMs(histogram);
        assertThat(summary.get("count")).isEqualTo(100L);
        assertThat((double) summary.get("p50")).isCloseTo(50.0, within(0.1));
        assertThat((double) summary.get("p90")).isCloseTo(90.0, within(0.1));
        assertThat((double) summary.get("p99")).isCloseTo(99.0, within(0.1));
        assertThat((double) summary.get("max")).isCloseTo(100.0, within(0.1));
        assertThat(Stats.latencyMs(new Histogram(3)).get("p99")).isEqualTo(0.0);
    }

    @Test
    void saturationAndSustainedRules() {
        assertThat(Stats.coreShare(150, 2.0)).isEqualTo(0.75);
        assertThat(Stats.coreShare(150, 0)).isZero();
        assertThat(Stats.generatorSaturated(0.5, 10_000)).isFalse();
        assertThat(Stats.generatorSaturated(0.9, 10_000)).isTrue();
        assertThat(Stats.generatorSaturated(0.5, 60_000)).isTrue();
        assertThat(Stats.publisherBehind(1_000, 100, 100)).isFalse();
        assertThat(Stats.publisherBehind(1_000, 90, 100)).isTrue();
        assertThat(Stats.publisherBehind(80_000, 100, 100)).isTrue();
        assertThat(Stats.sustained(0, 0, 900, 1000)).isTrue();
        assertThat(Stats.sustained(1, 0, 10, 1000)).isFalse();
        assertThat(Stats.sustained(0, 1, 10, 1000)).isFalse();
        assertThat(Stats.sustained(0, 0, 1001, 1000)).isFalse();
    }
}

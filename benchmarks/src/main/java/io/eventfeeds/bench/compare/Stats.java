package io.eventfeeds.bench.compare;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The rules that turn raw counts into the report's metrics, verdicts and ratios. */
public final class Stats {

    /** The generator counts as saturated above this share of one core (its one event loop does all the work). */
    public static final double GENERATOR_CPU_LIMIT = 0.85;
    /** ... or when its event loop ran this late (p99 of a 20 ms tick), so frames waited in the generator. */
    public static final long GENERATOR_LAG_P99_LIMIT_MICROS = 50_000;
    /** The publisher fell behind when p99 of its sends was this late, or it reached less than 95 % of its rate. */
    public static final long PUBLISHER_LATE_P99_LIMIT_MICROS = 50_000;
    public static final double PUBLISHER_MIN_RATE_SHARE = 0.95;

    private Stats() {
    }

    /** count, p50, p90, p99 and max in milliseconds (two decimals). */
    public static Map<String, Object> latencyMs(Histogram histogram) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", histogram.getTotalCount());
        out.put("p50", ms(histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(50)));
        out.put("p90", ms(histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(90)));
        out.put("p99", ms(histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(99)));
        out.put("max", ms(histogram.getMaxValue()));
        return out;
    }

    public static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    /**
     * platform / nchan, rounded to two decimals; null when it means nothing (a missing value, or nchan at 0 while
     * the platform is not: "infinitely worse" is shown as "n/a" with both values beside it). 0 / 0 is 1.
     */
    public static Double ratio(Double platform, Double nchan) {
        if (platform == null || nchan == null || platform.isNaN() || nchan.isNaN()) {
            return null;
        }
        if (nchan == 0) {
            return platform == 0 ? 1.0 : null;
        }
        return Math.round(platform / nchan * 100.0) / 100.0;
    }

    /** Share of one core used over an interval: CPU ticks delta / wall seconds. */
    public static double coreShare(long ticksDelta, double wallSeconds) {
        return wallSeconds <= 0 ? 0 : ticksDelta / (double) ProcStats.TICKS_PER_SECOND / wallSeconds;
    }

    public static boolean generatorSaturated(double cpuShareOfCore, long lagP99Micros) {
        return cpuShareOfCore > GENERATOR_CPU_LIMIT || lagP99Micros > GENERATOR_LAG_P99_LIMIT_MICROS;
    }

    public static boolean publisherBehind(long latenessP99Micros, double achievedRate, double targetRate) {
        return latenessP99Micros > PUBLISHER_LATE_P99_LIMIT_MICROS
                || achievedRate < PUBLISHER_MIN_RATE_SHARE * targetRate;
    }

    /** A rate counts as sustained when nothing was lost or refused and p99 latency stayed within the bound. */
    public static boolean sustained(long lost, long refused, double p99Ms, double p99LimitMs) {
        return lost == 0 && refused == 0 && p99Ms <= p99LimitMs;
    }
}

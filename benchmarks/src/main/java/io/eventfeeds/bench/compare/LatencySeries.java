package io.eventfeeds.bench.compare;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Latencies in microseconds: one histogram for the whole interval and one per wall-clock second of arrival, for the
 * latency-over-time and throughput plots. Not thread-safe: each generator records on its one event loop.
 */
public final class LatencySeries {

    /** Latencies above a minute are recorded as a minute. */
    public static final long HIGHEST_MICROS = 60_000_000L;

    private final Histogram total = new Histogram(HIGHEST_MICROS, 3);
    private final TreeMap<Long, Histogram> perSecond = new TreeMap<>();

    public void record(long arrivalEpochMicros, long latencyMicros) {
        long value = Math.max(0, Math.min(HIGHEST_MICROS, latencyMicros));
        total.recordValue(value);
        perSecond.computeIfAbsent(Math.floorDiv(arrivalEpochMicros, 1_000_000L), second -> new Histogram(HIGHEST_MICROS, 2))
                .recordValue(value);
    }

    public void add(LatencySeries other) {
        total.add(other.total);
        other.perSecond.forEach((second, histogram) -> perSecond
                .computeIfAbsent(second, s -> new Histogram(HIGHEST_MICROS, 2)).add(histogram));
    }

    public Histogram total() {
        return total;
    }

    /** Histograms by epoch second of arrival, in order. */
    public TreeMap<Long, Histogram> perSecond() {
        return perSecond;
    }

    public void reset() {
        total.reset();
        perSecond.clear();
    }

    /** A compact form to pass between processes: base64 of HdrHistogram's compressed encoding. */
    public Map<String, Object> encode() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", encode(total));
        Map<String, String> seconds = new LinkedHashMap<>();
        perSecond.forEach((second, histogram) -> seconds.put(Long.toString(second), encode(histogram)));
        out.put("seconds", seconds);
        return out;
    }

    @SuppressWarnings("unchecked")
    public static LatencySeries decode(Map<String, Object> encoded) {
        LatencySeries series = new LatencySeries();
        series.total.add(decode((String) encoded.get("total")));
        ((Map<String, String>) encoded.get("seconds")).forEach((second, text) -> series.perSecond
                .computeIfAbsent(Long.parseLong(second), s -> new Histogram(HIGHEST_MICROS, 2)).add(decode(text)));
        return series;
    }

    static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer, 6);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    static Histogram decode(String text) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(text)), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not an encoded histogram", e);
        }
    }
}

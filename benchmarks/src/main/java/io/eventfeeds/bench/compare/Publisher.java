package io.eventfeeds.bench.compare;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Publishes over HTTP on its own schedule ({@link Pacer}), in the coordinator's process, apart from the generators
 * that receive. Event {@code i} of a run goes to channel {@code i % channels}; each channel's events are numbered
 * from 0 on, across runs. It keeps at most {@code inFlight} POSTs open; when they are all taken the next send is
 * late, and the lateness shows whether the publisher, not the server, set the pace.
 */
public final class Publisher implements AutoCloseable {

    private final Target target;
    private final List<String> channels;
    private final int inFlight;
    private final long[] nextSeq;
    private final Map<String, List<Long>> refused = new LinkedHashMap<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final HttpClient http;

    public Publisher(Target target, List<String> channels, int inFlight) {
        this.target = target;
        this.channels = channels;
        this.inFlight = inFlight;
        this.nextSeq = new long[channels.size()];
        this.http = HttpClient.newBuilder().executor(executor).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        channels.forEach(channel -> refused.put(channel, new ArrayList<>()));
    }

    /** What one run published. */
    public record Run(double targetRate, long attempted, long accepted, long refused, double achievedRate,
            double seconds, Histogram lateness, Histogram ack, long startEpochMicros) {
    }

    public Run publish(double rate, long events) throws InterruptedException {
        Semaphore window = new Semaphore(inFlight);
        Histogram lateness = new Histogram(LatencySeries.HIGHEST_MICROS, 2);
        Histogram ack = new ConcurrentHistogram(LatencySeries.HIGHEST_MICROS, 2);
        AtomicLong accepted = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        long startEpochMicros = MicroClock.nowMicros();
        long start = System.nanoTime();
        Pacer pacer = new Pacer(start, rate);
        long lastSend = start;
        for (long i = 0; i < events; i++) {
            long due = pacer.dueNanos(i);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            window.acquire();
            int c = (int) (i % channels.size());
            String channel = channels.get(c);
            long seq = nextSeq[c]++;
            long sentNanos = System.nanoTime();
            lastSend = sentNanos;
            lateness.recordValue(Math.min(LatencySeries.HIGHEST_MICROS, (sentNanos - due) / 1000));
            http.sendAsync(target.publish(channel, seq, MicroClock.nowMicros()), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> {
                        window.release();
                        if (failure == null && response.statusCode() / 100 == 2) {
                            accepted.incrementAndGet();
                            ack.recordValue(Math.min(LatencySeries.HIGHEST_MICROS, (System.nanoTime() - sentNanos) / 1000));
                        } else {
                            rejected.incrementAndGet();
                            synchronized (refused) {
                                refused.get(channel).add(seq);
                            }
                        }
                    });
        }
        double seconds = (lastSend - start) / 1e9 + 1.0 / rate;
        if (!window.tryAcquire(inFlight, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("publishes still open 60 s after the last one was sent");
        }
        return new Run(rate, events, accepted.get(), rejected.get(), events / seconds, seconds, lateness, ack,
                startEpochMicros);
    }

    /** Events published so far per channel (accepted or not): every subscriber of the channel should have them. */
    public Map<String, Long> expected() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int c = 0; c < channels.size(); c++) {
            out.put(channels.get(c), nextSeq[c]);
        }
        return out;
    }

    /** Sequence numbers the server refused, per channel: not expected at any subscriber. */
    public Map<String, List<Long>> refused() {
        synchronized (refused) {
            Map<String, List<Long>> out = new LinkedHashMap<>();
            refused.forEach((channel, seqs) -> out.put(channel, new ArrayList<>(seqs)));
            return out;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

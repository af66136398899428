package io.eventfeeds.feed.publish;

import io.quarkus.runtime.configuration.MemorySize;
import java.math.BigInteger;
import java.time.Duration;

/** feed-service's publishing defaults, for tests that build its classes without Quarkus. */
final class DefaultPublishConfig implements PublishConfig {
    @Override
    public MemorySize maxEventSize() {
        return new MemorySize(BigInteger.valueOf(65536));
    }

    @Override
    public int maxBatchEvents() {
        return 500;
    }

    @Override
    public Duration ackTimeout() {
        return Duration.ofSeconds(12);
    }

    @Override
    public Duration handOverTimeout() {
        return Duration.ofSeconds(1);
    }

    @Override
    public Duration outageProbeInterval() {
        return Duration.ofSeconds(1);
    }

    @Override
    public Duration retryAfter() {
        return Duration.ofSeconds(5);
    }

    @Override
    public Idempotency idempotency() {
        return new Idempotency() {
            @Override
            public Duration window() {
                return Duration.ofMinutes(10);
            }

            @Override
            public long maxKeys() {
                return 1000;
            }

            @Override
            public int maxKeyLength() {
                return 255;
            }
        };
    }
}

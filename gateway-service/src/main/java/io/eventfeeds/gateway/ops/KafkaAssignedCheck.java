package io.eventfeeds.gateway.ops;

import io.eventfeeds.gateway.fanout.PartitionProgress;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once the fan-out consumer has its partitions: before that, subscribers would miss events. */
@Readiness
@ApplicationScoped
public class KafkaAssignedCheck implements HealthCheck {

    private final PartitionProgress progress;

    public KafkaAssignedCheck(PartitionProgress progress) {
        this.progress = progress;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("fan-out consumer assigned").status(progress.isAssigned())
                .withData("partitions", progress.snapshot().toString()).build();
    }
}

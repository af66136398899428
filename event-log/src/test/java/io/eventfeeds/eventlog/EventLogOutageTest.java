package io.eventfeeds.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.eventlog.EventLogOutage.Admission;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventLogOutageTest {

    private static EventLogOutage outage(Duration probeInterval) {
        return new EventLogOutage(probeInterval);
    }

    @Test
    void whileKafkaIsReachableEveryPublishTriesIt() {
        EventLogOutage outage = outage(Duration.ofSeconds(1));

        assertThat(outage.admit()).isEqualTo(Admission.OPEN);
        assertThat(outage.admit()).isEqualTo(Admission.OPEN);
        assertThat(outage.away()).isFalse();
    }

    @Test
    void afterAMissPublishesAreRefusedUntilTheProbeIntervalHasPassed() {
        EventLogOutage outage = outage(Duration.ofHours(1));

        outage.missed();

        assertThat(outage.away()).isTrue();
        assertThat(outage.admit()).isEqualTo(Admission.REFUSED);
        assertThat(outage.admit()).isEqualTo(Admission.REFUSED);
    }

    @Test
    void onlyOneProbeIsOutAtATimeAndItsAcknowledgementReopens() {
        EventLogOutage outage = outage(Duration.ZERO);
        outage.missed();

        assertThat(outage.admit()).isEqualTo(Admission.PROBE);
        assertThat(outage.admit()).as("a second probe while the first is out").isEqualTo(Admission.REFUSED);

        outage.reached();

        assertThat(outage.admit()).isEqualTo(Admission.OPEN);
        assertThat(outage.away()).isFalse();
    }

    @Test
    void aFailedProbeLetsTheNextOneGoAfterTheInterval() {
        EventLogOutage outage = outage(Duration.ZERO);
        outage.missed();
        assertThat(outage.admit()).isEqualTo(Admission.PROBE);

        outage.probed();

        assertThat(outage.admit()).isEqualTo(Admission.PROBE);
    }
}

package io.eventfeeds.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class OnceOnlyRecordTest {

    private static final byte[] VALUE = "{\"id\":\"e1\"}".getBytes(StandardCharsets.UTF_8);
    private final OnceOnlyRecordSerializer serializer = new OnceOnlyRecordSerializer();

    @Test
    void theProducerGetsTheValueOnceAndARetriedSendIsRefused() {
        OnceOnlyRecord record = new OnceOnlyRecord(VALUE);

        assertThat(serializer.serialize("t", record)).isEqualTo(VALUE);
        assertThat(record.handedOver()).isTrue();
        assertThatThrownBy(() -> serializer.serialize("t", record)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("not sent again");
    }

    @Test
    void anAbandonedRecordNeverReachesTheProducer() {
        OnceOnlyRecord record = new OnceOnlyRecord(VALUE);

        assertThat(record.abandon()).isTrue();
        assertThatThrownBy(() -> serializer.serialize("t", record)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("not written");
        assertThat(record.handedOver()).isFalse();
        assertThat(record.abandon()).as("abandoning twice is still the truth").isTrue();
    }

    @Test
    void aRecordTheProducerTookCannotBeAbandoned() {
        OnceOnlyRecord record = new OnceOnlyRecord(VALUE);
        serializer.serialize("t", record);

        assertThat(record.abandon()).isFalse();
        assertThat(record.handedOver()).isTrue();
    }
}

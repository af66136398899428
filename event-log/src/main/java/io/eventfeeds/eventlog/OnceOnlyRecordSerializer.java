package io.eventfeeds.eventlog;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/** The event log producer's value serializer (event-log's microprofile-config.properties): see {@link OnceOnlyRecord}. */
public final class OnceOnlyRecordSerializer implements Serializer<OnceOnlyRecord> {

    @Override
    public byte[] serialize(String topic, OnceOnlyRecord record) {
        if (record == null) {
            return null;
        }
        byte[] value = record.handOver();
        if (value == null) {
            // The connector does not retry a SerializationException, so a refused record stops here.
            throw new SerializationException(record.abandoned()
                    ? "event abandoned before the producer took it: not written"
                    : "event already handed to the producer once: not sent again");
        }
        return value;
    }
}

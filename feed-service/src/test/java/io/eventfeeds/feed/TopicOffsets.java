package io.eventfeeds.feed;

import io.eventfeeds.events.EventTopics;
import io.eventfeeds.testsupport.SharedServers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** How many records the event topic holds in all, to show that a refused request wrote nothing. */
public final class TopicOffsets {

    private TopicOffsets() {
    }

    public static long endOfEventTopic() {
        try (Admin admin = SharedServers.kafka().admin()) {
            Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(List.of(EventTopics.EVENTS))
                    .allTopicNames().get(10, TimeUnit.SECONDS).get(EventTopics.EVENTS).partitions().stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(EventTopics.EVENTS, p.partition()),
                            p -> OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the end offsets of " + EventTopics.EVENTS, e);
        }
    }
}

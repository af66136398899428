package io.eventfeeds.feed.publish;

/** What a publisher gets back once Kafka acknowledged its event. */
public record AcceptedEvent(String id, String channel, String position, long ts) {
}

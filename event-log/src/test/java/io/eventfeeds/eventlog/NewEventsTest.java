package io.eventfeeds.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfeeds.events.ChannelName;
import io.eventfeeds.events.EventEnvelope;
import io.eventfeeds.events.EventIds;
import org.junit.jupiter.api.Test;

class NewEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ChannelName CHANNEL = new ChannelName("scores", "game-1");
    private static final Publisher ALICE = new Publisher("sub-alice", "alice");

    @Test
    void anEventIsStampedWithItsChannelPublisherAndTheTimeItWasAccepted() throws Exception {
        JsonNode data = JSON.readTree("{\"home\":2,\"away\":1}");
        long before = System.currentTimeMillis();

        EventEnvelope event = NewEvents.envelope(ALICE, CHANNEL, "goal", data, null);

        long after = System.currentTimeMillis();
        assertThat(event.channel()).isEqualTo("scores:game-1");
        assertThat(event.type()).isEqualTo("goal");
        assertThat(event.data()).isEqualTo(data);
        assertThat(event.publisher()).as("the principal name, not the subject").isEqualTo("alice");
        assertThat(event.ts()).isBetween(before, after);
    }

    @Test
    void eventsWithoutAKeyEachGetANewRandomId() {
        EventEnvelope first = NewEvents.envelope(ALICE, CHANNEL, null, JSON.nullNode(), null);
        EventEnvelope second = NewEvents.envelope(ALICE, CHANNEL, null, JSON.nullNode(), null);

        assertThat(first.id()).isNotEqualTo(second.id());
        assertThat(EventIds.isKeyed(first.id())).isFalse();
    }

    @Test
    void everyCopyOfAKeyedEventHasTheIdOfItsPublishersSubjectAndKey() {
        EventEnvelope sent = NewEvents.envelope(ALICE, CHANNEL, null, JSON.nullNode(), "order-7");
        EventEnvelope retried = NewEvents.envelope(new Publisher("sub-alice", "alice.renamed"), CHANNEL, "other",
                JSON.getNodeFactory().textNode("x"), "order-7");

        assertThat(sent.id()).isEqualTo(EventIds.keyed("sub-alice", "order-7")).isEqualTo(retried.id());
        assertThat(EventIds.isKeyed(sent.id())).isTrue();
    }

    @Test
    void twoPublishersWithTheSameKeyPublishTwoEvents() {
        EventEnvelope alices = NewEvents.envelope(ALICE, CHANNEL, null, JSON.nullNode(), "order-7");
        EventEnvelope bobs = NewEvents.envelope(new Publisher("sub-bob", "alice"), CHANNEL, null, JSON.nullNode(),
                "order-7");

        assertThat(alices.id()).isNotEqualTo(bobs.id());
    }

    @Test
    void anEventWithoutATypeIsWrittenWithoutTheField() throws Exception {
        EventEnvelope event = NewEvents.envelope(ALICE, CHANNEL, null, JSON.readTree("[1]"), null);

        JsonNode written = JSON.readTree(JSON.writeValueAsBytes(event));

        assertThat(written.has("type")).isFalse();
        assertThat(written.path("id").asText()).isEqualTo(event.id());
        assertThat(written.path("channel").asText()).isEqualTo("scores:game-1");
        assertThat(written.path("data")).isEqualTo(JSON.readTree("[1]"));
        assertThat(written.path("ts").asLong()).isEqualTo(event.ts());
        assertThat(written.path("publisher").asText()).isEqualTo("alice");
    }
}

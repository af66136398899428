package io.eventfeeds.feed.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A channel's events after a position, oldest first.
 *
 * @param next      pass as {@code since} to read on; absent only when the channel's partition is still empty
 * @param truncated true when {@code since} was older than the oldest event Kafka still keeps: events in between
 *                  were deleted by retention and the page starts at the oldest kept one
 * @param more      true when the read stopped at {@code limit} or at its time budget before the end of the log
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "HistoryPage")
public record HistoryPage(String channel,
        @Schema(description = "events as on the topic, each with its position") List<ObjectNode> events,
        String next, boolean truncated, boolean more) {
}

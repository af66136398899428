package io.eventfeeds.feed.publish;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.eventfeeds.security.problem.Problem;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to a batch: how many were accepted and refused, and each event's result in request order. */
@Schema(name = "BatchResult")
public record BatchResult(int accepted, int refused, List<Item> results) {

    static BatchResult of(List<Item> items) {
        int accepted = (int) items.stream().filter(item -> item.event() != null).count();
        return new BatchResult(accepted, items.size() - accepted, items);
    }

    /** One event's result: {@code status} 202 with {@code event}, or another status with {@code problem}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "BatchItemResult")
    public record Item(int index, int status, AcceptedEvent event, Problem problem) {

        static Item accepted(int index, AcceptedEvent event) {
            return new Item(index, 202, event, null);
        }

        static Item refused(int index, Problem problem) {
            return new Item(index, problem.status(), null, problem);
        }
    }
}

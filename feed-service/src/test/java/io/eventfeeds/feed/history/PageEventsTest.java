package io.eventfeeds.feed.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PageEventsTest {

    @ParameterizedTest(name = "{0} events of {1} bytes, at most {2} events and {3} bytes: {4} taken")
    @CsvSource({
            "5, 100, 10, 1000, 5",
            "5, 100, 3, 1000, 3",
            "5, 100, 10, 250, 2",
            "5, 100, 10, 300, 3",
            "3, 2000, 10, 1000, 1",
    })
    void appendTakesEventsInOrderUntilTheCountOrTheBytesWouldBeExceededButAlwaysOne(int offered, long size,
            int maxEvents, long maxBytes, int taken) {
        PageEvents page = new PageEvents(maxEvents, maxBytes);

        List<Boolean> answers = IntStream.range(0, offered).mapToObj(n -> page.append(event(n), size)).toList();

        assertThat(page.events()).extracting(e -> e.get("n").asInt()).containsExactlyElementsOf(
                IntStream.range(0, taken).boxed().toList());
        assertThat(answers).containsExactlyElementsOf(IntStream.range(0, offered).mapToObj(n -> n < taken).toList());
    }

    @ParameterizedTest(name = "{0} events of {1} bytes, at most {2} events and {3} bytes: the newest {4}")
    @CsvSource({
            "5, 100, 10, 1000, 5, false",
            "5, 100, 3, 1000, 3, true",
            "5, 100, 10, 250, 2, true",
            "3, 2000, 10, 1000, 1, true",
    })
    void appendKeepingNewestHoldsOnlyTheNewestEventsThatFit(int offered, long size, int maxEvents, long maxBytes,
            int kept, boolean trimmed) {
        PageEvents page = new PageEvents(maxEvents, maxBytes);

        IntStream.range(0, offered).forEach(n -> page.appendKeepingNewest(event(n), size));

        assertThat(page.events()).extracting(e -> e.get("n").asInt()).containsExactlyElementsOf(
                IntStream.range(offered - kept, offered).boxed().toList());
        assertThat(page.trimmed()).isEqualTo(trimmed);
    }

    @Test
    void olderEventsFillOnlyTheRoomTheNewerOnesLeft() {
        PageEvents page = new PageEvents(10, 300);
        page.appendKeepingNewest(event(8), 100);
        page.appendKeepingNewest(event(9), 100);
        PageEvents older = page.roomBefore();

        IntStream.range(0, 8).forEach(n -> older.appendKeepingNewest(event(n), 100));
        page.prepend(older);

        assertThat(older.trimmed()).isTrue();
        assertThat(page.events()).extracting(e -> e.get("n").asInt()).containsExactly(7, 8, 9);
    }

    @Test
    void anOlderEventLargerThanTheRoomLeftIsNotTakenEvenAlone() {
        PageEvents page = new PageEvents(10, 300);
        page.appendKeepingNewest(event(1), 200);
        PageEvents older = page.roomBefore();

        older.appendKeepingNewest(event(0), 200);
        page.prepend(older);

        assertThat(page.events()).extracting(e -> e.get("n").asInt()).containsExactly(1);
    }

    private static ObjectNode event(int n) {
        return JsonNodeFactory.instance.objectNode().put("n", n);
    }
}

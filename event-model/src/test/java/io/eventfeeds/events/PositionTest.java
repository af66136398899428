package io.eventfeeds.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PositionTest {

    @Test
    void roundTripsThroughItsString() {
        Position position = new Position(3, 1234L);
        assertThat(position.toString()).isEqualTo("3-1234");
        assertThat(Position.parse("3-1234")).contains(position);
    }

    @Test
    void refusesAnythingThatIsNotPartitionDashOffset() {
        assertThat(Position.parse(null)).isEmpty();
        assertThat(Position.parse("")).isEmpty();
        assertThat(Position.parse("3")).isEmpty();
        assertThat(Position.parse("-3")).isEmpty();
        assertThat(Position.parse("3-")).isEmpty();
        assertThat(Position.parse("a-1")).isEmpty();
        assertThat(Position.parse("1--1")).isEmpty();
        assertThat(Position.parse("99999999999-1")).isEmpty();
    }

    @Test
    void ordersByOffsetWithinAPartition() {
        assertThat(new Position(0, 9)).isLessThan(new Position(0, 10));
    }
}

package io.eventfeeds.feed.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BasketballGameTest {

    @Test
    @SuppressWarnings("unchecked")
    void scoresNeverFallDuringAGameAndTheClockRunsThroughFourQuartersThenANewGameStarts() {
        BasketballGame game = new BasketballGame("Home", "Away", new Random(7));
        int lastTotal = 0;
        int lastQuarter = 1;
        boolean sawFinal = false;
        boolean restarted = false;
        for (int tick = 0; tick < 1000 && !restarted; tick++) {
            Map<String, Object> score = game.tick();
            int total = (int) ((Map<String, Object>) score.get("home")).get("points")
                    + (int) ((Map<String, Object>) score.get("away")).get("points");
            int quarter = (int) score.get("quarter");
            assertThat((String) score.get("clock")).matches("\\d\\d:[0-5]\\d");
            if (sawFinal) {
                assertThat(quarter).isEqualTo(1);
                assertThat(total).isLessThanOrEqualTo(3);
                restarted = true;
            } else {
                assertThat(total).isGreaterThanOrEqualTo(lastTotal);
                assertThat(quarter).isBetween(lastQuarter, lastQuarter + 1);
                sawFinal = (boolean) score.get("final");
            }
            lastTotal = total;
            lastQuarter = quarter;
        }
        assertThat(restarted).isTrue();
    }
}

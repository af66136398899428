package io.eventfeeds.feed.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A made-up basketball game that advances by one possession per tick: four 12-minute quarters, 2 or 3 points now
 * and then, and a new game after the final buzzer.
 */
public class BasketballGame {

    static final int QUARTERS = 4;
    static final int QUARTER_SECONDS = 12 * 60;

    private final RandomGenerator random;
    private final String home;
    private final String away;
    private int homePoints;
    private int awayPoints;
    private int quarter = 1;
    private int secondsLeft = QUARTER_SECONDS;
    private boolean finished;

    public BasketballGame(String home, String away, RandomGenerator random) {
        this.home = home;
        this.away = away;
        this.random = random;
    }

    /** One possession: the clock runs 8 to 24 seconds and the team with the ball may score. */
    public Map<String, Object> tick() {
        if (finished) {
            homePoints = 0;
            awayPoints = 0;
            quarter = 1;
            secondsLeft = QUARTER_SECONDS;
            finished = false;
        }
        secondsLeft -= 8 + random.nextInt(17);
        if (random.nextInt(100) < 50) {
            int points = random.nextInt(100) < 25 ? 3 : 2;
            if (random.nextBoolean()) {
                homePoints += points;
            } else {
                awayPoints += points;
            }
        }
        if (secondsLeft <= 0) {
            secondsLeft = 0;
        }
        Map<String, Object> score = snapshot();
        if (secondsLeft == 0) {
            if (quarter == QUARTERS) {
                finished = true;
            } else {
                quarter++;
                secondsLeft = QUARTER_SECONDS;
            }
        }
        return score;
    }

    private Map<String, Object> snapshot() {
        Map<String, Object> score = new LinkedHashMap<>();
        score.put("home", Map.of("team", home, "points", homePoints));
        score.put("away", Map.of("team", away, "points", awayPoints));
        score.put("quarter", quarter);
        score.put("clock", String.format("%02d:%02d", secondsLeft / 60, secondsLeft % 60));
        score.put("final", quarter == QUARTERS && secondsLeft == 0);
        return score;
    }
}

package io.eventfeeds.gateway.session;

import static io.eventfeeds.gateway.session.FrameBudget.Verdict.ADMIT;
import static io.eventfeeds.gateway.session.FrameBudget.Verdict.CLOSE;
import static io.eventfeeds.gateway.session.FrameBudget.Verdict.REFUSE;
import static io.eventfeeds.gateway.session.FrameBudget.Verdict.REFUSE_AND_TELL;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.gateway.session.FrameBudget.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameBudgetTest {

    private static final int PER_SECOND = 10;
    private static final int BURST = 5;
    private static final long INTERVAL = TimeUnit.SECONDS.toNanos(1) / PER_SECOND;
    private static final FrameBudget.Limits LIMITS = new FrameBudget.Limits(PER_SECOND, BURST);

    /** Clock origins: an ordinary one, a negative one, and one that wraps past Long.MAX_VALUE during the test. */
    @ParameterizedTest
    @ValueSource(longs = {0L, -5_000_000_000L, Long.MAX_VALUE - 100_000_000L})
    void aBurstAtOneInstantIsAdmittedThenToldOnceThenDroppedThenClosed(long start) {
        FrameBudget budget = new FrameBudget(LIMITS, start);
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < 2 * BURST + 1; i++) {
            verdicts.add(budget.admit(start));
        }

        assertThat(verdicts).containsExactly(ADMIT, ADMIT, ADMIT, ADMIT, ADMIT,
                REFUSE_AND_TELL, REFUSE, REFUSE, REFUSE, REFUSE, CLOSE);
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, Long.MAX_VALUE - 100_000_000L})
    void theBudgetRefillsAtTheRate(long start) {
        FrameBudget budget = new FrameBudget(LIMITS, start);
        for (int i = 0; i < BURST; i++) {
            assertThat(budget.admit(start)).isEqualTo(ADMIT);
        }
        assertThat(budget.admit(start + INTERVAL / 2)).isEqualTo(REFUSE_AND_TELL);
        assertThat(budget.admit(start + INTERVAL)).isEqualTo(ADMIT);
        assertThat(budget.admit(start + INTERVAL)).isEqualTo(REFUSE);
    }

    /**
     * Frames sent evenly for ten seconds at a multiple of the rate: up to twice the rate a client is slowed down
     * (and told once per episode), above it the dropped frames overflow too and it is closed.
     */
    @ParameterizedTest
    @CsvSource({
            "1, false",
            "2, false",
            "3, true",
            "10, true"})
    void aClientIsClosedOnlyWhenItKeepsSendingAboveTwiceTheRate(int multiple, boolean closed) {
        FrameBudget budget = new FrameBudget(LIMITS, 0);
        long every = INTERVAL / multiple;
        List<Verdict> verdicts = new ArrayList<>();
        for (long now = 0; now < TimeUnit.SECONDS.toNanos(10) && !verdicts.contains(CLOSE); now += every) {
            verdicts.add(budget.admit(now));
        }

        assertThat(verdicts.contains(CLOSE)).isEqualTo(closed);
        assertThat(verdicts.stream().filter(v -> v == REFUSE_AND_TELL).count()).isLessThanOrEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {BURST, 3 * BURST})
    void aClientThatKeptToItsRateAgainIsToldAgainAtItsNextEpisode(int quietIntervals) {
        FrameBudget budget = new FrameBudget(LIMITS, 0);
        for (int i = 0; i < BURST; i++) {
            budget.admit(0);
        }
        assertThat(budget.admit(0)).isEqualTo(REFUSE_AND_TELL);

        long later = quietIntervals * INTERVAL;
        for (int i = 0; i < BURST; i++) {
            assertThat(budget.admit(later)).isEqualTo(ADMIT);
        }
        assertThat(budget.admit(later)).isEqualTo(REFUSE_AND_TELL);
    }
}

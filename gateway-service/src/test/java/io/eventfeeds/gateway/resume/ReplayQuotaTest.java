package io.eventfeeds.gateway.resume;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayQuotaTest {

    @Test
    void aConnectionGetsAtMostItsOwnNumberOfPendingReplaysAndSlotsComeBackWhenReplaysEnd() {
        ReplayQuota quota = new ReplayQuota(2, 10);
        assertThat(quota.tryAcquire("a")).isTrue();
        assertThat(quota.tryAcquire("a")).isTrue();
        assertThat(quota.tryAcquire("a")).as("third replay of one connection").isFalse();
        assertThat(quota.tryAcquire("b")).as("another connection is not held up").isTrue();

        quota.release("a");
        assertThat(quota.tryAcquire("a")).isTrue();
        assertThat(quota.pending()).isEqualTo(3);
    }

    @Test
    void allConnectionsTogetherGetAtMostTheTotalNumberOfPendingReplays() {
        ReplayQuota quota = new ReplayQuota(5, 3);
        assertThat(quota.tryAcquire("a")).isTrue();
        assertThat(quota.tryAcquire("b")).isTrue();
        assertThat(quota.tryAcquire("c")).isTrue();
        assertThat(quota.tryAcquire("d")).isFalse();
        assertThat(quota.pending()).as("a refusal takes no slot").isEqualTo(3);

        quota.release("b");
        assertThat(quota.tryAcquire("d")).isTrue();
    }
}

package io.eventfeeds.gateway.resume;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayQuotaTest {

    @Test
    void aConnectionGetsAtMostItsOwnNumberOfPendingReplaysAndSlotsComeBackWhenReplaysEnd() {
        ReplayQuota quota = new ReplayQuota(2, 10, 10);
        assertThat(quota.tryAcquire("a", "alice")).isTrue();
        assertThat(quota.tryAcquire("a", "alice")).isTrue();
        assertThat(quota.tryAcquire("a", "alice")).as("third replay of one connection").isFalse();
        assertThat(quota.tryAcquire("b", "bob")).as("another connection is not held up").isTrue();

        quota.release("a");
        assertThat(quota.tryAcquire("a", "alice")).isTrue();
        assertThat(quota.pending()).isEqualTo(3);
    }

    @Test
    void oneCallersConnectionsTogetherGetAtMostTheCallersNumberAndOthersAreNotHeldUp() {
        ReplayQuota quota = new ReplayQuota(2, 3, 100);
        assertThat(quota.tryAcquire("a1", "mallory")).isTrue();
        assertThat(quota.tryAcquire("a1", "mallory")).isTrue();
        assertThat(quota.tryAcquire("a2", "mallory")).isTrue();
        assertThat(quota.tryAcquire("a3", "mallory")).as("a new connection of the same caller").isFalse();
        assertThat(quota.tryAcquire("b", "bob")).isTrue();
        assertThat(quota.pending()).as("refusals take no slot").isEqualTo(4);

        quota.release("a1");
        assertThat(quota.tryAcquire("a3", "mallory")).isTrue();
    }

    @Test
    void aConnectionsReplaysStayChargedToItsFirstCallerWhenItsTokenChanges() {
        ReplayQuota quota = new ReplayQuota(5, 2, 100);
        assertThat(quota.tryAcquire("a", "alice@web")).isTrue();
        assertThat(quota.tryAcquire("a", "alice@cli")).isTrue();
        assertThat(quota.tryAcquire("a", "alice@other")).as("the first caller's bound still applies").isFalse();

        quota.release("a");
        quota.release("a");
        assertThat(quota.pending()).isZero();
        assertThat(quota.tryAcquire("b", "alice@web")).isTrue();
        assertThat(quota.tryAcquire("b", "alice@web")).as("every slot came back to the first caller").isTrue();
    }

    @Test
    void allConnectionsTogetherGetAtMostTheTotalNumberOfPendingReplays() {
        ReplayQuota quota = new ReplayQuota(5, 5, 3);
        assertThat(quota.tryAcquire("a", "alice")).isTrue();
        assertThat(quota.tryAcquire("b", "bob")).isTrue();
        assertThat(quota.tryAcquire("c", "carol")).isTrue();
        assertThat(quota.tryAcquire("d", "dave")).isFalse();
        assertThat(quota.pending()).as("a refusal takes no slot").isEqualTo(3);

        quota.release("b");
        assertThat(quota.tryAcquire("d", "dave")).isTrue();
    }
}

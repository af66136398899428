package io.eventfeeds.security.channels;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.events.ChannelName;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChannelPolicyTest {

    private final ChannelPolicy policy = new ChannelPolicy(() -> Map.of(
            "scores", rule(List.of("subscriber"), List.of("publisher")),
            "chat", rule(List.of("chat"), List.of("chat")),
            "user", rule(List.of(ChannelsConfig.OWNER), List.of("publisher")),
            "system", rule(List.of(ChannelsConfig.AUTHENTICATED), List.of("admin", "publisher"))));

    @Test
    void malformedNameIsInvalidAndUnknownNamespaceIsNamed() {
        assertThat(policy.lookup("Scores:Game").problem()).isEqualTo(ChannelPolicy.Problem.INVALID);
        assertThat(policy.lookup(null).problem()).isEqualTo(ChannelPolicy.Problem.INVALID);
        ChannelPolicy.Lookup unknown = policy.lookup("weather:berlin");
        assertThat(unknown.problem()).isEqualTo(ChannelPolicy.Problem.UNKNOWN_NAMESPACE);
        assertThat(unknown.reason()).contains("weather").contains("chat, scores, system, user");
        assertThat(policy.lookup("scores:game-1").channel()).isEqualTo(new ChannelName("scores", "game-1"));
    }

    @Test
    void rolesDecideReadAndWritePerNamespace() {
        SecurityIdentity carol = identity("carol", "subscriber");
        SecurityIdentity alice = identity("alice", "subscriber", "chat");
        SecurityIdentity publisher = identity("svc", "publisher");
        ChannelName scores = new ChannelName("scores", "game-1");
        ChannelName chat = new ChannelName("chat", "lobby");

        assertThat(policy.mayRead(carol, scores)).isTrue();
        assertThat(policy.mayWrite(carol, scores)).isFalse();
        assertThat(policy.mayWrite(publisher, scores)).isTrue();
        assertThat(policy.mayRead(carol, chat)).isFalse();
        assertThat(policy.mayWrite(carol, chat)).isFalse();
        assertThat(policy.mayRead(alice, chat)).isTrue();
        assertThat(policy.mayWrite(alice, chat)).isTrue();
    }

    @Test
    void userChannelIsReadableOnlyByItsSubject() {
        ChannelName alicesChannel = new ChannelName("user", "alice");
        assertThat(policy.mayRead(identity("alice"), alicesChannel)).isTrue();
        assertThat(policy.mayRead(identity("bob", "subscriber", "chat", "admin"), alicesChannel)).isFalse();
    }

    @Test
    void systemIsReadableByAnyAuthenticatedCallerAndNobodyAnonymous() {
        ChannelName system = new ChannelName("system", "broadcast");
        assertThat(policy.mayRead(identity("nobody-special"), system)).isTrue();
        assertThat(policy.mayRead(QuarkusSecurityIdentity.builder().setAnonymous(true).build(), system)).isFalse();
        assertThat(policy.mayWrite(identity("nobody-special"), system)).isFalse();
        assertThat(policy.mayWrite(identity("root", "admin"), system)).isTrue();
    }

    private static SecurityIdentity identity(String name, String... roles) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(name)).addRoles(Set.of(roles))
                .build();
    }

    private static ChannelsConfig.Rule rule(List<String> read, List<String> write) {
        return new ChannelsConfig.Rule() {
            @Override
            public List<String> read() {
                return read;
            }

            @Override
            public List<String> write() {
                return write;
            }
        };
    }
}

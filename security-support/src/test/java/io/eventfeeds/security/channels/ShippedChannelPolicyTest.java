package io.eventfeeds.security.channels;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.events.ChannelName;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The permission policy both services ship (this module's {@code META-INF/microprofile-config.properties}), for
 * every namespace and the demo realm's role sets: what docs/security.md promises, read from the real defaults
 * rather than from rules the test makes up.
 */
class ShippedChannelPolicyTest {

    private static final ChannelPolicy POLICY = shippedPolicy();

    @ParameterizedTest(name = "{0} ({1}) on {2}: read {3}, write {4}")
    @CsvSource({
        // who,     roles,                            channel,          read,  write
        "carol,     subscriber,                       scores:game-1,    true,  false",
        "carol,     subscriber,                       stocks:acme,      true,  false",
        "carol,     subscriber,                       chat:lobby,       false, false",
        "carol,     subscriber,                       system:news,      true,  false",
        "alice,     subscriber chat,                  chat:lobby,       true,  true",
        "alice,     subscriber chat,                  scores:game-1,    true,  false",
        "alice,     subscriber chat,                  user:alice,       true,  false",
        "alice,     subscriber chat,                  user:bob,         false, false",
        "svc,       publisher,                        scores:game-1,    false, true",
        "svc,       publisher,                        stocks:acme,      false, true",
        "svc,       publisher,                        chat:lobby,       false, false",
        "svc,       publisher,                        user:alice,       false, true",
        "svc,       publisher,                        system:news,      true,  true",
        "dave,      subscriber chat publisher admin,  system:news,      true,  true",
        "dave,      subscriber chat publisher admin,  user:alice,       false, true",
    })
    void eachNamespaceFollowsTheRealmRoles(String who, String roles, String channel, boolean read, boolean write) {
        SecurityIdentity caller = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(who))
                .addRoles(Set.of(roles.split(" "))).build();
        ChannelName name = POLICY.lookup(channel).channel();

        assertThat(POLICY.mayRead(caller, name)).as("read").isEqualTo(read);
        assertThat(POLICY.mayWrite(caller, name)).as("write").isEqualTo(write);
    }

    @Test
    void anonymousCallersMayDoNothingAnywhere() {
        SecurityIdentity anonymous = QuarkusSecurityIdentity.builder().setAnonymous(true).build();
        for (String channel : new String[] {"scores:a", "stocks:a", "chat:a", "user:a", "system:a"}) {
            ChannelName name = POLICY.lookup(channel).channel();
            assertThat(POLICY.mayRead(anonymous, name)).as("read " + channel).isFalse();
            assertThat(POLICY.mayWrite(anonymous, name)).as("write " + channel).isFalse();
        }
    }

    @Test
    void theShippedNamespacesAreTheDocumentedFive() {
        assertThat(POLICY.lookup("weather:x").problem()).isEqualTo(ChannelPolicy.Problem.UNKNOWN_NAMESPACE);
        assertThat(POLICY.lookup("weather:x").reason()).contains("chat, scores, stocks, system, user");
    }

    private static ChannelPolicy shippedPolicy() {
        URL defaults = ChannelsConfig.class.getResource("/META-INF/microprofile-config.properties");
        try {
            SmallRyeConfig config = new SmallRyeConfigBuilder()
                    .withSources(new PropertiesConfigSource(defaults))
                    .withMapping(ChannelsConfig.class)
                    .build();
            ChannelsConfig channels = config.getConfigMapping(ChannelsConfig.class);
            return new ChannelPolicy(channels);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + defaults, e);
        }
    }
}

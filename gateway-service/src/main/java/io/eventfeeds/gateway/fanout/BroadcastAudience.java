package io.eventfeeds.gateway.fanout;

import io.eventfeeds.security.channels.ChannelPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Predicate;

/**
 * Events of the {@code system} namespace reach every open connection, subscribed or not, whose identity may read
 * them. The policy's lookup is done once per event, the permission check per connection.
 */
@ApplicationScoped
public class BroadcastAudience {

    /** Namespace whose events reach every open connection, subscribed or not. */
    public static final String BROADCAST_NAMESPACE = "system";

    private static final String PREFIX = BROADCAST_NAMESPACE + ":";

    private final ChannelPolicy policy;

    public BroadcastAudience(ChannelPolicy policy) {
        this.policy = policy;
    }

    /** Who may receive a broadcast of this channel, or null when its events are not broadcast. */
    Predicate<Recipient> of(String channel) {
        if (!channel.startsWith(PREFIX)) {
            return null;
        }
        ChannelPolicy.Lookup lookup = policy.lookup(channel);
        if (!lookup.found()) {
            return null;
        }
        return recipient -> policy.mayRead(recipient.identity(), lookup.channel());
    }
}

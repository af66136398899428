package io.eventfeeds.security.channels;

import io.eventfeeds.events.ChannelName;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Decides which channels exist and who may read and write them, from {@link ChannelsConfig}. Both services ask it,
 * so a channel is never readable through one and refused by the other.
 */
@ApplicationScoped
public class ChannelPolicy {

    private final ChannelsConfig config;

    public ChannelPolicy(ChannelsConfig config) {
        this.config = config;
    }

    /**
     * The channel, if its name is well-formed and its namespace is configured; otherwise the reason, worded for a
     * client.
     */
    public Lookup lookup(String channel) {
        StringBuilder whyNot = new StringBuilder();
        var parsed = ChannelName.parse(channel, whyNot);
        if (parsed.isEmpty()) {
            return new Lookup(null, Problem.INVALID, whyNot.toString());
        }
        if (!config.namespace().containsKey(parsed.get().namespace())) {
            return new Lookup(null, Problem.UNKNOWN_NAMESPACE, "unknown namespace '" + parsed.get().namespace()
                    + "'; known: " + String.join(", ", config.namespace().keySet().stream().sorted().toList()));
        }
        return new Lookup(parsed.get(), null, null);
    }

    public boolean mayRead(SecurityIdentity caller, ChannelName channel) {
        return allows(rule(channel).read(), caller, channel);
    }

    public boolean mayWrite(SecurityIdentity caller, ChannelName channel) {
        return allows(rule(channel).write(), caller, channel);
    }

    private ChannelsConfig.Rule rule(ChannelName channel) {
        ChannelsConfig.Rule rule = config.namespace().get(channel.namespace());
        if (rule == null) {
            throw new IllegalArgumentException("unknown namespace " + channel.namespace() + ": call lookup() first");
        }
        return rule;
    }

    private static boolean allows(List<String> grants, SecurityIdentity caller, ChannelName channel) {
        if (caller == null || caller.isAnonymous()) {
            return false;
        }
        for (String grant : grants) {
            boolean granted = switch (grant) {
                case ChannelsConfig.AUTHENTICATED -> true;
                case ChannelsConfig.OWNER -> channel.name().equals(subjectOf(caller));
                default -> caller.hasRole(grant);
            };
            if (granted) {
                return true;
            }
        }
        return false;
    }

    /** The token's {@code sub}, which is what a {@code user:<subject>} channel is named after. */
    public static String subjectOf(SecurityIdentity caller) {
        if (caller.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null) {
            return jwt.getSubject();
        }
        return caller.getPrincipal().getName();
    }

    /** Why a channel name was refused: each maps to its own status or error code. */
    public enum Problem {
        /** Not {@code namespace:name} with the allowed characters and length. */
        INVALID,
        /** Well-formed, but no such namespace is configured. */
        UNKNOWN_NAMESPACE
    }

    /** The outcome of {@link #lookup(String)}: a channel, or a problem with its reason. */
    public record Lookup(ChannelName channel, Problem problem, String reason) {
        public boolean found() {
            return channel != null;
        }
    }
}

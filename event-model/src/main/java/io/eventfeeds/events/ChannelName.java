package io.eventfeeds.events;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A channel name as {@code namespace:name}: lowercase letters, digits, '-', '_' and '.', at most 128 characters.
 *
 * <p>Which namespaces exist is configuration of the services, not of this type: this only checks the syntax.
 */
public record ChannelName(String namespace, String name) {

    public static final int MAX_LENGTH = 128;
    private static final Pattern SYNTAX = Pattern.compile("([a-z0-9_.-]+):([a-z0-9_.-]+)");

    /**
     * Parses a channel name, or says in one sentence why it is not one.
     *
     * @return the channel, or empty with the reason put into {@code whyNot} when given
     */
    public static Optional<ChannelName> parse(String value, StringBuilder whyNot) {
        String reason = null;
        if (value == null || value.isEmpty()) {
            reason = "channel name is missing";
        } else if (value.length() > MAX_LENGTH) {
            reason = "channel name is longer than " + MAX_LENGTH + " characters";
        } else {
            var matcher = SYNTAX.matcher(value);
            if (matcher.matches()) {
                return Optional.of(new ChannelName(matcher.group(1), matcher.group(2)));
            }
            reason = "channel name must be namespace:name with lowercase letters, digits, '-', '_' or '.'";
        }
        if (whyNot != null) {
            whyNot.append(reason);
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return namespace + ":" + name;
    }
}

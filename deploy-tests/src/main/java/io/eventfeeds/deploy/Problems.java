package io.eventfeeds.deploy;

import java.util.ArrayList;
import java.util.Objects;

/** What one check found, one sentence each; {@link #unless} keeps each rule of a check to one statement. */
public final class Problems extends ArrayList<String> {

    /** Adds {@code problem} unless the rule {@code holds}. */
    public void unless(boolean holds, String problem) {
        if (!holds) {
            add(problem);
        }
    }

    /** A value repeated in the YAML equals its one definition: "{@code what} is {@code actual}, not {@code expected} (why)". */
    public void same(String what, Object actual, Object expected, String why) {
        unless(Objects.equals(String.valueOf(actual), String.valueOf(expected)), what + " is " + actual + ", not " + expected
                + " (" + why + ")");
    }
}

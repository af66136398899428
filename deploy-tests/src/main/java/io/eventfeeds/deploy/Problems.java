package io.eventfeeds.deploy;

import java.util.ArrayList;

/** What one check found, one sentence each; {@link #unless} keeps each rule of a check to one statement. */
public final class Problems extends ArrayList<String> {

    /** Adds {@code problem} unless the rule {@code holds}. */
    public void unless(boolean holds, String problem) {
        if (!holds) {
            add(problem);
        }
    }
}

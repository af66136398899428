package io.eventfeeds.archfixture.cyclic.b;

import io.eventfeeds.archfixture.cyclic.a.Ping;

/** The other half of the deliberate package cycle. */
public class Pong {
    Ping question;
}

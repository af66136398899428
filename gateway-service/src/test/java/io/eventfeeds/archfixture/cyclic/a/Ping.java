package io.eventfeeds.archfixture.cyclic.a;

import io.eventfeeds.archfixture.cyclic.b.Pong;

/** Half of a deliberate package cycle: shows that {@code GatewayArchitectureTest}'s rule can fail. */
public class Ping {
    Pong answer;
}

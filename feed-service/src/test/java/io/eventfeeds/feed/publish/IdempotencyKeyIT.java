package io.eventfeeds.feed.publish;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same checks against the packaged application (quarkus-run.jar), as ./platform runs it. */
@QuarkusIntegrationTest
class IdempotencyKeyIT extends IdempotencyKeyTest {
}

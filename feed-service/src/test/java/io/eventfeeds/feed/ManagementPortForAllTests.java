package io.eventfeeds.feed;

import io.eventfeeds.testsupport.ManagementPortTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * Every Quarkus test of this module, in-JVM or packaged, serves its management interface on a port the test knows:
 * a global test resource applies to all test classes without repeating it on each.
 */
@WithTestResource(value = ManagementPortTestResource.class, scope = TestResourceScope.GLOBAL)
final class ManagementPortForAllTests {

    private ManagementPortForAllTests() {
    }
}

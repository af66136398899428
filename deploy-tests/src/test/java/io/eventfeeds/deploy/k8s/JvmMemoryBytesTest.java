package io.eventfeeds.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JvmMemoryBytesTest {

    @ParameterizedTest(name = "[{0}] may take {1} MiB")
    @CsvSource(delimiter = '|', textBlock = """
        -Xms1g -Xmx1g -XX:MaxDirectMemorySize=512m -XX:+AlwaysPreTouch | 1792
        -Xmx512m                                                        | 1280
        -Xmx1048576k -XX:MaxDirectMemorySize=1G                         | 2304
        -Xmx1g -Xmx2g -XX:MaxDirectMemorySize=268435456                 | 2560
        """)
    void heapDirectMemoryAndTheRestAddUp(String javaOpts, long mib) {
        assertThat(ManifestChecks.jvmMemoryBytes(javaOpts)).hasValue(mib * 1024 * 1024);
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', textBlock = """
        -Xms1g -XX:+UseG1GC
        -XX:MaxRAMPercentage=75
        """)
    void withoutAHeapLimitTheJvmSizesItselfFromTheContainer(String javaOpts) {
        assertThat(ManifestChecks.jvmMemoryBytes(javaOpts)).isEqualTo(OptionalLong.empty());
        assertThat(ManifestChecks.jvmMemoryBytes(null)).isEqualTo(OptionalLong.empty());
    }
}

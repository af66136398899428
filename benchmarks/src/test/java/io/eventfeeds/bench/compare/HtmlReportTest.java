package io.eventfeeds.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode result() throws Exception {
        return JSON.readTree("""
                {"meta":{"commit":"abc123","started":"2026-12-04T18:00:00Z","cores":2,"settings":{"X":"<b>"}},
                 "notes":["platform: 3 subscribers failed to open"],
                 "rows":[{"key":"broadcast-30","title":"broadcast <1000>",
                   "targets":{
                     "nchan":{"deliveredPerSecond":30000.0,"lost":0,"latencyP99Ms":2.0,"generatorSaturated":false,
                              "series":{"latency":[[0,1.0,2.0,30000],[1,1.5,2.5,30000]],"cpu":[[0.5,10.0,40.0]]}},
                     "platform":{"deliveredPerSecond":29000.0,"lost":2,"latencyP99Ms":20.0,"generatorSaturated":true,
                              "series":{"latency":[[0,10.0,20.0,29000],[1,12.0,25.0,29000],[2,11.0,22.0,29000]],"cpu":[]}}},
                   "ratios":{"deliveredPerSecond":0.97,"lost":null,"latencyP99Ms":10.0}}]}
                """);
    }

    @Test
    void rendersTablesWithRatiosPlotsAndEscapedText() throws Exception {
        String html = HtmlReport.render(result());

        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(html).contains("<td>latency p99 (ms)</td><td>2.0</td><td>20.0</td><td>10.0</td>");
        assertThat(html).contains("<td>events lost (not there within the drain time)</td><td>0</td><td><span class=\"bad\">2</span></td><td>n/a</td>");
        assertThat(html).contains("broadcast &lt;1000&gt;").doesNotContain("<1000>").doesNotContain("<b>");
        assertThat(html).contains("3 subscribers failed to open");
        // Three charts: latency (4 lines), delivered (2 lines), CPU (2 lines, one empty).
        assertThat(html.split("<svg ", -1)).hasSize(4);
        assertThat(html.split("<polyline ", -1)).hasSize(9);
        // Self-contained: nothing is loaded from anywhere.
        assertThat(html).doesNotContain("<script").doesNotContain("src=").doesNotContain("href=").doesNotContain("<link");
    }

    @Test
    void markdownSummaryHasOneLinePerMetric() throws Exception {
        String md = HtmlReport.markdownSummary(result());
        assertThat(md).contains("**broadcast <1000>**");
        assertThat(md).contains("| delivered events/s | 30000.0 | 29000.0 | 0.97 |");
        assertThat(md).contains("| events lost (not there within the drain time) | 0 | 2 | n/a |");
        assertThat(md).doesNotContain("catch");
    }

    @Test
    void plotsMapDataIntoTheFrame() {
        String svg = HtmlReport.lineChart("t", List.of(new HtmlReport.Line("a", "#000", false,
                new double[][] {{0, 0}, {10, 100}})));
        int left = HtmlReport.LEFT;
        int right = HtmlReport.WIDTH - HtmlReport.RIGHT;
        int bottom = HtmlReport.HEIGHT - HtmlReport.BOTTOM;
        assertThat(svg).contains("points=\"" + left + ".0," + bottom + ".0 " + right + ".0," + HtmlReport.TOP + ".0\"");
        assertThat(HtmlReport.lineChart("empty", List.of())).contains("<svg").contains("</svg>");
    }

    @Test
    void niceAxisTops() {
        assertThat(HtmlReport.niceCeiling(0)).isEqualTo(1);
        assertThat(HtmlReport.niceCeiling(7)).isEqualTo(10);
        assertThat(HtmlReport.niceCeiling(100)).isEqualTo(100);
        assertThat(HtmlReport.niceCeiling(101)).isEqualTo(200);
        assertThat(HtmlReport.niceCeiling(0.22)).isEqualTo(0.25);
        assertThat(HtmlReport.label(2.5)).isEqualTo("2.50");
        assertThat(HtmlReport.label(30000)).isEqualTo("30000");
    }
}

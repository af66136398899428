package io.eventfeeds.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The self-contained HTML report (inline SVG plots drawn here, no script, no network) and the Markdown summary of a
 * results.json tree.
 */
public final class HtmlReport {

    /** Metrics shown in the tables, in this order, with their labels; rows show those they have. */
    static final String[][] METRICS = {
        {"highestSustainedRate", "highest sustained rate (events/s)"},
        {"deliveredPerSecond", "delivered events/s"},
        {"lost", "events lost (not there within the drain time)"},
        {"drainMs", "last event delivered, after the last publish (ms)"},
        {"duplicates", "duplicates"},
        {"latencyP50Ms", "latency p50 (ms)"},
        {"latencyP90Ms", "latency p90 (ms)"},
        {"latencyP99Ms", "latency p99 (ms)"},
        {"latencyMaxMs", "latency max (ms)"},
        {"publishAckP50Ms", "publish acknowledged p50 (ms)"},
        {"publishAckP99Ms", "publish acknowledged p99 (ms)"},
        {"catchUpMs", "time until all caught up (ms)"},
        {"replayedEventsPerSecond", "replayed events/s"},
        {"rateLimitedRetries", "subscribes retried (rate_limited)"},
        {"stillOpen", "connections still open at the end"},
        {"connectionsPerSecond", "connections opened/s"},
        {"rssPerConnectionKiB", "server RSS per connection (KiB)"},
        {"liveHeapPerConnectionKiB", "server live heap per connection (KiB, JVM only)"},
        {"serverCpuPercent", "server CPU (% of one core)"},
        {"serverKernelCpuPercent", "of which in the kernel (% of one core)"},
        {"serverPreemptionsPerSecond", "server threads preempted (per second)"},
        {"pipelineCpuPercent", "gateway + feed + Kafka CPU (% of one core)"},
        {"serverRssMiB", "server RSS at the end (MiB)"},
        {"generatorCpuPercent", "generator CPU (% of one core, busiest)"},
        {"generatorLagP99Ms", "generator event-loop lag p99 (ms)"},
        {"publisherLateP99Ms", "publisher lateness p99 (ms)"},
        {"generatorSaturated", "generator or publisher saturated"},
    };

    static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

    private HtmlReport() {
    }

    public static String render(JsonNode result) {
        StringBuilder html = new StringBuilder();
        JsonNode meta = result.path("meta");
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>eventfeeds vs nchan</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("th:first-child,td:first-child{text-align:left}.bad{color:#b00;font-weight:bold}")
                .append("svg{margin:0.5em 1em 0.5em 0;border:1px solid #eee}</style></head><body>\n");
        html.append("<h1>eventfeeds platform vs nginx + nchan</h1>\n<p>")
                .append(escape("Commit " + meta.path("commit").asText() + ", started " + meta.path("started").asText()
                        + ", " + meta.path("cores").asText() + " cores (" + meta.path("cpu").asText() + "), "
                        + meta.path("memTotal").asText() + ", Java " + meta.path("java").asText() + ", load average at start "
                        + meta.path("loadAverageAtStart").asText() + ", " + meta.path("generators").asText()
                        + " generator processes."))
                .append("</p>\n<p>Ratio = platform / nchan: above 1 means the platform has more of it (worse for latency, "
                        + "CPU, memory; better for delivered events/s). Server = the gateway's process for the platform, "
                        + "nginx's master and workers for nchan. Latency is publish (before the POST) to receipt in the "
                        + "generator, both on this machine's clock: for the platform it includes feed-service and Kafka "
                        + "(acks=all). The load generator shares the CPU with the servers, so numbers are noisy; a row "
                        + "marked saturated measured the generator, not the server.</p>\n");
        html.append("<p>Settings: ").append(escape(meta.path("settings").toString())).append("</p>\n");
        for (JsonNode note : result.path("notes")) {
            html.append("<p class=\"bad\">").append(escape(note.asText())).append("</p>\n");
        }
        for (JsonNode row : result.path("rows")) {
            html.append("<h2>").append(escape(row.path("title").asText())).append("</h2>\n");
            html.append(table(row));
            List<Line> p50 = new ArrayList<>();
            List<Line> p99 = new ArrayList<>();
            List<Line> delivered = new ArrayList<>();
            List<Line> cpu = new ArrayList<>();
            int color = 0;
            var names = row.path("targets").fieldNames();
            while (names.hasNext()) {
                String target = names.next();
                JsonNode series = row.path("targets").path(target).path("series");
                String c = COLORS[color++ % COLORS.length];
                p50.add(new Line(target + " p50", c, false, points(series.path("latency"), 1)));
                p99.add(new Line(target + " p99", c, true, points(series.path("latency"), 2)));
                delivered.add(new Line(target, c, false, points(series.path("latency"), 3)));
                cpu.add(new Line(target, c, false, points(series.path("cpu"), 1)));
            }
            List<Line> latency = new ArrayList<>(p50);
            latency.addAll(p99);
            if (latency.stream().anyMatch(l -> l.points.length > 0)) {
                html.append(lineChart("Latency over time (ms; solid p50, dashed p99)", latency));
                html.append(lineChart("Delivered events per second", delivered));
            }
            if (cpu.stream().anyMatch(l -> l.points.length > 0)) {
                html.append(lineChart("Server CPU (% of one core)", cpu));
            }
            JsonNode steps = row.path("targets");
            StringBuilder search = new StringBuilder();
            steps.fields().forEachRemaining(e -> {
                for (JsonNode step : e.getValue().path("steps")) {
                    search.append("<tr><td>").append(escape(e.getKey())).append("</td><td>").append(step.path("rate").asText())
                            .append("</td><td>").append(step.path("deliveredPerSecond").asText()).append("</td><td>")
                            .append(step.path("lost").asText()).append("</td><td>").append(step.path("latencyP99Ms").asText())
                            .append("</td><td>").append(step.path("serverCpuPercent").asText()).append("</td><td>")
                            .append(step.path("generatorSaturated").asText()).append("</td><td>")
                            .append(step.path("sustained").asText()).append("</td></tr>\n");
                }
            });
            if (search.length() > 0) {
                html.append("<table><tr><th>target</th><th>rate</th><th>delivered/s</th><th>lost</th><th>p99 ms</th>")
                        .append("<th>server CPU %</th><th>saturated</th><th>sustained</th></tr>\n").append(search).append("</table>\n");
            }
        }
        html.append("</body></html>\n");
        return html.toString();
    }

    static String table(JsonNode row) {
        JsonNode nchan = row.path("targets").path("nchan");
        JsonNode platform = row.path("targets").path("platform");
        StringBuilder out = new StringBuilder("<table><tr><th>metric</th><th>nchan</th><th>platform</th><th>ratio</th></tr>\n");
        for (String[] metric : METRICS) {
            if (!nchan.has(metric[0]) && !platform.has(metric[0])) {
                continue;
            }
            String ratio = row.path("ratios").path(metric[0]).isNumber() ? row.path("ratios").path(metric[0]).asText() : "n/a";
            out.append("<tr><td>").append(escape(metric[1])).append("</td><td>").append(cell(nchan, metric[0]))
                    .append("</td><td>").append(cell(platform, metric[0])).append("</td><td>").append(escape(ratio))
                    .append("</td></tr>\n");
        }
        return out.append("</table>\n").toString();
    }

    private static String cell(JsonNode metrics, String name) {
        JsonNode value = metrics.path(name);
        if (value.isMissingNode()) {
            return "";
        }
        boolean bad = (name.equals("lost") || name.equals("duplicates")) && value.asDouble() > 0
                || name.equals("generatorSaturated") && value.asBoolean();
        return bad ? "<span class=\"bad\">" + escape(value.asText()) + "</span>" : escape(value.asText());
    }

    /** A Markdown table per row: metric, nchan, platform, ratio (for docs/performance.md and the console). */
    public static String markdownSummary(JsonNode result) {
        StringBuilder md = new StringBuilder();
        for (JsonNode row : result.path("rows")) {
            md.append("**").append(row.path("title").asText()).append("**\n\n| Metric | nchan | platform | platform / nchan |\n")
                    .append("| --- | --- | --- | --- |\n");
            for (String[] metric : METRICS) {
                JsonNode nchan = row.path("targets").path("nchan").path(metric[0]);
                JsonNode platform = row.path("targets").path("platform").path(metric[0]);
                if (nchan.isMissingNode() && platform.isMissingNode()) {
                    continue;
                }
                JsonNode ratio = row.path("ratios").path(metric[0]);
                md.append("| ").append(metric[1]).append(" | ").append(nchan.isMissingNode() ? "–" : nchan.asText())
                        .append(" | ").append(platform.isMissingNode() ? "–" : platform.asText()).append(" | ")
                        .append(ratio.isNumber() ? ratio.asText() : "n/a").append(" |\n");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** One plotted line: points are {x, y} pairs. */
    record Line(String name, String color, boolean dashed, double[][] points) {
    }

    static double[][] points(JsonNode series, int yColumn) {
        List<double[]> out = new ArrayList<>();
        for (JsonNode point : series) {
            out.add(new double[] {point.path(0).asDouble(), point.path(yColumn).asDouble()});
        }
        return out.toArray(double[][]::new);
    }

    static final int WIDTH = 520;
    static final int HEIGHT = 240;
    static final int LEFT = 60;
    static final int RIGHT = 10;
    static final int TOP = 25;
    static final int BOTTOM = 45;

    /** An SVG line chart with axes, ticks, a title and a legend; x is seconds since the step's first publish. */
    public static String lineChart(String title, List<Line> lines) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = 0;
        for (Line line : lines) {
            for (double[] p : line.points) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        if (minX > maxX) {
            minX = 0;
            maxX = 1;
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        double yTop = niceCeiling(maxY);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">",
                WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-size=\"13\">%s</text>", LEFT, escape(title)));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>",
                LEFT, TOP, plotW, plotH));
        for (int i = 0; i <= 4; i++) {
            double value = yTop * i / 4;
            double y = TOP + plotH - plotH * i / 4.0;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>", LEFT, LEFT + plotW, y, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>",
                    LEFT - 4, y + 3, label(value)));
            double xValue = minX + (maxX - minX) * i / 4;
            double x = LEFT + plotW * i / 4.0;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>",
                    x, TOP + plotH + 13, label(xValue)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">seconds since the first publish</text>",
                LEFT + plotW / 2, TOP + plotH + 26));
        int legendX = LEFT;
        for (Line line : lines) {
            StringBuilder points = new StringBuilder();
            for (double[] p : line.points) {
                double x = LEFT + (p[0] - minX) / (maxX - minX) * plotW;
                double y = TOP + plotH - (yTop == 0 ? 0 : p[1] / yTop * plotH);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            String dash = line.dashed ? " stroke-dasharray=\"5,3\"" : "";
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"%s points=\"%s\"/>",
                    line.color, dash, points.toString().trim()));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\"%s/>",
                    legendX, legendX + 16, HEIGHT - 8, HEIGHT - 8, line.color, dash));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>",
                    legendX + 19, HEIGHT - 5, escape(line.name)));
            legendX += 30 + line.name.length() * 6;
        }
        return svg.append("</svg>\n").toString();
    }

    /** The smallest of 1, 2, 2.5, 5 times a power of ten at or above {@code value} (1 for 0). */
    static double niceCeiling(double value) {
        if (!(value > 0)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * power >= value * (1 - 1e-12)) {
                return step * power;
            }
        }
        return 10 * power;
    }

    static String label(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

package io.eventfeeds.feed.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/** One stock whose price takes a random walk: up to 1% per tick either way, never below one cent. */
public class StockTicker {

    private final String symbol;
    private final RandomGenerator random;
    private final BigDecimal open;
    private BigDecimal price;

    public StockTicker(String symbol, double open, RandomGenerator random) {
        this.symbol = symbol;
        this.random = random;
        this.open = BigDecimal.valueOf(open).setScale(2, RoundingMode.HALF_EVEN);
        this.price = this.open;
    }

    public Map<String, Object> tick() {
        double move = (random.nextDouble() * 2 - 1) / 100;
        BigDecimal next = price.multiply(BigDecimal.valueOf(1 + move)).setScale(2, RoundingMode.HALF_EVEN);
        price = next.max(new BigDecimal("0.01"));
        Map<String, Object> quote = new LinkedHashMap<>();
        quote.put("symbol", symbol.toUpperCase());
        quote.put("price", price);
        quote.put("change", price.subtract(open));
        quote.put("currency", "USD");
        return quote;
    }
}

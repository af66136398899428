package io.eventfeeds.feed.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StockTickerTest {

    @Test
    void priceMovesAtMostOnePercentPerTickAndStaysPositive() {
        StockTicker ticker = new StockTicker("acme", 100, new Random(3));
        BigDecimal last = new BigDecimal("100.00");
        boolean moved = false;
        for (int i = 0; i < 2000; i++) {
            BigDecimal price = (BigDecimal) ticker.tick().get("price");
            assertThat(price).isGreaterThanOrEqualTo(new BigDecimal("0.01"));
            assertThat(price.subtract(last).abs()).isLessThanOrEqualTo(last.multiply(new BigDecimal("0.01")).add(new BigDecimal("0.01")));
            moved |= price.compareTo(last) != 0;
            last = price;
        }
        assertThat(moved).isTrue();
    }
}

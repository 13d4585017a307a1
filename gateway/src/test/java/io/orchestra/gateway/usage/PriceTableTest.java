package io.orchestra.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.orchestra.gateway.providers.TokenUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {
    final PriceTable shipped = PriceTable.load(Optional.empty());

    @Test
    void costUsesReportedTokensWithCachedPromptTokensAtTheCachedPrice() {
        // gpt-4o-mini: 0.15 input, 0.075 cached input, 0.60 output per million tokens.
        TokenUsage usage = new TokenUsage(1_000_000, 500_000, 400_000, 0, 100_000);
        assertThat(shipped.cost("gpt-4o-mini", usage)).isCloseTo(0.6 * 0.15 + 0.4 * 0.075 + 0.5 * 0.60, within(1e-9));
        assertThat(shipped.cost("gpt-4o-mini", TokenUsage.NONE)).isZero();
    }

    @Test
    void datedAndProviderPrefixedNamesFindTheirBaseModel() {
        assertThat(shipped.price("gpt-4o-mini-2024-07-18")).isEqualTo(shipped.price("gpt-4o-mini"));
        assertThat(shipped.price("openrouter/gpt-4o")).isEqualTo(shipped.price("gpt-4o"));
        assertThat(shipped.price("no-such-model")).isEmpty();
        assertThat(shipped.cost("no-such-model", new TokenUsage(10, 10, 0, 0, 0)))
                .isZero();
    }

    @Test
    void anOverrideFileAddsAndReplacesPricesAndTheVersionSaysSo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prices.json");
        Files.writeString(file, """
                {"version":"ours-1","models":{"gpt-4o-mini":{"input":1.0,"output":2.0},
                 "house-model":{"input":0.5,"cached_input":0.1,"cache_write":0.7,"output":1.5}}}""");
        PriceTable table = PriceTable.load(Optional.of(file));
        assertThat(table.version()).isEqualTo(shipped.version() + "+ours-1");
        assertThat(table.price("gpt-4o-mini").orElseThrow()).isEqualTo(new PriceTable.Price(1.0, 1.0, 1.0, 2.0));
        // 1M prompt tokens of which 200k read from cache and 300k written to it.
        TokenUsage usage = new TokenUsage(1_000_000, 1_000_000, 200_000, 300_000, 0);
        assertThat(table.cost("house-model", usage)).isCloseTo(0.5 * 0.5 + 0.2 * 0.1 + 0.3 * 0.7 + 1.5, within(1e-9));
        assertThat(table.price("gpt-4.1")).isEqualTo(shipped.price("gpt-4.1"));
    }
}

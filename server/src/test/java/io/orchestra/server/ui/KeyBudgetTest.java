package io.orchestra.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeyBudgetTest {
    static final Instant NOW = Instant.parse("2026-12-03T14:00:00Z");

    static KeyBudget budget(Double daily, double today, Double monthly, double month) {
        return new KeyBudget("key_1", "app", "alice", daily, today, monthly, month, null, null);
    }

    @Test
    void aSpentBudgetWarnsAndSaysWhenItResets() {
        var warnings = budget(0.0005, 0.0019, null, 0.0019).warnings(NOW);
        assertThat(warnings).hasSize(1);
        KeyBudget.Warning w = warnings.getFirst();
        assertThat(w.over()).isTrue();
        assertThat(w.period()).isEqualTo(KeyBudget.Period.DAY);
        assertThat(w.resetsAt()).isEqualTo(Instant.parse("2026-12-04T00:00:00Z"));
        assertThat(w.requestsRange()).isEqualTo("24h");
    }

    @Test
    void aNearlySpentMonthlyBudgetWarnsBeforeItRefuses() {
        var warnings = budget(10.0, 1.0, 10.0, 8.5).warnings(NOW);
        assertThat(warnings).hasSize(1);
        assertThat(warnings.getFirst().over()).isFalse();
        assertThat(warnings.getFirst().period()).isEqualTo(KeyBudget.Period.MONTH);
        assertThat(warnings.getFirst().resetsAt()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    void noBudgetOrLittleSpentNeedsNoWarning() {
        assertThat(budget(null, 5, null, 5).warnings(NOW)).isEmpty();
        assertThat(budget(1.0, 0.79, 100.0, 0.79).warnings(NOW)).isEmpty();
    }
}

package io.orchestra.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UiFormatTest {
    @Test
    void budgetsReadLikeMoneyWithoutExponentsOrPaddingZeros() {
        assertThat(UiFormat.budget(0.0005)).isEqualTo("$0.0005");
        assertThat(UiFormat.budget(0.00002)).isEqualTo("$0.00002");
        assertThat(UiFormat.budget(1)).isEqualTo("$1.00");
        assertThat(UiFormat.budget(12.5)).isEqualTo("$12.50");
        assertThat(UiFormat.budget(1000)).isEqualTo("$1000.00");
    }

    @Test
    void formFieldsGetPlainDecimals() {
        assertThat(UiFormat.plain(0.0005)).isEqualTo("0.0005");
        assertThat(UiFormat.plain(20.0)).isEqualTo("20");
        assertThat(UiFormat.plain(1e6)).isEqualTo("1000000");
        assertThat(UiFormat.plain(null)).isEmpty();
    }
}

package io.orchestra.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class GatewayFormatTest {
    @Test
    void fixedDecimalsMatchStringFormat() {
        double[] values = {0, 0.0596, 0.0004, 0.0005, 1.5e-6, 12.3456789, 123456.0001, 0.99999, 2.5e-9, 7.0};
        for (double value : values) {
            assertThat(Gateway.fixed(value, 3)).as("%s", value).isEqualTo(String.format(Locale.ROOT, "%.3f", value));
            assertThat(Gateway.fixed(value, 8)).as("%s", value).isEqualTo(String.format(Locale.ROOT, "%.8f", value));
        }
    }
}

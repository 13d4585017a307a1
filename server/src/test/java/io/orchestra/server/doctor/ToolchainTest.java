package io.orchestra.server.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.server.doctor.Doctor.Check;
import io.orchestra.server.doctor.Doctor.Status;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The doctor compares the local toolchain with deploy/versions.properties (bundled in the jar). */
class ToolchainTest {
    final Pins pins = Pins.bundled();

    @Test
    void thePinnedJdkPasses() {
        assertThat(Toolchain.jdk(pins, pins.jdk(), pins.jdk() + ".0.3").status())
                .isEqualTo(Status.PASS);
    }

    @Test
    void anotherJdkThatStillRunsIsAWarningNamingThePinnedOne() {
        Check check = Toolchain.jdk(pins, pins.javaRelease(), pins.javaRelease() + ".0.9");
        assertThat(check.status()).isEqualTo(Status.WARN);
        assertThat(check.ok()).isTrue();
        assertThat(check.fix()).contains("Temurin " + pins.jdk());
        assertThat(Doctor.table(List.of(check))).contains("[WARN] JDK version", "fix: install Temurin " + pins.jdk());
    }

    @Test
    void aJdkBelowTheLanguageLevelFails() {
        Check check = Toolchain.jdk(pins, pins.javaRelease() - 1, "17.0.15");
        assertThat(check.status()).isEqualTo(Status.FAIL);
        assertThat(check.detail()).contains("needs " + pins.javaRelease() + " or newer");
    }

    @Test
    void nodeIsCheckedAgainstThePin() {
        assertThat(Toolchain.node(pins, Optional.of("v" + pins.node() + ".20.2"))
                        .status())
                .isEqualTo(Status.PASS);
        Check old = Toolchain.node(pins, Optional.of("v" + (pins.node() - 2) + ".1.0"));
        assertThat(old.status()).isEqualTo(Status.WARN);
        assertThat(old.fix()).contains("Node.js " + pins.node() + "+");
        assertThat(Toolchain.node(pins, Optional.empty()).detail()).isEqualTo("not found");
    }

    @Test
    void theNodeOnThisMachineIsRead() {
        // The test build itself needs Node (PGlite), so there is one here.
        assertThat(Toolchain.nodeVersion())
                .hasValueSatisfying(v -> assertThat(v).startsWith("v"));
    }

    @Test
    void environmentsComeFromThePins() {
        Pins.Environment prod = pins.environment("prod");
        assertThat(prod.service()).isEqualTo("orchestra-prod");
        assertThat(prod.minInstances()).isLessThanOrEqualTo(prod.maxInstances());
        assertThat(pins.environment("dev").publicAccess()).isTrue();
        assertThat(pins.hasEnvironment("qa")).isFalse();
    }
}

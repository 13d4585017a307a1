package io.orchestra.core.util;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Identifiers: a short type prefix plus a time-ordered random part, e.g. {@code key_0193ab…}. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private Ids() {}

    /** A new id: 12 hex digits of milliseconds (sortable) and 8 random bytes. */
    public static String newId(String prefix) {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        return prefix + "_" + String.format("%012x", System.currentTimeMillis()) + HEX.formatHex(random);
    }

    /** A random secret of {@code bytes} bytes, URL-safe base64 without padding. */
    public static String randomToken(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}

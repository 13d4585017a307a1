package io.orchestra.core.util;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Identifiers: a short type prefix plus a time-ordered random part, e.g. {@code key_0193ab…}. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private Ids() {}

    /**
     * A new id: 12 hex digits of milliseconds (sortable) and 8 random bytes. Ids name things, they
     * guard nothing, so the random part comes from ThreadLocalRandom: the gateway makes two per
     * request, and SecureRandom (a locked read of /dev/urandom) showed in its profile.
     */
    public static String newId(String prefix) {
        return prefix + "_" + HEX.toHexDigits(System.currentTimeMillis()).substring(4)
                + HEX.toHexDigits(
                        java.util.concurrent.ThreadLocalRandom.current().nextLong());
    }

    /** A random secret of {@code bytes} bytes, URL-safe base64 without padding. */
    public static String randomToken(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}

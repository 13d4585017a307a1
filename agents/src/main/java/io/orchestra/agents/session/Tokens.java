package io.orchestra.agents.session;

/**
 * Token estimates before a call, when the provider has not counted yet: about four characters of
 * English per token for BPE tokenizers, plus a few per message for the chat framing. Stored
 * messages replace the estimate with the provider's count when usage reports it.
 */
public final class Tokens {
    static final int PER_MESSAGE = 4;

    private Tokens() {}

    public static int estimate(String text) {
        return text == null ? 0 : (text.length() + 3) / 4 + PER_MESSAGE;
    }
}

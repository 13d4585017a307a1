package io.orchestra.agents.session;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides which turns go into the prompt under a token budget: the newest messages that fit, with
 * the rolling summary standing in for the rest. Messages that fall out of the window and are not
 * yet in the summary are returned as {@code toSummarize}, so nothing is silently dropped.
 */
public final class ContextWindow {
    /** What to send, and what the caller must fold into the summary. */
    public record Plan(String summary, List<ChatMessage> recent, List<ChatMessage> toSummarize, int estimatedTokens) {}

    private final int budget;
    private final int minRecent;

    /**
     * @param budget tokens available for history (the model's context minus prompt, tools and reply)
     * @param minRecent turns always kept verbatim even if over budget (the last exchange)
     */
    public ContextWindow(int budget, int minRecent) {
        this.budget = budget;
        this.minRecent = minRecent;
    }

    public Plan plan(ChatSession session, List<ChatMessage> history) {
        int used = session.summary() == null ? 0 : Tokens.estimate(session.summary());
        List<ChatMessage> recent = new ArrayList<>();
        int cut = history.size();
        for (int i = history.size() - 1; i >= 0; i--) {
            ChatMessage message = history.get(i);
            if (message.seq() <= session.summarizedUpto()) {
                break;
            }
            boolean mustKeep = history.size() - i <= minRecent;
            if (!mustKeep && used + message.tokens() > budget) {
                break;
            }
            used += message.tokens();
            recent.addFirst(message);
            cut = i;
        }
        List<ChatMessage> toSummarize = new ArrayList<>();
        for (int i = 0; i < cut; i++) {
            if (history.get(i).seq() > session.summarizedUpto()) {
                toSummarize.add(history.get(i));
            }
        }
        return new Plan(session.summary(), recent, toSummarize, used);
    }
}

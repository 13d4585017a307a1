package io.orchestra.agents.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContextWindowTest {
    static List<ChatMessage> history(int count, int tokensEach) {
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(new ChatMessage(
                    "m" + i,
                    "s",
                    i,
                    i % 2 == 1 ? "user" : "assistant",
                    "turn " + i,
                    null,
                    tokensEach,
                    "{}",
                    Instant.EPOCH));
        }
        return out;
    }

    static ChatSession session(String summary, int upto) {
        return new ChatSession("s", "o", null, null, summary, upto, Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void keepsAllTurnsThatFit() {
        ContextWindow.Plan plan = new ContextWindow(1000, 2).plan(session(null, 0), history(6, 100));
        assertThat(plan.recent()).hasSize(6);
        assertThat(plan.toSummarize()).isEmpty();
    }

    @Test
    void olderTurnsGoToTheSummaryInsteadOfBeingDropped() {
        ContextWindow.Plan plan = new ContextWindow(350, 2).plan(session(null, 0), history(10, 100));
        assertThat(plan.recent()).extracting(ChatMessage::seq).containsExactly(8, 9, 10);
        assertThat(plan.toSummarize()).extracting(ChatMessage::seq).containsExactly(1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void summarizedTurnsAreNotSummarizedTwice() {
        ContextWindow.Plan plan = new ContextWindow(350, 2).plan(session("They discussed fees.", 5), history(10, 100));
        assertThat(plan.summary()).isEqualTo("They discussed fees.");
        assertThat(plan.toSummarize()).extracting(ChatMessage::seq).containsExactly(6, 7);
        assertThat(plan.recent()).extracting(ChatMessage::seq).containsExactly(8, 9, 10);
        assertThat(plan.estimatedTokens()).isEqualTo(309);
    }

    @Test
    void theLastExchangeIsAlwaysKept() {
        ContextWindow.Plan plan = new ContextWindow(10, 2).plan(session(null, 0), history(4, 500));
        assertThat(plan.recent()).extracting(ChatMessage::seq).containsExactly(3, 4);
        assertThat(plan.toSummarize()).extracting(ChatMessage::seq).containsExactly(1, 2);
    }
}

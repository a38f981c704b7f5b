package dev.botshift.example.sentiment;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class SentimentTest {

    @Test
    void scoresTheMeanWeightOfSentimentWords() {
        Sentiment sentiment = Sentiment.of("Love it! But the app is SLOW.");

        assertThat(sentiment.words()).containsExactly("love", "slow");
        assertThat(sentiment.score()).isEqualByComparingTo(new BigDecimal("0.350"));
    }

    @Test
    void aMessageWithoutSentimentWordsIsNeutral() {
        assertThat(Sentiment.of("see you at 5").score()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(Sentiment.of("").words()).isEmpty();
    }

    @Test
    void staysWithinMinusOneAndOne() {
        assertThat(Sentiment.of("worst hate hate").score()).isEqualByComparingTo(new BigDecimal("-1.000"));
        assertThat(Sentiment.of("love excellent").score()).isEqualByComparingTo(new BigDecimal("1.000"));
    }
}

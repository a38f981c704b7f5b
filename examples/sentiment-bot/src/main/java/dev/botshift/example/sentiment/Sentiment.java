package dev.botshift.example.sentiment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A tiny lexicon scorer: the mean weight of the message's sentiment words, in [-1, 1]. It is deliberately simple;
 * the sample exists to exercise a schema change, not to understand people.
 *
 * @param words the message's words that carry sentiment, in order
 * @param score the mean of their weights, rounded to 3 decimals (the column is NUMERIC(4,3)); 0 without such words
 */
public record Sentiment(List<String> words, BigDecimal score) {

    private static final Map<String, Double> LEXICON = Map.ofEntries(
            Map.entry("love", 1.0), Map.entry("great", 0.8), Map.entry("good", 0.6), Map.entry("thanks", 0.5),
            Map.entry("nice", 0.5), Map.entry("happy", 0.8), Map.entry("excellent", 1.0), Map.entry("like", 0.4),
            Map.entry("awesome", 0.9), Map.entry("fine", 0.2),
            Map.entry("hate", -1.0), Map.entry("bad", -0.6), Map.entry("terrible", -0.9), Map.entry("awful", -0.9),
            Map.entry("sad", -0.6), Map.entry("angry", -0.8), Map.entry("broken", -0.5), Map.entry("slow", -0.3),
            Map.entry("worst", -1.0), Map.entry("bug", -0.4));

    public static Sentiment of(String text) {
        List<String> words = new ArrayList<>();
        double sum = 0;
        for (String token : text.toLowerCase(Locale.ROOT).split("[^\\p{L}']+")) {
            Double weight = LEXICON.get(token);
            if (weight != null) {
                words.add(token);
                sum += weight;
            }
        }
        double mean = words.isEmpty() ? 0 : sum / words.size();
        return new Sentiment(List.copyOf(words), BigDecimal.valueOf(mean).setScale(3, RoundingMode.HALF_EVEN));
    }
}

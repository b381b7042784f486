package dev.fornax.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PairMergerTest {
    /** The textbook loop: rescan all pairs, merge the best (lowest priority, then leftmost), repeat. */
    private static int[] naive(int[] symbols, PairMerger.Rule rule) {
        List<Integer> s = new ArrayList<>();
        for (int x : symbols) {
            s.add(x);
        }
        while (true) {
            int best = -1;
            long bestMerge = 0;
            for (int i = 0; i + 1 < s.size(); i++) {
                long m = rule.find(s.get(i), s.get(i + 1));
                if (m != PairMerger.Rule.NONE
                        && (best < 0 || PairMerger.Rule.priority(m) < PairMerger.Rule.priority(bestMerge))) {
                    best = i;
                    bestMerge = m;
                }
            }
            if (best < 0) {
                return s.stream().mapToInt(Integer::intValue).toArray();
            }
            s.set(best, PairMerger.Rule.resultId(bestMerge));
            s.remove(best + 1);
        }
    }

    @Test
    void mergesInTheSameOrderAsRescanningEveryPair() {
        Random random = new Random(1);
        for (int trial = 0; trial < 300; trial++) {
            // random merge rules over a small alphabet, with ties in priority
            Map<Long, Long> table = new HashMap<>();
            int alphabet = 3 + random.nextInt(4);
            for (int r = 0; r < 20; r++) {
                int a = random.nextInt(alphabet + r);
                int b = random.nextInt(alphabet + r);
                table.putIfAbsent(((long) a << 32) | b, PairMerger.Rule.pack(random.nextInt(8), alphabet + r));
            }
            PairMerger.Rule rule = (a, b) -> table.getOrDefault(((long) a << 32) | b, PairMerger.Rule.NONE);
            int[] symbols = random.ints(random.nextInt(40), 0, alphabet).toArray();
            assertThat(PairMerger.merge(symbols, symbols.length, rule)).containsExactly(naive(symbols, rule));
        }
    }

    @Test
    void leftmostPairWinsATie() {
        // a a a with rule (a a → b): the left pair merges first, leaving "b a"
        PairMerger.Rule rule = (a, b) -> a == 0 && b == 0 ? PairMerger.Rule.pack(0, 1) : PairMerger.Rule.NONE;
        assertThat(PairMerger.merge(new int[] {0, 0, 0}, 3, rule)).containsExactly(1, 0);
    }
}
